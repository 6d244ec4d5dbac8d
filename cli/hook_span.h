/*
 * Finds the byte span of a member value in JSON text that is already known
 * to be valid (jansson parsed it), so the runtime can validate the
 * original bytes of that value.
 */
#ifndef CFGATE_CLI_HOOK_SPAN_H
#define CFGATE_CLI_HOOK_SPAN_H

#include <stddef.h>

/* Follows the object member names in path from the root value. Returns 1
 * with [*start, *end) set to the value's bytes, or 0 when a member is
 * missing or a value on the way is not an object. */
int hook_span_find(const char *json, size_t size, const char *const *path, size_t depth,
                   size_t *start, size_t *end);

#endif
