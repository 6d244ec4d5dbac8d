/*
 * Text of exact numbers for messages: plain integers while the digits fit,
 * plain decimals down to 1e-6, scientific notation beyond.
 */
#include "number.h"

#include <stdio.h>
#include <string.h>

/* Appends text to a fixed buffer that is never exceeded. */
typedef struct format_buffer {
  char text[CFGATE_NUMBER_FORMAT_SIZE];
  size_t len;
} format_buffer;

static void put_char(format_buffer *out, char c) {
  if (out->len + 1 < sizeof out->text)
    out->text[out->len++] = c;
}

static void put_digits(format_buffer *out, const cfgate_number *n, int from, int to) {
  for (int i = from; i < to; i++)
    put_char(out, (char)('0' + n->digits[i]));
}

static void put_zeros(format_buffer *out, int64_t count) {
  for (int64_t i = 0; i < count; i++)
    put_char(out, '0');
}

static void format_integer(format_buffer *out, const cfgate_number *n) {
  put_digits(out, n, 0, n->count);
  put_zeros(out, n->exponent);
}

/* lead is the power of ten of the first digit, at least -6. */
static void format_decimal(format_buffer *out, const cfgate_number *n, int64_t lead) {
  if (lead < 0) {
    put_char(out, '0');
    put_char(out, '.');
    put_zeros(out, -lead - 1);
    put_digits(out, n, 0, n->count);
    return;
  }
  put_digits(out, n, 0, (int)lead + 1);
  put_char(out, '.');
  put_digits(out, n, (int)lead + 1, n->count);
}

static void format_scientific(format_buffer *out, const cfgate_number *n, int64_t lead) {
  char exponent[16];

  put_digits(out, n, 0, 1);
  if (n->count > 1) {
    put_char(out, '.');
    put_digits(out, n, 1, n->count);
  }
  snprintf(exponent, sizeof exponent, "e%+lld", (long long)lead);
  for (const char *c = exponent; *c != '\0'; c++)
    put_char(out, *c);
}

size_t number_format(const cfgate_number *n, char *buf, size_t size) {
  format_buffer out = {{0}, 0};
  int64_t lead = (int64_t)n->exponent + n->count - 1;

  if (n->count == 0)
    put_char(&out, '0');
  else if (n->negative)
    put_char(&out, '-');

  if (n->count == 0)
    ;
  else if (n->exponent >= 0 && lead < CFGATE_MAX_NUMBER_DIGITS)
    format_integer(&out, n);
  else if (n->exponent < 0 && lead >= -6)
    format_decimal(&out, n, lead);
  else
    format_scientific(&out, n, lead);

  if (size > 0) {
    size_t copied = out.len < size - 1 ? out.len : size - 1;

    memcpy(buf, out.text, copied);
    buf[copied] = '\0';
  }
  return out.len;
}
