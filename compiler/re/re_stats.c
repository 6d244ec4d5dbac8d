/* Totals of compiled patterns by engine and fallback reason. */
#include "re_compile.h"

void re_stats_summary_add(re_stats_summary *summary, const cfgate_re *re) {
  re_stats stats;

  re_get_stats(re, &stats);
  summary->patterns++;
  if (stats.engine < 3) summary->engines[stats.engine]++;
  if (stats.engine != CFGATE_RE_ENGINE_DFA && stats.reason < CFGATE_RE_REASON_COUNT) summary->reasons[stats.reason]++;
  summary->table_bytes += stats.table_bytes;
}

int re_stats_summary_print(const re_stats_summary *summary, FILE *out) {
  int written = fprintf(out, "patterns: %zu (%zu dfa, %zu nfa, %zu backtrack), %zu table bytes\n", summary->patterns,
                        summary->engines[CFGATE_RE_ENGINE_DFA], summary->engines[CFGATE_RE_ENGINE_NFA],
                        summary->engines[CFGATE_RE_ENGINE_BACKTRACK], summary->table_bytes);
  if (written < 0) return -1;

  for (unsigned reason = 1; reason < CFGATE_RE_REASON_COUNT; reason++) {
    if (summary->reasons[reason] == 0) continue;
    if (fprintf(out, "fallback: %zu %s\n", summary->reasons[reason], re_reason_text(reason)) < 0) return -1;
  }
  return 0;
}
