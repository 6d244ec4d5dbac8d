/*
 * Schema numbers that jansson would round. jansson reads a number with a
 * fraction or an exponent as a double, so {"maximum": 3599.99999999999999999}
 * would check against 3600 and {"minimum": 1e-400} against 0. Each number of
 * the schema text is checked before the schema is used.
 */
#include "validate_schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_number.h"

/* Bytes of a schema file read for the check; jansson reads the same file. */
#define SCHEMA_NUMBERS_SCAN_LIMIT (64u * 1024u * 1024u)

typedef struct scan_position {
  unsigned line, column; /* 1-based; the column counts characters */
} scan_position;

static void scan_advance(scan_position *position, const char *text, size_t from, size_t to) {
  for (size_t i = from; i < to; i++) {
    if (text[i] == '\n') {
      position->line++;
      position->column = 1;
    } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
      position->column++;
    }
  }
}

/* Returns the offset just past the string that starts at text[start]. */
static size_t scan_string_end(const char *text, size_t size, size_t start) {
  size_t i = start + 1;

  while (i < size && text[i] != '"')
    i += text[i] == '\\' ? 2 : 1;
  return i < size ? i + 1 : size;
}

/* Prints the error for the number text[start..end) and returns -1 when no
 * double has its exact value, else returns 0. */
static int check_number(const char *path, const char *text, size_t start, size_t end,
                        scan_position at) {
  char read_as[48];

  if (json_number_is_exact(text + start, end - start, read_as, sizeof read_as))
    return 0;
  fprintf(stderr, "%s:%u:%u: error: schema number %.*s cannot be held exactly: a double reads "
          "it as %s, so a bound would move; write it with at most 15 significant digits\n",
          path, at.line, at.column, (int)(end - start > 60 ? 60 : end - start), text + start,
          read_as);
  return -1;
}

/* Checks every number of the JSON text, which jansson has already parsed. */
static int check_numbers(const char *path, const char *text, size_t size) {
  scan_position at = {1, 1};
  size_t done = 0;

  for (size_t i = 0; i < size;) {
    if (text[i] == '"') {
      i = scan_string_end(text, size, i);
      continue;
    }
    if (text[i] != '-' && (text[i] < '0' || text[i] > '9')) {
      i++;
      continue;
    }

    size_t end = i + strspn(text + i, "+-.0123456789eE");
    scan_advance(&at, text, done, i);
    done = i;
    if (check_number(path, text, i, end > size ? size : end, at) != 0)
      return -1;
    i = end;
  }
  return 0;
}

int validate_schema_check_numbers(const char *path) {
  FILE *in = fopen(path, "rb");
  if (in == NULL)
    return 0; /* jansson has read it, so it is there: a race, not a rounding */

  validate_schema_skip_bom(in);
  char *text = malloc(SCHEMA_NUMBERS_SCAN_LIMIT + 1);
  size_t size = text ? fread(text, 1, SCHEMA_NUMBERS_SCAN_LIMIT, in) : 0;
  fclose(in);
  if (text)
    text[size] = '\0';

  int status = text ? check_numbers(path, text, size) : 0;
  free(text);
  return status;
}
