/*
 * Structural invariants of compiled validator tables, checked after the
 * builder runs and by tests of emitted tables: indexes in range, string
 * offsets inside the NUL-terminated pool, names sorted and indexed by hash.
 */
#include <string.h>

#include "cfgate_ir.h"

static int range_ok(uint32_t first, uint32_t count, uint32_t size) {
  return count == 0 || (first < size && count <= size - first);
}

static int node_ok(const cfgate_validator *v, uint32_t node) {
  return node == CFGATE_IR_NONE || node < v->node_count;
}

static int text_ok(const cfgate_validator *v, uint32_t offset) {
  return offset == CFGATE_IR_NONE || offset < v->pool_size;
}

static int list_nodes_ok(const cfgate_validator *v, uint32_t first, uint32_t count) {
  if (!range_ok(first, count, v->list_count))
    return 0;
  for (uint32_t i = 0; i < count; i++)
    if (v->lists[first + i] >= v->node_count)
      return 0;
  return 1;
}

static int names_sorted(const cfgate_validator *v, const cfgate_ir_node *n) {
  for (uint32_t i = 0; i < n->names_count; i++) {
    const cfgate_ir_name *name = &v->names[n->names_first + i];
    if (!text_ok(v, name->text) || name->text + name->len >= v->pool_size || !node_ok(v, name->node))
      return 0;
    if (name->bit != CFGATE_IR_NONE && name->bit >= n->tracked_count)
      return 0;
    if (i == 0)
      continue;
    const cfgate_ir_name *prev = name - 1;
    if (prev->hash > name->hash)
      return 0;
    if (prev->hash == name->hash) {
      uint32_t len = prev->len < name->len ? prev->len : name->len;
      int c = memcmp(v->pool + prev->text, v->pool + name->text, len);
      if (c > 0 || (c == 0 && prev->len >= name->len))
        return 0;
    }
  }
  return 1;
}

/* Checks the name index (see CFGATE_IR_NAME_BUCKET_BITS_MAX): ascending
 * bucket starts from the first name to the end, and each name in the bucket
 * of its hash, so a lookup in that bucket finds every name of the hash.
 * Without names, every bucket is empty. */
static int names_indexed(const cfgate_validator *v, const cfgate_ir_node *n) {
  if (n->names_count == 0 && !(n->flags & CFGATE_IR_HAS_OBJECT))
    return 1;
  uint32_t shift = n->name_bucket_shift;
  if (shift < 64 - CFGATE_IR_NAME_BUCKET_BITS_MAX || shift > 63)
    return 0;

  uint32_t buckets = 1u << (64 - shift);
  if (!range_ok(n->name_buckets_first, buckets + 1, v->list_count))
    return 0;
  const uint32_t *starts = v->lists + n->name_buckets_first;
  uint32_t end = n->names_first + n->names_count;
  if (n->names_count == 0 ? starts[0] != starts[buckets]
                          : starts[0] != n->names_first || starts[buckets] != end)
    return 0;
  for (uint32_t k = 0; k < buckets; k++) {
    if (starts[k] > starts[k + 1])
      return 0;
    for (uint32_t i = starts[k]; i < starts[k + 1]; i++)
      if (v->names[i].hash >> shift != k)
        return 0;
  }
  return 1;
}

static const char *check_applicators(const cfgate_validator *v, const cfgate_ir_node *n) {
  if (!list_nodes_ok(v, n->all_of_first, n->all_of_count) ||
      !list_nodes_ok(v, n->any_of_first, n->any_of_count) ||
      !list_nodes_ok(v, n->one_of_first, n->one_of_count))
    return "applicator list out of range";
  if (!node_ok(v, n->not_node) || !node_ok(v, n->if_node) || !node_ok(v, n->then_node) ||
      !node_ok(v, n->else_node))
    return "not/if/then/else node out of range";
  return NULL;
}

static const char *check_object(const cfgate_validator *v, const cfgate_ir_node *n) {
  if (!range_ok(n->names_first, n->names_count, v->name_count) || !names_sorted(v, n))
    return "property names out of range or not sorted by hash";
  if (!names_indexed(v, n))
    return "property name index out of range or not matching the name hashes";
  if (n->required_count > n->tracked_count)
    return "more required names than presence bits";
  if (!range_ok(n->pattern_props_first, n->pattern_props_count, v->pattern_prop_count))
    return "patternProperties out of range";
  for (uint32_t i = 0; i < n->pattern_props_count; i++) {
    const cfgate_ir_pattern_prop *p = &v->pattern_props[n->pattern_props_first + i];
    if (p->pattern >= v->pattern_count || !node_ok(v, p->node) || p->node == CFGATE_IR_NONE)
      return "patternProperties entry out of range";
  }
  if (!range_ok(n->dependencies_first, n->dependencies_count, v->dependency_count))
    return "dependencies out of range";
  for (uint32_t i = 0; i < n->dependencies_count; i++) {
    const cfgate_ir_dependency *d = &v->dependencies[n->dependencies_first + i];
    if (d->bit >= n->tracked_count || !node_ok(v, d->node) ||
        !range_ok(d->names_first, d->names_count, v->list_count))
      return "dependencies entry out of range";
  }
  if (!node_ok(v, n->additional_properties) || !node_ok(v, n->property_names))
    return "additionalProperties or propertyNames out of range";
  return NULL;
}

