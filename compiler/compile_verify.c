/*
 * Final checks of a joined template before it leaves the compiler: the
 * closure rules of template_verify(), then a trial build of its validator
 * with ir_build(). So a provider value that no validator accepts (a
 * "maxLength" of "x") fails the compilation instead of every later check.
 * Policy values are checked when they are parsed and joined, so what fails
 * here comes from the provider schema, and the error names its file.
 */
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "ir/ir_build.h"
#include "template_verify.h"

/* Bytes of a value shown in an error before it is cut with "...". */
#define COMPILE_VERIFY_MAX_SHOWN 100

/* Decodes one RFC 6901 token of len bytes ("~1" is '/', "~0" is '~') into
 * a new string. */
static char *compile_pointer_token(const char *token, size_t len) {
  char *out = malloc(len + 1);
  if (!out)
    abort();

  size_t n = 0;
  for (size_t i = 0; i < len; i++) {
    if (token[i] == '~' && i + 1 < len && (token[i + 1] == '0' || token[i + 1] == '1'))
      out[n++] = token[++i] == '0' ? '~' : '/';
    else
      out[n++] = token[i];
  }
  out[n] = '\0';
  return out;
}

/* Returns the value at a JSON pointer in root (borrowed), or NULL. */
static json_t *compile_pointer_get(json_t *root, const char *pointer) {
  json_t *node = root;
  while (node && *pointer == '/') {
    pointer++;
    size_t len = strcspn(pointer, "/");
    char *token = compile_pointer_token(pointer, len);
    if (json_is_array(node))
      node = json_array_get(node, strtoul(token, NULL, 10));
    else
      node = json_object_get(node, token);
    free(token);
    pointer += len;
  }
  return *pointer ? NULL : node;
}

/* Writes the value at pointer as compact JSON, cut after
 * COMPILE_VERIFY_MAX_SHOWN bytes, or "" when the pointer finds none. */
static void compile_show_value(json_t *template_schema, const char *pointer, char *out,
                               size_t size) {
  json_t *value = compile_pointer_get(template_schema, pointer);
  char *text = value ? json_dumps(value, JSON_ENCODE_ANY | JSON_COMPACT) : NULL;
  out[0] = '\0';
  if (!text)
    return;

  size_t len = strlen(text);
  if (len > COMPILE_VERIFY_MAX_SHOWN)
    snprintf(out, size, " (%.*s...)", COMPILE_VERIFY_MAX_SHOWN, text);
  else
    snprintf(out, size, " (%s)", text);
  free(text);
}

/* Reports a defect of the template at pointer as one of the provider
 * schema, in the form of the other provider schema errors. */
static void compile_report_provider(compile_ctx *ctx, const ast_decl *decl,
                                    const snapshot_schema *schema, json_t *template_schema,
                                    const char *failure, const char *pointer,
                                    const char *reason) {
  char shown[COMPILE_VERIFY_MAX_SHOWN + 16];
  compile_show_value(template_schema, pointer, shown, sizeof shown);
  diag_report(&ctx->diags, DIAG_ERROR, DIAG_SNAPSHOT, decl->name.span,
              "invalid provider schema '%s' in '%s': the restricted template of %s %s at %s%s: "
              "%s",
              schema->file_name, schema->snapshot_path, decl->name.text, failure,
              pointer[0] ? pointer : "/", shown, reason);
}

/* Builds the validator of template_schema; returns 1 when it builds, else
 * 0 with *error filled. */
static int compile_try_build(json_t *template_schema, int patterns_without_dfa, ir_error *error) {
  ir_build_options options;
  ir_build_options_default(&options);
  options.patterns_without_dfa = patterns_without_dfa;

  memset(error, 0, sizeof *error);
  cfgate_validator *validator = ir_build(template_schema, &options, error);
  int built = validator != NULL;
  ir_free(validator);
  return built;
}

/* Builds the validator of the template once and reports why it cannot be
 * built. Returns 1 when it can. The first build skips the DFA of each
 * pattern to save time. A pattern whose DFA fits but whose backtracking
 * program exceeds its limit fails only there, so a failed build is tried
 * again as `cfgate check` and `cfgate compile --emit-c` build it, with
 * DFAs, and only that build's failure is reported. */
static int compile_verify_build(compile_ctx *ctx, const ast_decl *decl,
                                const snapshot_schema *schema, json_t *template_schema) {
  ir_error error;
  if (compile_try_build(template_schema, 1, &error) ||
      compile_try_build(template_schema, 0, &error))
    return 1;

  if (error.schema_path[0] == '\0' && strcmp(error.message, "out of memory") == 0)
    diag_report(&ctx->diags, DIAG_ERROR, DIAG_INTERNAL, decl->name.span,
                "out of memory while building the validator of %s", decl->name.text);
  else
    compile_report_provider(ctx, decl, schema, template_schema,
                            "has a value that no validator accepts", error.schema_path,
                            error.message);
  return 0;
}

int compile_verify_template(compile_ctx *ctx, const ast_decl *decl,
                            const snapshot_schema *schema, json_t *template_schema) {
  char location[1024], reason[1024];
  if (!template_verify_located(template_schema, location, sizeof location, reason,
                               sizeof reason)) {
    compile_report_provider(ctx, decl, schema, template_schema, "fails its final check",
                            location, reason);
    return 0;
  }

  return compile_verify_build(ctx, decl, schema, template_schema);
}
