/*
 * Compiled patterns and the streaming matcher. A compiled pattern is plain
 * tables (arrays of integers plus counts) so the C emitter can write it out
 * and the runtime can run it without malloc. Matching is over the UTF-8 bytes
 * of a decoded string, fed in chunks of any size, with search semantics:
 * the pattern may match anywhere unless it is anchored.
 */
#ifndef CFGATE_RE_H
#define CFGATE_RE_H

#include <stddef.h>
#include <stdint.h>

#include "cfgate.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How a compiled pattern runs. */
enum {
  CFGATE_RE_ENGINE_DFA = 0,       /* byte DFA: one table lookup per byte, no buffer */
  CFGATE_RE_ENGINE_BACKTRACK = 1, /* buffered string, backtracking with a step budget */
  CFGATE_RE_ENGINE_NFA = 2        /* NFA simulation of the program: time linear in the string */
};

/* Why a pattern runs on the NFA or backtracking engine (CFGATE_RE_REASON_NONE for a DFA). */
enum {
  CFGATE_RE_REASON_NONE = 0,
  CFGATE_RE_REASON_BACKREFERENCE = 1,   /* the language is not regular */
  CFGATE_RE_REASON_PLACEHOLDER = 2,     /* the literal is bound per session */
  CFGATE_RE_REASON_DFA_TOO_LARGE = 3,   /* the DFA exceeded its state limit */
  CFGATE_RE_REASON_LOOKAROUND = 4,      /* lookahead, or \b or \B under (?i), in an unbounded repetition or a lookbehind */
  CFGATE_RE_REASON_COUNT
};

/* Bits of cfgate_re.state_flags. */
enum {
  CFGATE_RE_STATE_ACCEPT = 1,  /* the string matches if it ends in this state */
  CFGATE_RE_STATE_MATCHED = 2, /* every continuation matches: the verdict is decided */
  CFGATE_RE_STATE_DEAD = 4     /* no continuation matches: the verdict is decided */
};

/* Program opcodes of the NFA and backtracking engines: each instruction is
 * an opcode word followed by its operand words. */
enum {
  CFGATE_RE_OP_MATCH = 0,       /* success */
  CFGATE_RE_OP_CLASS = 1,       /* first range, range count: consume one code point in the set */
  CFGATE_RE_OP_SPLIT = 2,       /* preferred target, other target */
  CFGATE_RE_OP_JUMP = 3,        /* target */
  CFGATE_RE_OP_SAVE = 4,        /* slot: store the position (captures, loop marks) */
  CFGATE_RE_OP_ASSERT = 5,      /* assertion kind (CFGATE_RE_ASSERT_*) */
  CFGATE_RE_OP_BACKREF = 6,     /* group number, case-insensitive flag */
  CFGATE_RE_OP_LOOK = 7,        /* kind (CFGATE_RE_LOOK_*), end: body follows, ends in MATCH */
  CFGATE_RE_OP_PLACEHOLDER = 8, /* placeholder id: consume the bound value literally */
  CFGATE_RE_OP_PROGRESS = 9,    /* slot: fail when the position equals the slot (empty loop pass) */
  CFGATE_RE_OP_COUNT
};

/* Zero-width assertions. */
enum {
  CFGATE_RE_ASSERT_BEGIN = 0,        /* start of string (^, \A) */
  CFGATE_RE_ASSERT_END = 1,          /* end of string ($, \z) */
  CFGATE_RE_ASSERT_END_NEWLINE = 2,  /* end of string or before a final \n (\Z) */
  CFGATE_RE_ASSERT_LINE_BEGIN = 3,   /* ^ in multiline mode */
  CFGATE_RE_ASSERT_LINE_END = 4,     /* $ in multiline mode */
  CFGATE_RE_ASSERT_WORD = 5,         /* \b */
  CFGATE_RE_ASSERT_NOT_WORD = 6,     /* \B */
  CFGATE_RE_ASSERT_WORD_IGNORE_CASE = 7,    /* \b under (?i): U+017F and U+212A are word characters too */
  CFGATE_RE_ASSERT_NOT_WORD_IGNORE_CASE = 8 /* \B under (?i) */
};

/* Lookaround kinds of CFGATE_RE_OP_LOOK. */
enum {
  CFGATE_RE_LOOK_AHEAD = 0,
  CFGATE_RE_LOOK_NOT_AHEAD = 1,
  CFGATE_RE_LOOK_BEHIND = 2,
  CFGATE_RE_LOOK_NOT_BEHIND = 3
};

/* A compiled pattern. Immutable; shareable between threads and sessions.
 * Only the arrays of the pattern's engine are set, the others are NULL with
 * count 0. */
