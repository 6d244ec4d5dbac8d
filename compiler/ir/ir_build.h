/*
 * Builds compiled validator tables (runtime/cfgate_ir.h) in memory from a
 * draft-07 JSON Schema held as a jansson value: a restricted schema template
 * with placeholders, or any plain schema.
 */
#ifndef CFGATE_IR_BUILD_H
#define CFGATE_IR_BUILD_H

#include <jansson.h>

#include "cfgate_ir.h"

/* Maximum nesting of subschemas the builder follows, and of $ref chains. */
#define IR_MAX_SCHEMA_DEPTH 256
/* Maximum "patternProperties" entries or schema "dependencies" per node. */
#define IR_MAX_PATTERN_PROPERTIES 64
#define IR_MAX_SCHEMA_DEPENDENCIES 64
/* Maximum enum strings with placeholders per node. */
#define IR_MAX_PLACEHOLDER_STRINGS 64

/* Loads the schema document at an absolute URI without fragment (for a
 * remote $ref). Returns a new reference the builder releases, or NULL with a
 * message in *message (static or owned by the loader) when it cannot. */
typedef json_t *(*ir_load_fn)(void *user_data, const char *uri, const char **message);

typedef struct ir_build_options {
  ir_load_fn load;          /* NULL: remote $ref is an error */
  void *load_user_data;
  const char *base_uri;     /* retrieval URI of the root document, or NULL */
  int assert_formats;       /* 1: "format" is asserted in every session */
  /* 1: patterns skip the DFA and use the NFA or backtracking engine, which
   * saves the DFA construction in a build that only checks a schema. A
   * pattern whose DFA fits but whose backtracking program exceeds its limit
   * ("^x(?:a{0,1000}){0,1000}") fails only with this option, so
   * compile_verify.c retries a failed build with DFAs before it rejects the
   * schema. */
  int patterns_without_dfa;
} ir_build_options;

/* Where and why building failed. */
typedef struct ir_error {
  char schema_path[512];    /* JSON pointer of the offending subschema or keyword */
  char message[512];
} ir_error;

/* Fills *options with no loader and formats as annotations. */
void ir_build_options_default(ir_build_options *options);

/* Builds a validator for schema (borrowed). options may be NULL. Returns a
 * new validator the caller releases with ir_free(), or NULL with *error
 * filled when the schema is invalid, a $ref cannot be resolved, a pattern
 * does not compile, a limit is exceeded or memory runs out. */
cfgate_validator *ir_build(json_t *schema, const ir_build_options *options, ir_error *error);

/* Releases a validator built by ir_build(); NULL is ignored. */
void ir_free(cfgate_validator *validator);

#endif /* CFGATE_IR_BUILD_H */
