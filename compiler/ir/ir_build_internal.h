/*
 * Builder internals shared by the ir_build*.c files: growable tables, the
 * string pool, the subschema memo, the document registry for $id and $ref,
 * and the queue of subschemas waiting to be compiled.
 */
#ifndef IR_BUILD_INTERNAL_H
#define IR_BUILD_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "ir/ir_build.h"
#include "re/re_compile.h"

/* A growable array of elements of one size. Start zeroed with elem set. */
typedef struct ir_vec {
  void *data;
  size_t len, cap, elem;
} ir_vec;

/* A subschema waiting to be compiled into an already allocated node. */
typedef struct ir_pending {
  json_t *schema;
  uint32_t node;
  uint32_t base; /* index into ir_builder.bases: the base URI inside schema */
  uint32_t path; /* pool offset of the schema location */
} ir_pending;

/* A schema document or a subschema with an $id, by absolute URI. */
typedef struct ir_resource {
  char *uri;
  json_t *schema;
  int owned;    /* 1: the builder holds a reference (loaded remote document) */
  int document; /* 1: a whole document, 0: a subschema registered by its $id */
} ir_resource;

/* Memo entry: a subschema object and the node compiled from it. */
typedef struct ir_memo_entry {
  const json_t *schema;
  uint32_t node;
} ir_memo_entry;

typedef struct ir_builder {
  const ir_build_options *options;
  ir_error *error;
  int failed;

  ir_vec nodes, names, pattern_props, dependencies, strings, segments, numbers, lists;
  ir_vec placeholders; /* uint32_t pool offsets */
  int is_template;     /* 1: x-cfgate.placeholders is present, so "${!" is the escape of "${" */
  ir_vec patterns;     /* cfgate_re * from re_compile */
  ir_vec pattern_texts; /* uint32_t pool offsets, parallel to patterns */
  ir_vec pool;         /* char */

  ir_memo_entry *memo;
  size_t memo_cap, memo_len;

  ir_vec pending;   /* ir_pending */
  ir_vec bases;     /* char *: base URIs, owned */
  ir_vec resources; /* ir_resource */

  uint32_t true_node, false_node;
  uint32_t empty_name_index; /* lists[] offset of the name index shared by nodes without names */
  uint32_t const_node; /* "const" of the node being compiled when it also has "enum" */
} ir_builder;

/* ir_build_util.c */
void *ir_vec_push(ir_builder *b, ir_vec *v);
int ir_vec_reserve(ir_builder *b, ir_vec *v, size_t extra);
void ir_vec_free(ir_vec *v);
void ir_fail(ir_builder *b, uint32_t path, const char *keyword, const char *format, ...)
    __attribute__((format(printf, 4, 5)));
void ir_fail_memory(ir_builder *b);
uint32_t ir_pool_add(ir_builder *b, const char *text, size_t len);
uint32_t ir_pool_add_path(ir_builder *b, uint32_t parent, const char *token);
uint32_t ir_pool_add_index_path(ir_builder *b, uint32_t parent, const char *keyword, size_t index);
const char *ir_pool_text(const ir_builder *b, uint32_t offset);
uint32_t ir_list_append(ir_builder *b, const uint32_t *items, size_t n);
char *ir_strdup(ir_builder *b, const char *text);
char *ir_strndup(ir_builder *b, const char *text, size_t len);
int ir_memo_find(const ir_builder *b, const json_t *schema, uint32_t *node);
int ir_memo_put(ir_builder *b, const json_t *schema, uint32_t node);

/* ir_build_ref.c */
char *ir_uri_resolve(ir_builder *b, const char *base, const char *ref);
uint32_t ir_base_add(ir_builder *b, char *uri);
const char *ir_base_text(const ir_builder *b, uint32_t base);
int ir_register_document(ir_builder *b, const char *uri, json_t *schema, int owned);
uint32_t ir_apply_id(ir_builder *b, json_t *schema, uint32_t base);
int ir_resolve_ref(ir_builder *b, const char *ref, uint32_t base, uint32_t path, json_t **target,
                   uint32_t *target_base, uint32_t *target_path);
void ir_resources_free(ir_builder *b);

/* ir_build_node.c. The base passed with a subschema is the base URI in
 * effect around it; its own $id is applied when its node is allocated. */
uint32_t ir_node_for(ir_builder *b, json_t *schema, uint32_t base, uint32_t path);
uint32_t ir_node_new(ir_builder *b, uint32_t path);
void ir_node_compile(ir_builder *b, const ir_pending *pending);
cfgate_ir_node *ir_node_at(ir_builder *b, uint32_t node);

/* ir_build_object.c, ir_build_scalar.c (arrays, strings, numbers), ir_build_enum.c:
 * each fills its keywords of *node from schema. */
void ir_build_object(ir_builder *b, json_t *schema, uint32_t base, uint32_t path, cfgate_ir_node *node);
void ir_build_array(ir_builder *b, json_t *schema, uint32_t base, uint32_t path, cfgate_ir_node *node);
void ir_build_string(ir_builder *b, json_t *schema, uint32_t path, cfgate_ir_node *node);
void ir_build_number(ir_builder *b, json_t *schema, uint32_t path, cfgate_ir_node *node);
void ir_build_enum(ir_builder *b, json_t *schema, uint32_t path, cfgate_ir_node *node);
uint32_t ir_number_add(ir_builder *b, json_t *value, uint32_t path, const char *keyword);
uint32_t ir_pattern_add(ir_builder *b, const char *text, size_t len, uint32_t path,
                        const char *keyword);
uint32_t ir_placeholder_id(const ir_builder *b, const char *name, size_t len);

/* ir_build_names.c: builds the name index of a node whose names are stored
 * and sorted (see CFGATE_IR_NAME_BUCKET_BITS_MAX). */
void ir_index_names(ir_builder *b, cfgate_ir_node *node);

/* ir_build_unique.c */
uint32_t ir_unique_nesting(ir_builder *b, uint32_t root);

/* Reads a non-negative integer keyword into *out (unchanged when absent). */
void ir_read_count(ir_builder *b, json_t *schema, const char *keyword, uint32_t path, uint32_t *out);

#endif /* IR_BUILD_INTERNAL_H */
