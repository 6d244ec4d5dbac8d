/*
 * enum and const. Strings without placeholders are sorted by bytes so the
 * interpreter narrows a range as bytes stream in. Strings with placeholders
 * become segment lists bound per session. Numbers compare exactly, true,
 * false and null are bits, and each object or array member compiles into a
 * node that accepts exactly that value: closed properties, all required,
 * or a closed tuple of the exact length.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ir_build_internal.h"

/* Member kinds collected before storing, so each kind is contiguous. */
typedef struct enum_members {
  cfgate_ir_string *literals;
  size_t literal_count;
  cfgate_ir_string *templates;
  size_t template_count;
  uint32_t *numbers;
  size_t number_count;
  uint32_t *nodes;
  size_t node_count;
  uint32_t scalars;
} enum_members;

static uint32_t value_node(ir_builder *b, json_t *value, uint32_t path, int depth);

static int segment_add(ir_builder *b, uint32_t placeholder, const char *text, size_t len) {
  cfgate_ir_segment *slot = ir_vec_push(b, &b->segments);
  if (!slot)
    return -1;
  slot->placeholder = placeholder;
  slot->text = placeholder == CFGATE_IR_NONE ? ir_pool_add(b, text, len) : CFGATE_IR_NONE;
  slot->len = placeholder == CFGATE_IR_NONE ? (uint32_t)len : 0;
  return 0;
}

/* Splits a template string into literal and placeholder segments. In a
 * template "${!" stands for a literal "${", and "${X}" for an unknown X
 * stays literal. A plain schema's strings are literal as a whole. Returns
 * the number of placeholders found. */
static size_t split_template(ir_builder *b, const char *text, size_t len, cfgate_ir_string *out) {
  size_t placeholders = 0, start = 0;
  char *literal = malloc(len + 1);
  size_t literal_len = 0;
  if (!literal) {
    ir_fail_memory(b);
    return 0;
  }

  out->segments_first = (uint32_t)b->segments.len;
  for (size_t i = start; i < len; i++) {
    if (text[i] != '$' || i + 1 >= len || text[i + 1] != '{') {
      literal[literal_len++] = text[i];
      continue;
    }
    if (b->is_template && i + 2 < len && text[i + 2] == '!') {
      literal[literal_len++] = '$';
      literal[literal_len++] = '{';
      i += 2;
      continue;
    }
    const char *close = memchr(text + i + 2, '}', len - i - 2);
    uint32_t id = close ? ir_placeholder_id(b, text + i + 2, (size_t)(close - text - i - 2))
                        : CFGATE_IR_NONE;
    if (id == CFGATE_IR_NONE) {
      literal[literal_len++] = text[i];
      continue;
    }
    if (literal_len)
      segment_add(b, CFGATE_IR_NONE, literal, literal_len);
    segment_add(b, id, NULL, 0);
    literal_len = 0;
    placeholders++;
    i = (size_t)(close - text);
  }
  if (literal_len || placeholders)
    segment_add(b, CFGATE_IR_NONE, literal, literal_len);

  out->segments_count = placeholders ? (uint32_t)(b->segments.len - out->segments_first) : 0;
  if (!placeholders)
    b->segments.len = out->segments_first;
  out->text = ir_pool_add(b, literal, literal_len);
  out->len = (uint32_t)literal_len;
  free(literal);
  return placeholders;
}

static int grow(ir_builder *b, void **array, size_t count, size_t elem) {
  void *grown = realloc(*array, (count + 1) * elem);
  if (!grown) {
    ir_fail_memory(b);
    return -1;
  }
  *array = grown;
  return 0;
}

static void member_string(ir_builder *b, json_t *value, enum_members *m) {
  cfgate_ir_string s = {0, 0, 0, 0};
  split_template(b, json_string_value(value), json_string_length(value), &s);

  if (s.segments_count) {
    if (grow(b, (void **)&m->templates, m->template_count, sizeof s) == 0)
      m->templates[m->template_count++] = s;
  } else if (grow(b, (void **)&m->literals, m->literal_count, sizeof s) == 0) {
    m->literals[m->literal_count++] = s;
  }
}

