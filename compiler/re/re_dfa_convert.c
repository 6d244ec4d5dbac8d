/*
 * Syntax tree to byte-level term, in continuation style: convert(node, k)
 * is the term for "node followed by k". That makes lookahead local: the
 * rest of the pattern k must also match the lookahead body followed by
 * anything (intersection), or must not (complement).
 */
#include "re_dfa_internal.h"

#include <stdlib.h>

/* One UTF-8 byte sequence pattern: byte i lies in [low[i], high[i]]. */
typedef struct utf8_sequence {
  uint8_t len;
  uint8_t low[4], high[4];
} utf8_sequence;

typedef struct utf8_sequences {
  utf8_sequence *items;
  size_t count, capacity;
} utf8_sequences;

static int sequences_push(utf8_sequences *list, uint32_t low, uint32_t high) {
  if (list->count == list->capacity) {
    size_t capacity = list->capacity ? list->capacity * 2 : 64;
    utf8_sequence *items = realloc(list->items, capacity * sizeof *items);
    if (!items) return -1;
    list->items = items;
    list->capacity = capacity;
  }

  utf8_sequence *seq = &list->items[list->count++];
  seq->len = (uint8_t)re_utf8_encode(low, seq->low);
  re_utf8_encode(high, seq->high);
  return 0;
}

/* Adds the byte sequences of the code points in [low, high], which lie
 * outside the surrogates. Splits the range until every byte position is a
 * contiguous byte range and all code points have one encoding length. */
static int utf8_split(utf8_sequences *list, uint32_t low, uint32_t high) {
  static const uint32_t length_limits[] = {0x7F, 0x7FF, 0xFFFF};

  for (int i = 0; i < 3; i++) {
    uint32_t limit = length_limits[i];
    if (low <= limit && high > limit)
      return utf8_split(list, low, limit) < 0 ? -1 : utf8_split(list, limit + 1, high);
  }
  for (int i = 1; i < 4 && high > 0x7F; i++) {
    uint32_t mask = (1u << (6 * i)) - 1;
    if ((low & ~mask) == (high & ~mask)) continue;
    if ((low & mask) != 0)
      return utf8_split(list, low, low | mask) < 0 ? -1 : utf8_split(list, (low | mask) + 1, high);
    if ((high & mask) != mask)
      return utf8_split(list, low, (high & ~mask) - 1) < 0 ? -1 : utf8_split(list, high & ~mask, high);
  }
  return sequences_push(list, low, high);
}

static int compare_sequences(const void *a, const void *b) {
  const utf8_sequence *x = a, *y = b;
  for (int i = 0; i < x->len && i < y->len; i++) {
    if (x->low[i] != y->low[i]) return x->low[i] < y->low[i] ? -1 : 1;
    if (x->high[i] != y->high[i]) return x->high[i] < y->high[i] ? -1 : 1;
  }
  return (x->len > y->len) - (x->len < y->len);
}

/* Builds the sorted sequences from byte position depth on as a trie:
 * sequences that share a byte range there share one branch, so a
 * derivative by one byte keeps one small subterm instead of a union of
 * hundreds of tails. */
static re_term_id sequences_trie(re_terms *t, const utf8_sequence *items, size_t count, int depth) {
  re_term_id result = RE_TERM_ID_EMPTY;

  /* A sequence has at most 4 bytes, so depth never reaches 4. The test lets
   * optimized builds see that bound (-Warray-bounds). */
  if (depth >= (int)(sizeof items->low / sizeof items->low[0]))
    return result;

  for (size_t i = 0, j; i < count; i = j) {
    for (j = i + 1; j < count && items[j].low[depth] == items[i].low[depth] &&
                    items[j].high[depth] == items[i].high[depth]; j++) {
    }
    re_term_id tail = items[i].len == depth + 1 ? RE_TERM_ID_EPSILON : sequences_trie(t, items + i, j - i, depth + 1);
    re_term_id branch = re_term_concat(t, re_term_bytes(t, items[i].low[depth], items[i].high[depth]), tail);
    result = re_term_alternate(t, result, branch);
  }
  return result;
}

