/* Test string generation from a parsed pattern, shared by the regex tests and the benchmark. */
#ifndef RE_GENERATE_H
#define RE_GENERATE_H

#include <stddef.h>
#include <stdint.h>

#include "re/re_ast.h"

typedef struct re_text {
  char *data;
  size_t len;
  size_t cap;
} re_text;

/* Deterministic xorshift generator, so failures reproduce. */
uint32_t re_random(uint64_t *seed);

/* Appends n bytes. Returns 0 or -1. */
int re_text_append(re_text *text, const char *bytes, size_t n);

/* Appends the UTF-8 of c. Returns 0 or -1. */
int re_text_append_code_point(re_text *text, uint32_t c);

/* Appends a string the pattern tree tends to accept (lookarounds and
 * anchors are ignored, so it may not match). Each repetition runs its
 * minimum count plus 0 to extra_repeats more times, within its maximum. */
int re_generate_accepted(const re_node *root, unsigned extra_repeats, uint64_t *seed, re_text *text);

/* Replaces text with a copy edited once: a code point deleted, inserted or replaced. */
int re_generate_near_miss(re_text *text, uint64_t *seed);

/* Appends len random code points: ASCII, Latin-1, BMP, astral plane, controls. */
int re_generate_random(size_t len, uint64_t *seed, re_text *text);

#endif /* RE_GENERATE_H */
