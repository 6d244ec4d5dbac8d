/*
 * A structural scanner over JSON text that is already known to be valid:
 * it finds where values begin and end without decoding them.
 */
#include "raw_json.h"

#include <string.h>

#define RAW_NONE ((size_t)-1)

static size_t skip_space(const char *text, size_t len, size_t pos) {
  while (pos < len && strchr(" \t\r\n", text[pos]) != NULL && text[pos] != '\0')
    pos++;
  return pos;
}

static size_t skip_string(const char *text, size_t len, size_t pos) {
  for (pos++; pos < len; pos++) {
    if (text[pos] == '\\')
      pos++;
    else if (text[pos] == '"')
      return pos + 1;
  }
  return RAW_NONE;
}

/* Skips an array or object: strings are skipped whole so brackets inside them
 * do not count. */
static size_t skip_container(const char *text, size_t len, size_t pos) {
  int depth = 0;

  while (pos < len) {
    char c = text[pos];
    if (c == '"') {
      pos = skip_string(text, len, pos);
      if (pos == RAW_NONE)
        return RAW_NONE;
      continue;
    }
    if (c == '[' || c == '{')
      depth++;
    else if (c == ']' || c == '}')
      depth--;
    pos++;
    if (depth == 0)
      return pos;
  }
  return RAW_NONE;
}

static size_t skip_scalar(const char *text, size_t len, size_t pos) {
  size_t start = pos;

  while (pos < len && strchr(",]} \t\r\n", text[pos]) == NULL)
    pos++;
  return pos > start ? pos : RAW_NONE;
}

size_t raw_skip_value(const char *text, size_t len, size_t pos) {
  pos = skip_space(text, len, pos);
  if (pos >= len)
    return RAW_NONE;

  switch (text[pos]) {
  case '"':
    return skip_string(text, len, pos);
  case '[':
  case '{':
    return skip_container(text, len, pos);
  default:
    return skip_scalar(text, len, pos);
  }
}

/* Returns the first non-space offset of the value in span. */
static size_t span_start(const char *text, raw_span span) {
  return skip_space(text, span.end, span.begin);
}

/* Walks the elements of a container: calls visit for each element (or each
 * member's value, with its name span) until visit returns nonzero. */
typedef int (*raw_visit)(void *ud, const char *text, raw_span name, raw_span value);

static int walk_container(const char *text, raw_span span, char open, raw_visit visit, void *ud) {
  size_t pos = span_start(text, span);

  if (pos >= span.end || text[pos] != open)
    return -1;
  pos = skip_space(text, span.end, pos + 1);

  while (pos < span.end && text[pos] != (open == '{' ? '}' : ']')) {
    raw_span name = {pos, pos};
    if (open == '{') {
      name.end = skip_string(text, span.end, pos);
      pos = skip_space(text, span.end, name.end) + 1; /* past ':' */
    }
    raw_span value = {skip_space(text, span.end, pos), 0};
    value.end = raw_skip_value(text, span.end, value.begin);
    if (value.end == RAW_NONE || visit(ud, text, name, value))
      return 0;
    pos = skip_space(text, span.end, value.end);
    if (pos < span.end && text[pos] == ',')
      pos = skip_space(text, span.end, pos + 1);
  }
  return 0;
}

typedef struct member_search {
  const char *key;
  raw_span *value;
  int found;
} member_search;

static int visit_member(void *ud, const char *text, raw_span name, raw_span value) {
  member_search *search = ud;
  size_t key_len = strlen(search->key);

  if (name.end - name.begin != key_len + 2 || memcmp(text + name.begin + 1, search->key, key_len) != 0)
    return 0;
  *search->value = value;
  search->found = 1;
  return 1;
}

int raw_object_member(const char *text, raw_span object, const char *key, raw_span *value) {
  member_search search = {key, value, 0};

  if (walk_container(text, object, '{', visit_member, &search) != 0)
    return -1;
  return search.found ? 0 : -1;
}

typedef struct item_list {
  raw_span *items;
  size_t max;
  long count;
} item_list;

static int visit_item(void *ud, const char *text, raw_span name, raw_span value) {
  item_list *list = ud;

  (void)text;
  (void)name;
  if ((size_t)list->count < list->max)
    list->items[list->count] = value;
  list->count++;
  return 0;
}

long raw_array_items(const char *text, raw_span array, raw_span *items, size_t max) {
  item_list list = {items, max, 0};

  if (walk_container(text, array, '[', visit_item, &list) != 0)
    return -1;
  return list.count;
}
