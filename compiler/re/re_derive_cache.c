/* Open-addressing map of derivatives by (term, byte). */
#include "re_derive_cache.h"

#include <stdlib.h>

static uint64_t cache_key(re_term_id id, uint8_t byte) {
  return ((uint64_t)id << 8 | byte) + 1;
}

static size_t slot_of(uint64_t key, size_t capacity) {
  key *= 0x9e3779b97f4a7c15ull;
  return (size_t)(key >> 32) & (capacity - 1);
}

int re_derive_cache_find(const re_derive_cache *cache, re_term_id id, uint8_t byte, re_term_id *value) {
  uint64_t key = cache_key(id, byte);

  if (cache->capacity == 0) return 0;
  for (size_t i = slot_of(key, cache->capacity);; i = (i + 1) & (cache->capacity - 1)) {
    if (cache->keys[i] == 0) return 0;
    if (cache->keys[i] == key) {
      *value = cache->values[i];
      return 1;
    }
  }
}

static void place(re_derive_cache *cache, uint64_t key, re_term_id value) {
  size_t i = slot_of(key, cache->capacity);
  while (cache->keys[i] != 0 && cache->keys[i] != key) i = (i + 1) & (cache->capacity - 1);
  cache->count += cache->keys[i] == 0;
  cache->keys[i] = key;
  cache->values[i] = value;
}

static int grow(re_derive_cache *cache) {
  re_derive_cache bigger = {0};
  bigger.capacity = cache->capacity ? cache->capacity * 2 : 4096;
  bigger.keys = calloc(bigger.capacity, sizeof *bigger.keys);
  bigger.values = malloc(bigger.capacity * sizeof *bigger.values);
  if (!bigger.keys || !bigger.values) {
    re_derive_cache_free(&bigger);
    return -1;
  }

  for (size_t i = 0; i < cache->capacity; i++)
    if (cache->keys[i] != 0) place(&bigger, cache->keys[i], cache->values[i]);
  re_derive_cache_free(cache);
  *cache = bigger;
  return 0;
}

int re_derive_cache_store(re_derive_cache *cache, re_term_id id, uint8_t byte, re_term_id value) {
  if ((cache->count + 1) * 2 > cache->capacity && grow(cache) < 0) return -1;
  place(cache, cache_key(id, byte), value);
  return 0;
}

void re_derive_cache_free(re_derive_cache *cache) {
  free(cache->keys);
  free(cache->values);
  cache->keys = NULL;
  cache->values = NULL;
  cache->count = cache->capacity = 0;
}
