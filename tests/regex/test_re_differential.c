/*
 * Differential test against PCRE2 (UTF + UCP, patterns rewritten by
 * pcre2_dialect.c where ECMA-262 differs). For every distinct snapshot regex
 * it generates accepted strings, one-edit near misses and random strings,
 * non-ASCII and astral plane included. The compiled engine (a DFA for most
 * patterns) and the NFA engine, each whole and fed one byte at a time, the
 * backtracking engine and PCRE2 must agree on every string. The dialect
 * patterns below follow the snapshot, for behaviour it does not exercise.
 * Usage: test_re_differential SCHEMA_FOLDER
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus_patterns.h"
#include "pcre2_dialect.h"
#include "re/re_compile.h"

/* Dialect patterns. The first ones put \b and \B next to U+017F, U+212A
 * and other non-ASCII letters. Under (?i) U+017F and U+212A are word
 * characters, because they fold to 's' and 'k'. Without (?i) only
 * [A-Za-z0-9_] are. PCRE2 folds the word class of the rewritten \b under
 * (?i) in the same way. */
static const char *const dialect_patterns[] = {
    "(?i)\\b[a-z\\u017f\\u212a\\u00e9\\u00df-]{1,4}\\b",
    "(?i)^[ks\\u017f\\u212a\\u00e9\\u1e9e _-]{0,3}\\B[ks\\u017f\\u212a\\u00e9\\u1e9e _-]{0,3}$",
    "(?i)^(?:[a-z\\u017f\\u212a\\u00e9]\\b[ \\u017f\\u212a\\u00e9-]?)+$",
    "(?i)(?<=\\b[ks\\u017f\\u212a])[\\u00e9\\u017f\\u212a0-9]\\B",
    "(?i:\\bk)\\b[\\u017f\\u212a\\u00e9 s]",
    "(?i)\\bs(?-i:\\B)[\\u017f\\u212a\\u00e9 k]",
    "\\b[a-z\\u017f\\u212a\\u00e9]{1,3}\\B[a-z\\u017f\\u212a\\u00e9]",
    /* Groups that match empty only where an assertion is true, repeated.
     * Copies that match empty count towards the minimum: (?:^a?){2}$ matches "a". */
    "(?:^a?){2}$",
    "(?:^[a-c]?){3,5}b?$",
    "(?:(?<!a)a?){2,3}$",
    "(?:(?<![a-z])[a-z]*){2}$",
    "^(?!(?:(?<![a-z])[a-z]*){2}$)",
    "(?:a?(?<=\\b)a*){2}b$",
    "(?:(?<=^)\\W?){4}\\B$",
    "a(?:b?\\B[a-z]*){2}\\b",
    "(?i)(?:^k?){2}\\b$",
};

#define STRINGS_ACCEPTED 10
#define STRINGS_RANDOM 8
#define MAX_REPORTED 30

/* Unassigned code points (\p{Cn}) in our tables and in PCRE2's. Our tables
 * come from the installed Unicode data, PCRE2 10.42 has Unicode 14, so code
 * points assigned since then match \p{..} differently. */
typedef struct unassigned_oracles {
  cfgate_re *ours;
  pcre2_code *pcre;
  pcre2_match_data *match_data;
} unassigned_oracles;

static unassigned_oracles unassigned;

typedef struct engines {
  cfgate_re *dfa; /* the engine re_compile() picks, a DFA for most patterns */
  cfgate_re *nfa;
  cfgate_re *backtrack;
  pcre2_code *pcre;
  pcre2_match_data *match_data;
  void *state;
  size_t state_size;
} engines;

typedef struct totals {
  size_t patterns, strings, matched, failed_closed, production_failed, pcre_rejected, explained, mismatches, engine_mismatches;
} totals;

static int setup_unassigned(void) {
  int code;
  PCRE2_SIZE offset;
  re_error error;

  unassigned.ours = re_compile("^\\p{Cn}$", 8, NULL, &error);
  unassigned.pcre = pcre2_compile((PCRE2_SPTR) "^\\p{Cn}$", 8, PCRE2_UTF | PCRE2_UCP, &code, &offset, NULL);
  if (!unassigned.ours || !unassigned.pcre) return -1;
  unassigned.match_data = pcre2_match_data_create_from_pattern(unassigned.pcre, NULL);
  return 0;
}

