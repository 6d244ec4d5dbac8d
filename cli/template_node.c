/*
 * Arena and constructors for the template tree.
 */
#include "template_node.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

enum { TNODE_BLOCK_BYTES = 64 * 1024 };

struct tnode_block {
  struct tnode_block *next;
  size_t size, used;
  _Alignas(max_align_t) unsigned char data[];
};

void tnode_arena_init(tnode_arena *arena) {
  arena->head = NULL;
  arena->used_bytes = 0;
  arena->max_bytes = 0;
}

void tnode_arena_fini(tnode_arena *arena) {
  struct tnode_block *block = arena->head;
  while (block) {
    struct tnode_block *next = block->next;
    free(block);
    block = next;
  }
  arena->head = NULL;
  arena->used_bytes = 0;
}

static struct tnode_block *arena_grow(tnode_arena *arena, size_t size) {
  size_t data_size = size > TNODE_BLOCK_BYTES ? size : TNODE_BLOCK_BYTES;
  struct tnode_block *block = malloc(sizeof *block + data_size);
  if (!block)
    return NULL;

  block->size = data_size;
  block->used = 0;
  block->next = arena->head;
  arena->head = block;
  return block;
}

void *tnode_alloc(tnode_arena *arena, size_t size) {
  size_t align = _Alignof(max_align_t);
  size = (size + align - 1) / align * align;
  if (arena->max_bytes && arena->used_bytes + size > arena->max_bytes)
    return NULL;

  struct tnode_block *block = arena->head;
  if (!block || block->size - block->used < size)
    block = arena_grow(arena, size);
  if (!block)
    return NULL;

  void *memory = block->data + block->used;
  block->used += size;
  arena->used_bytes += size;
  memset(memory, 0, size);
  return memory;
}

char *tnode_strdup(tnode_arena *arena, const char *text, size_t len) {
  char *copy = tnode_alloc(arena, len + 1);
  if (!copy)
    return NULL;
  if (len)
    memcpy(copy, text, len);
  copy[len] = '\0';
  return copy;
}

tnode *tnode_new(tnode_arena *arena, tnode_kind kind, uint32_t line, uint32_t column) {
  tnode *node = tnode_alloc(arena, sizeof *node);
  if (!node)
    return NULL;
  node->kind = kind;
  node->line = line;
  node->column = column;
  node->text = "";
  return node;
}

tnode *tnode_new_string(tnode_arena *arena, const char *text, size_t len, uint32_t line,
                        uint32_t column) {
  tnode *node = tnode_new(arena, TNODE_STRING, line, column);
  char *copy = node ? tnode_strdup(arena, text, len) : NULL;
  if (!copy)
    return NULL;
  node->text = copy;
  node->len = len;
  return node;
}

tnode *tnode_new_unknown(tnode_arena *arena, const char *reason, uint32_t line, uint32_t column) {
  tnode *node = tnode_new_string(arena, reason, strlen(reason), line, column);
  if (node)
    node->kind = TNODE_UNKNOWN;
  return node;
}

tnode *tnode_get(const tnode *object, const char *key) {
  if (!object || object->kind != TNODE_OBJECT)
    return NULL;
  size_t len = strlen(key);
  for (size_t i = 0; i < object->count; i++) {
    const tnode_member *member = &object->members[i];
    if (member->key_len == len && memcmp(member->key, key, len) == 0)
      return member->value;
  }
  return NULL;
}

int tnode_is_string(const tnode *node, const char *text) {
  return node && node->kind == TNODE_STRING && strcmp(node->text, text) == 0;
}

int tnode_is_call(const tnode *node) {
  if (node->kind != TNODE_OBJECT || node->count != 1)
    return 0;
  const char *key = node->members[0].key;
  return strcmp(key, "Ref") == 0 || strncmp(key, "Fn::", 4) == 0;
}

int tnode_contains_position(const tnode *node, uint32_t line, uint32_t column) {
  if (node->line == line && node->column == column)
    return 1;
  if (node->kind != TNODE_OBJECT && node->kind != TNODE_ARRAY)
    return 0;
  for (size_t i = 0; i < node->count; i++) {
    const tnode *child = node->kind == TNODE_ARRAY ? node->items[i] : node->members[i].value;
    if (child && tnode_contains_position(child, line, column))
      return 1;
  }
  return 0;
}

const tnode *tnode_find_unknown(const tnode *node) {
  if (!node)
    return NULL;

  const tnode *found = NULL;
  switch (node->kind) {
  case TNODE_UNKNOWN:
    return node;
  case TNODE_ARRAY:
    for (size_t i = 0; i < node->count && !found; i++)
      found = tnode_find_unknown(node->items[i]);
    return found;
  case TNODE_OBJECT:
    for (size_t i = 0; i < node->count && !found; i++)
      found = tnode_find_unknown(node->members[i].value);
    return found;
  default:
    return NULL;
  }
}

int tnode_has_unknown(const tnode *node) { return tnode_find_unknown(node) != NULL; }

const tnode *tnode_find_foreign_tag(const tnode *node) {
  if (!node)
    return NULL;

  const tnode *found = NULL;
  switch (node->kind) {
  case TNODE_UNKNOWN:
    return node->foreign_tag ? node : NULL;
  case TNODE_ARRAY:
    for (size_t i = 0; i < node->count && !found; i++)
      found = tnode_find_foreign_tag(node->items[i]);
    return found;
  case TNODE_OBJECT:
    for (size_t i = 0; i < node->count && !found; i++)
      found = tnode_find_foreign_tag(node->members[i].value);
    return found;
  default:
    return NULL;
  }
}

const char *tnode_kind_name(tnode_kind kind) {
  switch (kind) {
  case TNODE_NULL: return "null";
  case TNODE_BOOL: return "boolean";
  case TNODE_NUMBER: return "number";
  case TNODE_STRING: return "string";
  case TNODE_ARRAY: return "array";
  case TNODE_OBJECT: return "object";
  case TNODE_UNKNOWN: return "unknown";
  }
  return "unknown";
}

void tnode_describe(const tnode *value, char *out, size_t size) {
  const tnode_member *call = value->kind == TNODE_OBJECT && value->count == 1 ? value->members : NULL;
  if (call && strcmp(call->key, "Ref") == 0 && call->value->kind == TNODE_STRING)
    snprintf(out, size, "a Ref to '%.*s'", (int)utf8_cut(call->value->text, call->value->len, 100),
             call->value->text);
  else if (call && (strcmp(call->key, "Ref") == 0 || strncmp(call->key, "Fn::", 4) == 0))
    snprintf(out, size, "a %.*s call", (int)utf8_cut(call->key, call->key_len, 100), call->key);
  else if (value->kind == TNODE_OBJECT)
    snprintf(out, size, "a mapping");
  else if (value->kind == TNODE_ARRAY)
    snprintf(out, size, "a list");
  else if (value->kind == TNODE_NULL)
    snprintf(out, size, "empty (null)");
  else
    snprintf(out, size, "the %s %.*s", tnode_kind_name(value->kind),
             (int)utf8_cut(value->text, value->len, 100), value->text);
}
