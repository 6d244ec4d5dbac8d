/*
 * Hash-consed regular expressions over bytes, with intersection, complement
 * and context-dependent zero-width atoms. Brzozowski derivatives of these
 * terms are the states of the byte DFA (re_dfa.c). Constructors normalize
 * alternation and intersection (flattened, sorted, duplicates removed) so
 * the set of derivatives is finite.
 */
#ifndef RE_TERM_H
#define RE_TERM_H

#include <stddef.h>
#include <stdint.h>

typedef uint32_t re_term_id;

typedef enum re_term_kind {
  RE_TERM_EMPTY,     /* matches nothing */
  RE_TERM_EPSILON,   /* the empty string */
  RE_TERM_BYTES,     /* one byte in [a, b] */
  RE_TERM_CONCAT,    /* a then b */
  RE_TERM_ALTERNATE, /* a or b */
  RE_TERM_AND,       /* a and b */
  RE_TERM_NOT,       /* every byte string a does not match */
  RE_TERM_STAR,      /* a zero or more times */
  RE_TERM_REPEAT,    /* a min..max times, max may be RE_TERM_INFINITE */
  RE_TERM_ASSERT,    /* zero-width CFGATE_RE_ASSERT_* a */
  RE_TERM_BEHIND     /* zero-width: lookbehind tracker a matches here (b = 1: does not) */
} re_term_kind;

#define RE_TERM_INFINITE UINT32_MAX

/* Fixed ids of the terms every store starts with. */
enum { RE_TERM_ID_EMPTY = 0, RE_TERM_ID_EPSILON = 1, RE_TERM_ID_ANY_BYTE = 2, RE_TERM_ID_TOP = 3 };

typedef struct re_term {
  uint8_t kind;
  uint32_t a, b;
  uint32_t min, max;
} re_term;

typedef struct re_terms {
  re_term *items;
  size_t count;
  size_t capacity;
  uint32_t *slots; /* open addressing hash table of ids + 1, 0 is free */
  size_t slot_count;
  size_t limit;    /* maximum number of terms */
  int failed;      /* memory or the limit ran out: every constructor returns EMPTY */
  re_term_id *scratch;
  size_t scratch_count;
  size_t scratch_capacity;
} re_terms;

/* Starts a store with at most limit terms. Returns 0 or -1. */
int re_terms_init(re_terms *terms, size_t limit);
void re_terms_free(re_terms *terms);

re_term_id re_term_bytes(re_terms *terms, uint8_t low, uint8_t high);
re_term_id re_term_concat(re_terms *terms, re_term_id a, re_term_id b);
re_term_id re_term_alternate(re_terms *terms, re_term_id a, re_term_id b);
re_term_id re_term_and(re_terms *terms, re_term_id a, re_term_id b);
re_term_id re_term_not(re_terms *terms, re_term_id a);
re_term_id re_term_star(re_terms *terms, re_term_id a);
re_term_id re_term_repeat(re_terms *terms, re_term_id a, uint32_t min, uint32_t max);
re_term_id re_term_assert(re_terms *terms, int assertion);
re_term_id re_term_behind(re_terms *terms, uint32_t tracker, int negated);

#endif /* RE_TERM_H */
