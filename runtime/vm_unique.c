/*
 * uniqueItems: a canonical 64-bit hash of every item, computed while the item
 * streams by. Equal JSON values always hash equal (object members are summed
 * so their order does not matter, numbers hash their normalized exact form,
 * so 1 and 1.0 agree), so a duplicate is never missed. Two different values
 * may collide, which can only reject an array, never accept one.
 */
#include <string.h>

#include "session.h"

static uint64_t mix(uint64_t h) {
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

/* Arrays up to this many remembered items are searched linearly, so short
 * arrays never pay for clearing the hash index. */
#define VM_UNIQUE_LINEAR 32

/* Returns the index capacity: a power of two at least twice max_unique.
 * Sessions keep it in unique_capacity. The layout rejects a max_unique above
 * CFGATE_MAX_UNIQUE_LIMIT first, so the doubling cannot wrap. */
uint32_t vm_unique_capacity(uint32_t max_unique) {
  uint32_t capacity = 16;
  while (capacity < 2 * (uint64_t)max_unique)
    capacity *= 2;
  return capacity;
}

/* Bytes of one uniqueness table: item hashes and item numbers in arrival
 * order, then an open-addressing index of positions + 1 (0 is empty). */
size_t vm_unique_table_size(uint32_t max_unique) {
  return (size_t)max_unique * (sizeof(uint64_t) + sizeof(uint32_t)) +
         (size_t)vm_unique_capacity(max_unique) * sizeof(uint32_t);
}

/* Reserves the uniqueItems table of the array that just began. Returns its
 * arena offset, or NONE after reporting the limit when all tables are open. */
uint32_t vm_unique_table_open(cfgate_session *s) {
  if (s->unique_open >= s->unique_tables) {
    vm_limit(s, "too many uniqueItems arrays open at once (limit is %u)", s->unique_tables);
    return CFGATE_IR_NONE;
  }
  uint32_t offset = vm_arena_reserve(s, s->unique_table_size);
  if (offset != CFGATE_IR_NONE)
    s->unique_open++;
  return offset;
}

static uint64_t number_hash(const cfgate_number *n) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (uint32_t i = 0; i < n->count; i++)
    h = (h ^ n->digits[i]) * 0x100000001b3ull;
  h ^= (uint64_t)(uint32_t)n->exponent << 8;
  return mix(h ^ ((uint64_t)n->negative << 1) ^ 4);
}

/* Returns the hash of the scalar of the given type that has just ended. */
static uint64_t scalar_hash(const cfgate_session *s, uint32_t type) {
  switch (type) {
  case CFGATE_IR_TYPE_NULL:
    return mix(1);
  case CFGATE_IR_TYPE_BOOLEAN:
    return mix(s->boolean_value ? 2 : 3);
  case CFGATE_IR_TYPE_NUMBER:
    return number_hash(s->number);
  default:
    /* A string that coercion read as a boolean or number is that value, so
     * "10" and "1e1" are equal items. */
    if (s->coerced_boolean)
      return mix(s->coerced_boolean == 1 ? 2 : 3);
    if (s->coerced_kind == 1)
      return number_hash(&s->coerced_number);
    return mix(vm_string_hash_value(s) ^ (s->string_bytes << 3) ^ 5);
  }
}

/* Returns the hash of the value of the innermost level, which has just
 * ended. */
static uint64_t value_hash(const cfgate_session *s, const vm_level *level) {
  switch (level->type) {
  case CFGATE_IR_TYPE_OBJECT:
    return mix(level->hash ^ ((uint64_t)level->count << 3) ^ 6);
  case CFGATE_IR_TYPE_ARRAY:
  case VM_TYPE_UNKNOWN:
    return mix(level->hash ^ ((uint64_t)level->count << 3) ^ 7);
  default:
    return scalar_hash(s, level->type);
  }
}

typedef struct unique_table {
  uint64_t *hashes;
  uint32_t *items;
  uint32_t *index;
  uint32_t capacity;
} unique_table;