typedef struct cfgate_re {
  uint32_t engine;          /* CFGATE_RE_ENGINE_* */
  uint32_t reason;          /* CFGATE_RE_REASON_* when engine is not DFA */

  /* DFA engine. A state is stored premultiplied: state index * class_count. */
  uint32_t class_count;           /* byte equivalence classes */
  const uint8_t *byte_classes;    /* [256]: byte -> class */
  uint32_t state_count;
  uint32_t start_state;           /* premultiplied */
  const uint32_t *transitions;    /* [state_count * class_count]: premultiplied next state, or NULL */
  const uint16_t *transitions16;  /* the same in 16 bits when state_count * class_count <= 65536, or NULL */
  const uint8_t *state_flags;     /* [state_count]: CFGATE_RE_STATE_* bits */

  /* NFA and backtracking engines. */
  uint32_t program_count;
  const uint32_t *program;        /* instructions, CFGATE_RE_OP_* */
  uint32_t range_count;
  const uint32_t *ranges;         /* [2 * range_count]: inclusive code point ranges, sorted */
  uint32_t capture_count;         /* groups including group 0 */
  uint32_t slot_count;            /* position slots: 2 per group, then loop marks */
  uint32_t placeholder_count;     /* placeholder ids are below this */
  uint32_t buffer_limit;          /* maximum string length in bytes; longer fails closed */
  uint32_t step_limit_per_byte;   /* step budget per byte of input, plus one */
  uint32_t stack_limit;           /* backtracking entries */
  uint32_t buffered;              /* NFA: 1 when lookarounds or \Z need the whole string first */
} cfgate_re;

/* Returns the bytes of caller-owned state that matching re needs, aligned as
 * max_align_t. It depends only on re and the lengths of the placeholder values. */
size_t cfgate_re_state_size(const cfgate_re *re, const cfgate_str *placeholder_values);

/* Returns cfgate_re_state_size() of a pattern whose engine is
 * CFGATE_RE_ENGINE_DFA, which needs no state past the header. */
size_t cfgate_re_dfa_state_size(void);

/* Starts matching a new string in state. placeholder_values is indexed by
 * placeholder id and must stay valid until cfgate_re_end(); NULL when
 * re->placeholder_count is 0. */
void cfgate_re_begin(const cfgate_re *re, void *state, const cfgate_str *placeholder_values);

/* Like cfgate_re_begin() for a pattern whose engine is
 * CFGATE_RE_ENGINE_DFA: it sets the header only, without testing the engine. */
void cfgate_re_dfa_begin(const cfgate_re *re, void *state, const cfgate_str *placeholder_values);

/* Feeds the next n bytes of the string. Chunks may split a code point. */
void cfgate_re_feed(const cfgate_re *re, void *state, const unsigned char *bytes, size_t n);

/* Ends the string. Returns 1 on match, 0 on no match, and -1 when a limit
 * (buffer, step budget, stack) was exceeded or a placeholder has no value,
 * which callers must treat as a denial. */
int cfgate_re_end(const cfgate_re *re, void *state);

/* Reason that matching failed closed (returned -1). */
typedef enum cfgate_re_failure {
  CFGATE_RE_FAILURE_NONE,        /* the result was 0 or 1 */
  CFGATE_RE_FAILURE_LENGTH,      /* the string is longer than buffer_limit bytes */
  CFGATE_RE_FAILURE_STEPS,       /* step_limit_per_byte * (length + 1) steps were spent */
  CFGATE_RE_FAILURE_STACK,       /* stack_limit backtracking entries were in use */
  CFGATE_RE_FAILURE_PLACEHOLDER, /* a placeholder has no value */
  CFGATE_RE_FAILURE_INVALID      /* the string is not valid UTF-8, or the program is invalid */
} cfgate_re_failure;

/* Returns why cfgate_re_end() or cfgate_re_match() on state returned -1, or
 * CFGATE_RE_FAILURE_NONE when it did not. Only the first reason is kept. */
cfgate_re_failure cfgate_re_failure_reason(const void *state);

/* Matches a whole string: begin, feed and end in one call, same results. */
int cfgate_re_match(const cfgate_re *re, void *state, const cfgate_str *placeholder_values,
                    const unsigned char *bytes, size_t n);

/* Returns 1 when the verdict is already decided, so feeding more is useless
 * (a DFA reached a matched or dead state, a streaming NFA matched or has no
 * threads left, or a limit failed). */
int cfgate_re_decided(const cfgate_re *re, const void *state);

#ifdef __cplusplus
}
#endif

#endif /* CFGATE_RE_H */
