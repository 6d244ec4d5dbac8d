/*
 * DFA exploration over derivatives. A state is the tuple (main term,
 * lookbehind tracker terms, context bits). The context bits record what the
 * zero-width assertions need to know about the previous byte. Byte classes
 * are the intervals between all byte range boundaries, merged afterwards
 * when their transition columns are equal.
 */
#include "re_dfa_internal.h"
#include "re_derive_cache.h"

#include <stdlib.h>
#include <string.h>

enum { CONTEXT_AT_START = 1, CONTEXT_PREVIOUS_WORD = 2 };
#define NEXT_AT_END (-1)

typedef struct step_context {
  re_dfa_builder *builder;
  uint32_t context;          /* CONTEXT_* bits of the current state */
  int next;                  /* next byte, or NEXT_AT_END */
  unsigned cls;              /* byte class of next, for the derivative cache */
  const re_term_id *trackers;
  uint32_t generation;
  uint32_t *nullable_generation; /* memo of nullable() per term id */
  uint8_t *nullable_value;
  uint32_t *derive_generation;   /* memo of derive() per term id */
  re_term_id *derive_value;
  uint8_t *purity;               /* per term id: 0 not known yet, 1 context-free, 2 not */
  uint8_t *pure_nullable;        /* per context-free term id: 0 not known yet, 1 no, 2 yes */
  size_t memo_capacity;
  re_derive_cache cache;         /* derivatives of context-free terms, kept across steps */
  uint64_t work;                 /* derivatives computed, bounded by RE_DFA_MAX_WORK */
} step_context;

typedef struct state_table {
  uint32_t *keys;      /* width words per state */
  size_t width;
  size_t count;
  size_t capacity;
  uint32_t *slots;     /* hash table of state index + 1 */
  size_t slot_count;
} state_table;

int re_dfa_add_tracker(re_dfa_builder *b, re_term_id tracker) {
  if (b->tracker_count >= RE_DFA_MAX_TRACKERS) {
    b->reason = CFGATE_RE_REASON_LOOKAROUND;
    return -1;
  }
  b->trackers[b->tracker_count++] = tracker;
  return 0;
}

static int is_word_byte(int c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}

static int nullable(step_context *s, re_term_id id);

static int assertion_holds(step_context *s, int assertion) {
  int next_word = s->next != NEXT_AT_END && is_word_byte(s->next);

  switch (assertion) {
  case CFGATE_RE_ASSERT_BEGIN:
    return (s->context & CONTEXT_AT_START) != 0;
  case CFGATE_RE_ASSERT_END:
    return s->next == NEXT_AT_END;
  case CFGATE_RE_ASSERT_WORD:
    return ((s->context & CONTEXT_PREVIOUS_WORD) != 0) != next_word;
  case CFGATE_RE_ASSERT_NOT_WORD:
    return ((s->context & CONTEXT_PREVIOUS_WORD) != 0) == next_word;
  default:
    return 0;
  }
}

static int compute_nullable(step_context *s, const re_term *t) {
  switch (t->kind) {
  case RE_TERM_EPSILON:
  case RE_TERM_STAR:
    return 1;
  case RE_TERM_CONCAT:
    return nullable(s, t->a) && nullable(s, t->b);
  case RE_TERM_ALTERNATE:
    return nullable(s, t->a) || nullable(s, t->b);
  case RE_TERM_AND:
    return nullable(s, t->a) && nullable(s, t->b);
  case RE_TERM_NOT:
    return !nullable(s, t->a);
  case RE_TERM_REPEAT:
    return t->min == 0 || nullable(s, t->a);
  case RE_TERM_ASSERT:
    return assertion_holds(s, (int)t->a);
  case RE_TERM_BEHIND:
    return nullable(s, s->trackers[t->a]) != (int)t->b;
  default:
    return 0;
  }
}

/* Returns 1 when the derivative of term id depends on the byte only: no
 * assertion or lookbehind inside, whose truth depends on the state. */
