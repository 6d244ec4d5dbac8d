/*
 * Properties that combinator branches define differently. In
 * AWS::IoTFleetWise::DecoderManifest each oneOf branch of a network
 * interface has its own `Type` enum, so the level's `properties` cannot
 * copy any one branch's definition: it would reject the values of the
 * other branches. Such a property keeps only the policy's constraints at
 * the level, and each branch keeps its own definition.
 */
#include <string.h>

#include "join.h"
#include "provider.h"

static const char *const vary_combinators[] = {"allOf", "anyOf", "oneOf"};

/* Keywords kept in the merged definition when every branch has the same
 * value. */
static const char *const vary_shared_keywords[] = {
    "pattern", "minLength", "maxLength", "minimum", "maximum", "exclusiveMinimum",
    "exclusiveMaximum",
};

typedef void (*vary_visit)(void *data, json_t *definition);

/* Calls visit with the resolved definition of name in each combinator
 * branch of level that defines it. */
static void vary_each_definition(join_ctx *join, json_t *level, const char *name,
                                 vary_visit visit, void *data) {
  for (size_t c = 0; c < sizeof vary_combinators / sizeof vary_combinators[0]; c++) {
    size_t i;
    json_t *branch;
    json_array_foreach(json_object_get(level, vary_combinators[c]), i, branch) {
      json_t *properties = json_object_get(provider_resolve(join->root, branch), "properties");
      json_t *definition = json_object_get(properties, name);
      if (definition)
        visit(data, provider_resolve(join->root, definition));
    }
  }
}

typedef struct vary_compare {
  json_t *first;
  int differ;
} vary_compare;

static void vary_compare_one(void *data, json_t *definition) {
  vary_compare *compare = data;
  if (!compare->first)
    compare->first = definition;
  else if (!json_equal(compare->first, definition))
    compare->differ = 1;
}

int join_definitions_vary(join_ctx *join, json_t *level, const char *name) {
  if (json_object_get(json_object_get(level, "properties"), name))
    return 0;
  vary_compare compare = {NULL, 0};
  vary_each_definition(join, level, name, vary_compare_one, &compare);
  return compare.differ;
}

typedef struct vary_merge {
  json_t *types;  /* type names of every definition, or NULL once one has none */
  json_t *values; /* enum and const values of every definition, or NULL once one has neither */
  json_t *shared; /* shared keywords seen so far, with the first definition's values */
  int count;
} vary_merge;

static void vary_add_unique(json_t *list, json_t *value) {
  size_t i;
  json_t *item;
  json_array_foreach(list, i, item)
    if (json_equal(item, value))
      return;
  json_array_append(list, value);
}

static void vary_merge_types(vary_merge *merge, json_t *definition) {
  json_t *type = json_object_get(definition, "type");
  if (!merge->types || !type) {
    json_decref(merge->types);
    merge->types = NULL;
    return;
  }
  if (json_is_string(type)) {
    vary_add_unique(merge->types, type);
    return;
  }
  size_t i;
  json_t *item;
  json_array_foreach(type, i, item)
    vary_add_unique(merge->types, item);
}

static void vary_merge_values(vary_merge *merge, json_t *definition) {
  json_t *allowed = json_object_get(definition, "enum");
  json_t *fixed = json_object_get(definition, "const");
  if (!merge->values || (!json_is_array(allowed) && !fixed)) {
    json_decref(merge->values);
    merge->values = NULL;
    return;
  }
  if (fixed)
    vary_add_unique(merge->values, fixed);
  size_t i;
  json_t *item;
  json_array_foreach(allowed, i, item)
    vary_add_unique(merge->values, item);
}

/* Keeps a shared keyword only while every definition has the same value. */
static void vary_merge_shared(vary_merge *merge, json_t *definition) {
  for (size_t k = 0; k < sizeof vary_shared_keywords / sizeof vary_shared_keywords[0]; k++) {
    const char *key = vary_shared_keywords[k];
    json_t *value = json_object_get(definition, key);
    json_t *seen = json_object_get(merge->shared, key);
    if (merge->count == 0 && value)
      json_object_set(merge->shared, key, value);
    else if (seen && !json_equal(seen, value))
      json_object_set_new(merge->shared, key, json_null());
  }
}

static void vary_merge_one(void *data, json_t *definition) {
  vary_merge *merge = data;
  vary_merge_types(merge, definition);
  vary_merge_values(merge, definition);
  vary_merge_shared(merge, definition);
  merge->count++;
}

json_t *join_merge_definitions(join_ctx *join, json_t *level, const char *name) {
  vary_merge merge = {json_array(), json_array(), json_object(), 0};
  vary_each_definition(join, level, name, vary_merge_one, &merge);

  json_t *out = json_object();
  if (merge.types)
    json_object_set_new(out, "type", merge.types);
  if (merge.values)
    json_object_set_new(out, "enum", merge.values);
  const char *key;
  json_t *value;
  json_object_foreach(merge.shared, key, value)
    if (!json_is_null(value))
      json_object_set(out, key, value);
  json_decref(merge.shared);
  return out;
}
