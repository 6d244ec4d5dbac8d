/*
 * Streaming matcher entry points. A DFA pattern costs one table lookup per
 * byte and keeps no copy of the string, and so does an NFA pattern without
 * lookarounds. Backtracking and buffered NFA patterns keep up to
 * buffer_limit bytes and run at the end of the string.
 */
#include <stdalign.h>
#include <string.h>

#include "re/re_state.h"

/* Bytes between checks for a decided DFA verdict. */
#define RE_DECIDED_CHECK_INTERVAL 256u

size_t re_state_header_size(void) {
  size_t align = alignof(max_align_t);
  return (sizeof(re_state_header) + align - 1) / align * align;
}

size_t cfgate_re_state_size(const cfgate_re *re, const cfgate_str *placeholder_values) {
  (void)placeholder_values;
  if (re->engine == CFGATE_RE_ENGINE_DFA) return re_state_header_size();
  if (re->engine == CFGATE_RE_ENGINE_NFA) return re_state_header_size() + re_nfa_state_size(re);
  return re_state_header_size() + re_backtrack_state_size(re);
}

size_t cfgate_re_dfa_state_size(void) {
  return re_state_header_size();
}

void cfgate_re_dfa_begin(const cfgate_re *re, void *state, const cfgate_str *placeholder_values) {
  re_state_header *h = state;

  h->dfa_state = re->start_state;
  h->length = 0;
  h->failed = 0;
  h->steps = 0;
  h->placeholder_values = placeholder_values;
  if (re->placeholder_count > 0 && placeholder_values == NULL) h->failed = CFGATE_RE_FAILURE_PLACEHOLDER;
}

void cfgate_re_begin(const cfgate_re *re, void *state, const cfgate_str *placeholder_values) {
  cfgate_re_dfa_begin(re, state, placeholder_values);
  if (re->engine == CFGATE_RE_ENGINE_NFA) re_nfa_begin(re, state);
}

static int dfa_decided(const cfgate_re *re, uint32_t state) {
  return (re->state_flags[state / re->class_count] & (CFGATE_RE_STATE_MATCHED | CFGATE_RE_STATE_DEAD)) != 0;
}

/* The hot loop, for 32-bit (TYPE uint32_t) or 16-bit tables: one class
 * lookup and one transition lookup per byte. */
#define RE_DFA_FEED_LOOP(TYPE, TABLE)                                                 \
  do {                                                                                \
    const TYPE *transitions = (TABLE);                                                \
    while (n > 0) {                                                                   \
      size_t block = n < RE_DECIDED_CHECK_INTERVAL ? n : RE_DECIDED_CHECK_INTERVAL;   \
      for (size_t i = 0; i < block; i++) {                                            \
        uint32_t next = transitions[state + classes[bytes[i]]];                       \
        if (next == state) {                                                          \
          /* A self-loop: the row is fixed, so these loads do not wait on each other. */ \
          const TYPE *row = transitions + state;                                      \
          while (i + 1 < block && row[classes[bytes[i + 1]]] == state) i++;           \
        }                                                                             \
        state = next;                                                                 \
      }                                                                               \
      bytes += block;                                                                 \
      n -= block;                                                                     \
      if (n > 0 && dfa_decided(re, state)) break;                                     \
    }                                                                                 \
  } while (0)

static void dfa_feed(const cfgate_re *re, re_state_header *h, const unsigned char *bytes, size_t n) {
  const uint8_t *classes = re->byte_classes;
  uint32_t state = h->dfa_state;

  if (re->transitions16) {
    RE_DFA_FEED_LOOP(uint16_t, re->transitions16);
  } else {
    RE_DFA_FEED_LOOP(uint32_t, re->transitions);
  }
  h->dfa_state = state;
}

static void buffer_feed(const cfgate_re *re, re_state_header *h, const unsigned char *bytes, size_t n) {
  unsigned char *buffer = (unsigned char *)h + re_state_header_size();

  if (h->failed) return;
  if (n > re->buffer_limit - h->length) {
    h->failed = CFGATE_RE_FAILURE_LENGTH;
    return;
  }
  memcpy(buffer + h->length, bytes, n);
  h->length += (uint32_t)n;
}

void cfgate_re_feed(const cfgate_re *re, void *state, const unsigned char *bytes, size_t n) {
  if (re->engine == CFGATE_RE_ENGINE_DFA) {
    dfa_feed(re, state, bytes, n);
  } else if (re->engine == CFGATE_RE_ENGINE_NFA && !re->buffered) {
    re_nfa_feed(re, state, bytes, n);
  } else {
    buffer_feed(re, state, bytes, n);
  }
}

int cfgate_re_end(const cfgate_re *re, void *state) {
  re_state_header *h = state;

  if (h->failed) return -1;
  if (re->engine == CFGATE_RE_ENGINE_DFA) {
    return (re->state_flags[h->dfa_state / re->class_count] & CFGATE_RE_STATE_ACCEPT) != 0;
  }
  if (re->engine == CFGATE_RE_ENGINE_NFA) return re_nfa_end(re, state);
  return re_backtrack_run(re, state);
}

int cfgate_re_match(const cfgate_re *re, void *state, const cfgate_str *placeholder_values,
                    const unsigned char *bytes, size_t n) {
  cfgate_re_begin(re, state, placeholder_values);
  cfgate_re_feed(re, state, bytes, n);
  return cfgate_re_end(re, state);
}

cfgate_re_failure cfgate_re_failure_reason(const void *state) {
  const re_state_header *h = state;
  return (cfgate_re_failure)h->failed;
}

int cfgate_re_decided(const cfgate_re *re, const void *state) {
  const re_state_header *h = state;

  if (h->failed) return 1;
  if (re->engine == CFGATE_RE_ENGINE_NFA) return re_nfa_decided(re, state);
  return re->engine == CFGATE_RE_ENGINE_DFA && dfa_decided(re, h->dfa_state);
}
