/*
 * Derivatives that outlive one DFA step: a map from (term, byte) to the
 * derivative term, for terms whose derivative does not depend on the
 * context of the state (no assertion or lookbehind inside). States share
 * most of their subterms, so each pair is derived once for the whole DFA.
 */
#ifndef RE_DERIVE_CACHE_H
#define RE_DERIVE_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "re_term.h"

typedef struct re_derive_cache {
  uint64_t *keys;      /* term id * 256 + byte, plus 1; 0 marks a free slot */
  re_term_id *values;
  size_t count;
  size_t capacity;     /* a power of two, or 0 */
} re_derive_cache;

/* Returns 1 and sets *value when (id, byte) is cached. */
int re_derive_cache_find(const re_derive_cache *cache, re_term_id id, uint8_t byte, re_term_id *value);

/* Caches the derivative of id by byte. Returns 0, or -1 when memory runs out. */
int re_derive_cache_store(re_derive_cache *cache, re_term_id id, uint8_t byte, re_term_id value);

void re_derive_cache_free(re_derive_cache *cache);

#endif /* RE_DERIVE_CACHE_H */
