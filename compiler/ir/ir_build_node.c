/*
 * Subschemas to nodes. Each subschema object gets one node (memoized, so it
 * is compiled once). A $ref resolves to the index of its target node, which
 * is how recursion is represented. The type, applicator and because
 * keywords of a queued subschema are compiled here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ir_build_internal.h"

cfgate_ir_node *ir_node_at(ir_builder *b, uint32_t node) {
  return (cfgate_ir_node *)b->nodes.data + node;
}

/* Allocates a node that accepts everything, at schema location path. */
uint32_t ir_node_new(ir_builder *b, uint32_t path) {
  cfgate_ir_node *node = ir_vec_push(b, &b->nodes);
  if (!node)
    return CFGATE_IR_NONE;

  memset(node, 0xff, sizeof *node);
  node->flags = 0;
  node->types = CFGATE_IR_TYPE_ANY;
  node->path = path;
  node->format = CFGATE_IR_FORMAT_NONE;
  node->enum_strings_count = node->enum_templates_count = node->enum_numbers_count = 0;
  node->enum_nodes_count = node->enum_scalars = 0;
  node->names_count = node->tracked_count = node->required_count = 0;
  node->pattern_props_count = node->dependencies_count = node->tuple_count = 0;
  node->all_of_count = node->any_of_count = node->one_of_count = 0;
  return (uint32_t)(b->nodes.len - 1);
}

/* Allocates the node of an object subschema and queues its compilation.
 * inner_base is the base URI inside schema. */
static uint32_t node_alloc(ir_builder *b, json_t *schema, uint32_t inner_base, uint32_t path) {
  uint32_t node = ir_node_new(b, path);
  ir_pending *pending = node == CFGATE_IR_NONE ? NULL : ir_vec_push(b, &b->pending);
  if (!pending || ir_memo_put(b, schema, node) != 0)
    return CFGATE_IR_NONE;
  pending->schema = schema;
  pending->node = node;
  pending->base = inner_base;
  pending->path = path;
  return node;
}

static uint32_t node_for_ref(ir_builder *b, json_t *schema, uint32_t base, uint32_t path,
                             int depth) {
  json_t *ref = json_object_get(schema, "$ref");
  if (!json_is_string(ref)) {
    ir_fail(b, path, "$ref", "invalid $ref: expected a string");
    return CFGATE_IR_NONE;
  }
  if (depth > IR_MAX_SCHEMA_DEPTH) {
    ir_fail(b, path, "$ref", "too many chained $ref (limit is %d); is the reference circular?",
            IR_MAX_SCHEMA_DEPTH);
    return CFGATE_IR_NONE;
  }

  json_t *target;
  uint32_t target_base, target_path;
  if (ir_resolve_ref(b, json_string_value(ref), base, path, &target, &target_base,
                     &target_path) != 0)
    return CFGATE_IR_NONE;

  uint32_t node;
  if (json_is_object(target) && json_object_get(target, "$ref") && !ir_memo_find(b, target, &node))
    node = node_for_ref(b, target, target_base, target_path, depth + 1);
  else if (json_is_object(target) && !ir_memo_find(b, target, &node))
    node = node_alloc(b, target, target_base, target_path);
  else
    node = ir_node_for(b, target, target_base, target_path);
  if (node != CFGATE_IR_NONE)
    ir_memo_put(b, schema, node);
  return node;
}

/* Allocates a node for the boolean schema false at path. Each location gets
 * its own node, so that its error names that location as schemaPath. */
static uint32_t false_node_at(ir_builder *b, uint32_t path) {
  uint32_t node = ir_node_new(b, path);
  if (node != CFGATE_IR_NONE)
    ir_node_at(b, node)->flags = CFGATE_IR_FALSE;
  return node;
}

/* Returns the node for subschema schema at path, allocating it and queueing
 * its compilation on first use. A $ref subschema maps to its target node. */
uint32_t ir_node_for(ir_builder *b, json_t *schema, uint32_t base, uint32_t path) {
  uint32_t node;
  if (b->failed)
    return CFGATE_IR_NONE;
  if (json_is_true(schema))
    return b->true_node;
  if (json_is_false(schema))
    return false_node_at(b, path);
  if (!json_is_object(schema)) {
    ir_fail(b, path, NULL, "invalid schema: expected an object or a boolean");
    return CFGATE_IR_NONE;
  }
  if (ir_memo_find(b, schema, &node))
    return node;
  if (json_object_get(schema, "$ref"))
    return node_for_ref(b, schema, base, path, 0);

  return node_alloc(b, schema, ir_apply_id(b, schema, base), path);
}

static uint32_t type_bit(const char *name) {
  static const struct {
    const char *name;
    uint32_t bit;
  } types[] = {{"null", CFGATE_IR_TYPE_NULL},       {"boolean", CFGATE_IR_TYPE_BOOLEAN},
               {"object", CFGATE_IR_TYPE_OBJECT},   {"array", CFGATE_IR_TYPE_ARRAY},
               {"number", CFGATE_IR_TYPE_NUMBER},   {"integer", CFGATE_IR_TYPE_INTEGER},
               {"string", CFGATE_IR_TYPE_STRING}};

  for (size_t i = 0; i < sizeof types / sizeof *types; i++)
    if (strcmp(types[i].name, name) == 0)
      return types[i].bit;
  return 0;
}