/* Returns 1 when a code point of s is assigned in one Unicode version and not in the other. */
static int unicode_versions_differ(void *state, const re_text *s) {
  for (size_t i = 0; i < s->len;) {
    size_t n = 1;
    while (i + n < s->len && ((unsigned char)s->data[i + n] & 0xC0) == 0x80) n++;
    const unsigned char *c = (const unsigned char *)s->data + i;
    int ours = cfgate_re_match(unassigned.ours, state, NULL, c, n);
    int theirs = pcre2_match(unassigned.pcre, c, n, 0, 0, unassigned.match_data, NULL) >= 0;
    if (ours != theirs) return 1;
    i += n;
  }
  return 0;
}

static int ensure_state(engines *e, const cfgate_re *re) {
  size_t size = cfgate_re_state_size(re, NULL);
  if (size <= e->state_size) return 0;
  free(e->state);
  e->state = aligned_alloc(alignof(max_align_t), (size + 15) / 16 * 16);
  e->state_size = e->state ? size : 0;
  return e->state ? 0 : -1;
}

static int match_whole(engines *e, const cfgate_re *re, const re_text *s) {
  ensure_state(e, re);
  return cfgate_re_match(re, e->state, NULL, (const unsigned char *)s->data, s->len);
}

static int match_bytewise(engines *e, const cfgate_re *re, const re_text *s) {
  ensure_state(e, re);
  cfgate_re_begin(re, e->state, NULL);
  for (size_t i = 0; i < s->len; i++) cfgate_re_feed(re, e->state, (const unsigned char *)s->data + i, 1);
  return cfgate_re_end(re, e->state);
}

/* Returns 1 or 0, or -1 when PCRE2 hit its own limit. */
static int match_pcre(engines *e, const re_text *s) {
  int rc = pcre2_match(e->pcre, (PCRE2_SPTR)s->data, s->len, 0, 0, e->match_data, NULL);
  if (rc >= 0) return 1;
  return rc == PCRE2_ERROR_NOMATCH ? 0 : -1;
}

static void print_escaped(const re_text *s) {
  for (size_t i = 0; i < s->len; i++) {
    unsigned char c = (unsigned char)s->data[i];
    if (c >= 0x20 && c < 0x7F && c != '\\' && c != '"') putchar(c);
    else printf("\\x%02x", c);
  }
}

static void check_string(engines *e, const corpus_pattern *p, const re_text *s, totals *t) {
  int dfa = match_whole(e, e->dfa, s);
  int bytewise = match_bytewise(e, e->dfa, s);
  int backtrack = match_whole(e, e->backtrack, s);
  int nfa = match_whole(e, e->nfa, s);
  int nfa_bytewise = match_bytewise(e, e->nfa, s);
  int pcre = e->pcre ? match_pcre(e, s) : -1;

  t->strings++;
  t->matched += dfa == 1;
  t->failed_closed += backtrack < 0;
  t->production_failed += dfa < 0;
  if (dfa < 0 && t->production_failed <= MAX_REPORTED) {
    printf("OVER LIMIT pattern %s on \"", p->text);
    print_escaped(s);
    printf("\"\n");
  }
  int engines_differ = dfa != bytewise || nfa != nfa_bytewise || (dfa >= 0 && nfa >= 0 && nfa != dfa) ||
                       (backtrack >= 0 && dfa >= 0 && backtrack != dfa);
  int pcre_differs = pcre >= 0 && dfa >= 0 && pcre != dfa;
  if (!engines_differ && !pcre_differs) return;
  if (!engines_differ && unicode_versions_differ(e->state, s)) {
    t->explained++;
    return;
  }

  if (engines_differ) t->engine_mismatches++;
  if (++t->mismatches > MAX_REPORTED) return;
  printf("MISMATCH pattern %s\n  string \"", p->text);
  print_escaped(s);
  printf("\"\n  compiled %d, compiled byte by byte %d, nfa %d, nfa byte by byte %d, backtrack %d, pcre2 %d\n", dfa,
         bytewise, nfa, nfa_bytewise, backtrack, pcre);
}

static void generate_and_check(engines *e, const corpus_pattern *p, const re_ast *ast, uint64_t *seed, totals *t) {
  for (int i = 0; i < STRINGS_ACCEPTED; i++) {
    re_text s = {0};
    re_generate_accepted(ast->root, i < STRINGS_ACCEPTED / 2 ? 3 : 24, seed, &s);
    re_text_append(&s, "", 0);
    check_string(e, p, &s, t);
    re_generate_near_miss(&s, seed);
    check_string(e, p, &s, t);
    free(s.data);
  }
  for (int i = 0; i < STRINGS_RANDOM; i++) {
    re_text s = {0};
    re_generate_random(re_random(seed) % 12, seed, &s);
    re_text_append(&s, "", 0);
    check_string(e, p, &s, t);
    free(s.data);
  }
}