static void member_add(ir_builder *b, json_t *value, uint32_t path, int depth, enum_members *m) {
  uint32_t index;

  switch (json_typeof(value)) {
  case JSON_STRING:
    member_string(b, value, m);
    break;
  case JSON_INTEGER:
  case JSON_REAL:
    index = ir_number_add(b, value, path, NULL);
    if (grow(b, (void **)&m->numbers, m->number_count, sizeof index) == 0)
      m->numbers[m->number_count++] = index;
    break;
  case JSON_TRUE:
    m->scalars |= CFGATE_IR_ENUM_TRUE;
    break;
  case JSON_FALSE:
    m->scalars |= CFGATE_IR_ENUM_FALSE;
    break;
  case JSON_NULL:
    m->scalars |= CFGATE_IR_TYPE_NULL;
    break;
  default:
    index = value_node(b, value, path, depth + 1);
    if (grow(b, (void **)&m->nodes, m->node_count, sizeof index) == 0)
      m->nodes[m->node_count++] = index;
    break;
  }
}

static const ir_builder *sort_builder;

static int literal_order(const void *a, const void *b) {
  const cfgate_ir_string *x = a, *y = b;
  size_t len = x->len < y->len ? x->len : y->len;
  int c = memcmp(ir_pool_text(sort_builder, x->text), ir_pool_text(sort_builder, y->text), len);
  return c ? c : (x->len > y->len) - (x->len < y->len);
}

/* Appends strings[0..n) to strings[]. Returns the first index. */
static uint32_t strings_append(ir_builder *b, const cfgate_ir_string *strings, size_t n) {
  uint32_t first = (uint32_t)b->strings.len;
  for (size_t i = 0; i < n; i++) {
    cfgate_ir_string *slot = ir_vec_push(b, &b->strings);
    if (!slot)
      break;
    *slot = strings[i];
  }
  return first;
}

/* Sorts literal strings by bytes and drops duplicates. */
static void sort_literals(ir_builder *b, enum_members *m) {
  if (m->literal_count < 2)
    return;

  sort_builder = b;
  qsort(m->literals, m->literal_count, sizeof *m->literals, literal_order);
  size_t kept = 1;
  for (size_t i = 1; i < m->literal_count; i++)
    if (literal_order(&m->literals[kept - 1], &m->literals[i]) != 0)
      m->literals[kept++] = m->literals[i];
  m->literal_count = kept;
}

static void store_members(ir_builder *b, enum_members *m, cfgate_ir_node *node) {
  sort_literals(b, m);
  node->enum_strings_first = strings_append(b, m->literals, m->literal_count);
  node->enum_strings_count = (uint32_t)m->literal_count;
  node->enum_templates_first = strings_append(b, m->templates, m->template_count);
  node->enum_templates_count = (uint32_t)m->template_count;
  node->enum_numbers_first = ir_list_append(b, m->numbers, m->number_count);
  node->enum_numbers_count = (uint32_t)m->number_count;
  node->enum_nodes_first = ir_list_append(b, m->nodes, m->node_count);
  node->enum_nodes_count = (uint32_t)m->node_count;
  node->enum_scalars = m->scalars;
  node->flags |= CFGATE_IR_HAS_ENUM;

  free(m->literals);
  free(m->templates);
  free(m->numbers);
  free(m->nodes);
}

/* Fills node's enum fields from the JSON values of members. */
static void members_build(ir_builder *b, json_t *members, uint32_t path, int depth,
                          cfgate_ir_node *node) {
  enum_members m = {0};
  size_t index;
  json_t *value;

  json_array_foreach(members, index, value)
      member_add(b, value, ir_pool_add_index_path(b, path, "enum", index), depth, &m);
  if (m.template_count > IR_MAX_PLACEHOLDER_STRINGS)
    ir_fail(b, path, "enum", "too many strings with placeholders (limit is %d)",
            IR_MAX_PLACEHOLDER_STRINGS);
  store_members(b, &m, node);
}

static void value_node_object(ir_builder *b, json_t *value, uint32_t path, int depth,
                              cfgate_ir_node *node) {
  size_t n = json_object_size(value);
  cfgate_ir_name *names = calloc(n ? n : 1, sizeof *names);
  if (!names) {
    ir_fail_memory(b);
    return;
  }

  const char *key;
  size_t key_len, i = 0;
  json_t *member;
  json_object_keylen_foreach(value, key, key_len, member) {
    uint32_t node_index = value_node(b, member, ir_pool_add_path(b, path, key), depth + 1);
    cfgate_ir_name name = {cfgate_ir_hash(key, key_len), ir_pool_add(b, key, key_len),
                           (uint32_t)key_len, node_index, (uint32_t)i};
    names[i++] = name;
  }
  node->types = CFGATE_IR_TYPE_OBJECT;
  node->flags |= CFGATE_IR_HAS_TYPE | CFGATE_IR_HAS_OBJECT;
  node->required_count = node->tracked_count = (uint32_t)n;
  node->additional_properties = b->false_node;
  node->names_first = (uint32_t)b->names.len;
  node->names_count = (uint32_t)n;
  for (i = 0; i < n; i++) {
    cfgate_ir_name *slot = ir_vec_push(b, &b->names);
    if (slot)
      *slot = names[i];
  }
  free(names);
}

