/* Interning and normalizing constructors of byte-level terms. */
#include "re_term.h"

#include <stdlib.h>
#include <string.h>

static uint32_t hash_term(const re_term *t) {
  uint32_t h = 2166136261u;
  uint32_t fields[5] = {t->kind, t->a, t->b, t->min, t->max};
  for (int i = 0; i < 5; i++) {
    h = (h ^ fields[i]) * 16777619u;
    h ^= h >> 15;
  }
  return h;
}

static int same_term(const re_term *x, const re_term *y) {
  return x->kind == y->kind && x->a == y->a && x->b == y->b && x->min == y->min && x->max == y->max;
}

static int grow_slots(re_terms *terms) {
  size_t count = terms->slot_count ? terms->slot_count * 2 : 1024;
  uint32_t *slots = calloc(count, sizeof *slots);
  if (!slots) return -1;

  for (size_t i = 0; i < terms->count; i++) {
    size_t slot = hash_term(&terms->items[i]) & (count - 1);
    while (slots[slot]) slot = (slot + 1) & (count - 1);
    slots[slot] = (uint32_t)i + 1;
  }
  free(terms->slots);
  terms->slots = slots;
  terms->slot_count = count;
  return 0;
}

static int append_term(re_terms *terms, const re_term *t) {
  if (terms->count == terms->capacity) {
    size_t capacity = terms->capacity ? terms->capacity * 2 : 1024;
    re_term *items = realloc(terms->items, capacity * sizeof *items);
    if (!items) return -1;
    terms->items = items;
    terms->capacity = capacity;
  }
  terms->items[terms->count++] = *t;
  return 0;
}

static re_term_id intern(re_terms *terms, uint8_t kind, uint32_t a, uint32_t b, uint32_t min, uint32_t max) {
  re_term t = {kind, a, b, min, max};

  if (terms->failed) return RE_TERM_ID_EMPTY;
  if ((terms->count + 1) * 2 > terms->slot_count && grow_slots(terms) < 0) goto fail;
  size_t slot = hash_term(&t) & (terms->slot_count - 1);
  while (terms->slots[slot]) {
    re_term_id id = terms->slots[slot] - 1;
    if (same_term(&terms->items[id], &t)) return id;
    slot = (slot + 1) & (terms->slot_count - 1);
  }

  if (terms->count >= terms->limit || append_term(terms, &t) < 0) goto fail;
  terms->slots[slot] = (uint32_t)terms->count;
  return (re_term_id)terms->count - 1;

fail:
  terms->failed = 1;
  return RE_TERM_ID_EMPTY;
}

int re_terms_init(re_terms *terms, size_t limit) {
  memset(terms, 0, sizeof *terms);
  terms->limit = limit;
  intern(terms, RE_TERM_EMPTY, 0, 0, 0, 0);
  intern(terms, RE_TERM_EPSILON, 0, 0, 0, 0);
  intern(terms, RE_TERM_BYTES, 0, 255, 0, 0);
  intern(terms, RE_TERM_STAR, RE_TERM_ID_ANY_BYTE, 0, 0, 0);
  return terms->failed ? -1 : 0;
}

void re_terms_free(re_terms *terms) {
  free(terms->items);
  free(terms->slots);
  free(terms->scratch);
  memset(terms, 0, sizeof *terms);
}

re_term_id re_term_bytes(re_terms *terms, uint8_t low, uint8_t high) {
  return intern(terms, RE_TERM_BYTES, low, high, 0, 0);
}

re_term_id re_term_concat(re_terms *terms, re_term_id a, re_term_id b) {
  if (a == RE_TERM_ID_EMPTY || b == RE_TERM_ID_EMPTY) return RE_TERM_ID_EMPTY;
  if (a == RE_TERM_ID_EPSILON) return b;
  if (b == RE_TERM_ID_EPSILON) return a;
  if (a == b && terms->items[a].kind == RE_TERM_STAR) return a;

  const re_term *first = &terms->items[a];
  if (first->kind == RE_TERM_CONCAT) {
    re_term_id head = first->a, tail = first->b;
    return re_term_concat(terms, head, re_term_concat(terms, tail, b));
  }
  if (a == RE_TERM_ID_TOP && terms->items[b].kind == RE_TERM_CONCAT && terms->items[b].a == RE_TERM_ID_TOP) {
    return b;
  }
  return intern(terms, RE_TERM_CONCAT, a, b, 0, 0);
}

static int push_scratch(re_terms *terms, re_term_id id) {
  if (terms->scratch_count == terms->scratch_capacity) {
    size_t capacity = terms->scratch_capacity ? terms->scratch_capacity * 2 : 64;
    re_term_id *scratch = realloc(terms->scratch, capacity * sizeof *scratch);
    if (!scratch) return -1;
    terms->scratch = scratch;
    terms->scratch_capacity = capacity;
  }
  terms->scratch[terms->scratch_count++] = id;
  return 0;
}

