/*
 * JSON pointer lookup in the template tree.
 */
#include "template_pointer.h"

#include <stdlib.h>

/* Decodes one reference token ("~1" is "/", "~0" is "~") into token. */
static size_t pointer_token(const char *pointer, char *token, size_t size) {
  size_t in = 0, out = 0;
  while (pointer[in] && pointer[in] != '/') {
    char c = pointer[in++];
    if (c == '~' && (pointer[in] == '0' || pointer[in] == '1'))
      c = pointer[in++] == '0' ? '~' : '/';
    if (out + 1 < size)
      token[out++] = c;
  }
  token[out] = '\0';
  return in;
}

static const tnode *child(const tnode *node, const char *token) {
  if (node->kind == TNODE_OBJECT)
    return tnode_get(node, token);
  if (node->kind != TNODE_ARRAY || !*token)
    return NULL;

  char *end = NULL;
  unsigned long index = strtoul(token, &end, 10);
  return *end == '\0' && index < node->count ? node->items[index] : NULL;
}

const tnode *template_locate(const tnode *root, const char *pointer) {
  const tnode *node = root;
  char token[512];

  while (pointer && *pointer == '/') {
    pointer += 1 + pointer_token(pointer + 1, token, sizeof token);
    const tnode *next = child(node, token);
    if (!next)
      break;
    node = next;
  }
  return node;
}

const tnode *template_locate_exact(const tnode *root, const char *pointer) {
  const tnode *node = root;
  char token[512];

  while (node && pointer && *pointer == '/') {
    pointer += 1 + pointer_token(pointer + 1, token, sizeof token);
    node = child(node, token);
  }
  return node;
}
