/*
 * Pattern matching throughput: the 20 most used regexes of the provider
 * schema snapshot, cfgate's matcher against PCRE2 JIT on the same strings.
 * Strings are generated from each regex (accepted strings and one-edit near
 * misses), once short and once long. Prints two Markdown tables.
 * Usage: bench_regex SCHEMA_FOLDER [PATTERN_COUNT]
 */
#define _POSIX_C_SOURCE 200809L
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "corpus_patterns.h"
#include "pcre2_dialect.h"
#include "re/re_compile.h"

#define BENCH_BYTES_PER_PATTERN (1u << 20) /* generated text per pattern */
#define BENCH_MIN_SECONDS 0.25             /* each measurement repeats at least this long */
#define BENCH_SHORT_EXTRA_REPEATS 3u
#define BENCH_LONG_EXTRA_REPEATS 400u

typedef struct string_set {
  re_text *items;
  size_t count;
  size_t capacity;
  size_t bytes;
} string_set;

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int add_string(string_set *set, re_text text) {
  if (set->count == set->capacity) {
    size_t capacity = set->capacity ? set->capacity * 2 : 1024;
    re_text *items = realloc(set->items, capacity * sizeof *items);
    if (!items) return -1;
    set->items = items;
    set->capacity = capacity;
  }
  set->items[set->count++] = text;
  set->bytes += text.len;
  return 0;
}

static int generate_strings(const corpus_pattern *p, unsigned extra_repeats, string_set *set) {
  re_compile_options options;
  re_error error;
  re_ast ast;
  uint64_t seed = 0x2545F4914F6CDD1Dull;

  re_compile_options_default(&options);
  if (re_parse(p->text, p->len, &options, &ast, &error) < 0) return -1;
  for (size_t i = 0; set->bytes < BENCH_BYTES_PER_PATTERN; i++) {
    re_text text = {0};
    re_generate_accepted(ast.root, extra_repeats, &seed, &text);
    if (i % 2) re_generate_near_miss(&text, &seed);
    re_text_append(&text, "", 0);
    if (add_string(set, text) < 0) break;
  }
  re_ast_free(&ast);
  return 0;
}

/* Returns MB/s of matching every string with re, and the match count in *matches. */
static double time_ours(const cfgate_re *re, const string_set *set, void *state, size_t *matches) {
  double start = now(), elapsed;
  size_t rounds = 0;

  do {
    *matches = 0;
    for (size_t i = 0; i < set->count; i++) {
      const re_text *s = &set->items[i];
      *matches += cfgate_re_match(re, state, NULL, (const unsigned char *)s->data, s->len) == 1;
    }
    rounds++;
    elapsed = now() - start;
  } while (elapsed < BENCH_MIN_SECONDS);
  return (double)set->bytes * (double)rounds / elapsed / 1e6;
}

static double time_pcre(pcre2_code *re, const string_set *set, size_t *matches) {
  pcre2_match_data *data = pcre2_match_data_create_from_pattern(re, NULL);
  double start = now(), elapsed;
  size_t rounds = 0;

  do {
    *matches = 0;
    for (size_t i = 0; i < set->count; i++) {
      const re_text *s = &set->items[i];
      *matches += pcre2_jit_match(re, (PCRE2_SPTR)s->data, s->len, 0, 0, data, NULL) >= 0;
    }
    rounds++;
    elapsed = now() - start;
  } while (elapsed < BENCH_MIN_SECONDS);
  pcre2_match_data_free(data);
  return (double)set->bytes * (double)rounds / elapsed / 1e6;
}

static pcre2_code *compile_pcre_jit(const corpus_pattern *p) {
  re_text translated = {0};
  int code;
  PCRE2_SIZE offset;

  if (pcre2_dialect_translate(p->text, p->len, &translated) < 0) return NULL;
  pcre2_code *re = pcre2_compile((PCRE2_SPTR)translated.data, translated.len,
                                 PCRE2_UTF | PCRE2_UCP | PCRE2_DOLLAR_ENDONLY | PCRE2_MATCH_UNSET_BACKREF, &code,
                                 &offset, NULL);
  free(translated.data);
  if (re && pcre2_jit_compile(re, PCRE2_JIT_COMPLETE) != 0) {
    pcre2_code_free(re);
    return NULL;
  }
  return re;
}

static void print_pattern_cell(const char *text) {
  putchar('`');
  for (const char *c = text; *c; c++) {
    if (*c == '|') fputs("\\|", stdout);
    else putchar(*c);
  }
  putchar('`');
}

static void bench_pattern(size_t rank, const corpus_pattern *p, unsigned extra_repeats, void *state, size_t state_size) {
  string_set set = {0};
  size_t ours_matches, pcre_matches;
  re_error error;
  re_stats stats;

  cfgate_re *re = re_compile(p->text, p->len, NULL, &error);
  pcre2_code *pcre = compile_pcre_jit(p);
  if (!re || !pcre || cfgate_re_state_size(re, NULL) > state_size || generate_strings(p, extra_repeats, &set) < 0) {
    printf("| %zu | pattern %zu could not be set up |\n", rank, rank);
    return;
  }

  re_get_stats(re, &stats);
  double ours = time_ours(re, &set, state, &ours_matches);
  double theirs = time_pcre(pcre, &set, &pcre_matches);
  printf("| %zu | ", rank);
  print_pattern_cell(p->text);
  printf(" | %zu | %s | %zu | %.1f | %.0f | %.0f | %.2f |%s\n", p->uses, stats.engine_name, set.count,
         (double)set.bytes / (double)set.count, ours, theirs, ours / theirs,
         ours_matches == pcre_matches ? "" : " results differ");

  for (size_t i = 0; i < set.count; i++) free(set.items[i].data);
  free(set.items);
  re_free(re);
  pcre2_code_free(pcre);
}

int main(int argc, char **argv) {
  static alignas(max_align_t) unsigned char state[1 << 20];
  corpus_patterns patterns;

  if (argc < 2) {
    fprintf(stderr, "usage: %s SCHEMA_FOLDER [PATTERN_COUNT]\n", argv[0]);
    return 2;
  }
  size_t count = argc > 2 ? strtoul(argv[2], NULL, 10) : 20;
  if (corpus_patterns_load(argv[1], &patterns) < 0) return 1;
  if (count > patterns.count) count = patterns.count;

  for (int table = 0; table < 2; table++) {
    unsigned extra_repeats = table == 0 ? BENCH_SHORT_EXTRA_REPEATS : BENCH_LONG_EXTRA_REPEATS;
    printf("%s strings (each repetition runs 0 to %u times more than its minimum):\n\n",
           table == 0 ? "Short" : "Long", extra_repeats);
    printf("| # | pattern | uses | engine | strings | mean bytes | cfgate MB/s | PCRE2 JIT MB/s | ratio |\n");
    printf("| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n");
    for (size_t i = 0; i < count; i++) bench_pattern(i + 1, &patterns.items[i], extra_repeats, state, sizeof state);
    printf("\n");
  }
  corpus_patterns_free(&patterns);
  return 0;
}