static int context_free(step_context *s, re_term_id id) {
  if (s->purity[id] != 0) return s->purity[id] == 1;

  const re_term *t = &s->builder->terms.items[id];
  int pure;
  switch (t->kind) {
  case RE_TERM_ASSERT:
  case RE_TERM_BEHIND:
    pure = 0;
    break;
  case RE_TERM_CONCAT:
  case RE_TERM_ALTERNATE:
  case RE_TERM_AND:
    pure = context_free(s, t->a) && context_free(s, t->b);
    break;
  case RE_TERM_NOT:
  case RE_TERM_STAR:
  case RE_TERM_REPEAT:
    pure = context_free(s, t->a);
    break;
  default:
    pure = 1;
    break;
  }
  s->purity[id] = pure ? 1 : 2;
  return pure;
}

static int nullable(step_context *s, re_term_id id) {
  if (id >= s->memo_capacity) return compute_nullable(s, &s->builder->terms.items[id]);
  if (s->nullable_generation[id] == s->generation) return s->nullable_value[id];
  if (s->pure_nullable[id] != 0) return s->pure_nullable[id] == 2;

  re_term t = s->builder->terms.items[id];
  int value = compute_nullable(s, &t);
  s->nullable_generation[id] = s->generation;
  s->nullable_value[id] = (uint8_t)value;
  if (context_free(s, id)) s->pure_nullable[id] = value ? 2 : 1;
  return value;
}

static re_term_id derive(step_context *s, re_term_id id);

static re_term_id compute_derive(step_context *s, re_term_id id, re_term t) {
  re_terms *terms = &s->builder->terms;

  if (++s->work > RE_DFA_MAX_WORK) terms->failed = 1;
  if (terms->failed) return RE_TERM_ID_EMPTY;
  switch (t.kind) {
  case RE_TERM_BYTES:
    return s->next >= (int)t.a && s->next <= (int)t.b ? RE_TERM_ID_EPSILON : RE_TERM_ID_EMPTY;
  case RE_TERM_CONCAT: {
    re_term_id result = re_term_concat(terms, derive(s, t.a), t.b);
    if (nullable(s, t.a)) result = re_term_alternate(terms, result, derive(s, t.b));
    return result;
  }
  case RE_TERM_ALTERNATE:
    return re_term_alternate(terms, derive(s, t.a), derive(s, t.b));
  case RE_TERM_AND:
    return re_term_and(terms, derive(s, t.a), derive(s, t.b));
  case RE_TERM_NOT:
    return re_term_not(terms, derive(s, t.a));
  case RE_TERM_STAR:
    return re_term_concat(terms, derive(s, t.a), id);
  case RE_TERM_REPEAT: {
    /* Copies of a that match empty here, before the copy that reads the byte, count towards
     * min. That matters where an assertion decides it: (^a?){2} reads "a" as ^ then ^a. */
    uint32_t min = t.min && !nullable(s, t.a) ? t.min - 1 : 0;
    uint32_t max = t.max == RE_TERM_INFINITE ? t.max : t.max - 1;
    return re_term_concat(terms, derive(s, t.a), re_term_repeat(terms, t.a, min, max));
  }
  default:
    return RE_TERM_ID_EMPTY;
  }
}

static re_term_id derive(step_context *s, re_term_id id) {
  if (id >= s->memo_capacity) return compute_derive(s, id, s->builder->terms.items[id]);
  if (s->derive_generation[id] == s->generation) return s->derive_value[id];

  re_term_id value;
  int cached = context_free(s, id);
  if (!cached || !re_derive_cache_find(&s->cache, id, s->cls, &value)) {
    value = compute_derive(s, id, s->builder->terms.items[id]);
    if (cached && !s->builder->terms.failed && re_derive_cache_store(&s->cache, id, s->cls, value) < 0)
      s->builder->terms.failed = 1;
  }
  s->derive_generation[id] = s->generation;
  s->derive_value[id] = value;
  return value;
}

