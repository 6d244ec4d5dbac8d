/*
 * The builder's driver: ir_build() registers the root document, compiles
 * subschemas from a work queue into nodes, and hands the tables over to a
 * cfgate_validator that ir_free() releases.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ir_build_internal.h"

/* The validator plus what ir_free needs to release the patterns. */
typedef struct ir_owned_validator {
  cfgate_validator validator;
  cfgate_re **compiled;
  uint32_t compiled_count;
} ir_owned_validator;

void ir_build_options_default(ir_build_options *options) {
  memset(options, 0, sizeof *options);
}

static int placeholder_names_add(ir_builder *b, json_t *schema) {
  json_t *names = json_object_get(json_object_get(schema, "x-cfgate"), "placeholders");
  size_t index;
  json_t *name;

  b->is_template = json_is_array(names);
  json_array_foreach(names, index, name) {
    if (!json_is_string(name)) {
      ir_fail(b, ir_pool_add(b, "/x-cfgate/placeholders", 22), NULL,
              "invalid placeholder name at index %zu: expected a string", index);
      return -1;
    }
    uint32_t *slot = ir_vec_push(b, &b->placeholders);
    if (!slot)
      return -1;
    *slot = ir_pool_add(b, json_string_value(name), json_string_length(name));
  }
  return b->failed ? -1 : 0;
}

static void builder_init(ir_builder *b, const ir_build_options *options, ir_error *error) {
  memset(b, 0, sizeof *b);
  b->options = options;
  b->error = error;
  b->nodes.elem = sizeof(cfgate_ir_node);
  b->names.elem = sizeof(cfgate_ir_name);
  b->pattern_props.elem = sizeof(cfgate_ir_pattern_prop);
  b->dependencies.elem = sizeof(cfgate_ir_dependency);
  b->strings.elem = sizeof(cfgate_ir_string);
  b->segments.elem = sizeof(cfgate_ir_segment);
  b->numbers.elem = sizeof(cfgate_ir_number);
  b->lists.elem = sizeof(uint32_t);
  b->placeholders.elem = sizeof(uint32_t);
  b->patterns.elem = sizeof(cfgate_re *);
  b->pattern_texts.elem = sizeof(uint32_t);
  b->pool.elem = 1;
  b->pending.elem = sizeof(ir_pending);
  b->bases.elem = sizeof(char *);
  b->resources.elem = sizeof(ir_resource);
}

static void builder_free(ir_builder *b) {
  cfgate_re **patterns = b->patterns.data;
  for (size_t i = 0; i < b->patterns.len; i++)
    re_free(patterns[i]);

  ir_vec *tables[] = {&b->nodes,   &b->names,        &b->pattern_props, &b->dependencies,
                      &b->strings, &b->segments,     &b->numbers,       &b->lists,
                      &b->placeholders, &b->patterns, &b->pattern_texts, &b->pool,
                      &b->pending};
  for (size_t i = 0; i < sizeof tables / sizeof *tables; i++)
    ir_vec_free(tables[i]);
  free(b->memo);
  ir_resources_free(b);
}

/* Compiles queued subschemas until the queue is empty. */
static void drain_pending(ir_builder *b) {
  while (!b->failed && b->pending.len > 0) {
    ir_pending pending = ((ir_pending *)b->pending.data)[--b->pending.len];
    ir_node_compile(b, &pending);
  }
}

static int build_root(ir_builder *b, json_t *schema) {
  const char *uri = b->options->base_uri ? b->options->base_uri : "";
  if (ir_register_document(b, uri, schema, 0) != 0)
    return -1;
  if (placeholder_names_add(b, schema) != 0)
    return -1;

  uint32_t root_path = ir_pool_add(b, "", 0);
  uint32_t base = ir_base_add(b, ir_strdup(b, uri));
  b->empty_name_index = CFGATE_IR_NONE;
  b->true_node = ir_node_new(b, root_path);
  b->false_node = ir_node_new(b, root_path);
  if (b->false_node != CFGATE_IR_NONE)
    ir_node_at(b, b->false_node)->flags = CFGATE_IR_FALSE;

  /* The root goes first into the memo, so "#" refers to it. */
  uint32_t root = ir_node_for(b, schema, base, root_path);
  drain_pending(b);
  return b->failed ? -1 : (int)root;
}

static void *take(ir_vec *v) {
  void *data = v->data;
  v->data = NULL;
  v->len = v->cap = 0;
  return data;
}

