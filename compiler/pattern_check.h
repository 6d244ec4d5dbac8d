/*
 * Compile-time checks of regular expressions with the pattern engine
 * (compiler/re): policy patterns must parse, and `=` or `in` strings must
 * match the provider's pattern.
 */
#ifndef CFGATE_PATTERN_CHECK_H
#define CFGATE_PATTERN_CHECK_H

#include "compile.h"

/* Reports an invalid-pattern error when a policy pattern does not compile,
 * or when a placeholder in it is where the pattern engine and instantiation
 * would read it differently (pattern_placeholder.h). Returns 1 when it
 * compiles and every placeholder is an atom of its own. */
int pattern_check_syntax(compile_ctx *ctx, const ast_string *pattern);

/* Returns 1 when value matches the provider pattern, 0 when it does not,
 * and -1 when the pattern engine cannot decide (the pattern does not
 * compile or the match exceeds a limit). */
int pattern_accepts(const char *provider_pattern, const char *value, size_t len);

/* A provider pattern compiled on first use, so that the values of one 'in'
 * list are matched without compiling the pattern once per value. */
typedef struct pattern_matcher {
  const char *pattern;
  struct cfgate_re *re; /* NULL before the first match or when the pattern does not compile */
  void *state;          /* matching state for re, malloc'd */
  int compiled;         /* 1 once compiling was tried */
} pattern_matcher;

/* Prepares m for provider_pattern, which must outlive m. Compiles nothing yet. */
void pattern_matcher_init(pattern_matcher *m, const char *provider_pattern);

/* Matches value against the pattern, with the results of pattern_accepts(). */
int pattern_matcher_accepts(pattern_matcher *m, const char *value, size_t len);

/* Frees the compiled pattern and its state. */
void pattern_matcher_fini(pattern_matcher *m);

/* Maximum length of a schema location quoted in an invalid-pattern error. */
#define PATTERN_MAX_POINTER 1024

/* Parses every `pattern` value and `patternProperties` key of a restricted
 * template. Each one that does not parse gets an invalid-pattern error at the
 * type declaration, so a broken provider pattern shows up at compile time. */
void pattern_check_template(compile_ctx *ctx, const ast_decl *decl, json_t *template_schema);

#endif
