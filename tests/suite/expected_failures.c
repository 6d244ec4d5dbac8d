/*
 * Reader for tests/suite/expected-failures.txt.
 */
#include "expected_failures.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *read_file(const char *path) {
  FILE *in = fopen(path, "rb");
  if (in == NULL)
    return NULL;

  char *text = NULL;
  if (fseek(in, 0, SEEK_END) == 0) {
    long size = ftell(in);
    text = size >= 0 ? malloc((size_t)size + 1) : NULL;
    rewind(in);
    if (text != NULL) {
      size_t n = fread(text, 1, (size_t)size, in);
      text[n] = '\0';
    }
  }
  fclose(in);
  return text;
}

/* Splits line at tabs into fields[0..4). Returns the field count. */
static int split_fields(char *line, char **fields) {
  int count = 0;

  fields[count++] = line;
  for (char *p = line; *p != '\0' && count < 4; p++) {
    if (*p == '\t') {
      *p = '\0';
      fields[count++] = p + 1;
    }
  }
  return count;
}

static int add_line(expected_failures *list, char *line, const char *path, int number) {
  char *fields[4];

  if (line[0] == '#' || line[0] == '\0')
    return 0;
  if (split_fields(line, fields) != 4 || fields[3][0] == '\0') {
    fprintf(stderr, "%s:%d: error: expected FILE, GROUP, TEST and REASON separated by tabs\n", path,
            number);
    return -1;
  }
  if (list->count == SUITE_MAX_EXPECTED_FAILURES) {
    fprintf(stderr, "%s:%d: error: too many expected failures (limit is %d)\n", path, number,
            SUITE_MAX_EXPECTED_FAILURES);
    return -1;
  }

  list->entries[list->count++] = (expected_failure){fields[0], fields[1], fields[2], fields[3], 0};
  return 0;
}

int expected_failures_load(expected_failures *list, const char *path) {
  memset(list, 0, sizeof *list);
  list->text = read_file(path);
  if (list->text == NULL) {
    fprintf(stderr, "%s: error: cannot read the expected failures list\n", path);
    return -1;
  }

  int number = 1;
  for (char *line = list->text; line != NULL; number++) {
    char *newline = strchr(line, '\n');
    if (newline != NULL)
      *newline = '\0';
    if (add_line(list, line, path, number) != 0)
      return -1;
    line = newline != NULL ? newline + 1 : NULL;
  }
  return 0;
}

static int field_matches(const char *pattern, const char *value) {
  return strcmp(pattern, "*") == 0 || strcmp(pattern, value) == 0;
}

expected_failure *expected_failures_find(expected_failures *list, const char *file, const char *group,
                                         const char *test) {
  for (size_t i = 0; i < list->count; i++) {
    expected_failure *entry = &list->entries[i];
    if (strcmp(entry->file, file) == 0 && field_matches(entry->group, group) &&
        field_matches(entry->test, test))
      return entry;
  }
  return NULL;
}

int expected_failure_is_wildcard(const expected_failure *entry) {
  return strcmp(entry->group, "*") == 0 || strcmp(entry->test, "*") == 0;
}

void expected_failures_free(expected_failures *list) {
  free(list->text);
  list->text = NULL;
  list->count = 0;
}
