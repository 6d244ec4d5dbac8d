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

/* Prints "path:line:column: error: ..." for the number text[start..end). */
static void report_number(const char *path, const char *text, size_t start, size_t end) {
  unsigned line, column;
  char read_as[48];

  json_text_position(text, start, &line, &column);
  json_number_is_exact(text + start, end - start, read_as, sizeof read_as);
  fprintf(stderr, "%s:%u:%u: error: schema number %.*s cannot be held exactly: a double reads "
          "it as %s, so a bound would move; write a value with at most 15 significant digits "
          "and a magnitude from 1e-307 to 1e308\n",
          path, line, column, (int)(end - start > 60 ? 60 : end - start), text + start, read_as);
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

  size_t start = 0, end = 0;
  int found = text && json_text_find_inexact(text, size, &start, &end);
  if (found)
    report_number(path, text, start, end);
  free(text);
  return found ? -1 : 0;
}