static void sort_node_names(ir_builder *b, cfgate_ir_node *node);

static void value_node_array(ir_builder *b, json_t *value, uint32_t path, int depth,
                             cfgate_ir_node *node) {
  size_t n = json_array_size(value);
  uint32_t *items = malloc((n ? n : 1) * sizeof *items);
  if (!items) {
    ir_fail_memory(b);
    return;
  }

  for (size_t i = 0; i < n; i++) {
    char token[32];
    snprintf(token, sizeof token, "%zu", i);
    items[i] = value_node(b, json_array_get(value, i), ir_pool_add_path(b, path, token), depth + 1);
  }
  node->types = CFGATE_IR_TYPE_ARRAY;
  node->flags |= CFGATE_IR_HAS_TYPE | CFGATE_IR_HAS_ARRAY;
  node->tuple_first = ir_list_append(b, items, n);
  node->tuple_count = (uint32_t)n;
  node->additional_items = b->false_node;
  node->min_items = (uint32_t)n;
  free(items);
}

/* Compiles a JSON value into a node that accepts exactly that value. */
static uint32_t value_node(ir_builder *b, json_t *value, uint32_t path, int depth) {
  if (depth > IR_MAX_SCHEMA_DEPTH) {
    ir_fail(b, path, NULL, "enum or const value nested too deep (limit is %d)", IR_MAX_SCHEMA_DEPTH);
    return CFGATE_IR_NONE;
  }

  uint32_t index = ir_node_new(b, path);
  if (index == CFGATE_IR_NONE)
    return index;

  cfgate_ir_node node = *ir_node_at(b, index);
  if (json_is_object(value)) {
    value_node_object(b, value, path, depth, &node);
    sort_node_names(b, &node);
    ir_index_names(b, &node);
  } else if (json_is_array(value)) {
    value_node_array(b, value, path, depth, &node);
  } else {
    json_t *single = json_pack("[O]", value);
    if (!single) {
      ir_fail_memory(b);
      return CFGATE_IR_NONE;
    }
    members_build(b, single, path, depth, &node);
    json_decref(single);
  }
  if (!b->failed)
    *ir_node_at(b, index) = node;
  return index;
}

static int name_order(const void *a, const void *b) {
  const cfgate_ir_name *x = a, *y = b;
  if (x->hash != y->hash)
    return x->hash < y->hash ? -1 : 1;

  size_t len = x->len < y->len ? x->len : y->len;
  int c = memcmp(ir_pool_text(sort_builder, x->text), ir_pool_text(sort_builder, y->text), len);
  return c ? c : (x->len > y->len) - (x->len < y->len);
}

static void sort_node_names(ir_builder *b, cfgate_ir_node *node) {
  if (b->failed || node->names_count < 2)
    return;
  cfgate_ir_name *names = (cfgate_ir_name *)b->names.data + node->names_first;
  sort_builder = b;
  qsort(names, node->names_count, sizeof *names, name_order);
}

void ir_build_enum(ir_builder *b, json_t *schema, uint32_t path, cfgate_ir_node *node) {
  json_t *members = json_object_get(schema, "enum");
  json_t *constant = json_object_get(schema, "const");

  if (members && !json_is_array(members)) {
    ir_fail(b, path, "enum", "invalid enum: expected an array");
    return;
  }
  if (members)
    members_build(b, members, path, 0, node);
  /* With both keywords, enum fills the node and const becomes an allOf
   * branch. A scalar constant's branch takes the node's path and reports
   * as const, so a failure names "const" at ".../const", not "enum". */
  b->const_node = CFGATE_IR_NONE;
  if (constant && members) {
    int scalar = !json_is_object(constant) && !json_is_array(constant);
    b->const_node = value_node(b, constant, scalar ? path : ir_pool_add_path(b, path, "const"), 0);
    if (scalar && b->const_node != CFGATE_IR_NONE && !b->failed)
      ir_node_at(b, b->const_node)->flags |= CFGATE_IR_IS_CONST;
    return;
  }
  if (constant) {
    json_t *single = json_pack("[O]", constant);
    if (!single) {
      ir_fail_memory(b);
      return;
    }
    members_build(b, single, ir_pool_add_path(b, path, "const"), 0, node);
    node->flags |= CFGATE_IR_IS_CONST;
    json_decref(single);
  }
}
