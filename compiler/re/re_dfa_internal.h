/* Builder state shared by re_dfa_convert.c and re_dfa.c. */
#ifndef RE_DFA_INTERNAL_H
#define RE_DFA_INTERNAL_H

#include "re_dfa.h"
#include "re_term.h"

#define RE_DFA_MAX_TERMS 400000u    /* terms before the DFA counts as too large */
#define RE_DFA_MAX_TRACKERS 16u     /* lookbehinds per pattern */
#define RE_DFA_MAX_WORK 4000000u    /* derivative steps before the DFA counts as too large */
#define RE_DFA_NARROW_CELLS 65536u  /* up to this many table cells, premultiplied states fit 16 bits */

typedef struct re_dfa_builder {
  re_terms terms;
  re_term_id trackers[RE_DFA_MAX_TRACKERS]; /* one per lookbehind: anything, then its body */
  size_t tracker_count;
  int uses_word;    /* \b or \B: states remember whether the previous byte was a word character */
  int line_tracker; /* tracker index of multiline ^, or -1 */
  int word_tracker; /* tracker index of the word class of \b and \B under (?i), or -1 */
  int reason;       /* CFGATE_RE_REASON_* that stopped the conversion, or 0 */
} re_dfa_builder;

/* Converts the syntax tree into the search term: anything, root, anything. */
re_term_id re_dfa_convert(re_dfa_builder *b, const re_node *root);

/* Registers a lookbehind tracker term. Returns 0, or -1 (with b->reason set) past the limit. */
int re_dfa_add_tracker(re_dfa_builder *b, re_term_id tracker);

/* Writes the UTF-8 encoding of c to out; returns the byte count. */
int re_utf8_encode(uint32_t c, unsigned char *out);

#endif /* RE_DFA_INTERNAL_H */
