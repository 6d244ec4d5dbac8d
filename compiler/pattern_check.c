#include "pattern_check.h"

#include <stdlib.h>
#include <string.h>

#include "re/re_compile.h"

/* Placeholder ids only need to be distinct here, because nothing is
 * matched against a policy pattern at compile time. */
static int pattern_placeholder_id(void *data, const char *name, size_t len) {
  return compile_is_placeholder(data, name, len) ? 0 : -1;
}

int pattern_check_syntax(compile_ctx *ctx, const ast_string *pattern) {
  re_compile_options options;
  re_compile_options_default(&options);
  options.placeholder_id = pattern_placeholder_id;
  options.user_data = ctx;

  re_error error;
  cfgate_re *re = re_compile(pattern->text, pattern->len, &options, &error);
  if (re) {
    re_free(re);
    return 1;
  }

  /* The offset counts decoded bytes; it is exact when the string literal
   * has no escapes before it, and clamped to the literal otherwise. */
  src_span span = pattern->span;
  uint32_t at = span.start + 1 + (uint32_t)error.offset;
  if (at < span.end)
    span = (src_span){span.file, at, at + 1};
  diag_report(&ctx->diags, DIAG_ERROR, DIAG_INVALID_PATTERN, span, "invalid pattern: %s",
              error.message);
  return 0;
}

int pattern_accepts(const char *provider_pattern, const char *value, size_t len) {
  re_error error;
  cfgate_re *re = re_compile(provider_pattern, strlen(provider_pattern), NULL, &error);
  if (!re)
    return -1;

  void *state = malloc(cfgate_re_state_size(re, NULL));
  int result = state ? cfgate_re_match(re, state, NULL, (const unsigned char *)value, len) : -1;
  free(state);
  re_free(re);
  return result;
}