/* Term for the UTF-8 encodings of the code points of set, surrogates left out. */
static re_term_id convert_class(re_dfa_builder *b, const re_charset *set) {
  utf8_sequences list = {0};
  int failed = 0;

  for (size_t i = 0; i < set->count && !failed; i++) {
    uint32_t low = set->ranges[2 * i], high = set->ranges[2 * i + 1];
    if (low < 0xD800 && high >= 0xD800) {
      failed = utf8_split(&list, low, 0xD7FF) < 0;
      low = 0xD800;
    }
    if (low <= 0xDFFF && high >= 0xD800) {
      if (high <= 0xDFFF) continue;
      low = 0xE000;
    }
    failed = failed || utf8_split(&list, low, high) < 0;
  }
  if (failed) {
    free(list.items);
    b->terms.failed = 1;
    return RE_TERM_ID_EMPTY;
  }

  qsort(list.items, list.count, sizeof *list.items, compare_sequences);
  re_term_id result = sequences_trie(&b->terms, list.items, list.count, 0);
  free(list.items);
  return result;
}

/* Returns 1 when node contains something converted as a lookahead, which
 * needs the continuation and so cannot sit in an unbounded loop or a lookbehind. */
static int has_lookahead(const re_node *node) {
  if (node->kind == RE_NODE_LOOK) {
    return node->look == CFGATE_RE_LOOK_AHEAD || node->look == CFGATE_RE_LOOK_NOT_AHEAD ||
           has_lookahead(node->children[0]);
  }
  if (node->kind == RE_NODE_ASSERT) {
    return node->assertion == CFGATE_RE_ASSERT_END_NEWLINE || node->assertion == CFGATE_RE_ASSERT_LINE_END ||
           node->assertion == CFGATE_RE_ASSERT_WORD_IGNORE_CASE ||
           node->assertion == CFGATE_RE_ASSERT_NOT_WORD_IGNORE_CASE;
  }
  for (size_t i = 0; i < node->child_count; i++) {
    if (has_lookahead(node->children[i])) return 1;
  }
  return 0;
}

static re_term_id convert(re_dfa_builder *b, const re_node *node, re_term_id k);

/* Returns node without the groups, and the sequences or alternations of one
 * child, around it: the DFA keeps no captures. */
static const re_node *ungrouped(const re_node *node) {
  while (node->kind == RE_NODE_GROUP ||
         ((node->kind == RE_NODE_CONCAT || node->kind == RE_NODE_ALTERNATE) && node->child_count == 1))
    node = node->children[0];
  return node;
}

/* Returns the class of x when node is a repeat x{m,n} of one class, else NULL. */
static const re_charset *repeated_class(const re_node *node) {
  node = ungrouped(node);
  if (node->kind != RE_NODE_REPEAT) return NULL;

  const re_node *child = ungrouped(node->children[0]);
  return child->kind == RE_NODE_CLASS ? &child->set : NULL;
}

/* A sequence of the pattern, and whether the search's "any code points"
 * comes right before its first child (open_start) or any bytes right after
 * its last (open_end). */
typedef struct re_sequence {
  const re_node *concat;
  int open_start, open_end;
} re_sequence;

/* Returns 1 when child i of the sequence is a bounded repeat y{m,n} that
 * sits next to an unbounded repeat x{k,} whose class contains y's class:
 * an unbounded repeat of the same sequence, or the search's own "anything"
 * before or after the pattern. Then x{k,}y{m,n} matches what x{k,}y{m}
 * matches (the extra copies of y are copies of x), and y{m} needs no
 * counter in the DFA. Schemas write such patterns ([\w]+[\w.]{1,256}, or
 * [a-z-]{1,255}$ without ^), whose counted DFA grows to hundreds of states. */
static int absorbed_repeat(const re_sequence *seq, size_t i) {
  const re_node *node = ungrouped(seq->concat->children[i]);
  const re_charset *set = repeated_class(node);
  size_t last = seq->concat->child_count - 1;
  if (!set || node->max == RE_REPEAT_INFINITE || node->max == node->min) return 0;
  if ((i == 0 && seq->open_start) || (i == last && seq->open_end)) return 1;

  for (size_t j = i ? i - 1 : i + 1; j <= i + 1 && j <= last; j += 2) {
    const re_node *next = ungrouped(seq->concat->children[j]);
    const re_charset *outer = repeated_class(next);
    if (outer && next->max == RE_REPEAT_INFINITE && re_charset_contains(outer, set)) return 1;
  }
  return 0;
}

/* x{min,max} k: without lookahead a repeat term, else unrolled so every copy
 * gets its own continuation. */
