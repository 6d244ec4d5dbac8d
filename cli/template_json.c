/*
 * JSON input handling for the template loader.
 */
#include "template_json.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int template_json_detect(const unsigned char *bytes, size_t size) {
  size_t i = 0;
  if (size >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF)
    i = 3;
  while (i < size && (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\r' || bytes[i] == '\n'))
    i++;
  return i < size && (bytes[i] == '{' || bytes[i] == '[');
}

int template_json_check(const unsigned char *bytes, size_t size, template_error *error) {
  json_error_t json_error;
  json_t *value = json_loadb((const char *)bytes, size, JSON_DECODE_ANY | JSON_ALLOW_NUL,
                             &json_error);
  if (value) {
    json_decref(value);
    return 1;
  }

  error->line = json_error.line > 0 ? (uint32_t)json_error.line : 1;
  error->column = json_error.column > 0 ? (uint32_t)json_error.column : 1;
  snprintf(error->message, sizeof error->message, "invalid JSON: %s", json_error.text);
  return 0;
}

static long hex4(const unsigned char *p) {
  long value = 0;
  for (int i = 0; i < 4; i++) {
    int c = p[i];
    int digit = c >= '0' && c <= '9' ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                     : -1;
    if (digit < 0)
      return -1;
    value = value * 16 + digit;
  }
  return value;
}

/* Returns the code point of the escaped pair at p ("\uD83D\uDE00"), or -1. */
static long surrogate_pair_at(const unsigned char *p, const unsigned char *end) {
  if (end - p < 12 || p[0] != '\\' || p[1] != 'u' || p[6] != '\\' || p[7] != 'u')
    return -1;

  long high = hex4(p + 2), low = hex4(p + 8);
  if (high < 0xD800 || high > 0xDBFF || low < 0xDC00 || low > 0xDFFF)
    return -1;
  return 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
}

/* Copies in to out (out has room for size bytes), rewriting pairs inside
 * strings. Returns the bytes written and counts the rewrites. */
static size_t copy_rewriting(const unsigned char *in, size_t size, unsigned char *out,
                             size_t *rewrites) {
  const unsigned char *p = in, *end = in + size;
  size_t len = 0;
  int in_string = 0;

  while (p < end) {
    long code_point = in_string ? surrogate_pair_at(p, end) : -1;
    if (code_point >= 0) {
      char escape[32]; /* "\\U" and 8 hex digits: code points stop at 0x10FFFF */
      snprintf(escape, sizeof escape, "\\U%08lX", (unsigned long)code_point);
      memcpy(out + len, escape, 10);
      len += 10;
      p += 12;
      (*rewrites)++;
    } else if (in_string && *p == '\\' && p + 1 < end) {
      out[len++] = *p++;
      out[len++] = *p++;
    } else {
      in_string ^= *p == '"';
      out[len++] = *p++;
    }
  }
  return len;
}

unsigned char *template_json_rewrite_surrogates(const unsigned char *bytes, size_t size,
                                                size_t *new_size, int *failed) {
  *failed = 0;
  unsigned char *copy = malloc(size ? size : 1);
  if (!copy) {
    *failed = 1;
    return NULL;
  }

  size_t rewrites = 0;
  *new_size = copy_rewriting(bytes, size, copy, &rewrites);
  if (rewrites == 0) {
    free(copy);
    return NULL;
  }
  return copy;
}