/* Appends one patternProperties entry per pattern, belonging to no node, so
 * the runtime can quote a "pattern" keyword's text in messages. */
static void add_pattern_texts(ir_builder *b) {
  const uint32_t *texts = b->pattern_texts.data;
  for (size_t i = 0; i < b->pattern_texts.len; i++) {
    cfgate_ir_pattern_prop *slot = ir_vec_push(b, &b->pattern_props);
    if (!slot)
      return;
    slot->pattern = (uint32_t)i;
    slot->node = CFGATE_IR_NONE;
    slot->text = texts[i];
  }
}

/* Moves the builder's tables into a new validator. */
static cfgate_validator *finish(ir_builder *b, uint32_t root, json_t *schema) {
  add_pattern_texts(b);
  uint32_t unique_nesting = ir_unique_nesting(b, root);
  if (b->failed)
    return NULL;

  ir_owned_validator *owned = calloc(1, sizeof *owned);
  cfgate_re *patterns = calloc(b->patterns.len ? b->patterns.len : 1, sizeof *patterns);
  if (!owned || !patterns) {
    free(owned);
    free(patterns);
    ir_fail_memory(b);
    return NULL;
  }

  cfgate_validator *v = &owned->validator;
  cfgate_re **compiled = b->patterns.data;
  for (size_t i = 0; i < b->patterns.len; i++)
    patterns[i] = *compiled[i];
  owned->compiled_count = (uint32_t)b->patterns.len;
  owned->compiled = take(&b->patterns);

  json_t *type_name = json_object_get(json_object_get(schema, "x-cfgate"), "typeName");
  v->type_name = json_is_string(type_name)
                     ? ir_pool_add(b, json_string_value(type_name), json_string_length(type_name))
                     : CFGATE_IR_NONE;
  v->format_version = CFGATE_IR_FORMAT_VERSION;
  v->root = root;
  v->assert_formats = b->options->assert_formats ? 1 : 0;
  v->unique_nodes = unique_nesting;

  v->pattern_count = owned->compiled_count;
  v->patterns = patterns;
  v->node_count = (uint32_t)b->nodes.len, v->nodes = take(&b->nodes);
  v->name_count = (uint32_t)b->names.len, v->names = take(&b->names);
  v->pattern_prop_count = (uint32_t)b->pattern_props.len, v->pattern_props = take(&b->pattern_props);
  v->dependency_count = (uint32_t)b->dependencies.len, v->dependencies = take(&b->dependencies);
  v->string_count = (uint32_t)b->strings.len, v->strings = take(&b->strings);
  v->segment_count = (uint32_t)b->segments.len, v->segments = take(&b->segments);
  v->number_count = (uint32_t)b->numbers.len, v->numbers = take(&b->numbers);
  v->list_count = (uint32_t)b->lists.len, v->lists = take(&b->lists);
  v->placeholder_count = (uint32_t)b->placeholders.len, v->placeholders = take(&b->placeholders);
  v->pool_size = (uint32_t)b->pool.len, v->pool = take(&b->pool);
  return v;
}

cfgate_validator *ir_build(json_t *schema, const ir_build_options *options, ir_error *error) {
  ir_build_options defaults;
  ir_builder b;

  if (!options) {
    ir_build_options_default(&defaults);
    options = &defaults;
  }
  memset(error, 0, sizeof *error);
  builder_init(&b, options, error);

  int root = build_root(&b, schema);
  cfgate_validator *validator = root >= 0 ? finish(&b, (uint32_t)root, schema) : NULL;
  builder_free(&b);

  const char *broken = validator ? cfgate_ir_check(validator) : NULL;
  if (broken) {
    snprintf(error->message, sizeof error->message, "internal error: invalid tables: %s", broken);
    ir_free(validator);
    return NULL;
  }
  return validator;
}

void ir_free(cfgate_validator *validator) {
  if (!validator)
    return;

  ir_owned_validator *owned = (ir_owned_validator *)validator;
  for (uint32_t i = 0; i < owned->compiled_count; i++)
    re_free(owned->compiled[i]);
  free(owned->compiled);

  free((void *)validator->patterns);
  free((void *)validator->nodes);
  free((void *)validator->names);
  free((void *)validator->pattern_props);
  free((void *)validator->dependencies);
  free((void *)validator->strings);
  free((void *)validator->segments);
  free((void *)validator->numbers);
  free((void *)validator->lists);
  free((void *)validator->placeholders);
  free((void *)validator->pool);
  free(owned);
}