/* Pushes the operands of a right-nested chain of kind onto the scratch stack. */
static int flatten(re_terms *terms, uint8_t kind, re_term_id id) {
  while (terms->items[id].kind == kind) {
    if (push_scratch(terms, terms->items[id].a) < 0) return -1;
    id = terms->items[id].b;
  }
  return push_scratch(terms, id);
}

static int compare_ids(const void *a, const void *b) {
  re_term_id x = *(const re_term_id *)a, y = *(const re_term_id *)b;
  return (x > y) - (x < y);
}

/* Builds a sorted, duplicate-free chain of kind from scratch[base..],
 * dropping neutral operands. */
static re_term_id build_chain(re_terms *terms, uint8_t kind, size_t base, re_term_id neutral) {
  re_term_id *items = terms->scratch + base;
  size_t n = terms->scratch_count - base, out = 0;

  qsort(items, n, sizeof *items, compare_ids);
  for (size_t i = 0; i < n; i++) {
    if (items[i] == neutral || (out > 0 && items[out - 1] == items[i])) continue;
    items[out++] = items[i];
  }
  terms->scratch_count = base;
  if (out == 0) return neutral;

  re_term_id result = items[out - 1];
  for (size_t i = out - 1; i > 0; i--) result = intern(terms, kind, items[i - 1], result, 0, 0);
  return result;
}

static re_term_id combine(re_terms *terms, uint8_t kind, re_term_id a, re_term_id b, re_term_id absorbing,
                          re_term_id neutral) {
  size_t base = terms->scratch_count;

  if (a == b) return a;
  if (flatten(terms, kind, a) < 0 || flatten(terms, kind, b) < 0) {
    terms->scratch_count = base;
    terms->failed = 1;
    return RE_TERM_ID_EMPTY;
  }
  for (size_t i = base; i < terms->scratch_count; i++) {
    if (terms->scratch[i] == absorbing) {
      terms->scratch_count = base;
      return absorbing;
    }
  }
  return build_chain(terms, kind, base, neutral);
}

re_term_id re_term_alternate(re_terms *terms, re_term_id a, re_term_id b) {
  if (a == RE_TERM_ID_EMPTY) return b;
  if (b == RE_TERM_ID_EMPTY) return a;
  return combine(terms, RE_TERM_ALTERNATE, a, b, RE_TERM_ID_TOP, RE_TERM_ID_EMPTY);
}

re_term_id re_term_and(re_terms *terms, re_term_id a, re_term_id b) {
  if (a == RE_TERM_ID_TOP) return b;
  if (b == RE_TERM_ID_TOP) return a;
  if (a == RE_TERM_ID_EMPTY || b == RE_TERM_ID_EMPTY) return RE_TERM_ID_EMPTY;
  return combine(terms, RE_TERM_AND, a, b, RE_TERM_ID_EMPTY, RE_TERM_ID_TOP);
}

re_term_id re_term_not(re_terms *terms, re_term_id a) {
  if (terms->items[a].kind == RE_TERM_NOT) return terms->items[a].a;
  if (a == RE_TERM_ID_EMPTY) return RE_TERM_ID_TOP;
  if (a == RE_TERM_ID_TOP) return RE_TERM_ID_EMPTY;
  return intern(terms, RE_TERM_NOT, a, 0, 0, 0);
}

re_term_id re_term_star(re_terms *terms, re_term_id a) {
  if (a == RE_TERM_ID_EMPTY || a == RE_TERM_ID_EPSILON) return RE_TERM_ID_EPSILON;
  if (terms->items[a].kind == RE_TERM_STAR) return a;
  return intern(terms, RE_TERM_STAR, a, 0, 0, 0);
}

re_term_id re_term_repeat(re_terms *terms, re_term_id a, uint32_t min, uint32_t max) {
  if (max == 0 || a == RE_TERM_ID_EPSILON) return RE_TERM_ID_EPSILON;
  if (a == RE_TERM_ID_EMPTY) return min == 0 ? RE_TERM_ID_EPSILON : RE_TERM_ID_EMPTY;
  if (min == 1 && max == 1) return a;
  if (terms->items[a].kind == RE_TERM_STAR) return a; /* (x*){m,n} is x* for n >= 1 */
  if (min == 0 && max == RE_TERM_INFINITE) return re_term_star(terms, a);
  return intern(terms, RE_TERM_REPEAT, a, 0, min, max);
}

re_term_id re_term_assert(re_terms *terms, int assertion) {
  return intern(terms, RE_TERM_ASSERT, (uint32_t)assertion, 0, 0, 0);
}

re_term_id re_term_behind(re_terms *terms, uint32_t tracker, int negated) {
  return intern(terms, RE_TERM_BEHIND, tracker, (uint32_t)negated, 0, 0);
}
