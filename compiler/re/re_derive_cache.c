/* Rows of derivatives by byte class, one row per derived term. */
#include "re_derive_cache.h"

#include <stdlib.h>
#include <string.h>

#define ROW_EMPTY UINT32_MAX /* no term has this id: the store's limit is far below it */

int re_derive_cache_find(const re_derive_cache *cache, re_term_id id, unsigned cls, re_term_id *value) {
  if (id >= cache->row_count || !cache->rows[id] || cache->rows[id][cls] == ROW_EMPTY) return 0;
  *value = cache->rows[id][cls];
  return 1;
}

static int grow_rows(re_derive_cache *cache, re_term_id id) {
  size_t count = cache->row_count ? cache->row_count : 1024;
  while (count <= id) count *= 2;
  re_term_id **rows = realloc(cache->rows, count * sizeof *rows);
  if (!rows) return -1;

  memset(rows + cache->row_count, 0, (count - cache->row_count) * sizeof *rows);
  cache->rows = rows;
  cache->row_count = count;
  return 0;
}

int re_derive_cache_store(re_derive_cache *cache, re_term_id id, unsigned cls, re_term_id value) {
  if (id >= cache->row_count && grow_rows(cache, id) < 0) return -1;
  if (!cache->rows[id]) {
    size_t row_bytes = cache->classes * sizeof **cache->rows;
    if ((cache->rows_allocated + 1) * row_bytes > RE_DERIVE_CACHE_MAX_BYTES) return 0;
    cache->rows_allocated++;
    cache->rows[id] = malloc(row_bytes);
    if (!cache->rows[id]) return -1;
    memset(cache->rows[id], 0xFF, cache->classes * sizeof **cache->rows);
  }
  cache->rows[id][cls] = value;
  return 0;
}

void re_derive_cache_free(re_derive_cache *cache) {
  for (size_t i = 0; i < cache->row_count; i++) free(cache->rows[i]);
  free(cache->rows);
  cache->rows = NULL;
  cache->row_count = 0;
  cache->rows_allocated = 0;
}
