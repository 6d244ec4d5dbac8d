/*
 * Byte spans of values inside a JSON text, so the suite runner can feed the
 * runtime the test data exactly as written (jansson would round big and
 * decimal numbers before they reach the runtime).
 */
#ifndef CFGATE_TESTS_RAW_JSON_H
#define CFGATE_TESTS_RAW_JSON_H

#include <stddef.h>

typedef struct raw_span {
  size_t begin, end; /* byte offsets: the value is text[begin, end) */
} raw_span;

/* Returns the offset just past the value starting at or after pos (leading
 * whitespace skipped), or (size_t)-1 when the text is not valid there. The
 * text must already be known to be valid JSON, so only structure is checked. */
size_t raw_skip_value(const char *text, size_t len, size_t pos);

/* Finds the member named key in the object at span. Returns 0 and fills
 * *value, or -1 when absent. key is compared with the raw member name, so it
 * must not need escaping. */
int raw_object_member(const char *text, raw_span object, const char *key, raw_span *value);

/* Fills items[0..max) with the elements of the array at span. Returns the
 * element count (which may exceed max), or -1 when span is not an array. */
long raw_array_items(const char *text, raw_span array, raw_span *items, size_t max);

#endif
