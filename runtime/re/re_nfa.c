/*
 * NFA simulation of the backtracking program (Pike VM without captures) for
 * patterns whose DFA is too large. Every program position is visited at most
 * once per code point, so matching costs O(program size) per code point and
 * gives the exact result (a lookaround that exhausts the step budget, below,
 * gives -1). Without lookarounds or \Z it streams: the
 * string is not buffered, and a partial UTF-8 sequence at the end of a chunk
 * is kept until the next one. With them the string is buffered and each
 * lookaround runs on the backtracking engine within the string's step budget.
 *
 * Threads are kept un-closed between code points: the epsilon closure of a
 * position runs when its next code point (or the end) is known, which is what
 * $, \b and multiline $ need.
 */
#include <stdalign.h>
#include <string.h>

#include "re/re_state.h"

#define NFA_NO_CHAR UINT32_MAX   /* previous code point at the start of the string */
#define NFA_END (UINT32_MAX - 1) /* next code point at the end of the string */
#define NFA_WORDS_PER_PROGRAM_WORD 9u /* three sets of two arrays, and a stack of three */

typedef struct nfa_run {
  uint32_t pending_count; /* threads waiting at the current position, before closure */
  uint32_t next_count;
  uint32_t visited_count;
  uint32_t position;      /* byte offset of the current position */
  uint32_t previous;      /* previous code point or NFA_NO_CHAR */
  uint32_t partial;       /* bits of an incomplete UTF-8 sequence */
  uint32_t partial_left;  /* continuation bytes still expected */
  uint32_t partial_length;
  int matched;
} nfa_run;

/* Sparse sets after nfa_run (program_count words per array) and the closure
 * stack (3 * program_count words: the pending threads plus two successors
 * per visited instruction). The sparse arrays are never cleared: a member
 * test checks the dense entry it points to, so stale values are harmless. */
typedef struct nfa_arrays {
  uint32_t *pending_dense, *pending_sparse;
  uint32_t *next_dense, *next_sparse;
  uint32_t *visited_dense, *visited_sparse;
  uint32_t *stack;
} nfa_arrays;

static size_t run_offset(const cfgate_re *re) {
  size_t align = alignof(max_align_t);
  size_t before = re->buffered ? re_backtrack_state_size(re) : 0;
  return re_state_header_size() + (before + align - 1) / align * align;
}

size_t re_nfa_state_size(const cfgate_re *re) {
  size_t before = run_offset(re) - re_state_header_size();
  return before + sizeof(nfa_run) + NFA_WORDS_PER_PROGRAM_WORD * re->program_count * sizeof(uint32_t);
}

static nfa_run *open_run(const cfgate_re *re, void *state, nfa_arrays *a) {
  nfa_run *run = (nfa_run *)((unsigned char *)state + run_offset(re));
  uint32_t *words = (uint32_t *)(run + 1), n = re->program_count;

  a->pending_dense = words;
  a->pending_sparse = words + n;
  a->next_dense = words + 2 * n;
  a->next_sparse = words + 3 * n;
  a->visited_dense = words + 4 * n;
  a->visited_sparse = words + 5 * n;
  a->stack = words + 6 * n;
  return run;
}

static int set_contains(const uint32_t *dense, const uint32_t *sparse, uint32_t count, uint32_t pc) {
  return sparse[pc] < count && dense[sparse[pc]] == pc;
}

static void set_add(uint32_t *dense, uint32_t *sparse, uint32_t *count, uint32_t pc) {
  if (set_contains(dense, sparse, *count, pc)) return;
  sparse[pc] = *count;
  dense[(*count)++] = pc;
}

/* Returns 1 when c is a word character of \b: [A-Za-z0-9_], and under (?i)
 * (ignore_case) also U+017F and U+212A, which fold to 's' and 'k'. */
static int is_word(uint32_t c, int ignore_case) {
  if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_') return 1;
  return ignore_case && (c == 0x17F || c == 0x212A);
}

