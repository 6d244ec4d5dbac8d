/*
 * Pattern compile time: compiles every distinct pattern of the provider
 * schema snapshot once, as ir_build does for a template, and prints the
 * total, the count per engine and the slowest patterns (Markdown).
 * Usage: bench_regex_compile SCHEMA_FOLDER [SLOWEST_COUNT]
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "corpus_patterns.h"
#include "re/re_compile.h"

#define BENCH_DEFAULT_SLOWEST 10

typedef struct timed_pattern {
  const corpus_pattern *pattern;
  double ms;
  re_stats stats;
} timed_pattern;

static double now_ms(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int slower_first(const void *a, const void *b) {
  double x = ((const timed_pattern *)a)->ms, y = ((const timed_pattern *)b)->ms;
  return (x < y) - (x > y);
}

/* Compiles one pattern and records its time and engine. Returns 0, or -1
 * when the pattern does not compile, which leaves it out of the total. */
static int time_pattern(const corpus_pattern *p, timed_pattern *out) {
  re_error error;
  double start = now_ms();
  cfgate_re *re = re_compile(p->text, p->len, NULL, &error);
  out->ms = now_ms() - start;
  out->pattern = p;
  if (!re)
    return -1;
  re_get_stats(re, &out->stats);
  re_free(re);
  return 0;
}

static void print_table(const timed_pattern *timed, size_t count, size_t slowest) {
  printf("| ms | engine | DFA states | uses | pattern |\n| ---: | --- | ---: | ---: | --- |\n");
  for (size_t i = 0; i < count && i < slowest; i++) {
    const timed_pattern *t = &timed[i];
    printf("| %.1f | %s | %u | %zu | `", t->ms, t->stats.engine_name, t->stats.dfa_states, t->pattern->uses);
    for (size_t k = 0; k < t->pattern->len && k < 100; k++) {
      if (t->pattern->text[k] == '|')
        fputs("\\|", stdout);
      else
        putchar(t->pattern->text[k]);
    }
    printf("%s` |\n", t->pattern->len > 100 ? "..." : "");
  }
}

int main(int argc, char **argv) {
  corpus_patterns patterns = {0};
  if (argc < 2 || argc > 3) {
    fprintf(stderr, "usage: bench_regex_compile SCHEMA_FOLDER [SLOWEST_COUNT]\n");
    return 2;
  }
  size_t slowest = argc == 3 ? (size_t)strtoul(argv[2], NULL, 10) : BENCH_DEFAULT_SLOWEST;
  if (corpus_patterns_load(argv[1], &patterns) != 0)
    return 2;

  timed_pattern *timed = calloc(patterns.count, sizeof *timed);
  size_t compiled = 0, engines[3] = {0};
  double total = 0;
  for (size_t i = 0; timed && i < patterns.count; i++) {
    if (time_pattern(&patterns.items[i], &timed[compiled]) != 0)
      continue;
    total += timed[compiled].ms;
    if (timed[compiled].stats.engine < sizeof engines / sizeof *engines)
      engines[timed[compiled].stats.engine]++;
    compiled++;
  }
  if (!timed) {
    fprintf(stderr, "bench_regex_compile: out of memory\n");
    return 2;
  }

  qsort(timed, compiled, sizeof *timed, slower_first);
  printf("%zu distinct patterns, %zu compiled in %.0f ms in total", patterns.count, compiled, total);
  printf(" (%zu DFA, %zu NFA, %zu backtracking)\n\n", engines[CFGATE_RE_ENGINE_DFA],
         engines[CFGATE_RE_ENGINE_NFA], engines[CFGATE_RE_ENGINE_BACKTRACK]);
  print_table(timed, compiled, slowest);
  free(timed);
  corpus_patterns_free(&patterns);
  return 0;
}
