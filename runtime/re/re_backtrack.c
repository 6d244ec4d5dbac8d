/*
 * Backtracking engine for patterns a DFA cannot run (backreferences,
 * placeholders bound per session, lookahead inside unbounded loops, DFA size
 * limit). It runs over the buffered string with an explicit stack in the
 * caller's state. Its step budget is step_limit_per_byte * (length + 1), so
 * its time is linear in the string length. Running out of budget or stack
 * fails closed (-1).
 */
#include <string.h>

#include "re/re_state.h"

#define ENTRY_RESTORE 0x80000000u

typedef struct backtracker {
  const cfgate_re *re;
  const unsigned char *text;
  uint32_t length;
  const cfgate_str *placeholder_values;
  uint32_t *slots;
  uint32_t *stack; /* pairs: (pc, position) or (ENTRY_RESTORE | slot, old value) */
  uint32_t top;
  uint64_t steps;
  uint64_t budget;
  int failed;
} backtracker;

size_t re_backtrack_state_size(const cfgate_re *re) {
  size_t bytes = (re->buffer_limit + 7u) & ~(size_t)7u;
  return bytes + re->slot_count * sizeof(uint32_t) + 2u * re->stack_limit * sizeof(uint32_t);
}

static int push(backtracker *m, uint32_t first, uint32_t second) {
  if (m->top >= m->re->stack_limit) {
    re_fail(&m->failed, CFGATE_RE_FAILURE_STACK);
    return -1;
  }
  m->stack[2 * m->top] = first;
  m->stack[2 * m->top + 1] = second;
  m->top++;
  return 0;
}

/* Decodes the code point at position; returns its byte length, 0 at the end or on invalid UTF-8. */
static uint32_t decode(const backtracker *m, uint32_t position, uint32_t *code) {
  const unsigned char *s = m->text + position;
  uint32_t left = m->length - position;

  if (left == 0) return 0;
  uint32_t c = s[0], n = 0;
  if (c < 0x80) n = 1;
  else if (c >= 0xF0) n = 4;
  else if (c >= 0xE0) n = 3;
  else if (c >= 0xC0) n = 2;
  if (n == 0 || n > left) return 0;
  if (n > 1) c &= 0xFFu >> (n + 1);
  for (uint32_t i = 1; i < n; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    c = (c << 6) | (s[i] & 0x3F);
  }
  *code = c;
  return n;
}

/* Returns 1 when the code point at position is a word character of \b:
 * [A-Za-z0-9_], and under (?i) (ignore_case) also U+017F and U+212A, which
 * fold to 's' and 'k'. */
static int word_at(const backtracker *m, uint32_t position, int ignore_case) {
  uint32_t c;

  if (decode(m, position, &c) == 0) return 0;
  if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_') return 1;
  return ignore_case && (c == 0x17F || c == 0x212A);
}

/* Returns 1 when the code point that ends at position is a word character. */
static int word_before(const backtracker *m, uint32_t position, int ignore_case) {
  uint32_t start = position, code;

  if (position == 0) return 0;
  do {
    start--;
  } while (start > 0 && position - start < 4 && (m->text[start] & 0xC0) == 0x80);
  return decode(m, start, &code) == position - start && word_at(m, start, ignore_case);
}

/* Returns 1 when \b (boundary 1) or \B (boundary 0) matches at position. */
static int word_assertion(const backtracker *m, uint32_t position, int boundary, int ignore_case) {
  return (word_before(m, position, ignore_case) != word_at(m, position, ignore_case)) == boundary;
}

/* ECMA-262 line terminators: \n, \r, U+2028, U+2029 (E2 80 A8, E2 80 A9). */
static int line_terminator_at(const backtracker *m, uint32_t position) {
  uint32_t code;
  uint32_t n = decode(m, position, &code);
  return n > 0 && (code == '\n' || code == '\r' || code == 0x2028 || code == 0x2029);
}

static int line_terminator_before(const backtracker *m, uint32_t position) {
  if (position == 0) return 0;
  if (m->text[position - 1] == '\n' || m->text[position - 1] == '\r') return 1;
  return position >= 3 && m->text[position - 3] == 0xE2 && line_terminator_at(m, position - 3);
}