/* Grows the memo arrays to cover every existing term and starts a new generation. */
static int begin_step(step_context *s, uint32_t context, int next, const re_term_id *trackers) {
  size_t needed = s->builder->terms.count;

  if (needed > s->memo_capacity) {
    size_t capacity = needed * 2;
    uint32_t *ng = realloc(s->nullable_generation, capacity * sizeof *ng);
    if (ng) s->nullable_generation = ng;
    uint8_t *nv = realloc(s->nullable_value, capacity);
    if (nv) s->nullable_value = nv;
    uint32_t *dg = realloc(s->derive_generation, capacity * sizeof *dg);
    if (dg) s->derive_generation = dg;
    re_term_id *dv = realloc(s->derive_value, capacity * sizeof *dv);
    if (dv) s->derive_value = dv;
    uint8_t *pv = realloc(s->purity, capacity);
    if (pv) s->purity = pv;
    uint8_t *pn = realloc(s->pure_nullable, capacity);
    if (pn) s->pure_nullable = pn;
    if (!ng || !nv || !dg || !dv || !pv || !pn) return -1;
    memset(pv + s->memo_capacity, 0, capacity - s->memo_capacity);
    memset(pn + s->memo_capacity, 0, capacity - s->memo_capacity);
    memset(ng + s->memo_capacity, 0, (capacity - s->memo_capacity) * sizeof *ng);
    memset(dg + s->memo_capacity, 0, (capacity - s->memo_capacity) * sizeof *dg);
    s->memo_capacity = capacity;
  }

  s->generation++;
  s->context = context;
  s->next = next;
  s->trackers = trackers;
  return 0;
}

static uint32_t hash_key(const uint32_t *key, size_t width) {
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < width; i++) h = (h ^ key[i]) * 16777619u;
  return h ^ (h >> 16);
}

static int grow_states(state_table *table) {
  size_t slot_count = table->slot_count ? table->slot_count * 2 : 256;
  uint32_t *slots = calloc(slot_count, sizeof *slots);
  if (!slots) return -1;

  for (size_t i = 0; i < table->count; i++) {
    size_t slot = hash_key(table->keys + i * table->width, table->width) & (slot_count - 1);
    while (slots[slot]) slot = (slot + 1) & (slot_count - 1);
    slots[slot] = (uint32_t)i + 1;
  }
  free(table->slots);
  table->slots = slots;
  table->slot_count = slot_count;
  return 0;
}

/* Returns the index of the state key, adding it when new; -1 when memory runs out. */
static long intern_state(state_table *table, const uint32_t *key) {
  if ((table->count + 1) * 2 > table->slot_count && grow_states(table) < 0) return -1;
  size_t slot = hash_key(key, table->width) & (table->slot_count - 1);
  for (; table->slots[slot]; slot = (slot + 1) & (table->slot_count - 1)) {
    size_t index = table->slots[slot] - 1;
    if (memcmp(table->keys + index * table->width, key, table->width * sizeof *key) == 0) return (long)index;
  }

  if (table->count == table->capacity) {
    size_t capacity = table->capacity ? table->capacity * 2 : 64;
    uint32_t *keys = realloc(table->keys, capacity * table->width * sizeof *keys);
    if (!keys) return -1;
    table->keys = keys;
    table->capacity = capacity;
  }
  memcpy(table->keys + table->count * table->width, key, table->width * sizeof *key);
  table->slots[slot] = (uint32_t)table->count + 1;
  return (long)table->count++;
}

typedef struct byte_partition {
  uint8_t class_of[256];
  int representative[256];
  unsigned count;
} byte_partition;

static void mark_range(uint8_t *starts, int low, int high) {
  starts[low] = 1;
  if (high < 255) starts[high + 1] = 1;
}

/* Splits the bytes into intervals on which every byte range term and every
 * context test gives the same result. */
