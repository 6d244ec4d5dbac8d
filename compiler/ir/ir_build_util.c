/*
 * Builder plumbing: growable tables, the NUL-terminated string pool, schema
 * paths, error reporting and the memo from subschema objects to nodes.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ir_build_internal.h"

int ir_vec_reserve(ir_builder *b, ir_vec *v, size_t extra) {
  if (v->len + extra <= v->cap)
    return 0;

  size_t cap = v->cap ? v->cap * 2 : 16;
  while (cap < v->len + extra)
    cap *= 2;
  void *data = realloc(v->data, cap * v->elem);
  if (!data) {
    ir_fail_memory(b);
    return -1;
  }
  v->data = data;
  v->cap = cap;
  return 0;
}

/* Appends one zeroed element and returns it, or NULL when memory runs out.
 * The pointer is valid until the next push onto the same vector. */
void *ir_vec_push(ir_builder *b, ir_vec *v) {
  if (b->failed || ir_vec_reserve(b, v, 1) != 0)
    return NULL;

  void *slot = (char *)v->data + v->len * v->elem;
  memset(slot, 0, v->elem);
  v->len++;
  return slot;
}

void ir_vec_free(ir_vec *v) {
  free(v->data);
  v->data = NULL;
  v->len = v->cap = 0;
}

/* Records the first failure; later ones are dropped so the root cause stays. */
void ir_fail(ir_builder *b, uint32_t path, const char *keyword, const char *format, ...) {
  if (b->failed)
    return;
  b->failed = 1;

  const char *base = path == CFGATE_IR_NONE ? "" : ir_pool_text(b, path);
  snprintf(b->error->schema_path, sizeof b->error->schema_path, "%s%s%s", base,
           keyword ? "/" : "", keyword ? keyword : "");

  va_list args;
  va_start(args, format);
  vsnprintf(b->error->message, sizeof b->error->message, format, args);
  va_end(args);
}

void ir_fail_memory(ir_builder *b) {
  if (b->failed)
    return;
  b->failed = 1;
  b->error->schema_path[0] = '\0';
  snprintf(b->error->message, sizeof b->error->message, "out of memory");
}

/* Copies text[0..len) and a NUL into the pool. Returns its offset, or
 * CFGATE_IR_NONE after a failure. */
uint32_t ir_pool_add(ir_builder *b, const char *text, size_t len) {
  if (b->failed || ir_vec_reserve(b, &b->pool, len + 1) != 0)
    return CFGATE_IR_NONE;
  if (b->pool.len + len + 1 >= CFGATE_IR_NONE) {
    ir_fail(b, CFGATE_IR_NONE, NULL, "too many string bytes (limit is %u)", CFGATE_IR_NONE - 1);
    return CFGATE_IR_NONE;
  }

  uint32_t offset = (uint32_t)b->pool.len;
  char *dest = (char *)b->pool.data + offset;
  if (len)
    memcpy(dest, text, len);
  dest[len] = '\0';
  b->pool.len += len + 1;
  return offset;
}

const char *ir_pool_text(const ir_builder *b, uint32_t offset) {
  if (offset == CFGATE_IR_NONE || !b->pool.data)
    return "";
  return (const char *)b->pool.data + offset;
}

/* Appends "/token" to the JSON pointer at parent, escaping '~' and '/'. */
uint32_t ir_pool_add_path(ir_builder *b, uint32_t parent, const char *token) {
  size_t parent_len = strlen(ir_pool_text(b, parent));
  size_t token_len = strlen(token);
  char *text = malloc(parent_len + 2 * token_len + 2);
  if (!text) {
    ir_fail_memory(b);
    return CFGATE_IR_NONE;
  }

  memcpy(text, ir_pool_text(b, parent), parent_len);
  size_t n = parent_len;
  text[n++] = '/';
  for (const char *c = token; *c; c++) {
    if (*c == '~' || *c == '/') {
      text[n++] = '~';
      text[n++] = *c == '~' ? '0' : '1';
    } else {
      text[n++] = *c;
    }
  }

  uint32_t offset = ir_pool_add(b, text, n);
  free(text);
  return offset;
}

