#include "pattern_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pattern_placeholder.h"
#include "re/re_ast.h"
#include "re/re_compile.h"

/* Placeholder ids only need to be distinct here, because nothing is
 * matched against a policy pattern at compile time. */
static int pattern_placeholder_id(void *data, const char *name, size_t len) {
  return compile_is_placeholder(data, name, len) ? 0 : -1;
}

static int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Returns the code point of the \uXXXX escape at src, or -1. */
static long unicode_escape_value(const char *src, const char *end) {
  long code = 0;
  if (end - src < 6)
    return -1;
  for (int k = 2; k < 6; k++) {
    int digit = hex_value(src[k]);
    if (digit < 0)
      return -1;
    code = code * 16 + digit;
  }
  return code;
}

/* Sets *step to the source bytes of the escape at src and returns the bytes
 * it decodes to: \uXXXX gives 1 to 3 bytes, a surrogate pair 4, and every
 * other escape 1 (lex_string.c rejects anything else before this runs). */
static size_t escape_decoded_length(const char *src, const char *end, size_t *step) {
  *step = 2;
  if (src[1] != 'u')
    return 1;

  long code = unicode_escape_value(src, end);
  *step = 6;
  if (code >= 0xd800 && code <= 0xdbff && unicode_escape_value(src + 6, end) >= 0) {
    *step = 12;
    return 4;
  }
  if (code < 0x80)
    return 1;
  return code < 0x800 ? 2 : 3;
}

/* Returns the source offset of decoded byte `offset` of a string literal,
 * whose span starts at its opening quote. */
static uint32_t pattern_source_offset(const compile_ctx *ctx, const ast_string *literal,
                                      size_t offset) {
  const src_span span = literal->span;
  const char *src = ctx->sources.files[span.file].text;
  const char *end = src + span.end;
  uint32_t at = span.start + 1;

  for (size_t decoded = 0; decoded < offset && at + 1 < span.end;) {
    size_t step = 1;
    decoded += src[at] == '\\' ? escape_decoded_length(src + at, end, &step) : 1;
    at += (uint32_t)step;
  }
  return at;
}

typedef struct placeholder_report_ctx {
  compile_ctx *ctx;
  const ast_string *pattern;
} placeholder_report_ctx;

static int pattern_is_placeholder(void *data, const char *name, size_t len) {
  const placeholder_report_ctx *report = data;
  return compile_is_placeholder(report->ctx, name, len);
}

/* Reports a misplaced placeholder at its line and column in the literal. */
static void pattern_report_placeholder(void *data, size_t offset, size_t len, const char *message) {
  placeholder_report_ctx *report = data;
  uint32_t start = pattern_source_offset(report->ctx, report->pattern, offset);
  uint32_t end = pattern_source_offset(report->ctx, report->pattern, offset + len);
  src_span span = {report->pattern->span.file, start, end > start ? end : start + 1};

  diag_report(&report->ctx->diags, DIAG_ERROR, DIAG_INVALID_PATTERN, span, "%s", message);
}

/* Warnings kept for one pattern, reported only when it has no error, since
 * a misplaced placeholder is also read as a '$' and a literal '{'. */
#define PATTERN_MAX_NONSTANDARD 16

typedef struct nonstandard_report_ctx {
  compile_ctx *ctx;
  const ast_string *pattern;
  src_span spans[PATTERN_MAX_NONSTANDARD];
  char messages[PATTERN_MAX_NONSTANDARD][sizeof ((re_error *)0)->message];
  size_t count;
} nonstandard_report_ctx;

static int nonstandard_placeholder_id(void *data, const char *name, size_t len) {
  const nonstandard_report_ctx *report = data;
  return pattern_placeholder_id(report->ctx, name, len);
}

/* Keeps a warning about a form that the parser accepts but ECMA-262's u
 * mode, the dialect's base, rejects, at its place in the literal. Past
 * PATTERN_MAX_NONSTANDARD forms, the rest of the pattern gets no warning. */
static void pattern_keep_nonstandard(void *data, size_t offset, size_t len, const char *message) {
  nonstandard_report_ctx *report = data;
  if (report->count == PATTERN_MAX_NONSTANDARD)
    return;

  uint32_t start = pattern_source_offset(report->ctx, report->pattern, offset);
  uint32_t end = pattern_source_offset(report->ctx, report->pattern, offset + len);
  report->spans[report->count] =
      (src_span){report->pattern->span.file, start, end > start ? end : start + 1};
  snprintf(report->messages[report->count], sizeof report->messages[0], "%s", message);
  report->count++;
}

/* Returns 1 when an error was reported inside the literal (an invalid
 * escape or placeholder), which makes the decoded pattern differ from the
 * one written, so its warnings would mislead. */
static int literal_has_error(const diag_sink *diags, const ast_string *literal) {
  for (size_t i = 0; i < diags->count; i++) {
    const diag *d = &diags->items[i];
    if (d->severity == DIAG_ERROR && d->has_span && d->span.file == literal->span.file &&
        d->span.start >= literal->span.start && d->span.start < literal->span.end)
      return 1;
  }
  return 0;
}

static void pattern_report_nonstandard(const nonstandard_report_ctx *report) {
  if (literal_has_error(&report->ctx->diags, report->pattern))
    return;
  for (size_t i = 0; i < report->count; i++)
    diag_report(&report->ctx->diags, DIAG_WARNING, DIAG_NONSTANDARD_PATTERN, report->spans[i],
                "%s", report->messages[i]);
}