static re_term_id convert_repeat(re_dfa_builder *b, const re_node *child, uint32_t min, uint32_t max,
                                 re_term_id k) {
  re_terms *t = &b->terms;

  if (!has_lookahead(child)) {
    re_term_id body = convert(b, child, RE_TERM_ID_EPSILON);
    return re_term_concat(t, re_term_repeat(t, body, min, max == RE_REPEAT_INFINITE ? RE_TERM_INFINITE : max), k);
  }
  if (max == RE_REPEAT_INFINITE) {
    b->reason = CFGATE_RE_REASON_LOOKAROUND;
    return RE_TERM_ID_EMPTY;
  }

  re_term_id tail = k;
  for (uint32_t i = min; i < max; i++) tail = re_term_alternate(t, k, convert(b, child, tail));
  for (uint32_t i = 0; i < min; i++) tail = convert(b, child, tail);
  return tail;
}

/* Converts node, a repeat. (x{a,}){m,n} is x{a*m,} when m >= 1, and x* when
 * m = 0 and a <= 1: a stacked quantifier such as [a-z]+{1,255} then needs
 * no counter. */
static re_term_id convert_repeat_node(re_dfa_builder *b, const re_node *node, re_term_id k) {
  const re_node *child = ungrouped(node->children[0]);

  if (child->kind == RE_NODE_REPEAT && child->max == RE_REPEAT_INFINITE && node->max > 0) {
    uint64_t min = (uint64_t)child->min * node->min;
    if (node->min >= 1 && min <= RE_MAX_REPEAT)
      return convert_repeat(b, child->children[0], (uint32_t)min, RE_REPEAT_INFINITE, k);
    if (node->min == 0 && child->min <= 1)
      return convert_repeat(b, child->children[0], 0, RE_REPEAT_INFINITE, k);
  }
  return convert_repeat(b, child, node->min, node->max, k);
}

/* Converts the children of the sequence from the last, so each one's
 * continuation is the rest. */
static re_term_id convert_sequence(re_dfa_builder *b, const re_sequence *seq, re_term_id k) {
  for (size_t i = seq->concat->child_count; i > 0; i--) {
    const re_node *child = seq->concat->children[i - 1];
    if (absorbed_repeat(seq, i - 1)) {
      const re_node *repeat = ungrouped(child);
      k = convert_repeat(b, repeat->children[0], repeat->min, repeat->min, k);
    } else {
      k = convert(b, child, k);
    }
  }
  return k;
}

/* Converts one top-level branch of the pattern, which the search's
 * "anything" surrounds. */
static re_term_id convert_branch(re_dfa_builder *b, const re_node *branch) {
  const re_node *node = ungrouped(branch);
  re_node single = {0};
  const re_node *children[1] = {branch};

  if (node->kind != RE_NODE_CONCAT) {
    single.kind = RE_NODE_CONCAT;
    single.children = (re_node **)children;
    single.child_count = 1;
    node = &single;
  }
  re_sequence seq = {node, 1, 1};
  return convert_sequence(b, &seq, RE_TERM_ID_TOP);
}

/* Converts the pattern, searched for anywhere in the string: each branch
 * of a top-level alternation is surrounded by "anything". */
static re_term_id convert_search(re_dfa_builder *b, const re_node *root) {
  const re_node *node = ungrouped(root);
  re_term_id result = RE_TERM_ID_EMPTY;

  if (node->kind != RE_NODE_ALTERNATE) return convert_branch(b, root);
  for (size_t i = 0; i < node->child_count; i++)
    result = re_term_alternate(&b->terms, result, convert_branch(b, node->children[i]));
  return result;
}

/* Returns the term of the class made of count code point ranges. */
static re_term_id class_of_ranges(re_dfa_builder *b, const uint32_t (*ranges)[2], size_t count) {
  re_charset set = {0};

  for (size_t i = 0; i < count; i++) {
    if (re_charset_add(&set, ranges[i][0], ranges[i][1]) < 0) {
      re_charset_free(&set);
      b->terms.failed = 1;
      return RE_TERM_ID_EMPTY;
    }
  }
  re_charset_normalize(&set);
  re_term_id term = convert_class(b, &set);
  re_charset_free(&set);
  return term;
}

/* The four ECMA-262 line terminators as UTF-8 sequences. */
static re_term_id line_terminator(re_dfa_builder *b) {
  static const uint32_t ranges[][2] = {{'\n', '\n'}, {'\r', '\r'}, {0x2028, 0x2029}};
  return class_of_ranges(b, ranges, sizeof ranges / sizeof *ranges);
}

/* Multiline ^ is (?<=^|[\n\r\u2028\u2029]): the start, or a lookbehind
 * tracker of the line terminators, registered once per pattern. */
