/*
 * Reads the schema of `cfgate validate` with jansson and compiles it with
 * ir_build(). A remote $ref is an error, because validation never touches
 * the network.
 */
#include "validate_schema.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "ir/ir_build.h"
#include "placeholder_names.h"
#include "template_verify.h"

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

/* Warns about each --context name the schema does not read, which is
 * usually a misspelt name, and names the placeholders it has. */
static void warn_unused_context(const char *path, const json_t *schema,
                                const cfgate_context *context) {
  char known[1024] = "";
  placeholder_names_append(schema, 0, known, sizeof known);

  for (size_t i = 0; i < context->count; i++) {
    char name[256];
    const cfgate_str *given = &context->names[i];
    snprintf(name, sizeof name, "%.*s", (int)(given->len < 200 ? given->len : 200), given->data);
    if (placeholder_names_contains(schema, name))
      continue;
    fprintf(stderr, "%s: warning: the schema has no placeholder ${%s}, so --context %s is not used "
                    "(%s%s)\n", path, name, name, known[0] ? "its placeholders: " : "it has no placeholders",
            known);
  }
}

/* Returns 1 when context gives a value for the placeholder name. */
static int context_has(const cfgate_context *context, const char *name) {
  size_t len = strlen(name);
  for (size_t i = 0; i < context->count; i++)
    if (context->names[i].len == len && memcmp(context->names[i].data, name, len) == 0)
      return 1;
  return 0;
}

/* Reports, one line each, every placeholder of x-cfgate.placeholders that
 * context leaves without a value, in the words of `cfgate instantiate`. The
 * session then fails to start, which adds the failed verdict per file. */
static void report_missing_context(const char *path, const json_t *schema,
                                   const cfgate_context *context) {
  const json_t *names = json_object_get(json_object_get(schema, "x-cfgate"), "placeholders");
  for (size_t i = 0; i < json_array_size(names); i++) {
    const char *name = json_string_value(json_array_get(names, i));
    if (!name || context_has(context, name))
      continue;
    fprintf(stderr, "%s: error: no value for placeholder '%s' (pass --context %s=VALUE)\n", path,
            name, name);
  }
}

int validate_schema_skip_bom(FILE *in) {
  unsigned char start[3];
  if (fread(start, 1, sizeof start, in) == sizeof start && start[0] == 0xEF && start[1] == 0xBB &&
      start[2] == 0xBF)
    return 1;
  rewind(in);
  return 0;
}

/* Loads the schema file like json_load_file(), after a UTF-8 byte order
 * mark when the file starts with one. */
static json_t *load_schema_file(const char *path, size_t flags, json_error_t *parse_error) {
  FILE *in = fopen(path, "rb");
  if (in == NULL || !validate_schema_skip_bom(in)) {
    if (in != NULL)
      fclose(in);
    return json_load_file(path, flags, parse_error);
  }

  json_t *schema = json_loadf(in, flags, parse_error);
  fclose(in);
  return schema;
}

cfgate_validator *validate_schema_load(const char *path, const cfgate_context *context) {
  json_error_t parse_error;
  size_t flags = JSON_DECODE_ANY | JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL;
  json_t *schema = load_schema_file(path, flags, &parse_error);

  if (schema == NULL) {
    report_load_error(path, &parse_error);
    return NULL;
  }
  if (validate_schema_check_version(path, schema) != 0 || validate_schema_check_numbers(path) != 0) {
    json_decref(schema);
    return NULL;
  }
  warn_unused_context(path, schema, context);
  report_missing_context(path, schema, context);

  /* A restricted template gets the checks a compiled folder gets on load. */
  char problem[1024];
  if (json_object_get(schema, "x-cfgate") && !template_verify(schema, problem, sizeof problem)) {
    fprintf(stderr, "%s: error: invalid restricted schema template: %s\n", path, problem);
    json_decref(schema);
    return NULL;
  }

  ir_build_options options;
  ir_error build_error;
  ir_build_options_default(&options);
  cfgate_validator *validator = ir_build(schema, &options, &build_error);
  json_decref(schema);

  if (validator == NULL)
    validate_schema_report_location(path, build_error.schema_path, build_error.message);
  return validator;
}

void validate_schema_free(cfgate_validator *validator) {
  ir_free(validator);
}
