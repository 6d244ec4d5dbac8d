/*
 * Exact decimal numbers. A number is a normalized coefficient of at most
 * CFGATE_MAX_NUMBER_DIGITS decimal digits and a decimal exponent, so
 * comparison is a comparison of digit strings and multipleOf reduces to
 * integer divisibility on a small fixed-size big integer.
 */
#include "number.h"

#include <string.h>

#define NUMBER_STRINGIFY(x) #x
#define NUMBER_TO_STRING(x) NUMBER_STRINGIFY(x)

/* A parse in progress: the digits seen so far and the zeros not yet kept. */
typedef struct number_builder {
  cfgate_number *out;
  uint32_t pending_zeros; /* zeros after the last nonzero digit */
  int64_t shift;          /* power of ten from fraction digits and dropped zeros */
  number_status status;
} number_builder;

static int is_digit(char c) {
  return c >= '0' && c <= '9';
}

static void builder_add_digit(number_builder *b, char c) {
  cfgate_number *n = b->out;

  if (c == '0') {
    if (n->count > 0)
      b->pending_zeros++;
    return;
  }
  if (n->count + b->pending_zeros + 1u > CFGATE_MAX_NUMBER_DIGITS) {
    b->status = NUMBER_TOO_MANY_DIGITS;
    return;
  }
  for (; b->pending_zeros > 0; b->pending_zeros--)
    n->digits[n->count++] = 0;
  n->digits[n->count++] = (uint8_t)(c - '0');
}

/* Reads a run of digits starting at *i and returns how many it read. */
static size_t builder_add_digits(number_builder *b, const char *text, size_t len, size_t *i) {
  size_t start = *i;

  while (*i < len && is_digit(text[*i]))
    builder_add_digit(b, text[(*i)++]);
  return *i - start;
}

/* integer part: "0" or a nonzero digit followed by digits */
static int parse_integer_part(number_builder *b, const char *text, size_t len, size_t *i) {
  if (*i >= len || !is_digit(text[*i]))
    return 0;
  if (text[*i] == '0') {
    (*i)++;
    return 1;
  }
  builder_add_digits(b, text, len, i);
  return 1;
}

/* optional fraction: "." followed by at least one digit */
static int parse_fraction(number_builder *b, const char *text, size_t len, size_t *i) {
  size_t digits;

  if (*i >= len || text[*i] != '.')
    return 1;
  (*i)++;
  digits = builder_add_digits(b, text, len, i);
  b->shift -= (int64_t)digits;
  return digits > 0;
}

/* optional exponent: "e" or "E", an optional sign, at least one digit */
static int parse_exponent(number_builder *b, const char *text, size_t len, size_t *i) {
  int negative = 0;
  int64_t value = 0;
  size_t start;

  if (*i >= len || (text[*i] != 'e' && text[*i] != 'E'))
    return 1;
  (*i)++;
  if (*i < len && (text[*i] == '+' || text[*i] == '-'))
    negative = text[(*i)++] == '-';

  start = *i;
  for (; *i < len && is_digit(text[*i]); (*i)++) {
    if (value < (int64_t)CFGATE_MAX_NUMBER_EXPONENT * 10)
      value = value * 10 + (text[*i] - '0');
  }
  /* The limit is on the exponent as written, whatever the coefficient, so
   * 0e1000000000 fails like 1e1000000000. */
  if (value > CFGATE_MAX_NUMBER_EXPONENT && b->status == NUMBER_OK)
    b->status = NUMBER_EXPONENT_RANGE;
  b->shift += negative ? -value : value;
  return *i > start;
}

/* The written exponent is within CFGATE_MAX_NUMBER_EXPONENT, and fraction
 * digits and dropped zeros move it by less than the text's length. */
_Static_assert((int64_t)CFGATE_MAX_NUMBER_EXPONENT + CFGATE_MAX_NUMBER_LENGTH <= INT32_MAX,
               "a normalized exponent must fit in int32_t");

static number_status builder_finish(number_builder *b) {
  cfgate_number *n = b->out;
  int64_t exponent = b->shift + b->pending_zeros;

  if (n->count == 0) {
    memset(n, 0, sizeof *n);
    return NUMBER_OK;
  }
  n->exponent = (int32_t)exponent;
  return NUMBER_OK;
}

/* Parses a plain integer of at most 19 characters without sign, fraction or
 * exponent, the common case in JSON documents. Returns 0 for any other
 * text, which the general parser then handles. */