static re_term_id convert_line_begin(re_dfa_builder *b, re_term_id k) {
  re_terms *t = &b->terms;

  if (b->line_tracker < 0) {
    re_term_id tracked = re_term_concat(t, RE_TERM_ID_TOP, line_terminator(b));
    b->line_tracker = (int)b->tracker_count;
    if (re_dfa_add_tracker(b, tracked) < 0) return RE_TERM_ID_EMPTY;
  }
  re_term_id begin = re_term_assert(t, CFGATE_RE_ASSERT_BEGIN);
  re_term_id after_line = re_term_behind(t, (uint32_t)b->line_tracker, 0);
  return re_term_concat(t, re_term_alternate(t, begin, after_line), k);
}

/* Multiline $ is (?=[\n\r\u2028\u2029]|$), because U+2028 takes three bytes to recognize. */
static re_term_id convert_line_end(re_dfa_builder *b, re_term_id k) {
  re_terms *t = &b->terms;
  re_term_id ahead = re_term_alternate(t, line_terminator(b), re_term_assert(t, CFGATE_RE_ASSERT_END));

  return re_term_and(t, re_term_concat(t, ahead, RE_TERM_ID_TOP), k);
}

/* Returns the term of the word characters of \b under (?i): [0-9A-Z_a-z], U+017F and U+212A. */
static re_term_id folded_word_class(re_dfa_builder *b) {
  static const uint32_t ranges[][2] = {{'0', '9'}, {'A', 'Z'}, {'_', '_'},
                                       {'a', 'z'}, {0x17F, 0x17F}, {0x212A, 0x212A}};
  return class_of_ranges(b, ranges, sizeof ranges / sizeof *ranges);
}

/* Converts \b or \B under (?i), where U+017F and U+212A are word characters.
 * Their first bytes start other characters too, so one byte on each side
 * cannot decide the assertion. It becomes lookaround on the word class W:
 * \b is (?<=W)(?!W)|(?<!W)(?=W) and \B is (?<=W)(?=W)|(?<!W)(?!W), with one
 * lookbehind tracker of W per pattern. */
static re_term_id convert_folded_word(re_dfa_builder *b, int assertion, re_term_id k) {
  re_terms *t = &b->terms;
  re_term_id word = folded_word_class(b);

  if (b->word_tracker < 0) {
    re_term_id tracked = re_term_concat(t, RE_TERM_ID_TOP, word);
    b->word_tracker = (int)b->tracker_count;
    if (re_dfa_add_tracker(b, tracked) < 0) return RE_TERM_ID_EMPTY;
  }
  re_term_id word_ahead = re_term_and(t, re_term_concat(t, word, RE_TERM_ID_TOP), k);
  re_term_id other_ahead = re_term_and(t, re_term_not(t, re_term_concat(t, word, RE_TERM_ID_TOP)), k);
  re_term_id after_word = re_term_behind(t, (uint32_t)b->word_tracker, 0);
  re_term_id after_other = re_term_behind(t, (uint32_t)b->word_tracker, 1);
  int boundary = assertion == CFGATE_RE_ASSERT_WORD_IGNORE_CASE;

  return re_term_alternate(t, re_term_concat(t, after_word, boundary ? other_ahead : word_ahead),
                           re_term_concat(t, after_other, boundary ? word_ahead : other_ahead));
}

static re_term_id convert_assert(re_dfa_builder *b, int assertion, re_term_id k) {
  re_terms *t = &b->terms;

  if (assertion == CFGATE_RE_ASSERT_WORD || assertion == CFGATE_RE_ASSERT_NOT_WORD) b->uses_word = 1;
  if (assertion == CFGATE_RE_ASSERT_WORD_IGNORE_CASE || assertion == CFGATE_RE_ASSERT_NOT_WORD_IGNORE_CASE)
    return convert_folded_word(b, assertion, k);
  if (assertion == CFGATE_RE_ASSERT_LINE_BEGIN) return convert_line_begin(b, k);
  if (assertion == CFGATE_RE_ASSERT_LINE_END) return convert_line_end(b, k);
  if (assertion != CFGATE_RE_ASSERT_END_NEWLINE) return re_term_concat(t, re_term_assert(t, assertion), k);

  /* \Z is the lookahead (?=\n?\z). */
  re_term_id newline = re_term_alternate(t, RE_TERM_ID_EPSILON, re_term_bytes(t, '\n', '\n'));
  re_term_id end = re_term_concat(t, re_term_assert(t, CFGATE_RE_ASSERT_END), RE_TERM_ID_TOP);
  return re_term_and(t, re_term_concat(t, newline, end), k);
}