static void build_type(ir_builder *b, json_t *schema, uint32_t path, cfgate_ir_node *node) {
  json_t *type = json_object_get(schema, "type");
  if (!type)
    return;

  uint32_t mask = 0;
  size_t index;
  json_t *item;
  if (json_is_string(type))
    mask = type_bit(json_string_value(type));
  json_array_foreach(type, index, item) {
    uint32_t bit = json_is_string(item) ? type_bit(json_string_value(item)) : 0;
    mask |= bit ? bit : 0x80000000u;
  }
  if (!mask || (mask & 0x80000000u)) {
    ir_fail(b, path, "type", "invalid type: expected one of null, boolean, object, array, "
                             "number, integer, string, or an array of them");
    return;
  }
  node->flags |= CFGATE_IR_HAS_TYPE;
  node->types = mask;
}

/* Compiles the schemas of an applicator array into a contiguous list. */
static void build_list(ir_builder *b, json_t *schema, uint32_t base, uint32_t path,
                       const char *keyword, uint32_t *first, uint32_t *count) {
  json_t *array = json_object_get(schema, keyword);
  if (!array)
    return;
  if (!json_is_array(array) || json_array_size(array) == 0) {
    ir_fail(b, path, keyword, "invalid %s: expected a non-empty array of schemas", keyword);
    return;
  }

  size_t n = json_array_size(array);
  uint32_t *items = malloc(n * sizeof *items);
  if (!items) {
    ir_fail_memory(b);
    return;
  }
  for (size_t i = 0; i < n; i++)
    items[i] = ir_node_for(b, json_array_get(array, i), base,
                           ir_pool_add_index_path(b, path, keyword, i));
  *first = ir_list_append(b, items, n);
  *count = (uint32_t)n;
  free(items);
}

static uint32_t build_single(ir_builder *b, json_t *schema, uint32_t base, uint32_t path,
                             const char *keyword) {
  json_t *sub = json_object_get(schema, keyword);
  if (!sub)
    return CFGATE_IR_NONE;
  return ir_node_for(b, sub, base, ir_pool_add_path(b, path, keyword));
}

/* Appends the extra allOf branch for "const" beside "enum" after the list. */
static void add_const_branch(ir_builder *b, cfgate_ir_node *node) {
  uint32_t count = node->all_of_count;
  uint32_t *items = malloc((count + 1) * sizeof *items);
  if (!items) {
    ir_fail_memory(b);
    return;
  }

  for (uint32_t i = 0; i < count; i++)
    items[i] = ((uint32_t *)b->lists.data)[node->all_of_first + i];
  items[count] = b->const_node;
  node->all_of_first = ir_list_append(b, items, count + 1);
  node->all_of_count = count + 1;
  free(items);
}

static void build_applicators(ir_builder *b, json_t *schema, uint32_t base, uint32_t path,
                              cfgate_ir_node *node) {
  build_list(b, schema, base, path, "allOf", &node->all_of_first, &node->all_of_count);
  if (b->const_node != CFGATE_IR_NONE && !b->failed)
    add_const_branch(b, node);
  build_list(b, schema, base, path, "anyOf", &node->any_of_first, &node->any_of_count);
  build_list(b, schema, base, path, "oneOf", &node->one_of_first, &node->one_of_count);
  node->not_node = build_single(b, schema, base, path, "not");

  /* "then" and "else" do nothing without "if". */
  node->if_node = build_single(b, schema, base, path, "if");
  if (node->if_node != CFGATE_IR_NONE) {
    node->then_node = build_single(b, schema, base, path, "then");
    node->else_node = build_single(b, schema, base, path, "else");
  }

  if (node->all_of_count || node->any_of_count || node->one_of_count ||
      node->not_node != CFGATE_IR_NONE || node->if_node != CFGATE_IR_NONE)
    node->flags |= CFGATE_IR_HAS_APPLY;
}

static void build_because(ir_builder *b, json_t *schema, cfgate_ir_node *node) {
  json_t *rule = json_object_get(schema, "x-cfgate-rule");
  if (rule)
    node->flags |= CFGATE_IR_HAS_RULE;
  json_t *because = json_object_get(rule, "because");
  if (json_is_string(because))
    node->because = ir_pool_add(b, json_string_value(because), json_string_length(because));
}

/* Compiles one queued subschema into its node. The node is filled in a
 * local copy because compiling may grow (and move) the node table. */
void ir_node_compile(ir_builder *b, const ir_pending *pending) {
  cfgate_ir_node node = *ir_node_at(b, pending->node);
  json_t *schema = pending->schema;
  uint32_t base = pending->base;
  uint32_t path = pending->path;

  build_type(b, schema, path, &node);
  ir_build_enum(b, schema, path, &node);
  ir_build_object(b, schema, base, path, &node);
  ir_build_array(b, schema, base, path, &node);
  ir_build_string(b, schema, path, &node);
  ir_build_number(b, schema, path, &node);
  build_applicators(b, schema, base, path, &node);
  build_because(b, schema, &node);

  if (!b->failed)
    *ir_node_at(b, pending->node) = node;
}
