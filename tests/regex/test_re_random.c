/*
 * Random patterns built from dialect tokens: each must either compile or
 * fail with an offset inside the pattern, and when it compiles the DFA, the
 * NFA (whole and byte by byte) and the backtracking engine must agree on
 * random strings. Runs under the sanitizers like every test.
 * Usage: test_re_random [PATTERN_COUNT]
 */
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "re/re_compile.h"
#include "re_generate.h"

#define STRINGS_PER_PATTERN 24
#define MAX_TOKENS 12

static const char *const tokens[] = {
    "a", "b", "c", ".", "\\d", "\\w", "\\s", "\\S", "[a-c]", "[^b]", "[\\w-]", "(", ")", "(?:", "(?=", "(?!",
    "(?<=", "(?<!", "|", "*", "+", "?", "*?", "{1,3}", "{2}", "{0,2}", "^", "$", "\\b", "\\B", "\\Z",
    "\xc3\xa9", "\xf0\x9f\x98\x80", "\\p{L}", "\\P{Ll}", "(?i)", "(?s)", "(?m)", "\\1", "{", "]", "\\u00e9",
};

static const char *const pieces[] = {"a", "b", "c", "A", "1", " ", "\n", "-", "\xc3\xa9", "\xc3\x89",
                                     "\xf0\x9f\x98\x80", "_", "\xe2\x80\xa8", "\r", "\xc5\xbf", "\xe2\x84\xaa"};

static alignas(max_align_t) unsigned char state[1 << 21];

static int match(const cfgate_re *re, const re_text *s, size_t chunk) {
  cfgate_re_begin(re, state, NULL);
  for (size_t i = 0; i < s->len; i += chunk) {
    size_t n = s->len - i < chunk ? s->len - i : chunk;
    cfgate_re_feed(re, state, (const unsigned char *)s->data + i, n);
  }
  return cfgate_re_end(re, state);
}

static cfgate_re *compile_engine(const re_text *pattern, int engine, re_error *error) {
  re_compile_options options;

  re_compile_options_default(&options);
  options.force_backtrack = engine == 1;
  options.force_nfa = engine == 2;
  return re_compile(pattern->data, pattern->len, &options, error);
}

/* Returns the number of disagreements on the strings. */
static int compare_engines(const re_text *pattern, uint64_t *seed) {
  re_error error;
  cfgate_re *engines[3];
  int failures = 0;

  for (int e = 0; e < 3; e++) engines[e] = compile_engine(pattern, e, &error);
  for (int i = 0; i < STRINGS_PER_PATTERN && engines[0] && engines[1] && engines[2]; i++) {
    re_text s = {0};
    re_text_append(&s, "", 0);
    for (uint32_t k = re_random(seed) % 8; k > 0; k--) {
      const char *piece = pieces[re_random(seed) % (sizeof pieces / sizeof *pieces)];
      re_text_append(&s, piece, strlen(piece));
    }
    int results[5] = {match(engines[0], &s, 1 << 20), match(engines[0], &s, 1), match(engines[1], &s, 1 << 20),
                      match(engines[2], &s, 1 << 20), match(engines[2], &s, 1)};
    int agree = results[0] == results[1] && results[0] == results[3] && results[0] == results[4] &&
                (results[2] < 0 || results[2] == results[0]);
    if (!agree && failures++ < 3) {
      printf("MISMATCH pattern \"%s\" string \"%s\": compiled %d/%d backtrack %d nfa %d/%d\n", pattern->data, s.data,
             results[0], results[1], results[2], results[3], results[4]);
    }
    free(s.data);
  }
  for (int e = 0; e < 3; e++) re_free(engines[e]);
  return failures;
}

static int is_quantifier(const char *token) {
  return strchr("*+?", token[0]) != NULL || (token[0] == '{' && token[1] != '\0');
}

static int opens_group(const char *token) {
  return token[0] == '(' && strcmp(token, "(?i)") != 0 && strcmp(token, "(?s)") != 0 && strcmp(token, "(?m)") != 0;
}

/* Appends random tokens, mostly well formed: groups are closed at the end,
 * and a quantifier follows an atom in three cases out of four. */
static void build_pattern(re_text *pattern, uint64_t *seed) {
  int depth = 0, after_atom = 0;

  re_text_append(pattern, "", 0);
  for (uint32_t k = 1 + re_random(seed) % MAX_TOKENS; k > 0; k--) {
    const char *token = tokens[re_random(seed) % (sizeof tokens / sizeof *tokens)];
    int malformed = re_random(seed) % 4 == 0;
    if (!malformed && is_quantifier(token) && !after_atom) continue;
    if (!malformed && strcmp(token, ")") == 0 && depth == 0) continue;
    depth += opens_group(token) - (strcmp(token, ")") == 0);
    after_atom = !opens_group(token) && strcmp(token, "|") != 0 && !is_quantifier(token);
    re_text_append(pattern, token, strlen(token));
  }
  for (; depth > 0; depth--) re_text_append(pattern, ")", 1);
}

int main(int argc, char **argv) {
  size_t count = argc > 1 ? strtoul(argv[1], NULL, 10) : 3000, compiled = 0, rejected = 0;
  uint64_t seed = 0xD1B54A32D192ED03ull;
  int failures = 0;

  for (size_t p = 0; p < count; p++) {
    re_text pattern = {0};
    build_pattern(&pattern, &seed);

    re_error error;
    cfgate_re *re = re_compile(pattern.data, pattern.len, NULL, &error);
    if (!re) {
      rejected++;
      if (error.offset > pattern.len || error.message[0] == '\0') {
        printf("FAIL pattern \"%s\": error offset %zu outside the pattern or empty message\n", pattern.data,
               error.offset);
        failures++;
      }
    } else {
      compiled++;
      re_free(re);
      failures += compare_engines(&pattern, &seed);
    }
    free(pattern.data);
  }
  printf("%zu random patterns: %zu compiled, %zu rejected with an error, %d failures\n", count, compiled, rejected,
         failures);
  return failures != 0;
}
