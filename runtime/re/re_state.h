/*
 * Layout of the caller-owned matcher state. The DFA engine uses the header
 * only. The backtracking engine follows it with the string buffer
 * (buffer_limit bytes), the position slots and the backtracking stack.
 */
#ifndef RE_STATE_H
#define RE_STATE_H

#include "re/cfgate_re.h"

#define RE_SLOT_UNSET UINT32_MAX

typedef struct re_state_header {
  uint32_t dfa_state;               /* premultiplied current DFA state */
  uint32_t length;                  /* bytes buffered by the backtracking engine */
  int failed;                       /* a limit was exceeded: the result is -1 */
  const cfgate_str *placeholder_values;
} re_state_header;

/* Returns the header rounded up so the arrays after it stay aligned. */
size_t re_state_header_size(void);

/* Runs the backtracking program over the buffered string. Returns 1, 0 or -1. */
int re_backtrack_run(const cfgate_re *re, void *state);

/* Bytes of backtracking state after the header. */
size_t re_backtrack_state_size(const cfgate_re *re);

#endif /* RE_STATE_H */
