/*
 * Derivatives that outlive one DFA step: for each term whose derivative
 * does not depend on the context of the state (no assertion or lookbehind
 * inside), a row of its derivatives by byte class. States share most of
 * their subterms, so each (term, class) pair is derived once for the DFA.
 */
#ifndef RE_DERIVE_CACHE_H
#define RE_DERIVE_CACHE_H

#include <stddef.h>
#include <stdint.h>

#include "re_term.h"

/* Bytes of rows the cache may hold; past it, derivatives are computed
 * again instead of cached, so a huge DFA attempt stays bounded in memory. */
#define RE_DERIVE_CACHE_MAX_BYTES (32u << 20)

typedef struct re_derive_cache {
  re_term_id **rows;   /* per term id: NULL, or one derivative per byte class */
  size_t row_count;
  size_t rows_allocated;
  unsigned classes;    /* set before the first store */
} re_derive_cache;

/* Returns 1 and sets *value when the derivative of id by class cls is cached. */
int re_derive_cache_find(const re_derive_cache *cache, re_term_id id, unsigned cls, re_term_id *value);

/* Caches the derivative of id by class cls, unless the cache is full.
 * Returns 0, or -1 when memory runs out. */
int re_derive_cache_store(re_derive_cache *cache, re_term_id id, unsigned cls, re_term_id value);

void re_derive_cache_free(re_derive_cache *cache);

#endif /* RE_DERIVE_CACHE_H */
