/*
 * Compiles every distinct regex of the provider schema snapshot and prints
 * how many became DFAs, and which fell back to the NFA or backtracking
 * engine and why.
 * Usage: test_re_corpus SCHEMA_FOLDER EXPECTED_DISTINCT_COUNT
 */
#include <stdio.h>
#include <stdlib.h>

#include "corpus_patterns.h"
#include "re/re_compile.h"

int main(int argc, char **argv) {
  corpus_patterns patterns;
  re_stats_summary summary = {0};
  size_t engines[3] = {0, 0, 0}, reasons[8] = {0}, failures = 0, largest_state[3] = {0, 0, 0};

  if (argc != 3) {
    fprintf(stderr, "usage: %s SCHEMA_FOLDER EXPECTED_DISTINCT_COUNT\n", argv[0]);
    return 2;
  }
  if (corpus_patterns_load(argv[1], &patterns) < 0) return 1;
  size_t expected = strtoul(argv[2], NULL, 10);

  for (size_t i = 0; i < patterns.count; i++) {
    const corpus_pattern *p = &patterns.items[i];
    re_error error;
    cfgate_re *re = re_compile(p->text, p->len, NULL, &error);
    if (!re) {
      printf("FAIL compile %s: offset %zu: %s\n", p->text, error.offset, error.message);
      failures++;
      continue;
    }
    re_stats stats;
    re_get_stats(re, &stats);
    re_stats_summary_add(&summary, re);
    engines[stats.engine]++;
    reasons[stats.reason]++;
    size_t state_size = cfgate_re_state_size(re, NULL);
    if (state_size > largest_state[stats.engine]) largest_state[stats.engine] = state_size;
    if (stats.engine != CFGATE_RE_ENGINE_DFA) {
      printf("%s (%s), state %zu bytes: %s\n", stats.engine_name, stats.reason_text, state_size, p->text);
    }
    re_free(re);
  }

  printf("%zu distinct patterns: %zu DFA, %zu NFA, %zu backtracking, %zu failed\n", patterns.count,
         engines[CFGATE_RE_ENGINE_DFA], engines[CFGATE_RE_ENGINE_NFA], engines[CFGATE_RE_ENGINE_BACKTRACK], failures);
  printf("largest matcher state: DFA %zu bytes, NFA %zu bytes, backtracking %zu bytes\n",
         largest_state[CFGATE_RE_ENGINE_DFA], largest_state[CFGATE_RE_ENGINE_NFA],
         largest_state[CFGATE_RE_ENGINE_BACKTRACK]);
  for (unsigned r = 1; r < 8; r++) {
    if (reasons[r]) printf("  %zu fell back: %s\n", reasons[r], re_reason_text(r));
  }
  re_stats_summary_print(&summary, stdout);
  int ok = failures == 0 && patterns.count == expected;
  if (patterns.count != expected) printf("FAIL expected %zu distinct patterns, found %zu\n", expected, patterns.count);
  corpus_patterns_free(&patterns);
  return ok ? 0 : 1;
}
