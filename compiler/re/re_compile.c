/*
 * Pattern compiler entry points: parse, try the byte DFA, and fall back to a
 * program run by the NFA or backtracking engine, with the reason recorded
 * in the pattern.
 */
#include "re_compile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "re_ast.h"
#include "re_dfa.h"
#include "re_program.h"

void re_compile_options_default(re_compile_options *options) {
  memset(options, 0, sizeof *options);
  options->max_dfa_states = RE_DEFAULT_MAX_DFA_STATES;
  options->buffer_limit = RE_DEFAULT_BUFFER_LIMIT;
  options->step_limit_per_byte = RE_DEFAULT_STEP_LIMIT_PER_BYTE;
  options->stack_limit = RE_DEFAULT_STACK_LIMIT;
}

static unsigned or_default(unsigned value, unsigned fallback) {
  return value ? value : fallback;
}

static void set_limits(cfgate_re *re, const re_compile_options *options) {
  re->buffer_limit = or_default(options->buffer_limit, RE_DEFAULT_BUFFER_LIMIT);
  re->step_limit_per_byte = or_default(options->step_limit_per_byte, RE_DEFAULT_STEP_LIMIT_PER_BYTE);
  re->stack_limit = or_default(options->stack_limit, RE_DEFAULT_STACK_LIMIT);
}

static void out_of_memory(re_error *error) {
  error->offset = 0;
  snprintf(error->message, sizeof error->message, "out of memory");
}

/* Returns 1 when the program needs the whole string before the NFA runs:
 * lookarounds run on the buffer, and \Z looks two code points ahead. */
static int needs_buffer(const cfgate_re *re) {
  static const uint8_t operand_words[CFGATE_RE_OP_COUNT] = {0, 2, 2, 1, 1, 1, 2, 2, 1, 1};

  for (uint32_t pc = 0; pc < re->program_count; pc += 1u + operand_words[re->program[pc]]) {
    uint32_t op = re->program[pc];
    if (op == CFGATE_RE_OP_LOOK) return 1;
    if (op == CFGATE_RE_OP_ASSERT && re->program[pc + 1] == CFGATE_RE_ASSERT_END_NEWLINE) return 1;
  }
  return 0;
}

/* Picks the engine for a pattern without a DFA: backreferences and
 * placeholders need backtracking, and so does a program whose NFA state
 * would exceed RE_MAX_NFA_STATE_BYTES. Everything else runs on the NFA. */
static void choose_program_engine(const re_ast *ast, const re_compile_options *options, cfgate_re *re) {
  int backtrack = options->force_backtrack || ast->has_backref || ast->has_placeholder;

  re->engine = backtrack ? CFGATE_RE_ENGINE_BACKTRACK : CFGATE_RE_ENGINE_NFA;
  re->buffered = re->engine == CFGATE_RE_ENGINE_NFA && needs_buffer(re);
  if (re->engine == CFGATE_RE_ENGINE_NFA && cfgate_re_state_size(re, NULL) > RE_MAX_NFA_STATE_BYTES) {
    re->engine = CFGATE_RE_ENGINE_BACKTRACK;
    re->buffered = 0;
  }
}

/* Builds the engine for a parsed pattern. Returns 0 or -1 with *error filled. */
static int build_engine(const re_ast *ast, const re_compile_options *options, cfgate_re *re, re_error *error) {
  int reason = CFGATE_RE_REASON_DFA_TOO_LARGE;

  if (!options->force_backtrack && !options->force_nfa) {
    reason = re_dfa_build(ast, or_default(options->max_dfa_states, RE_DEFAULT_MAX_DFA_STATES), re);
    if (reason == 0) return 0;
    if (reason < 0) {
      out_of_memory(error);
      return -1;
    }
  }
  if (ast->has_backref) reason = CFGATE_RE_REASON_BACKREFERENCE;
  if (ast->has_placeholder) reason = CFGATE_RE_REASON_PLACEHOLDER;

  re->reason = (uint32_t)reason;
  set_limits(re, options);
  if (re_program_build(ast, re, error) < 0) return -1;
  choose_program_engine(ast, options, re);
  return 0;
}

cfgate_re *re_compile(const char *pattern, size_t len, const re_compile_options *options, re_error *error) {
  re_compile_options defaults;
  re_ast ast;

  if (!options) {
    re_compile_options_default(&defaults);
    options = &defaults;
  }
  if (re_parse(pattern, len, options, &ast, error) < 0) {
    re_ast_free(&ast);
    return NULL;
  }

  cfgate_re *re = calloc(1, sizeof *re);
  if (!re) {
    out_of_memory(error);
  } else {
    re->placeholder_count = ast.placeholder_count;
    if (build_engine(&ast, options, re, error) < 0) {
      re_free(re);
      re = NULL;
    }
  }
  re_ast_free(&ast);
  return re;
}

void re_free(cfgate_re *re) {
  if (!re) return;
  free((void *)re->byte_classes);
  free((void *)re->transitions);
  free((void *)re->transitions16);
  free((void *)re->state_flags);
  free((void *)re->program);
  free((void *)re->ranges);
  free(re);
}

const char *re_reason_text(unsigned reason) {
  switch (reason) {
  case CFGATE_RE_REASON_NONE: return "";
  case CFGATE_RE_REASON_BACKREFERENCE: return "backreference (the language is not regular)";
  case CFGATE_RE_REASON_PLACEHOLDER: return "placeholder bound per session";
  case CFGATE_RE_REASON_DFA_TOO_LARGE: return "DFA exceeds its state limit";
  case CFGATE_RE_REASON_LOOKAROUND:
    return "lookahead, or \\b or \\B under (?i), inside an unbounded repetition or a lookbehind";
  default: return "unknown reason";
  }
}

static const char *engine_name(unsigned engine) {
  switch (engine) {
  case CFGATE_RE_ENGINE_DFA: return "dfa";
  case CFGATE_RE_ENGINE_NFA: return "nfa";
  default: return "backtrack";
  }
}

void re_get_stats(const cfgate_re *re, re_stats *stats) {
  memset(stats, 0, sizeof *stats);
  stats->engine = re->engine;
  stats->reason = re->engine == CFGATE_RE_ENGINE_DFA ? CFGATE_RE_REASON_NONE : re->reason;
  stats->engine_name = engine_name(re->engine);
  stats->reason_text = re_reason_text(stats->reason);
  stats->dfa_states = re->state_count;
  stats->byte_classes = re->class_count;
  stats->program_words = re->program_count;
  size_t cell_bytes = re->transitions16 ? 2 : 4;
  stats->table_bytes = (re->byte_classes ? 256 : 0) + (size_t)re->state_count * re->class_count * cell_bytes +
                       re->state_count + (size_t)re->program_count * 4 + (size_t)re->range_count * 8;
}