int pattern_check_syntax(compile_ctx *ctx, const ast_string *pattern) {
  nonstandard_report_ctx *nonstandard = calloc(1, sizeof *nonstandard);
  if (!nonstandard)
    abort();
  nonstandard->ctx = ctx;
  nonstandard->pattern = pattern;
  re_compile_options options;
  re_compile_options_default(&options);
  options.placeholder_id = nonstandard_placeholder_id;
  options.nonstandard = pattern_keep_nonstandard;
  options.user_data = nonstandard;

  re_error error;
  cfgate_re *re = re_compile(pattern->text, pattern->len, &options, &error);
  if (re) {
    re_free(re);
    placeholder_report_ctx report = {ctx, pattern};
    int placed = pattern_placeholder_scan(pattern->text, pattern->len, pattern_is_placeholder,
                                          pattern_report_placeholder, &report) == 0;
    if (placed)
      pattern_report_nonstandard(nonstandard);
    free(nonstandard);
    return placed;
  }
  free(nonstandard);

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
  pattern_matcher matcher;
  pattern_matcher_init(&matcher, provider_pattern);
  int result = pattern_matcher_accepts(&matcher, value, len);
  pattern_matcher_fini(&matcher);
  return result;
}

void pattern_matcher_init(pattern_matcher *m, const char *provider_pattern) {
  *m = (pattern_matcher){.pattern = provider_pattern};
}

/* Compiles the pattern and allocates its state. Leaves m->state NULL on failure. */
static void pattern_matcher_compile(pattern_matcher *m) {
  re_error error;

  m->compiled = 1;
  m->re = re_compile(m->pattern, strlen(m->pattern), NULL, &error);
  if (m->re)
    m->state = malloc(cfgate_re_state_size(m->re, NULL));
}

int pattern_matcher_accepts(pattern_matcher *m, const char *value, size_t len) {
  if (!m->compiled)
    pattern_matcher_compile(m);
  if (!m->state)
    return -1;
  return cfgate_re_match(m->re, m->state, NULL, (const unsigned char *)value, len);
}

void pattern_matcher_fini(pattern_matcher *m) {
  free(m->state);
  if (m->re)
    re_free(m->re);
  *m = (pattern_matcher){0};
}

/* Keys whose values are data, not schemas: a "pattern" member inside them is
 * not a regular expression. */
static int pattern_is_data_key(const char *key) {
  static const char *const data_keys[] = {"enum", "const", "default", "examples", "x-cfgate",
                                          "x-cfgate-rule"};

  for (size_t i = 0; i < sizeof data_keys / sizeof data_keys[0]; i++)
    if (strcmp(key, data_keys[i]) == 0)
      return 1;
  return 0;
}

typedef struct provider_walk {
  compile_ctx *ctx;
  const ast_decl *decl;
  char pointer[PATTERN_MAX_POINTER];
} provider_walk;

static void provider_pattern(provider_walk *walk, const char *text, size_t len) {
  re_compile_options options;
  re_compile_options_default(&options);
  options.placeholder_id = pattern_placeholder_id;
  options.user_data = walk->ctx;

  re_ast ast;
  re_error error;
  int parsed = re_parse(text, len, &options, &ast, &error) == 0;
  re_ast_free(&ast);
  if (parsed)
    return;

  diag_report(&walk->ctx->diags, DIAG_ERROR, DIAG_INVALID_PATTERN, walk->decl->name.span,
              "the provider schema of %s has an invalid pattern at %s (offset %zu: %s); "
              "deny that property, because the type cannot be validated while it is allowed",
              walk->decl->name.text, walk->pointer, error.offset, error.message);
}

/* Appends "/token" to the walk's JSON pointer (RFC 6901 escapes); returns the old length. */
static size_t provider_pointer_push(provider_walk *walk, const char *token) {
  size_t base = strlen(walk->pointer);
  size_t n = base;

  if (n + 1 < sizeof walk->pointer)
    walk->pointer[n++] = '/';
  for (const char *c = token; *c && n + 2 < sizeof walk->pointer; c++) {
    if (*c == '~' || *c == '/') {
      walk->pointer[n++] = '~';
      walk->pointer[n++] = *c == '~' ? '0' : '1';
    } else {
      walk->pointer[n++] = *c;
    }
  }
  walk->pointer[n] = '\0';
  return base;
}

static void provider_walk_value(provider_walk *walk, json_t *value) {
  const char *key;
  json_t *child;
  size_t index;

  if (json_is_array(value)) {
    json_array_foreach(value, index, child) provider_walk_value(walk, child);
    return;
  }

  json_object_foreach(value, key, child) {
    if (pattern_is_data_key(key))
      continue;

    size_t base = provider_pointer_push(walk, key);
    if (strcmp(key, "pattern") == 0 && json_is_string(child))
      provider_pattern(walk, json_string_value(child), json_string_length(child));
    if (strcmp(key, "patternProperties") == 0 && json_is_object(child)) {
      const char *pattern;
      json_t *ignored;
      json_object_foreach(child, pattern, ignored) provider_pattern(walk, pattern, strlen(pattern));
    }
    provider_walk_value(walk, child);
    walk->pointer[base] = '\0';
  }
}

void pattern_check_template(compile_ctx *ctx, const ast_decl *decl, json_t *template_schema) {
  provider_walk walk = {ctx, decl, ""};
  provider_walk_value(&walk, template_schema);
}