static inline int parse_small_integer(const char *text, size_t len, cfgate_number *out) {
  size_t start = text[0] == '-';
  const unsigned char *digits = (const unsigned char *)text + start;
  size_t count = len - start;

  if (len > 19 || count == 0 || (digits[0] == '0' && count > 1))
    return 0;
  for (size_t i = 0; i < count; i++) {
    unsigned digit = digits[i] - (unsigned)'0';

    if (digit > 9)
      return 0;
    out->digits[i] = (uint8_t)digit;
  }

  while (count > 0 && digits[count - 1] == '0')
    count--;
  out->count = (uint8_t)count;
  out->negative = count > 0 && start == 1;
  out->exponent = count > 0 ? (int32_t)(len - start - count) : 0;
  return 1;
}

/* Parses any number text that the small integer case declined. It is kept
 * out of line so that the common case saves no registers. */
static __attribute__((noinline)) number_status parse_general(const char *text, size_t len,
                                                             cfgate_number *out) {
  number_builder b = {out, 0, 0, NUMBER_OK};
  size_t i = 0;
  int ok;

  memset(out, 0, sizeof *out);
  if (len > CFGATE_MAX_NUMBER_LENGTH)
    return NUMBER_TOO_LONG;
  if (len > 0 && text[0] == '-') {
    out->negative = 1;
    i++;
  }

  ok = parse_integer_part(&b, text, len, &i) && parse_fraction(&b, text, len, &i) &&
       parse_exponent(&b, text, len, &i) && i == len;
  if (ok && b.status == NUMBER_OK)
    b.status = builder_finish(&b);
  else if (!ok)
    b.status = NUMBER_INVALID;

  if (b.status != NUMBER_OK)
    memset(out, 0, sizeof *out);
  return b.status;
}

/* Leaves digits past count unset on the small integer path, because every
 * reader of a number stops at count. */
number_status number_parse(const char *text, size_t len, cfgate_number *out) {
  if (len > 0 && parse_small_integer(text, len, out))
    return NUMBER_OK;
  return parse_general(text, len, out);
}

const char *number_status_message(number_status status) {
  switch (status) {
  case NUMBER_OK:
    return "valid number";
  case NUMBER_INVALID:
    return "invalid number";
  case NUMBER_TOO_MANY_DIGITS:
    return "too many significant digits in number (limit is " NUMBER_TO_STRING(CFGATE_MAX_NUMBER_DIGITS) ")";
  case NUMBER_EXPONENT_RANGE:
    return "number exponent out of range (limit is " NUMBER_TO_STRING(CFGATE_MAX_NUMBER_EXPONENT) ")";
  case NUMBER_TOO_LONG:
    return "number too long (limit is " NUMBER_TO_STRING(CFGATE_MAX_NUMBER_LENGTH) " characters)";
  }
  return "invalid number";
}

void number_from_int64(int64_t value, cfgate_number *out) {
  uint64_t magnitude = value < 0 ? 0u - (uint64_t)value : (uint64_t)value;
  uint8_t reversed[20];
  uint8_t count = 0;

  memset(out, 0, sizeof *out);
  if (magnitude == 0)
    return;
  out->negative = value < 0;

  for (; magnitude % 10 == 0; magnitude /= 10)
    out->exponent++;
  for (; magnitude > 0; magnitude /= 10)
    reversed[count++] = (uint8_t)(magnitude % 10);
  for (uint8_t i = 0; i < count; i++)
    out->digits[i] = reversed[count - 1 - i];
  out->count = count;
}

int number_to_int64(const cfgate_number *n, int64_t *value) {
  uint64_t limit = n->negative ? (uint64_t)INT64_MAX + 1u : (uint64_t)INT64_MAX;
  uint64_t magnitude = 0;

  if (!number_is_integer(n) || n->exponent + n->count > 19)
    return 0;

  for (int i = 0; i < n->count + n->exponent; i++) {
    unsigned digit = i < n->count ? n->digits[i] : 0;

    if (magnitude > (limit - digit) / 10)
      return 0;
    magnitude = magnitude * 10 + digit;
  }
  *value = n->negative ? (int64_t)(0u - magnitude) : (int64_t)magnitude;
  return 1;
}

int number_is_integer(const cfgate_number *n) {
  return n->count == 0 || n->exponent >= 0;
}
