/*
 * Registry lookup: emitted C provides a table of validators sorted by
 * resource type name.
 */
#include <string.h>

#include "cfgate.h"

const cfgate_validator *cfgate_registry_find(const cfgate_registry *registry, const char *type_name) {
  size_t lo = 0, hi = registry ? registry->count : 0;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    int c = strcmp(registry->entries[mid].type_name, type_name);
    if (c == 0)
      return registry->entries[mid].validator;
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return NULL;
}