static int assertion_holds(const backtracker *m, uint32_t kind, uint32_t position) {
  switch (kind) {
  case CFGATE_RE_ASSERT_BEGIN: return position == 0;
  case CFGATE_RE_ASSERT_END: return position == m->length;
  case CFGATE_RE_ASSERT_END_NEWLINE:
    return position == m->length || (position + 1 == m->length && m->text[position] == '\n');
  case CFGATE_RE_ASSERT_LINE_BEGIN: return position == 0 || line_terminator_before(m, position);
  case CFGATE_RE_ASSERT_LINE_END: return position == m->length || line_terminator_at(m, position);
  case CFGATE_RE_ASSERT_WORD: return word_assertion(m, position, 1, 0);
  case CFGATE_RE_ASSERT_NOT_WORD: return word_assertion(m, position, 0, 0);
  case CFGATE_RE_ASSERT_WORD_IGNORE_CASE: return word_assertion(m, position, 1, 1);
  case CFGATE_RE_ASSERT_NOT_WORD_IGNORE_CASE: return word_assertion(m, position, 0, 1);
  default: return 0;
  }
}

/* Matches the text of group at position; an unset group matches the empty string. */
static int match_backreference(const backtracker *m, uint32_t group, uint32_t *position) {
  uint32_t start = m->slots[2 * group], end = m->slots[2 * group + 1];

  if (start == RE_SLOT_UNSET || end == RE_SLOT_UNSET || end < start) return 1;
  uint32_t n = end - start;
  if (n > m->length - *position || memcmp(m->text + start, m->text + *position, n) != 0) return 0;
  *position += n;
  return 1;
}

static int match_placeholder(backtracker *m, uint32_t id, uint32_t *position) {
  const cfgate_str *value = &m->placeholder_values[id];

  if (value->len > 0 && value->data == NULL) {
    re_fail(&m->failed, CFGATE_RE_FAILURE_PLACEHOLDER);
    return 0;
  }
  if (value->len > m->length - *position || memcmp(m->text + *position, value->data, value->len) != 0) return 0;
  *position += (uint32_t)value->len;
  return 1;
}

static int run(backtracker *m, uint32_t pc, uint32_t position, uint32_t must_end);

/* Runs the lookaround at pc from position; returns 1 when its body matches. */
static int match_look(backtracker *m, uint32_t pc, uint32_t position) {
  const uint32_t *program = m->re->program;
  uint32_t kind = program[pc + 1], body = pc + 3;

  if (kind == CFGATE_RE_LOOK_AHEAD || kind == CFGATE_RE_LOOK_NOT_AHEAD) {
    int found = run(m, body, position, RE_SLOT_UNSET);
    return found == (kind == CFGATE_RE_LOOK_AHEAD);
  }

  int found = 0;
  for (uint32_t start = position + 1; start-- > 0 && !found && !m->failed;) {
    if (start < m->length && (m->text[start] & 0xC0) == 0x80) continue;
    found = run(m, body, start, position) == 1;
  }
  return found == (kind == CFGATE_RE_LOOK_BEHIND);
}

/* Executes one instruction. Returns 1 to go on at *pc and *position, 0 to backtrack. */
static int step(backtracker *m, uint32_t *pc, uint32_t *position) {
  const uint32_t *op = m->re->program + *pc;
  uint32_t code, n;

  switch (op[0]) {
  case CFGATE_RE_OP_CLASS:
    n = decode(m, *position, &code);
    if (n == 0 || !re_in_ranges(m->re, op[1], op[2], code)) return 0;
    *position += n;
    *pc += 3;
    return 1;
  case CFGATE_RE_OP_SPLIT:
    if (push(m, op[2], *position) < 0) return 0;
    *pc = op[1];
    return 1;
  case CFGATE_RE_OP_JUMP:
    *pc = op[1];
    return 1;
  case CFGATE_RE_OP_SAVE:
    if (push(m, ENTRY_RESTORE | op[1], m->slots[op[1]]) < 0) return 0;
    m->slots[op[1]] = *position;
    *pc += 2;
    return 1;
  case CFGATE_RE_OP_PROGRESS:
    *pc += 2;
    return m->slots[op[1]] != *position;
  case CFGATE_RE_OP_ASSERT:
    *pc += 2;
    return assertion_holds(m, op[1], *position);
  case CFGATE_RE_OP_BACKREF:
    *pc += 3;
    return match_backreference(m, op[1], position);
  case CFGATE_RE_OP_PLACEHOLDER:
    *pc += 2;
    return match_placeholder(m, op[1], position);
  case CFGATE_RE_OP_LOOK:
    if (!match_look(m, *pc, *position)) return 0;
    *pc = op[2];
    return 1;
  default:
    re_fail(&m->failed, CFGATE_RE_FAILURE_INVALID);
    return 0;
  }
}

