/*
 * Test driver for the C emitter: compiles JSON Schema files with ir_build()
 * and writes them with emit_c_write_dir() under the prefix cfgate_policy.
 *
 *   emit_schemas OUT_DIR TYPE=SCHEMA.json...
 *
 * Exit status 0 on success, 2 when a schema cannot be read or compiled or
 * the output cannot be written.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ir/emit_c.h"
#include "ir/ir_build.h"

static cfgate_validator *build(const char *path) {
  json_error_t parse_error;
  ir_error build_error;
  json_t *schema = json_load_file(path, JSON_DECODE_ANY | JSON_ALLOW_NUL, &parse_error);

  if (schema == NULL) {
    fprintf(stderr, "%s:%d:%d: error: %s\n", path, parse_error.line, parse_error.column, parse_error.text);
    return NULL;
  }
  cfgate_validator *validator = ir_build(schema, NULL, &build_error);
  json_decref(schema);
  if (validator == NULL)
    fprintf(stderr, "%s: error: at '%s': %s\n", path, build_error.schema_path, build_error.message);
  return validator;
}

int main(int argc, char **argv) {
  int count = argc - 2, status = 0;

  if (argc < 3) {
    fprintf(stderr, "usage: emit_schemas OUT_DIR TYPE=SCHEMA.json...\n");
    return 2;
  }
  emit_c_entry *entries = calloc((size_t)count, sizeof *entries);
  cfgate_validator **validators = calloc((size_t)count, sizeof *validators);
  if (entries == NULL || validators == NULL)
    return 2;

  for (int i = 0; i < count && status == 0; i++) {
    char *equals = strchr(argv[i + 2], '=');
    if (equals == NULL) {
      fprintf(stderr, "emit_schemas: invalid argument '%s': expected TYPE=SCHEMA.json\n", argv[i + 2]);
      status = 2;
      break;
    }
    *equals = '\0';
    validators[i] = build(equals + 1);
    entries[i] = (emit_c_entry){argv[i + 2], validators[i]};
    status = validators[i] != NULL ? 0 : 2;
  }

  emit_c_error error;
  if (status == 0 && emit_c_write_dir(entries, (size_t)count, "cfgate_policy", argv[1], &error) != 0) {
    fprintf(stderr, "emit_schemas: %s: %s\n", error.path[0] ? error.path : argv[1], error.message);
    status = 2;
  }

  for (int i = 0; i < count; i++)
    ir_free(validators[i]);
  free(validators);
  free(entries);
  return status;
}
