/*
 * Reads the schema of `cfgate validate` with jansson and compiles it with
 * ir_build(). A remote $ref is an error, because validation never touches
 * the network.
 */
#include "validate_schema.h"

#include <jansson.h>
#include <stdio.h>
#include <sys/stat.h>

#include "ir/ir_build.h"

/* Prints why jansson could not load the schema file. */
static void report_load_error(const char *path, const json_error_t *parse_error) {
  struct stat info;

  if (stat(path, &info) == 0 && S_ISDIR(info.st_mode)) {
    fprintf(stderr, "%s: error: is a directory, expected a JSON Schema file\n", path);
    return;
  }
  if (json_error_code(parse_error) == json_error_cannot_open_file || parse_error->line < 1) {
    fprintf(stderr, "%s: error: %s\n", path, parse_error->text);
    return;
  }
  if (validate_schema_syntax_error(path))
    return;
  /* NOTE: jansson's own errors (a duplicate key) point at the end of the
   * token, not its start. */
  fprintf(stderr, "%s:%d:%d: error: %s\n", path, parse_error->line, parse_error->column, parse_error->text);
}

cfgate_validator *validate_schema_load(const char *path) {
  json_error_t parse_error;
  size_t flags = JSON_DECODE_ANY | JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL;
  json_t *schema = json_load_file(path, flags, &parse_error);

  if (schema == NULL) {
    report_load_error(path, &parse_error);
    return NULL;
  }
  if (validate_schema_check_version(path, schema) != 0) {
    json_decref(schema);
    return NULL;
  }

  ir_build_options options;
  ir_error build_error;
  ir_build_options_default(&options);
  cfgate_validator *validator = ir_build(schema, &options, &build_error);
  json_decref(schema);

  if (validator == NULL)
    fprintf(stderr, "%s: error: schema location '%s': %s\n", path, build_error.schema_path,
            build_error.message);
  return validator;
}

void validate_schema_free(cfgate_validator *validator) {
  ir_free(validator);
}
