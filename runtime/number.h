/*
 * Exact decimal numbers for JSON Schema keywords: parsing of JSON number
 * text, exact comparison, integer test and exact multipleOf. No floating
 * point is used, so 9223372036854775807, 1e400 and 0.0001 keep their values.
 */
#ifndef CFGATE_NUMBER_H
#define CFGATE_NUMBER_H

#include <stddef.h>
#include <stdint.h>

/* Maximum number of significant digits (leading and trailing zeros of the
 * coefficient do not count). A longer number is rejected, never rounded. */
#define CFGATE_MAX_NUMBER_DIGITS 64

/* Maximum absolute value of the exponent part of number text, the digits
 * after 'e' or 'E', whatever the coefficient: 10e999999999 is within the
 * limit, 0e1000000000 is not. The normalized exponent of a parsed number
 * differs from it by less than CFGATE_MAX_NUMBER_LENGTH. */
#define CFGATE_MAX_NUMBER_EXPONENT 999999999

/* Maximum length in bytes of the JSON text of one number. */
#define CFGATE_MAX_NUMBER_LENGTH 256

/* Buffer size that number_format() never exceeds, terminating NUL included. */
#define CFGATE_NUMBER_FORMAT_SIZE (CFGATE_MAX_NUMBER_DIGITS + 24)

/* value = (-1)^negative * digits[0..count) * 10^exponent, normalized: the
 * coefficient has no leading or trailing zero digit, and zero is count 0,
 * negative 0, exponent 0. So two equal numbers have equal fields, except
 * for digits[count..], which number_parse() may leave unset. */
typedef struct cfgate_number {
  uint8_t digits[CFGATE_MAX_NUMBER_DIGITS]; /* decimal digit values 0..9 */
  uint8_t count;
  uint8_t negative;
  int32_t exponent;
} cfgate_number;

typedef enum number_status {
  NUMBER_OK = 0,
  NUMBER_INVALID,          /* not JSON number syntax */
  NUMBER_TOO_MANY_DIGITS,  /* more than CFGATE_MAX_NUMBER_DIGITS significant digits */
  NUMBER_EXPONENT_RANGE,   /* exponent part beyond CFGATE_MAX_NUMBER_EXPONENT */
  NUMBER_TOO_LONG          /* text longer than CFGATE_MAX_NUMBER_LENGTH */
} number_status;

/* Parses text[0..len), which must be exactly one RFC 8259 number (no sign
 * '+', no leading zero, no surrounding space), into *out. Used for JSON
 * input and for CloudFormation coercion of strings such as "10" or "1.5".
 * Returns NUMBER_OK, or the reason and leaves *out zero. */
number_status number_parse(const char *text, size_t len, cfgate_number *out);

/* Returns the English message for a status, naming the limit it exceeded. */
const char *number_status_message(number_status status);

/* Sets *out to the exact value of an integer. */
void number_from_int64(int64_t value, cfgate_number *out);

/* Stores n in *value and returns 1 when n is an integer within int64_t;
 * returns 0 otherwise and leaves *value unchanged. */
int number_to_int64(const cfgate_number *n, int64_t *value);


/* Returns 1 when n has no fractional part (1.0 and 1e400 are integers). */
int number_is_integer(const cfgate_number *n);

/* Returns 1 when a / m is an integer, computed exactly; 0 otherwise,
 * including when m is zero. The signs of a and m are ignored. */
int number_is_multiple_of(const cfgate_number *a, const cfgate_number *m);

/* Writes n as short JSON number text ("1.5", "-20", "1e+400") into
 * buf[0..size) with a terminating NUL, truncating when size is smaller than
 * CFGATE_NUMBER_FORMAT_SIZE. Returns the length of the full text. */
size_t number_format(const cfgate_number *n, char *buf, size_t size);

/* Compares |a| and |b|. */
static inline int number_compare_magnitude(const cfgate_number *a, const cfgate_number *b) {
  int64_t a_lead = (int64_t)a->exponent + a->count;
  int64_t b_lead = (int64_t)b->exponent + b->count;
  int shorter = a->count < b->count ? a->count : b->count;

  if (a->count == 0 || b->count == 0)
    return (a->count > 0) - (b->count > 0);
  if (a_lead != b_lead)
    return a_lead < b_lead ? -1 : 1;

  for (int i = 0; i < shorter; i++) {
    if (a->digits[i] != b->digits[i])
      return a->digits[i] < b->digits[i] ? -1 : 1;
  }
  return (a->count > b->count) - (a->count < b->count);
}

/* Returns -1, 0 or 1 as a is less than, equal to or greater than b. It is
 * inline because validation compares each number with every bound of its
 * schema. */
static inline int number_compare(const cfgate_number *a, const cfgate_number *b) {
  int magnitude;

  if (a->negative != b->negative)
    return a->negative ? -1 : 1;
  magnitude = number_compare_magnitude(a, b);
  return a->negative ? -magnitude : magnitude;
}

#endif /* CFGATE_NUMBER_H */