static unique_table table_of(cfgate_session *s, const vm_level *array) {
  uint32_t max = s->options.limits.max_unique;
  unique_table t;
  t.hashes = (uint64_t *)(void *)(s->arena + array->unique);
  t.items = (uint32_t *)(void *)(t.hashes + max);
  t.index = t.items + max;
  t.capacity = s->unique_capacity;
  return t;
}

/* Returns the position of h among the remembered items, or -1. When absent
 * and index_slot is not NULL, stores the free index slot for it. */
static long table_find(const unique_table *t, uint32_t count, uint64_t h, uint32_t *index_slot) {
  if (count <= VM_UNIQUE_LINEAR) {
    for (uint32_t i = 0; i < count; i++)
      if (t->hashes[i] == h)
        return (long)i;
    return -1;
  }
  for (uint32_t i = (uint32_t)h & (t->capacity - 1);; i = (i + 1) & (t->capacity - 1)) {
    if (t->index[i] == 0) {
      if (index_slot)
        *index_slot = i;
      return -1;
    }
    if (t->hashes[t->index[i] - 1] == h)
      return (long)t->index[i] - 1;
  }
}

static void index_add(unique_table *t, uint32_t count, uint32_t position) {
  uint32_t slot = 0;
  table_find(t, count, t->hashes[position], &slot);
  t->index[slot] = position + 1;
}

/* Remembers item hash h of the array level, noting the first duplicate.
 * It is not inlined, so fold() saves no registers for an object member. */
static __attribute__((noinline)) void unique_insert(cfgate_session *s, vm_level *array, uint64_t h) {
  unique_table t = table_of(s, array);
  uint32_t count = array->unique_count;

  long found = table_find(&t, count, h, NULL);
  if (found >= 0) {
    if (!array->duplicate) {
      array->duplicate = 1;
      array->duplicate_of = t.items[found];
      array->duplicate_at = array->count;
    }
    return;
  }
  if (count >= s->options.limits.max_unique) {
    vm_limit(s, "too many items for uniqueItems (limit is %u)", s->options.limits.max_unique);
    return;
  }

  t.hashes[count] = h;
  t.items[count] = array->count;
  array->unique_count = ++count;
  if (count == VM_UNIQUE_LINEAR + 1) {
    memset(t.index, 0, t.capacity * sizeof *t.index);
    for (uint32_t i = 0; i < count; i++)
      index_add(&t, count, i);
  } else if (count > VM_UNIQUE_LINEAR + 1) {
    index_add(&t, count, count - 1);
  }
}

/* Folds hash h of a value that just ended into parent: a member of an
 * object, an item of an array (checked for duplicates when the array has
 * uniqueItems). */
static void fold(cfgate_session *s, vm_level *parent, uint64_t h, int unknown) {
  if (unknown)
    parent->unique_unknown = 1;
  if (parent->type == CFGATE_IR_TYPE_OBJECT) {
    parent->hash += mix(parent->key_hash * 0x9e3779b97f4a7c15ull ^ h);
    return;
  }
  parent->hash = mix(parent->hash ^ h) * 0x9e3779b97f4a7c15ull + parent->count;
  if (parent->unique != CFGATE_IR_NONE && !unknown)
    unique_insert(s, parent, h);
}

/* Folds the hash of the innermost level's value, which has just ended,
 * into the level around it. */
void vm_hash_value_end(cfgate_session *s) {
  vm_level *level = &s->levels[s->depth - 1];
  int unknown = level->type == VM_TYPE_UNKNOWN || level->unique_unknown;
  fold(s, &s->levels[s->depth - 2], value_hash(s, level), unknown);
}

/* Folds the hash of a scalar that passed on the fast path, and so has no
 * level, into the innermost level. */
void vm_hash_scalar_end(cfgate_session *s, uint32_t type) {
  fold(s, &s->levels[s->depth - 1], scalar_hash(s, type), 0);
}