static int is_line_terminator(uint32_t c) {
  return c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029;
}

/* Assertions from the previous and next code points (streaming mode). */
static int streaming_assertion(const nfa_run *run, uint32_t kind, uint32_t next) {
  int ignore_case = kind == CFGATE_RE_ASSERT_WORD_IGNORE_CASE || kind == CFGATE_RE_ASSERT_NOT_WORD_IGNORE_CASE;
  int previous_word = run->previous != NFA_NO_CHAR && is_word(run->previous, ignore_case);
  int next_word = next != NFA_END && is_word(next, ignore_case);

  switch (kind) {
  case CFGATE_RE_ASSERT_BEGIN: return run->position == 0;
  case CFGATE_RE_ASSERT_END: return next == NFA_END;
  case CFGATE_RE_ASSERT_LINE_BEGIN: return run->position == 0 || is_line_terminator(run->previous);
  case CFGATE_RE_ASSERT_LINE_END: return next == NFA_END || is_line_terminator(next);
  case CFGATE_RE_ASSERT_WORD:
  case CFGATE_RE_ASSERT_WORD_IGNORE_CASE: return previous_word != next_word;
  case CFGATE_RE_ASSERT_NOT_WORD:
  case CFGATE_RE_ASSERT_NOT_WORD_IGNORE_CASE: return previous_word == next_word;
  default: return 0;
  }
}

/* Follows one instruction of the closure; pushes its epsilon successors. */
static void follow(const cfgate_re *re, void *state, nfa_run *run, nfa_arrays *a, uint32_t *top, uint32_t pc,
                   uint32_t next) {
  const uint32_t *op = re->program + pc;
  re_state_header *h = state;
  int holds;

  switch (op[0]) {
  case CFGATE_RE_OP_MATCH:
    run->matched = 1;
    return;
  case CFGATE_RE_OP_CLASS:
    return;
  case CFGATE_RE_OP_SPLIT:
    a->stack[(*top)++] = op[2];
    a->stack[(*top)++] = op[1];
    return;
  case CFGATE_RE_OP_JUMP:
    a->stack[(*top)++] = op[1];
    return;
  case CFGATE_RE_OP_SAVE:
  case CFGATE_RE_OP_PROGRESS:
    a->stack[(*top)++] = pc + 2;
    return;
  case CFGATE_RE_OP_ASSERT:
    holds = re->buffered ? re_backtrack_assertion(re, state, op[1], run->position)
                         : streaming_assertion(run, op[1], next);
    if (holds) a->stack[(*top)++] = pc + 2;
    return;
  case CFGATE_RE_OP_LOOK:
    holds = re->buffered ? re_backtrack_lookaround(re, state, pc, run->position) : -1;
    if (holds < 0) re_fail(&h->failed, CFGATE_RE_FAILURE_INVALID);
    if (holds > 0) a->stack[(*top)++] = op[2];
    return;
  default:
    re_fail(&h->failed, CFGATE_RE_FAILURE_INVALID);
    return;
  }
}

/* Computes the epsilon closure of the pending threads into the visited set. */
static void close_threads(const cfgate_re *re, void *state, nfa_run *run, nfa_arrays *a, uint32_t next) {
  re_state_header *h = state;
  uint32_t top = 0;

  run->visited_count = 0;
  for (uint32_t i = run->pending_count; i > 0; i--) a->stack[top++] = a->pending_dense[i - 1];
  while (top > 0 && !h->failed) {
    uint32_t pc = a->stack[--top];
    if (set_contains(a->visited_dense, a->visited_sparse, run->visited_count, pc)) continue;
    set_add(a->visited_dense, a->visited_sparse, &run->visited_count, pc);
    follow(re, state, run, a, &top, pc, next);
  }
}

static int anchored(const cfgate_re *re) {
  return re->program[0] == CFGATE_RE_OP_ASSERT && re->program[1] == CFGATE_RE_ASSERT_BEGIN;
}