static pcre2_code *compile_pcre(const corpus_pattern *p) {
  re_text translated = {0};
  int code;
  PCRE2_SIZE offset;

  if (pcre2_dialect_translate(p->text, p->len, &translated) < 0) return NULL;
  /* PCRE2_MATCH_UNSET_BACKREF: in ECMA-262 a backreference to an unset group matches the empty string. */
  pcre2_code *re = pcre2_compile((PCRE2_SPTR)translated.data, translated.len,
                                 PCRE2_UTF | PCRE2_UCP | PCRE2_DOLLAR_ENDONLY | PCRE2_MATCH_UNSET_BACKREF, &code,
                                 &offset, NULL);
  if (!re) {
    PCRE2_UCHAR message[160];
    pcre2_get_error_message(code, message, sizeof message);
    printf("PCRE2 rejects %s: %s at offset %zu (compared between our engines only)\n", p->text,
           (const char *)message, (size_t)offset);
  }
  free(translated.data);
  return re;
}

static void check_pattern(const corpus_pattern *p, engines *e, totals *t) {
  re_compile_options options;
  re_error error;
  re_ast ast;
  uint64_t seed = 0x9E3779B97F4A7C15ull ^ p->len;

  re_compile_options_default(&options);
  e->dfa = re_compile(p->text, p->len, &options, &error);
  options.force_nfa = 1;
  e->nfa = re_compile(p->text, p->len, &options, &error);
  options.force_nfa = 0;
  options.force_backtrack = 1;
  e->backtrack = re_compile(p->text, p->len, &options, &error);
  if (!e->dfa || !e->nfa || !e->backtrack || re_parse(p->text, p->len, &options, &ast, &error) < 0) {
    printf("FAIL compile %s: %s\n", p->text, error.message);
    t->mismatches++;
  } else {
    e->pcre = compile_pcre(p);
    if (!e->pcre) t->pcre_rejected++;
    if (e->pcre) e->match_data = pcre2_match_data_create_from_pattern(e->pcre, NULL);
    generate_and_check(e, p, &ast, &seed, t);
    re_ast_free(&ast);
  }

  t->patterns++;
  pcre2_match_data_free(e->match_data);
  pcre2_code_free(e->pcre);
  re_free(e->dfa);
  re_free(e->nfa);
  re_free(e->backtrack);
  e->dfa = e->nfa = e->backtrack = NULL;
  e->pcre = NULL;
  e->match_data = NULL;
}

int main(int argc, char **argv) {
  corpus_patterns patterns;
  engines e = {0};
  totals t = {0};

  if (argc != 2) {
    fprintf(stderr, "usage: %s SCHEMA_FOLDER\n", argv[0]);
    return 2;
  }
  if (corpus_patterns_load(argv[1], &patterns) < 0) return 1;
  if (setup_unassigned() < 0) {
    fprintf(stderr, "cannot compile the \\p{Cn} oracles\n");
    return 1;
  }
  for (size_t i = 0; i < patterns.count; i++) check_pattern(&patterns.items[i], &e, &t);
  for (size_t i = 0; i < sizeof dialect_patterns / sizeof *dialect_patterns; i++) {
    corpus_pattern p = {(char *)dialect_patterns[i], strlen(dialect_patterns[i]), 0};
    check_pattern(&p, &e, &t);
  }

  printf("%zu patterns, %zu strings (%zu match), %zu compiled-engine runs over a limit, "
         "%zu forced backtracking runs over budget, %zu patterns PCRE2 rejects, "
         "%zu differences from Unicode versions, %zu unexplained mismatches (%zu between our engines)\n",
         t.patterns, t.strings, t.matched, t.production_failed, t.failed_closed, t.pcre_rejected, t.explained, t.mismatches,
         t.engine_mismatches);
  free(e.state);
  re_free(unassigned.ours);
  pcre2_match_data_free(unassigned.match_data);
  pcre2_code_free(unassigned.pcre);
  corpus_patterns_free(&patterns);
  return t.mismatches == 0 ? 0 : 1;
}