static re_term_id convert_look(re_dfa_builder *b, const re_node *node, re_term_id k) {
  const re_node *body = node->children[0];
  re_terms *t = &b->terms;

  if (node->look == CFGATE_RE_LOOK_AHEAD || node->look == CFGATE_RE_LOOK_NOT_AHEAD) {
    re_term_id ahead = convert(b, body, RE_TERM_ID_TOP);
    if (node->look == CFGATE_RE_LOOK_NOT_AHEAD) ahead = re_term_not(t, ahead);
    return re_term_and(t, ahead, k);
  }

  if (has_lookahead(body)) {
    b->reason = CFGATE_RE_REASON_LOOKAROUND;
    return RE_TERM_ID_EMPTY;
  }
  /* Nested lookbehinds register their trackers while the body converts, so
   * this tracker's index is taken afterwards. */
  re_term_id tracked = re_term_concat(t, RE_TERM_ID_TOP, convert(b, body, RE_TERM_ID_EPSILON));
  uint32_t tracker = (uint32_t)b->tracker_count;
  if (re_dfa_add_tracker(b, tracked) < 0) return RE_TERM_ID_EMPTY;
  return re_term_concat(t, re_term_behind(t, tracker, node->look == CFGATE_RE_LOOK_NOT_BEHIND), k);
}

static re_term_id convert(re_dfa_builder *b, const re_node *node, re_term_id k) {
  re_term_id result = RE_TERM_ID_EMPTY;

  if (b->reason != 0) return RE_TERM_ID_EMPTY;
  switch (node->kind) {
  case RE_NODE_EMPTY:
    return k;
  case RE_NODE_CLASS:
    return re_term_concat(&b->terms, convert_class(b, &node->set), k);
  case RE_NODE_CONCAT: {
    re_sequence seq = {node, 0, 0};
    return convert_sequence(b, &seq, k);
  }
  case RE_NODE_ALTERNATE:
    for (size_t i = 0; i < node->child_count; i++) {
      result = re_term_alternate(&b->terms, result, convert(b, node->children[i], k));
    }
    return result;
  case RE_NODE_GROUP:
    return convert(b, node->children[0], k);
  case RE_NODE_REPEAT:
    return convert_repeat_node(b, node, k);
  case RE_NODE_ASSERT:
    return convert_assert(b, node->assertion, k);
  case RE_NODE_LOOK:
    return convert_look(b, node, k);
  case RE_NODE_BACKREF:
    b->reason = CFGATE_RE_REASON_BACKREFERENCE;
    return RE_TERM_ID_EMPTY;
  case RE_NODE_PLACEHOLDER:
    b->reason = CFGATE_RE_REASON_PLACEHOLDER;
    return RE_TERM_ID_EMPTY;
  }
  return RE_TERM_ID_EMPTY;
}

re_term_id re_dfa_convert(re_dfa_builder *b, const re_node *root) {
  re_charset all = {0};

  /* A JSON Schema pattern is a search: any code points may come before a
   * match and anything after it. The prefix consumes whole UTF-8 sequences,
   * so a match never starts inside one, where \B or a negative lookaround
   * would otherwise hold. */
  if (re_charset_add(&all, 0, RE_MAX_CODE_POINT) < 0) {
    b->terms.failed = 1;
    return RE_TERM_ID_EMPTY;
  }
  re_term_id prefix = re_term_star(&b->terms, convert_class(b, &all));
  re_charset_free(&all);
  return re_term_concat(&b->terms, prefix, convert_search(b, root));
}

int re_utf8_encode(uint32_t c, unsigned char *out) {
  if (c < 0x80) {
    out[0] = (unsigned char)c;
    return 1;
  }
  if (c < 0x800) {
    out[0] = (unsigned char)(0xC0 | (c >> 6));
    out[1] = (unsigned char)(0x80 | (c & 0x3F));
    return 2;
  }
  if (c < 0x10000) {
    out[0] = (unsigned char)(0xE0 | (c >> 12));
    out[1] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
    out[2] = (unsigned char)(0x80 | (c & 0x3F));
    return 3;
  }
  out[0] = (unsigned char)(0xF0 | (c >> 18));
  out[1] = (unsigned char)(0x80 | ((c >> 12) & 0x3F));
  out[2] = (unsigned char)(0x80 | ((c >> 6) & 0x3F));
  out[3] = (unsigned char)(0x80 | (c & 0x3F));
  return 4;
}
