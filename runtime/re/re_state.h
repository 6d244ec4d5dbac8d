/*
 * Layout of the caller-owned matcher state. The DFA engine uses the header
 * only. The backtracking engine follows it with the string buffer
 * (buffer_limit bytes), the position slots and the backtracking stack. The
 * NFA engine adds its thread sets, after that backtracking area when it is
 * buffered and right after the header when it streams.
 */
#ifndef RE_STATE_H
#define RE_STATE_H

#include "re/cfgate_re.h"

#define RE_SLOT_UNSET UINT32_MAX

typedef struct re_state_header {
  uint32_t dfa_state;               /* premultiplied current DFA state */
  uint32_t length;                  /* bytes buffered by the backtracking and buffered NFA engines */
  int failed;                       /* a cfgate_re_failure: nonzero makes the result -1 */
  uint64_t steps;                   /* backtracking steps spent on this string */
  const cfgate_str *placeholder_values;
} re_state_header;

/* Records why matching failed. Only the first reason is kept, because a
 * later one (a lookaround that returns -1) follows from it. */
static inline void re_fail(int *failed, cfgate_re_failure reason) {
  if (!*failed) *failed = (int)reason;
}

/* Returns the header rounded up so the arrays after it stay aligned. */
size_t re_state_header_size(void);

/* Runs the backtracking program over the buffered string. Returns 1, 0 or -1. */
int re_backtrack_run(const cfgate_re *re, void *state);

/* Evaluates the CFGATE_RE_OP_LOOK at pc at a position of the buffered string,
 * within the string's step budget. Returns 1 when it holds, 0, or -1. */
int re_backtrack_lookaround(const cfgate_re *re, void *state, uint32_t pc, uint32_t position);

/* Returns 1 when assertion kind holds at a position of the buffered string. */
int re_backtrack_assertion(const cfgate_re *re, void *state, uint32_t kind, uint32_t position);

/* Bytes of backtracking state after the header: buffer, slots and stack. */
size_t re_backtrack_state_size(const cfgate_re *re);

/* Bytes of NFA state, after the backtracking state when the NFA is buffered. */
size_t re_nfa_state_size(const cfgate_re *re);

void re_nfa_begin(const cfgate_re *re, void *state);
void re_nfa_feed(const cfgate_re *re, void *state, const unsigned char *bytes, size_t n);
int re_nfa_end(const cfgate_re *re, void *state);
int re_nfa_decided(const cfgate_re *re, const void *state);

/* Returns 1 when code point c is in one of the count sorted ranges (pairs of
 * first and last code point) that start at pair index first of re->ranges. */
static inline int re_in_ranges(const cfgate_re *re, uint32_t first, uint32_t count, uint32_t c) {
  const uint32_t *ranges = re->ranges + 2 * first;
  uint32_t low = 0, high = count;

  while (low < high) {
    uint32_t mid = (low + high) / 2;
    if (c < ranges[2 * mid])
      high = mid;
    else if (c > ranges[2 * mid + 1])
      low = mid + 1;
    else
      return 1;
  }
  return 0;
}

#endif /* RE_STATE_H */
