/*
 * Object keywords: properties, required, dependencies (merged into one table
 * of names sorted by hash, each with its "properties" node and presence
 * bit), patternProperties, additionalProperties, propertyNames and the
 * property counts.
 */
#include <stdlib.h>
#include <string.h>

#include "ir_build_internal.h"

/* A name while the node's table is collected. */
typedef struct name_entry {
  const char *text;
  size_t len;
  uint64_t hash;
  uint32_t node;
  uint32_t bit;
} name_entry;

typedef struct name_table {
  name_entry *entries;
  size_t count, cap;
  uint32_t bits;
} name_table;

static name_entry *name_find_or_add(ir_builder *b, name_table *t, const char *text, size_t len) {
  for (size_t i = 0; i < t->count; i++)
    if (t->entries[i].len == len && memcmp(t->entries[i].text, text, len) == 0)
      return &t->entries[i];

  if (t->count == t->cap) {
    size_t cap = t->cap ? t->cap * 2 : 8;
    name_entry *entries = realloc(t->entries, cap * sizeof *entries);
    if (!entries) {
      ir_fail_memory(b);
      return NULL;
    }
    t->entries = entries;
    t->cap = cap;
  }
  name_entry *e = &t->entries[t->count++];
  e->text = text;
  e->len = len;
  e->hash = cfgate_ir_hash(text, len);
  e->node = CFGATE_IR_NONE;
  e->bit = CFGATE_IR_NONE;
  return e;
}

/* Returns the presence bit of a name, assigning the next one on first use. */
static uint32_t name_bit(ir_builder *b, name_table *t, const char *text, size_t len) {
  name_entry *e = name_find_or_add(b, t, text, len);
  if (!e)
    return CFGATE_IR_NONE;
  if (e->bit == CFGATE_IR_NONE)
    e->bit = t->bits++;
  return e->bit;
}

static void collect_required(ir_builder *b, json_t *schema, uint32_t path, name_table *t) {
  json_t *required = json_object_get(schema, "required");
  size_t index;
  json_t *name;

  if (required && !json_is_array(required))
    ir_fail(b, path, "required", "invalid required: expected an array of strings");
  json_array_foreach(required, index, name) {
    if (!json_is_string(name)) {
      ir_fail(b, path, "required", "invalid required name at index %zu: expected a string", index);
      return;
    }
    name_bit(b, t, json_string_value(name), json_string_length(name));
  }
}

static void collect_properties(ir_builder *b, json_t *schema, uint32_t base, uint32_t path,
                               name_table *t) {
  json_t *properties = json_object_get(schema, "properties");
  if (properties && !json_is_object(properties))
    ir_fail(b, path, "properties", "invalid properties: expected an object of schemas");

  uint32_t properties_path = properties ? ir_pool_add_path(b, path, "properties") : path;
  const char *key;
  size_t key_len;
  json_t *value;
  json_object_keylen_foreach(properties, key, key_len, value) {
    name_entry *e = name_find_or_add(b, t, key, key_len);
    if (!e)
      return;
    e->node = ir_node_for(b, value, base, ir_pool_add_path(b, properties_path, key));
  }
}

static int dependency_names(ir_builder *b, json_t *names, uint32_t path, name_table *t,
                            cfgate_ir_dependency *dep) {
  size_t n = json_array_size(names);
  uint32_t *bits = malloc((n ? n : 1) * sizeof *bits);
  if (!bits) {
    ir_fail_memory(b);
    return -1;
  }

  for (size_t i = 0; i < n; i++) {
    json_t *name = json_array_get(names, i);
    if (!json_is_string(name)) {
      ir_fail(b, path, NULL, "invalid dependency name at index %zu: expected a string", i);
      break;
    }
    bits[i] = name_bit(b, t, json_string_value(name), json_string_length(name));
  }
  dep->names_first = ir_list_append(b, bits, n);
  dep->names_count = (uint32_t)n;
  free(bits);
  return b->failed ? -1 : 0;
}

static void collect_dependencies(ir_builder *b, json_t *schema, uint32_t base, uint32_t path,
                                 name_table *t, cfgate_ir_node *node) {
  json_t *dependencies = json_object_get(schema, "dependencies");
  if (dependencies && !json_is_object(dependencies))
    ir_fail(b, path, "dependencies", "invalid dependencies: expected an object");
  if (json_object_size(dependencies) > IR_MAX_SCHEMA_DEPENDENCIES) {
    ir_fail(b, path, "dependencies", "too many dependencies (limit is %d)",
            IR_MAX_SCHEMA_DEPENDENCIES);
    return;
  }

  uint32_t dep_path = dependencies ? ir_pool_add_path(b, path, "dependencies") : path;
  node->dependencies_first = (uint32_t)b->dependencies.len;
  const char *key;
  size_t key_len;
  json_t *value;
  json_object_keylen_foreach(dependencies, key, key_len, value) {
    uint32_t value_path = ir_pool_add_path(b, dep_path, key);
    cfgate_ir_dependency dep = {name_bit(b, t, key, key_len), ir_pool_add(b, key, key_len), 0, 0,
                                CFGATE_IR_NONE};
    if (json_is_array(value))
      dependency_names(b, value, value_path, t, &dep);
    else
      dep.node = ir_node_for(b, value, base, value_path);

    cfgate_ir_dependency *slot = ir_vec_push(b, &b->dependencies);
    if (!slot)
      return;
    *slot = dep;
    node->dependencies_count++;
  }
}

