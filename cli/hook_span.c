/*
 * A skipper for valid JSON text: it walks strings, numbers, literals and
 * nested containers without building values. Escapes in member names are
 * compared raw, so a name written with \u escapes is not found, which makes
 * hook_span_find() return 0 and the caller fail closed.
 */
#include "hook_span.h"

#include <string.h>

typedef struct span_cursor {
  const char *json;
  size_t size, at;
} span_cursor;

static int is_space(char ch) { return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n'; }

static int ends_scalar(char ch) { return is_space(ch) || ch == ',' || ch == '}' || ch == ']'; }

static void skip_space(span_cursor *c) {
  while (c->at < c->size && is_space(c->json[c->at]))
    c->at++;
}

/* Skips a string starting at its opening quote; sets the raw content span. */
static void skip_string(span_cursor *c, size_t *content_start, size_t *content_end) {
  c->at++;
  *content_start = c->at;
  while (c->at < c->size && c->json[c->at] != '"')
    c->at += c->json[c->at] == '\\' ? 2 : 1;
  *content_end = c->at;
  c->at++;
}

static void skip_value(span_cursor *c) {
  size_t depth = 0, ignored_start, ignored_end;
  skip_space(c);
  if (c->at >= c->size)
    return;

  char first = c->json[c->at];
  if (first == '"') {
    skip_string(c, &ignored_start, &ignored_end);
    return;
  }
  if (first != '{' && first != '[') {
    while (c->at < c->size && !ends_scalar(c->json[c->at]))
      c->at++;
    return;
  }

  do {
    char ch = c->json[c->at];
    if (ch == '"') {
      skip_string(c, &ignored_start, &ignored_end);
      continue;
    }
    if (ch == '{' || ch == '[')
      depth++;
    else if (ch == '}' || ch == ']')
      depth--;
    c->at++;
  } while (depth > 0 && c->at < c->size);
}

/* Moves the cursor from an object's '{' to the value of member name. */
static int find_member(span_cursor *c, const char *name) {
  size_t name_len = strlen(name);
  skip_space(c);
  if (c->at >= c->size || c->json[c->at] != '{')
    return 0;
  c->at++;

  for (;;) {
    skip_space(c);
    if (c->at >= c->size || c->json[c->at] != '"')
      return 0;
    size_t key_start, key_end;
    skip_string(c, &key_start, &key_end);
    skip_space(c);
    c->at++; /* the ':' */
    skip_space(c);
    if (key_end - key_start == name_len && memcmp(c->json + key_start, name, name_len) == 0)
      return 1;

    skip_value(c);
    skip_space(c);
    if (c->at >= c->size || c->json[c->at] != ',')
      return 0;
    c->at++;
  }
}

int hook_span_find(const char *json, size_t size, const char *const *path, size_t depth,
                   size_t *start, size_t *end) {
  span_cursor c = {json, size, 0};
  for (size_t i = 0; i < depth; i++)
    if (!find_member(&c, path[i]))
      return 0;

  skip_space(&c);
  *start = c.at;
  skip_value(&c);
  *end = c.at;
  return *end > *start;
}