static void partition_bytes(const re_dfa_builder *b, byte_partition *p) {
  uint8_t starts[256] = {1};

  for (size_t i = 0; i < b->terms.count; i++) {
    const re_term *t = &b->terms.items[i];
    if (t->kind == RE_TERM_BYTES) mark_range(starts, (int)t->a, (int)t->b);
  }
  if (b->uses_word) {
    mark_range(starts, '0', '9');
    mark_range(starts, 'A', 'Z');
    mark_range(starts, '_', '_');
    mark_range(starts, 'a', 'z');
  }
  mark_range(starts, '\n', '\n');
  mark_range(starts, '\r', '\r');

  p->count = 0;
  for (int c = 0; c < 256; c++) {
    if (starts[c]) p->representative[p->count++] = c;
    p->class_of[c] = (uint8_t)(p->count - 1);
  }
}

typedef struct explorer {
  re_dfa_builder *builder;
  step_context step;
  state_table table;
  byte_partition partition;
  uint32_t *transitions; /* [state capacity * partition.count], state indexes */
  size_t transition_capacity;
  uint32_t *key;         /* scratch key of table.width words */
  uint32_t *current;     /* copy of the state being expanded */
} explorer;

static void canonicalize(const explorer *e, uint32_t *key) {
  if (key[0] == RE_TERM_ID_EMPTY || key[0] == RE_TERM_ID_TOP) {
    memset(key + 1, 0, (e->table.width - 1) * sizeof *key);
  }
}

static uint32_t context_after(const re_dfa_builder *b, int c) {
  uint32_t context = 0;
  if (b->uses_word && is_word_byte(c)) context |= CONTEXT_PREVIOUS_WORD;
  return context;
}

static int store_transition(explorer *e, size_t state, unsigned cls, uint32_t target) {
  size_t index = state * e->partition.count + cls;

  if (index >= e->transition_capacity) {
    size_t capacity = e->transition_capacity ? e->transition_capacity * 2 : 1024;
    while (capacity <= index) capacity *= 2;
    uint32_t *transitions = realloc(e->transitions, capacity * sizeof *transitions);
    if (!transitions) return -1;
    e->transitions = transitions;
    e->transition_capacity = capacity;
  }
  e->transitions[index] = target;
  return 0;
}

/* Computes the successor of state e->current on byte class cls. */
static long successor(explorer *e, unsigned cls) {
  re_dfa_builder *b = e->builder;
  size_t width = e->table.width;
  int c = e->partition.representative[cls];

  if (begin_step(&e->step, e->current[width - 1], c, e->current + 1) < 0) return -1;
  e->step.cls = cls;
  e->key[0] = derive(&e->step, e->current[0]);
  for (size_t i = 0; i < b->tracker_count; i++) e->key[1 + i] = derive(&e->step, e->current[1 + i]);
  e->key[width - 1] = context_after(b, c);
  if (b->terms.failed) return -1;
  canonicalize(e, e->key);
  return intern_state(&e->table, e->key);
}

/* Breadth-first exploration. Returns 0, CFGATE_RE_REASON_DFA_TOO_LARGE, or -1. */
static int explore(explorer *e, re_term_id start, unsigned max_states) {
  size_t width = e->table.width;

  e->key[0] = start;
  for (size_t i = 0; i < e->builder->tracker_count; i++) e->key[1 + i] = e->builder->trackers[i];
  e->key[width - 1] = CONTEXT_AT_START;
  canonicalize(e, e->key);
  if (intern_state(&e->table, e->key) < 0) return -1;

  for (size_t state = 0; state < e->table.count; state++) {
    memcpy(e->current, e->table.keys + state * width, width * sizeof *e->current);
    for (unsigned cls = 0; cls < e->partition.count; cls++) {
      long target = successor(e, cls);
      if (target < 0) return e->builder->terms.failed ? CFGATE_RE_REASON_DFA_TOO_LARGE : -1;
      if (e->table.count > max_states) return CFGATE_RE_REASON_DFA_TOO_LARGE;
      if (store_transition(e, state, cls, (uint32_t)target) < 0) return -1;
    }
  }
  return 0;
}

