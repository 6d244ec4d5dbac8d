/*
 * Plain YAML scalars that YAML 1.1 reads otherwise than cfgate's first
 * reading, which keeps only the JSON forms (null, true, false, JSON numbers)
 * and reads everything else as a string: `yes`, `0777` and `1_000` are then
 * strings. CloudFormation documents YAML 1.1 support, where they are a
 * boolean and numbers.
 */
#ifndef CFGATE_CLI_TEMPLATE_YAML11_H
#define CFGATE_CLI_TEMPLATE_YAML11_H

#include <stddef.h>

/* Returns the kind YAML 1.1 gives a plain scalar that cfgate reads as a
 * string ("boolean" or "number"), or NULL when both read it the same. */
const char *template_yaml11_kind(const char *text, size_t len);

/* Returns 1 when a plain scalar is a YAML 1.1 boolean (y, yes, on, true and
 * their opposites, in any letter case), with its value in *value. */
int template_yaml11_boolean(const char *text, size_t len, int *value);

/* Returns 1 for the booleans every YAML 1.1 reader agrees on: yes, no, on
 * and off in lower, title or upper case. PyYAML keeps y, n and mixed case
 * (yEs, tRue) as strings, which other readers take as booleans. */
int template_yaml11_boolean_agreed(const char *text, size_t len);

/* Returns 1 when a YAML 1.1 reader may write the plain JSON number text
 * back in another form, as Java's Double.toString or Python's repr would.
 * These forms count: an exponent (1e3), a negative zero, a fraction with a
 * trailing zero (10.10 becomes 10.1), and a decimal with more than 15
 * significant digits, which a double rounds. So does a decimal below 0.001
 * or from 10^7 on, which Java writes in E notation. 1.0 and 1.5 keep their
 * text there (JavaScript writes 1.0 as 1). */
int template_yaml11_number_rewritten(const char *text, size_t len);

#endif