/* Pops entries down to base, undoing slot writes, until a branch is found.
 * Returns 1 with the branch in *pc and *position, or 0 when none is left. */
static int backtrack(backtracker *m, uint32_t base, uint32_t *pc, uint32_t *position) {
  while (m->top > base) {
    m->top--;
    uint32_t first = m->stack[2 * m->top], second = m->stack[2 * m->top + 1];
    if (first & ENTRY_RESTORE) {
      m->slots[first & ~ENTRY_RESTORE] = second;
      continue;
    }
    *pc = first;
    *position = second;
    return 1;
  }
  return 0;
}

/* Runs the program from pc at position; must_end, unless RE_SLOT_UNSET, is
 * where the match has to end (lookbehind). Slot writes of the run are undone
 * before it returns, so captures inside lookarounds are not kept. */
static int run(backtracker *m, uint32_t pc, uint32_t position, uint32_t must_end) {
  uint32_t base = m->top;
  int result = 0;

  for (;;) {
    if (++m->steps > m->budget) re_fail(&m->failed, CFGATE_RE_FAILURE_STEPS);
    if (m->failed) break;

    const uint32_t *op = m->re->program + pc;
    if (op[0] == CFGATE_RE_OP_MATCH && (must_end == RE_SLOT_UNSET || position == must_end)) {
      result = 1;
      break;
    }
    if (op[0] != CFGATE_RE_OP_MATCH && step(m, &pc, &position)) continue;
    if (!backtrack(m, base, &pc, &position)) break;
  }

  uint32_t ignored_pc, ignored_position;
  while (backtrack(m, base, &ignored_pc, &ignored_position)) {
  }
  return m->failed ? -1 : result;
}

/* Points m at the buffered string, slots and stack of state. The step count
 * continues from the header, so every run over one string shares one budget. */
static void open_backtracker(backtracker *m, const cfgate_re *re, void *state) {
  re_state_header *h = state;
  unsigned char *area = (unsigned char *)state + re_state_header_size();

  *m = (backtracker){.re = re, .text = area, .length = h->length, .placeholder_values = h->placeholder_values};
  m->slots = (uint32_t *)(area + ((re->buffer_limit + 7u) & ~(size_t)7u));
  m->stack = m->slots + re->slot_count;
  m->steps = h->steps;
  m->budget = (uint64_t)re->step_limit_per_byte * ((uint64_t)h->length + 1);
}

static void close_backtracker(const backtracker *m, void *state) {
  re_state_header *h = state;
  h->steps = m->steps;
  if (m->failed) re_fail(&h->failed, (cfgate_re_failure)m->failed);
}

int re_backtrack_lookaround(const cfgate_re *re, void *state, uint32_t pc, uint32_t position) {
  backtracker m;

  open_backtracker(&m, re, state);
  for (uint32_t i = 0; i < re->slot_count; i++) m.slots[i] = RE_SLOT_UNSET;
  int found = match_look(&m, pc, position);
  close_backtracker(&m, state);
  return m.failed ? -1 : found;
}

int re_backtrack_assertion(const cfgate_re *re, void *state, uint32_t kind, uint32_t position) {
  backtracker m;

  open_backtracker(&m, re, state);
  return assertion_holds(&m, kind, position);
}

int re_backtrack_run(const cfgate_re *re, void *state) {
  backtracker m;

  open_backtracker(&m, re, state);
  for (uint32_t i = 0; i < re->slot_count; i++) m.slots[i] = RE_SLOT_UNSET;

  /* A search: try every start position unless the program begins with ^. */
  int anchored = re->program[0] == CFGATE_RE_OP_ASSERT && re->program[1] == CFGATE_RE_ASSERT_BEGIN;
  for (uint32_t start = 0; start <= m.length; start++) {
    if (start < m.length && (m.text[start] & 0xC0) == 0x80) continue;
    int result = run(&m, 0, start, RE_SLOT_UNSET);
    if (result != 0 || anchored) {
      close_backtracker(&m, state);
      return result;
    }
  }
  close_backtracker(&m, state);
  return 0;
}
