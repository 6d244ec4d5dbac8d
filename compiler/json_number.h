/*
 * Exactness of JSON number text read through jansson, which keeps a number
 * with a fraction or an exponent as a double.
 */
#ifndef CFGATE_JSON_NUMBER_H
#define CFGATE_JSON_NUMBER_H

#include <stddef.h>

/* Returns 1 when text[0..len), a JSON number, keeps its exact decimal value
 * once read. An integer does, because jansson keeps 64 bits and rejects
 * larger ones. A decimal does when it is the shortest or the 17-digit text
 * of its nearest double (0.1 and 0.10000000000000001 name the same double).
 * 1e-400 (read as 0) and 3599.99999999999999999 (read as 3600) return 0,
 * and then the double's shortest text goes to read_as when it is not NULL. */
int json_number_is_exact(const char *text, size_t len, char *read_as, size_t read_as_size);

/* Finds the first number in the JSON text[0..size), which must be valid
 * JSON, that json_number_is_exact() rejects. Returns 1 and stores its
 * offsets in *start and *end, or returns 0 when every number is exact. */
int json_text_find_inexact(const char *text, size_t size, size_t *start, size_t *end);

/* Rewrites in place each real number of a JSON text that jansson wrote
 * with 17 significant digits (1e300 as 1.0000000000000001e300). The new
 * text is the shortest that reads back to the same double, and it keeps a
 * fraction or an exponent, so the number stays a real. */
void json_text_shorten_reals(char *text);

/* Stores the 1-based line and column (in characters) of text[offset]. */
void json_text_position(const char *text, size_t offset, unsigned *line, unsigned *column);

#endif
