/*
 * Pattern compiler: parses a pattern in the schema dialect (ECMA-262 plus
 * \p{..}, \A \Z \z, inline flags, lookbehind) with template placeholders,
 * and builds a cfgate_re: a byte DFA when the language is regular and the
 * DFA fits its limit, else a program run by NFA simulation, or by
 * backtracking with a step budget for backreferences and placeholders.
 */
#ifndef RE_COMPILE_H
#define RE_COMPILE_H

#include <stdio.h>

#include "re/cfgate_re.h"

/* Default limits (override in re_compile_options). */
#define RE_DEFAULT_MAX_DFA_STATES 4096u     /* DFA states before falling back */
#define RE_DEFAULT_BUFFER_LIMIT 16384u      /* bytes of string the backtracking engine keeps */
#define RE_DEFAULT_STEP_LIMIT_PER_BYTE 1024u /* backtracking steps per input byte */
#define RE_DEFAULT_STACK_LIMIT 4096u        /* backtracking stack entries */
#define RE_MAX_PATTERN_LENGTH 65536u        /* bytes of pattern text */
#define RE_MAX_NESTING 64u                  /* nested groups */
#define RE_MAX_REPEAT 10000u                /* bound of {m,n} */
#define RE_MAX_CAPTURES 256u                /* capturing groups */
#define RE_MAX_NFA_STATE_BYTES (1u << 20)   /* larger NFA states use the backtracking engine */

typedef struct re_compile_options {
  /* Returns the id (>= 0) of placeholder NAME, or -1 when NAME is not a
   * placeholder, in which case "${NAME}" is literal text. Set for the
   * pattern of a template, where "${!" also stands for the text "${". NULL:
   * a plain pattern, with no placeholders and no escape. */
  int (*placeholder_id)(void *user_data, const char *name, size_t len);
  void *user_data;
  unsigned max_dfa_states;
  unsigned buffer_limit;
  unsigned step_limit_per_byte;
  unsigned stack_limit;
  int force_backtrack; /* 1: use the backtracking engine (tests compare the engines) */
  int force_nfa;       /* 1: use the NFA engine unless the pattern needs backtracking */
  /* Called, when set, for each form that ECMA-262 rejects with the u flag
   * but the parser accepts, as Annex B or PCRE do (a{,2}, a**, [\d-x]):
   * the byte offset and length of the form in the pattern and a message
   * that names it and states how it is read. */
  void (*nonstandard)(void *user_data, size_t offset, size_t len, const char *message);
} re_compile_options;

/* A compile error: the byte offset in the pattern and an English message. */
typedef struct re_error {
  size_t offset;
  char message[200];
} re_error;

/* Facts about a compiled pattern, for `cfgate compile --stats`. */
typedef struct re_stats {
  unsigned engine;        /* CFGATE_RE_ENGINE_* */
  unsigned reason;        /* CFGATE_RE_REASON_* */
  const char *engine_name; /* "dfa", "nfa" or "backtrack" */
  const char *reason_text; /* why it fell back, "" for a DFA */
  unsigned dfa_states;
  unsigned byte_classes;
  unsigned program_words;
  size_t table_bytes;      /* bytes of the constant tables */
} re_stats;

/* A growable byte buffer for emitted text. Start zeroed; free data with free(). */
typedef struct re_buffer {
  char *data;
  size_t len;
  size_t cap;
} re_buffer;

/* Fills *options with no placeholders and the default limits. */
void re_compile_options_default(re_compile_options *options);

/* Compiles pattern[0..len). Returns a new pattern to free with re_free(), or
 * NULL with *error filled (offset in the pattern and message). options may be
 * NULL for the defaults. */
cfgate_re *re_compile(const char *pattern, size_t len, const re_compile_options *options,
                      re_error *error);

/* Frees a pattern from re_compile(); NULL is allowed. */
void re_free(cfgate_re *re);

/* Fills *stats for re. */
void re_get_stats(const cfgate_re *re, re_stats *stats);

/* Returns the English text of a CFGATE_RE_REASON_* code. */
const char *re_reason_text(unsigned reason);

/* Pattern counts by engine and fallback reason, for `cfgate compile --stats`. Start zeroed. */
typedef struct re_stats_summary {
  size_t patterns;
  size_t engines[3];                      /* by CFGATE_RE_ENGINE_* */
  size_t reasons[CFGATE_RE_REASON_COUNT]; /* by CFGATE_RE_REASON_*, fallbacks only */
  size_t table_bytes;
} re_stats_summary;

/* Counts re in summary. */
void re_stats_summary_add(re_stats_summary *summary, const cfgate_re *re);

/* Writes the summary, one line of totals and one line per fallback reason:
 *   patterns: 2328 (2269 dfa, 56 nfa, 3 backtrack), 41234567 table bytes
 *   fallback: 55 DFA exceeds its state limit
 * Returns 0, or -1 on a write error. */
int re_stats_summary_print(const re_stats_summary *summary, FILE *out);

/* Appends C source for re to buffer: static const arrays named after prefix
 * and a "static const cfgate_re <prefix> = {...};" initializer. Returns 0, or
 * -1 when memory runs out. */
int re_emit_c(const cfgate_re *re, const char *prefix, re_buffer *buffer);

/* Writes the same C source to out. Returns 0, or -1 on a write error. */
int re_emit_c_file(const cfgate_re *re, const char *prefix, FILE *out);

#endif /* RE_COMPILE_H */
