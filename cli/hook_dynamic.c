/*
 * Dynamic references in a hook event's resourceProperties.
 */
#include "hook_dynamic.h"

#include <stdio.h>
#include <string.h>

#include "template_emit.h"
#include "utf8.h"

static const char reference_start[] = "{{resolve:";

enum { REFERENCE_SHOWN_BYTES = 200 }; /* max bytes of a reference quoted in a message */

static int contains(const char *bytes, size_t size, const char *text) {
  size_t len = strlen(text);
  for (size_t i = 0; i + len <= size; i++)
    if (bytes[i] == text[0] && memcmp(bytes + i, text, len) == 0)
      return 1;
  return 0;
}

int hook_dynamic_possible(const char *bytes, size_t size) {
  return contains(bytes, size, reference_start) || contains(bytes, size, "\\u");
}

static int is_reference_string(const tnode *node) {
  return node->kind == TNODE_STRING && contains(node->text, node->len, reference_start);
}

const tnode *hook_dynamic_find(const tnode *node) {
  if (is_reference_string(node))
    return node;
  for (size_t i = 0; i < node->count; i++) {
    const tnode *child = node->kind == TNODE_ARRAY ? node->items[i] : node->members[i].value;
    const tnode *found = child ? hook_dynamic_find(child) : NULL;
    if (found)
      return found;
  }
  return NULL;
}

/* Returns 1 when the pointer segment[0..len), with ~1 for / and ~0 for ~,
 * names key[0..key_len). */
static int segment_names(const char *segment, size_t len, const char *key, size_t key_len) {
  size_t k = 0;
  for (size_t i = 0; i < len; i++, k++) {
    char c = segment[i];
    if (c == '~' && i + 1 < len && (segment[i + 1] == '0' || segment[i + 1] == '1'))
      c = segment[++i] == '0' ? '~' : '/';
    if (k >= key_len || key[k] != c)
      return 0;
  }
  return k == key_len;
}

/* Returns the item of an array that the segment names by index, or NULL. */
static const tnode *item_at(const tnode *array, const char *segment, size_t len) {
  size_t index = 0;
  if (len == 0 || len > 9 || (len > 1 && segment[0] == '0'))
    return NULL;
  for (size_t i = 0; i < len; i++) {
    if (segment[i] < '0' || segment[i] > '9')
      return NULL;
    index = index * 10 + (size_t)(segment[i] - '0');
  }
  return index < array->count ? array->items[index] : NULL;
}

const tnode *hook_dynamic_at(const tnode *root, const char *pointer) {
  const tnode *node = root;
  while (node && pointer && *pointer == '/') {
    const char *segment = pointer + 1;
    const char *end = strchr(segment, '/');
    size_t len = end ? (size_t)(end - segment) : strlen(segment);
    const tnode *next = NULL;
    if (node->kind == TNODE_ARRAY)
      next = item_at(node, segment, len);
    for (size_t i = 0; node->kind == TNODE_OBJECT && !next && i < node->count; i++)
      if (segment_names(segment, len, node->members[i].key, node->members[i].key_len))
        next = node->members[i].value;
    node = next;
    pointer = end;
  }
  return node;
}

/* Unlike template_emit(), which sends every primitive as a string as
 * CloudFormation hands it to a provider, this keeps the JSON types of the
 * event, so that the values other than the references are validated as the
 * streaming pass validated them. */
int hook_dynamic_emit(cfgate_session *session, const tnode *node) {
  static const template_emit_style event_style = {0, is_reference_string};
  return template_emit_styled(session, node, &event_style);
}

void hook_dynamic_describe(const tnode *string, char *out, size_t size) {
  const char *reference = strstr(string->text, reference_start);
  if (!reference) {
    snprintf(out, size, "a dynamic reference is resolved at deployment");
    return;
  }
  const char *close = strstr(reference, "}}");
  size_t len = close ? (size_t)(close + 2 - reference) : strlen(reference);
  size_t shown = utf8_cut(reference, len, REFERENCE_SHOWN_BYTES);
  snprintf(out, size, "dynamic reference %.*s%s is resolved at deployment", (int)shown, reference,
           shown < len ? "..." : "");
}