/* Advances the simulation over code point c of length bytes. */
static void step(const cfgate_re *re, void *state, nfa_run *run, nfa_arrays *a, uint32_t c, uint32_t length) {
  if (run->position == 0 || !anchored(re)) set_add(a->pending_dense, a->pending_sparse, &run->pending_count, 0);
  close_threads(re, state, run, a, c);

  run->next_count = 0;
  for (uint32_t i = 0; i < run->visited_count; i++) {
    uint32_t pc = a->visited_dense[i];
    const uint32_t *op = re->program + pc;
    if (op[0] == CFGATE_RE_OP_CLASS && re_in_ranges(re, op[1], op[2], c)) {
      set_add(a->next_dense, a->next_sparse, &run->next_count, pc + 3);
    }
  }

  run->pending_count = 0;
  for (uint32_t i = 0; i < run->next_count; i++) set_add(a->pending_dense, a->pending_sparse, &run->pending_count, a->next_dense[i]);
  run->previous = c;
  run->position += length;
}

void re_nfa_begin(const cfgate_re *re, void *state) {
  nfa_arrays a;
  nfa_run *run = open_run(re, state, &a);

  (void)a;
  memset(run, 0, sizeof *run);
  run->previous = NFA_NO_CHAR;
}

/* Returns the length of the UTF-8 sequence starting with lead, 0 when invalid. */
static uint32_t sequence_length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead < 0xC2) return 0;
  if (lead < 0xE0) return 2;
  if (lead < 0xF0) return 3;
  if (lead < 0xF5) return 4;
  return 0;
}

/* Decodes bytes into code points and steps on each; invalid UTF-8 fails. */
static void decode_and_step(const cfgate_re *re, void *state, nfa_run *run, nfa_arrays *a,
                            const unsigned char *bytes, size_t n) {
  re_state_header *h = state;

  for (size_t i = 0; i < n && !run->matched && !h->failed; i++) {
    unsigned char b = bytes[i];
    if (run->partial_left > 0) {
      if ((b & 0xC0) != 0x80) re_fail(&h->failed, CFGATE_RE_FAILURE_INVALID);
      run->partial = (run->partial << 6) | (b & 0x3Fu);
      if (--run->partial_left == 0) step(re, state, run, a, run->partial, run->partial_length);
      continue;
    }
    uint32_t length = sequence_length(b);
    if (length == 0) re_fail(&h->failed, CFGATE_RE_FAILURE_INVALID);
    if (length <= 1) {
      if (length == 1) step(re, state, run, a, b, 1);
      continue;
    }
    run->partial = b & (0xFFu >> (length + 1));
    run->partial_left = length - 1;
    run->partial_length = length;
  }
}

void re_nfa_feed(const cfgate_re *re, void *state, const unsigned char *bytes, size_t n) {
  nfa_arrays a;
  nfa_run *run = open_run(re, state, &a);

  decode_and_step(re, state, run, &a, bytes, n);
}

int re_nfa_end(const cfgate_re *re, void *state) {
  re_state_header *h = state;
  nfa_arrays a;
  nfa_run *run = open_run(re, state, &a);

  if (re->buffered) {
    const unsigned char *buffer = (const unsigned char *)state + re_state_header_size();
    decode_and_step(re, state, run, &a, buffer, h->length);
  }
  if (run->partial_left > 0) re_fail(&h->failed, CFGATE_RE_FAILURE_INVALID);
  if (!run->matched && !h->failed) {
    if (run->position == 0 || !anchored(re)) set_add(a.pending_dense, a.pending_sparse, &run->pending_count, 0);
    close_threads(re, state, run, &a, NFA_END);
  }
  if (h->failed) return -1;
  return run->matched;
}

int re_nfa_decided(const cfgate_re *re, const void *state) {
  const nfa_run *run = (const nfa_run *)((const unsigned char *)state + run_offset(re));

  if (re->buffered) return 0;
  return run->matched || (anchored(re) && run->position > 0 && run->pending_count == 0);
}