static uint8_t state_flags(explorer *e, size_t state) {
  const uint32_t *key = e->table.keys + state * e->table.width;

  if (key[0] == RE_TERM_ID_EMPTY) return CFGATE_RE_STATE_DEAD;
  if (key[0] == RE_TERM_ID_TOP) return CFGATE_RE_STATE_MATCHED | CFGATE_RE_STATE_ACCEPT;
  if (begin_step(&e->step, key[e->table.width - 1], NEXT_AT_END, key + 1) < 0) return 0;
  return nullable(&e->step, key[0]) ? CFGATE_RE_STATE_ACCEPT : 0;
}

static int same_column(const explorer *e, unsigned x, unsigned y) {
  size_t n = e->partition.count;
  for (size_t s = 0; s < e->table.count; s++) {
    if (e->transitions[s * n + x] != e->transitions[s * n + y]) return 0;
  }
  return 1;
}

/* Merges byte classes with equal transition columns and writes the tables into re. */
static int emit_tables(explorer *e, cfgate_re *re) {
  unsigned n = e->partition.count, merged_of[256], first_of[256], merged = 0;

  for (unsigned c = 0; c < n; c++) {
    unsigned m = 0;
    while (m < merged && !same_column(e, first_of[m], c)) m++;
    if (m == merged) first_of[merged++] = c;
    merged_of[c] = m;
  }

  size_t states = e->table.count, cells = states * merged;
  int narrow = cells <= RE_DFA_NARROW_CELLS;
  uint8_t *classes = malloc(256);
  uint32_t *transitions = narrow ? NULL : malloc(cells * sizeof *transitions);
  uint16_t *transitions16 = narrow ? malloc(cells * sizeof *transitions16) : NULL;
  uint8_t *flags = malloc(states);
  if (!classes || (!transitions && !transitions16) || !flags) {
    free(classes);
    free(transitions);
    free(transitions16);
    free(flags);
    return -1;
  }

  for (int c = 0; c < 256; c++) classes[c] = (uint8_t)merged_of[e->partition.class_of[c]];
  for (size_t s = 0; s < states; s++) {
    for (unsigned m = 0; m < merged; m++) {
      uint32_t next = e->transitions[s * n + first_of[m]] * merged;
      if (narrow) transitions16[s * merged + m] = (uint16_t)next;
      else transitions[s * merged + m] = next;
    }
    flags[s] = state_flags(e, s);
  }

  re->engine = CFGATE_RE_ENGINE_DFA;
  re->class_count = merged;
  re->byte_classes = classes;
  re->state_count = (uint32_t)states;
  re->start_state = 0;
  re->transitions = transitions;
  re->transitions16 = transitions16;
  re->state_flags = flags;
  return 0;
}

static void explorer_free(explorer *e) {
  free(e->step.nullable_generation);
  free(e->step.nullable_value);
  free(e->step.derive_generation);
  free(e->step.derive_value);
  free(e->step.purity);
  free(e->step.pure_nullable);
  re_derive_cache_free(&e->step.cache);
  free(e->table.keys);
  free(e->table.slots);
  free(e->transitions);
  free(e->key);
  free(e->current);
  re_terms_free(&e->builder->terms);
}

int re_dfa_build(const re_ast *ast, unsigned max_states, cfgate_re *re) {
  re_dfa_builder builder = {.line_tracker = -1, .word_tracker = -1};
  explorer e = {.builder = &builder};
  int result = -1;

  e.step.builder = &builder;
  if (re_terms_init(&builder.terms, RE_DFA_MAX_TERMS) < 0) goto done;
  re_term_id start = re_dfa_convert(&builder, ast->root);
  if (builder.reason != 0 || builder.terms.failed) {
    result = builder.reason != 0 ? builder.reason : CFGATE_RE_REASON_DFA_TOO_LARGE;
    goto done;
  }

  partition_bytes(&builder, &e.partition);
  e.step.cache.classes = e.partition.count;
  e.table.width = 2 + builder.tracker_count;
  e.key = calloc(e.table.width, sizeof *e.key);
  e.current = calloc(e.table.width, sizeof *e.current);
  if (!e.key || !e.current) goto done;

  result = explore(&e, start, max_states);
  if (result == 0) result = emit_tables(&e, re);

done:
  explorer_free(&e);
  return result;
}