static int name_order(const void *a, const void *b) {
  const name_entry *x = a, *y = b;
  if (x->hash != y->hash)
    return x->hash < y->hash ? -1 : 1;

  size_t len = x->len < y->len ? x->len : y->len;
  int c = memcmp(x->text, y->text, len);
  return c ? c : (x->len > y->len) - (x->len < y->len);
}

static void store_names(ir_builder *b, name_table *t, cfgate_ir_node *node) {
  if (t->count > 1)
    qsort(t->entries, t->count, sizeof *t->entries, name_order);
  node->names_first = (uint32_t)b->names.len;
  node->names_count = (uint32_t)t->count;
  node->tracked_count = t->bits;

  for (size_t i = 0; i < t->count && !b->failed; i++) {
    cfgate_ir_name name = {t->entries[i].hash, ir_pool_add(b, t->entries[i].text, t->entries[i].len),
                           (uint32_t)t->entries[i].len, t->entries[i].node, t->entries[i].bit};
    cfgate_ir_name *slot = ir_vec_push(b, &b->names);
    if (slot)
      *slot = name;
  }
  ir_index_names(b, node);
}

static void build_pattern_properties(ir_builder *b, json_t *schema, uint32_t base, uint32_t path,
                                     cfgate_ir_node *node) {
  json_t *patterns = json_object_get(schema, "patternProperties");
  if (!patterns)
    return;
  if (!json_is_object(patterns)) {
    ir_fail(b, path, "patternProperties", "invalid patternProperties: expected an object of schemas");
    return;
  }
  if (json_object_size(patterns) > IR_MAX_PATTERN_PROPERTIES) {
    ir_fail(b, path, "patternProperties", "too many patternProperties (limit is %d)",
            IR_MAX_PATTERN_PROPERTIES);
    return;
  }

  uint32_t patterns_path = ir_pool_add_path(b, path, "patternProperties");
  node->pattern_props_first = (uint32_t)b->pattern_props.len;
  const char *key;
  json_t *value;
  json_object_foreach(patterns, key, value) {
    uint32_t value_path = ir_pool_add_path(b, patterns_path, key);
    cfgate_ir_pattern_prop prop = {ir_pattern_add(b, key, strlen(key), value_path, NULL),
                                   ir_node_for(b, value, base, value_path),
                                   ir_pool_add(b, key, strlen(key))};
    cfgate_ir_pattern_prop *slot = ir_vec_push(b, &b->pattern_props);
    if (!slot)
      return;
    *slot = prop;
    node->pattern_props_count++;
  }
}

static uint32_t build_sub(ir_builder *b, json_t *schema, uint32_t base, uint32_t path,
                          const char *keyword) {
  json_t *sub = json_object_get(schema, keyword);
  return sub ? ir_node_for(b, sub, base, ir_pool_add_path(b, path, keyword)) : CFGATE_IR_NONE;
}

void ir_build_object(ir_builder *b, json_t *schema, uint32_t base, uint32_t path,
                     cfgate_ir_node *node) {
  name_table names = {0};

  collect_required(b, schema, path, &names);
  node->required_count = names.bits;
  collect_properties(b, schema, base, path, &names);
  collect_dependencies(b, schema, base, path, &names, node);
  store_names(b, &names, node);
  free(names.entries);

  build_pattern_properties(b, schema, base, path, node);
  node->additional_properties = build_sub(b, schema, base, path, "additionalProperties");
  node->property_names = build_sub(b, schema, base, path, "propertyNames");
  ir_read_count(b, schema, "minProperties", path, &node->min_properties);
  ir_read_count(b, schema, "maxProperties", path, &node->max_properties);

  if (node->names_count || node->pattern_props_count || node->dependencies_count ||
      node->additional_properties != CFGATE_IR_NONE || node->property_names != CFGATE_IR_NONE ||
      node->min_properties != CFGATE_IR_NONE || node->max_properties != CFGATE_IR_NONE)
    node->flags |= CFGATE_IR_HAS_OBJECT;
}
