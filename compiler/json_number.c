/*
 * Exactness of JSON number text read as a double. The runtime compares
 * numbers exactly as decimals, so a schema bound that a double rounds would
 * move the bound silently.
 */
#include "json_number.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "number.h"

/* Writes the fewest digits that read back to real, a whole number without
 * an exponent. Returns the length. */
static size_t shortest_text(double real, char *text, size_t size) {
  int n = 0;

  if (real > -1e15 && real < 1e15 && real == (double)(long long)real)
    return (size_t)snprintf(text, size, "%lld", (long long)real); /* 3600, not 3.6e+03 */
  for (int precision = 1; precision <= 17; precision++) {
    n = snprintf(text, size, "%.*g", precision, real);
    if (strtod(text, NULL) == real)
      break;
  }
  return (size_t)n;
}

/* Returns the offset just past the string that starts at text[start]. */
static size_t string_end(const char *text, size_t size, size_t start) {
  size_t i = start + 1;

  while (i < size && text[i] != '"')
    i += text[i] == '\\' ? 2 : 1;
  return i < size ? i + 1 : size;
}

void json_text_position(const char *text, size_t offset, unsigned *line, unsigned *column) {
  *line = 1;
  *column = 1;
  for (size_t i = 0; i < offset; i++) {
    if (text[i] == '\n') {
      (*line)++;
      *column = 1;
    } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
      (*column)++;
    }
  }
}

int json_text_find_inexact(const char *text, size_t size, size_t *start, size_t *end) {
  for (size_t i = 0; i < size;) {
    if (text[i] == '"') {
      i = string_end(text, size, i);
      continue;
    }
    if (text[i] != '-' && (text[i] < '0' || text[i] > '9')) {
      i++;
      continue;
    }

    size_t stop = i;
    while (stop < size && strchr("+-.0123456789eE", text[stop]) && text[stop] != '\0')
      stop++;
    if (!json_number_is_exact(text + i, stop - i, NULL, 0)) {
      *start = i;
      *end = stop;
      return 1;
    }
    i = stop;
  }
  return 0;
}

int json_number_is_exact(const char *text, size_t len, char *read_as, size_t read_as_size) {
  char copy[CFGATE_MAX_NUMBER_LENGTH + 1], shortest[40];
  cfgate_number exact, rounded;

  if (!memchr(text, '.', len) && !memchr(text, 'e', len) && !memchr(text, 'E', len))
    return 1;
  if (len > CFGATE_MAX_NUMBER_LENGTH) {
    if (read_as)
      snprintf(read_as, read_as_size, "a rounded double");
    return 0;
  }

  memcpy(copy, text, len);
  copy[len] = '\0';
  double real = strtod(copy, NULL);
  char full[40];
  int full_len = snprintf(full, sizeof full, "%.17g", real);
  size_t shortest_len = shortest_text(real, shortest, sizeof shortest);
  int parsed = number_parse(text, len, &exact) == NUMBER_OK;

  /* The 17-digit form names the double too: jansson writes 0.1 as
   * 0.10000000000000001, and that text means the same double. */
  int same = parsed && number_parse(shortest, shortest_len, &rounded) == NUMBER_OK &&
             number_compare(&exact, &rounded) == 0;
  if (!same && parsed && number_parse(full, (size_t)full_len, &rounded) == NUMBER_OK)
    same = number_compare(&exact, &rounded) == 0;
  if (!same && read_as)
    snprintf(read_as, read_as_size, "%s", shortest);
  return same;
}

/* Writes the shortest text that reads back to real and still reads as a
 * real in JSON (1e300, 0.1, 5.0), with the exponent as jansson writes it
 * (no '+', no leading zeros). Returns the length, 0 when size is too small. */
static size_t real_text(double real, char *text, size_t size) {
  char digits[40];
  for (int precision = 1; precision <= 17; precision++) {
    snprintf(digits, sizeof digits, "%.*g", precision, real);
    if (strtod(digits, NULL) == real)
      break;
  }

  size_t len = 0;
  const char *p = digits;
  for (; *p && *p != 'e' && len + 1 < size; p++)
    text[len++] = *p;
  if (*p == 'e') {
    p++;
    if (len + 2 >= size)
      return 0;
    text[len++] = 'e';
    if (*p == '-')
      text[len++] = '-';
    if (*p == '-' || *p == '+')
      p++;
    while (*p == '0' && p[1])
      p++;
    for (; *p && len + 1 < size; p++)
      text[len++] = *p;
  } else if (!strchr(digits, '.')) {
    if (len + 3 >= size)
      return 0;
    text[len++] = '.';
    text[len++] = '0';
  }
  if (*p)
    return 0;
  text[len] = '\0';
  return len;
}

void json_text_shorten_reals(char *text) {
  size_t size = strlen(text), out = 0;
  for (size_t i = 0; i < size;) {
    if (text[i] == '"') {
      size_t end = string_end(text, size, i);
      memmove(text + out, text + i, end - i);
      out += end - i;
      i = end;
      continue;
    }
    if (text[i] != '-' && (text[i] < '0' || text[i] > '9')) {
      text[out++] = text[i++];
      continue;
    }

    size_t stop = i;
    while (stop < size && strchr("+-.0123456789eE", text[stop]))
      stop++;
    char token[64], shortest[64];
    size_t len = stop - i, shortest_len = 0;
    int is_real = memchr(text + i, '.', len) || memchr(text + i, 'e', len) ||
                  memchr(text + i, 'E', len);
    if (is_real && len < sizeof token) {
      memcpy(token, text + i, len);
      token[len] = '\0';
      shortest_len = real_text(strtod(token, NULL), shortest, sizeof shortest);
    }
    /* A number written without an exponent keeps that form (1000.0, not
     * 1e3). The rewrite never makes a number longer, so it stays within
     * the buffer. */
    int keeps_form = memchr(text + i, 'e', len) || memchr(text + i, 'E', len) ||
                     !memchr(shortest, 'e', shortest_len);
    if (shortest_len > 0 && shortest_len <= len && keeps_form) {
      memcpy(text + out, shortest, shortest_len);
      out += shortest_len;
    } else {
      memmove(text + out, text + i, len);
      out += len;
    }
    i = stop;
  }
  text[out] = '\0';
}