/* Appends "/keyword/index" to the JSON pointer at parent. */
uint32_t ir_pool_add_index_path(ir_builder *b, uint32_t parent, const char *keyword, size_t index) {
  char token[32];
  uint32_t with_keyword = ir_pool_add_path(b, parent, keyword);

  snprintf(token, sizeof token, "%zu", index);
  return ir_pool_add_path(b, with_keyword, token);
}

/* Appends items[0..n) to lists[] contiguously and returns the first index. */
uint32_t ir_list_append(ir_builder *b, const uint32_t *items, size_t n) {
  if (b->failed || ir_vec_reserve(b, &b->lists, n) != 0)
    return CFGATE_IR_NONE;

  uint32_t first = (uint32_t)b->lists.len;
  if (n)
    memcpy((uint32_t *)b->lists.data + first, items, n * sizeof *items);
  b->lists.len += n;
  return first;
}

char *ir_strndup(ir_builder *b, const char *text, size_t len) {
  char *copy = malloc(len + 1);
  if (!copy) {
    ir_fail_memory(b);
    return NULL;
  }
  memcpy(copy, text, len);
  copy[len] = '\0';
  return copy;
}

char *ir_strdup(ir_builder *b, const char *text) {
  return ir_strndup(b, text, strlen(text));
}

static size_t memo_slot(const void *schema, size_t cap) {
  uintptr_t key = (uintptr_t)schema;
  key ^= key >> 17;
  key *= 0x9e3779b97f4a7c15ull;
  return (size_t)(key >> 7) & (cap - 1);
}

int ir_memo_find(const ir_builder *b, const json_t *schema, uint32_t *node) {
  if (!b->memo_cap)
    return 0;

  for (size_t i = memo_slot(schema, b->memo_cap);; i = (i + 1) & (b->memo_cap - 1)) {
    if (!b->memo[i].schema)
      return 0;
    if (b->memo[i].schema == schema) {
      *node = b->memo[i].node;
      return 1;
    }
  }
}

static int memo_grow(ir_builder *b) {
  size_t cap = b->memo_cap ? b->memo_cap * 2 : 64;
  ir_memo_entry *memo = calloc(cap, sizeof *memo);
  if (!memo) {
    ir_fail_memory(b);
    return -1;
  }

  for (size_t i = 0; i < b->memo_cap; i++) {
    if (!b->memo[i].schema)
      continue;
    size_t j = memo_slot(b->memo[i].schema, cap);
    while (memo[j].schema)
      j = (j + 1) & (cap - 1);
    memo[j] = b->memo[i];
  }
  free(b->memo);
  b->memo = memo;
  b->memo_cap = cap;
  return 0;
}

/* Records that schema compiles to node. The memo stays at most half full. */
int ir_memo_put(ir_builder *b, const json_t *schema, uint32_t node) {
  if ((b->memo_len + 1) * 2 > b->memo_cap && memo_grow(b) != 0)
    return -1;

  size_t i = memo_slot(schema, b->memo_cap);
  while (b->memo[i].schema && b->memo[i].schema != schema)
    i = (i + 1) & (b->memo_cap - 1);
  if (!b->memo[i].schema)
    b->memo_len++;
  b->memo[i].schema = schema;
  b->memo[i].node = node;
  return 0;
}

void ir_read_count(ir_builder *b, json_t *schema, const char *keyword, uint32_t path, uint32_t *out) {
  json_t *value = json_object_get(schema, keyword);
  if (!value)
    return;

  double real = json_is_real(value) ? json_real_value(value) : 0;
  if (json_is_real(value) && real == (double)(json_int_t)real)
    value = NULL; /* 2.0 counts as the integer 2 */
  json_int_t count = value ? json_integer_value(value) : (json_int_t)real;

  if ((value && !json_is_integer(value)) || count < 0) {
    ir_fail(b, path, keyword, "invalid %s: expected a non-negative integer", keyword);
    return;
  }
  *out = count >= (json_int_t)CFGATE_IR_NONE ? CFGATE_IR_NONE - 1 : (uint32_t)count;
}