static const char *check_strings(const cfgate_validator *v, uint32_t first, uint32_t count) {
  if (!range_ok(first, count, v->string_count))
    return "enum strings out of range";
  for (uint32_t i = 0; i < count; i++) {
    const cfgate_ir_string *s = &v->strings[first + i];
    if (!text_ok(v, s->text) || !range_ok(s->segments_first, s->segments_count, v->segment_count))
      return "enum string out of range";
    for (uint32_t k = 0; k < s->segments_count; k++) {
      const cfgate_ir_segment *seg = &v->segments[s->segments_first + k];
      if (seg->placeholder != CFGATE_IR_NONE ? seg->placeholder >= v->placeholder_count
                                             : !text_ok(v, seg->text))
        return "enum string segment out of range";
    }
  }
  return NULL;
}

static const char *check_values(const cfgate_validator *v, const cfgate_ir_node *n) {
  const char *problem = check_strings(v, n->enum_strings_first, n->enum_strings_count);
  if (!problem)
    problem = check_strings(v, n->enum_templates_first, n->enum_templates_count);
  if (problem)
    return problem;
  if (!range_ok(n->enum_numbers_first, n->enum_numbers_count, v->list_count))
    return "enum numbers out of range";
  for (uint32_t i = 0; i < n->enum_numbers_count; i++)
    if (v->lists[n->enum_numbers_first + i] >= v->number_count)
      return "enum number out of range";
  if (!list_nodes_ok(v, n->enum_nodes_first, n->enum_nodes_count))
    return "enum nodes out of range";

  uint32_t numbers[] = {n->minimum, n->maximum, n->exclusive_minimum, n->exclusive_maximum,
                        n->multiple_of};
  for (size_t i = 0; i < sizeof numbers / sizeof *numbers; i++)
    if (numbers[i] != CFGATE_IR_NONE && numbers[i] >= v->number_count)
      return "numeric keyword out of range";
  if (n->pattern != CFGATE_IR_NONE && n->pattern >= v->pattern_count)
    return "pattern out of range";
  return NULL;
}

static const char *check_array(const cfgate_validator *v, const cfgate_ir_node *n) {
  if (!list_nodes_ok(v, n->tuple_first, n->tuple_count))
    return "tuple items out of range";
  if (!node_ok(v, n->items) || !node_ok(v, n->additional_items) || !node_ok(v, n->contains))
    return "items, additionalItems or contains out of range";
  return NULL;
}

static const char *check_node(const cfgate_validator *v, const cfgate_ir_node *n) {
  if (!text_ok(v, n->path) || n->path == CFGATE_IR_NONE || !text_ok(v, n->because))
    return "node path or because out of the pool";
  if ((n->types & ~(uint32_t)CFGATE_IR_TYPE_ANY) != 0)
    return "unknown type bits";

  const char *problem = check_applicators(v, n);
  if (!problem)
    problem = check_object(v, n);
  if (!problem)
    problem = check_array(v, n);
  if (!problem)
    problem = check_values(v, n);
  return problem;
}

const char *cfgate_ir_check(const cfgate_validator *v) {
  if (v->format_version != CFGATE_IR_FORMAT_VERSION)
    return "unsupported table format version";
  if (v->pool_size == 0 || v->pool[v->pool_size - 1] != '\0')
    return "string pool is not NUL-terminated";
  if (v->root >= v->node_count)
    return "root node out of range";
  for (uint32_t i = 0; i < v->placeholder_count; i++)
    if (!text_ok(v, v->placeholders[i]))
      return "placeholder name out of the pool";
  for (uint32_t i = 0; i < v->number_count; i++)
    if (!text_ok(v, v->numbers[i].text) || v->numbers[i].text + v->numbers[i].len >= v->pool_size)
      return "number text out of the pool";

  for (uint32_t i = 0; i < v->node_count; i++) {
    const char *problem = check_node(v, &v->nodes[i]);
    if (problem)
      return problem;
  }
  return NULL;
}
