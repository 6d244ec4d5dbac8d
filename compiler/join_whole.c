/*
 * Copying a provider subtree into a template. Only draft-07 keywords that
 * validate input are kept, plus the annotations description, $comment,
 * title, default and examples. Every level with properties or
 * patternProperties is closed and read-only properties are removed.
 * References to definitions stay references, and the definitions are
 * recorded as needed.
 */
#define _GNU_SOURCE /* memmem */
#include <stdlib.h>
#include <string.h>

#include "join.h"
#include "placeholder.h"
#include "provider.h"

static const char *const join_plain_keywords[] = {
    "type",          "description",      "$comment",         "title",
    "format",        "minLength",        "maxLength",        "minimum",
    "maximum",       "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
    "minItems",      "maxItems",         "uniqueItems",      "minProperties",
    "maxProperties", "default",          "examples",
};

static const char *const join_escaped_keywords[] = {"pattern", "const", "enum"};

/* Keywords whose value is one schema at the same pointer, or below it. */
static const char *const join_same_level_keywords[] = {"not", "if", "then", "else"};
static const char *const join_child_keywords[] = {"additionalItems", "contains", "propertyNames"};

static int join_in(const char *key, const char *const *list, size_t count) {
  for (size_t i = 0; i < count; i++)
    if (strcmp(key, list[i]) == 0)
      return 1;
  return 0;
}

#define JOIN_IN(key, list) join_in(key, list, sizeof list / sizeof list[0])

static json_t *join_escape_string(json_t *value) {
  const char *text = json_string_value(value);
  size_t len = json_string_length(value);
  if (!memmem(text, len, "${", 2))
    return json_deep_copy(value);

  size_t escaped_len;
  char *escaped = placeholder_escape(text, len, &escaped_len);
  json_t *result = json_stringn(escaped, escaped_len);
  free(escaped);
  return result;
}

json_t *join_escape_strings(json_t *value) {
  if (json_is_string(value))
    return join_escape_string(value);
  if (!json_is_array(value))
    return json_deep_copy(value);

  json_t *copy = json_array();
  size_t i;
  json_t *item;
  json_array_foreach(value, i, item)
    json_array_append_new(copy, join_escape_strings(item));
  return copy;
}

static const char *join_below(join_ctx *join, const char *pointer, const char *name) {
  if (!pointer)
    return NULL;
  const char *below = arena_printf(&join->compile->arena, "%s/%s", pointer, name);
  return provider_has_read_only_below(join->root, below) || provider_is_read_only(join->root, below)
             ? below
             : NULL;
}

static void join_need_definition(join_ctx *join, const char *name) {
  if (json_object_get(join->definitions, name))
    return;
  json_object_set_new(join->definitions, name, json_null());
  join->definition_order = compile_grow(join->definition_order, &join->definition_capacity,
                                        join->definition_count, sizeof join->definition_order[0]);
  join->definition_order[join->definition_count++] =
      arena_strndup(&join->compile->arena, name, strlen(name));
}

static json_t *join_whole_ref(join_ctx *join, json_t *node, const char *ref, const char *pointer) {
  char definition[PROVIDER_MAX_TOKEN];
  if (provider_definition_name(ref, definition, sizeof definition) && !pointer &&
      json_object_get(json_object_get(join->root, "definitions"), definition)) {
    join_need_definition(join, definition);
    return json_pack("{s:s}", "$ref", ref);
  }

  /* Inline the target: it is a non-local pointer, or a read-only property
   * lies below this point and must be removed from this copy only. */
  json_t *target = provider_resolve(join->root, node);
  if (!target)
    return json_false();
  return join_emit_whole(join, target, pointer);
}

static json_t *join_whole_properties(join_ctx *join, json_t *properties, const char *pointer) {
  json_t *out = json_object();
  const char *name;
  json_t *schema;
  json_object_foreach(properties, name, schema) {
    const char *below = join_below(join, pointer, name);
    if (below && provider_is_read_only(join->root, below))
      continue;
    json_object_set_new(out, name, join_emit_whole(join, schema, below));
  }
  return out;
}

static json_t *join_whole_map(join_ctx *join, json_t *map, const char *pointer) {
  json_t *out = json_object();
  const char *key;
  json_t *schema;
  json_object_foreach(map, key, schema)
    json_object_set_new(out, key, join_emit_whole(join, schema, join_below(join, pointer, "*")));
  return out;
}

static json_t *join_whole_list(join_ctx *join, json_t *list, const char *pointer) {
  json_t *out = json_array();
  size_t i;
  json_t *schema;
  json_array_foreach(list, i, schema)
    json_array_append_new(out, join_emit_whole(join, schema, pointer));
  return out;
}

static json_t *join_whole_dependencies(join_ctx *join, json_t *dependencies, const char *pointer) {
  json_t *out = json_object();
  const char *key;
  json_t *value;
  json_object_foreach(dependencies, key, value)
    json_object_set_new(out, key,
                        json_is_array(value) ? json_deep_copy(value)
                                             : join_emit_whole(join, value, pointer));
  return out;
}

static int join_has_key(json_t *node, const char *key) {
  if (json_is_array(node)) {
    size_t i;
    json_t *item;
    json_array_foreach(node, i, item)
      if (join_has_key(item, key))
        return 1;
    return 0;
  }

  const char *name;
  json_t *value;
  json_object_foreach(node, name, value)
    if (strcmp(name, key) == 0 || join_has_key(value, key))
      return 1;
  return 0;
}

/* Closing the objects inside `not` or `if` would make them match less and
 * so accept more; such a provider schema is rejected instead. */
static int join_check_negated(join_ctx *join, const char *key, json_t *value) {
  if (!join_has_key(value, "properties") && !join_has_key(value, "patternProperties") &&
      !join_has_key(value, "$ref"))
    return 1;
  diag_report(&join->compile->diags, DIAG_ERROR, DIAG_SNAPSHOT, join->decl->name.span,
              "the provider schema of %s has objects or references under '%s', which cannot be "
              "closed without widening it",
              join->decl->name.text, key);
  return 0;
}

/* Copies one keyword of a provider node into out, or skips it. */
static void join_whole_keyword(join_ctx *join, json_t *out, const char *key, json_t *value,
                               const char *pointer) {
  if (JOIN_IN(key, join_plain_keywords))
    json_object_set_new(out, key, json_deep_copy(value));
  else if (JOIN_IN(key, join_escaped_keywords))
    json_object_set_new(out, key, join_escape_strings(value));
  else if (strcmp(key, "required") == 0 && json_is_array(value))
    json_object_set_new(out, key, json_deep_copy(value));
  else if (strcmp(key, "properties") == 0)
    json_object_set_new(out, key, join_whole_properties(join, value, pointer));
  else if (strcmp(key, "patternProperties") == 0)
    json_object_set_new(out, key, join_whole_map(join, value, pointer));
  else if (strcmp(key, "additionalProperties") == 0 || strcmp(key, "items") == 0 ||
           JOIN_IN(key, join_child_keywords))
    json_object_set_new(out, key,
                        json_is_array(value)
                            ? join_whole_list(join, value, join_below(join, pointer, "*"))
                            : join_emit_whole(join, value, join_below(join, pointer, "*")));
  else if (JOIN_IN(key, join_same_level_keywords)) {
    if ((strcmp(key, "not") != 0 && strcmp(key, "if") != 0) || join_check_negated(join, key, value))
      json_object_set_new(out, key, join_emit_whole(join, value, pointer));
  } else if (strcmp(key, "allOf") == 0 || strcmp(key, "anyOf") == 0 || strcmp(key, "oneOf") == 0)
    json_object_set_new(out, key, join_whole_list(join, value, pointer));
  else if (strcmp(key, "dependencies") == 0)
    json_object_set_new(out, key, join_whole_dependencies(join, value, pointer));
}

json_t *join_emit_whole(join_ctx *join, json_t *node, const char *pointer) {
  if (!json_is_object(node))
    return json_is_boolean(node) ? json_deep_copy(node) : json_object();
  if (join->depth >= DSL_MAX_SCHEMA_DEPTH) {
    if (!join->depth_reported)
      diag_report(&join->compile->diags, DIAG_ERROR, DIAG_LIMIT, join->decl->name.span,
                  "too many nested schema levels in %s (limit is %d)", join->decl->name.text,
                  DSL_MAX_SCHEMA_DEPTH);
    join->depth_reported = 1;
    return json_false();
  }

  join->depth++;
  json_t *out;
  const char *ref = json_string_value(json_object_get(node, "$ref"));
  if (ref) {
    out = join_whole_ref(join, node, ref, pointer);
  } else {
    out = json_object();
    const char *key;
    json_t *value;
    json_object_foreach(node, key, value)
      join_whole_keyword(join, out, key, value, pointer);
    join_close(join, out, node);
  }
  join->depth--;
  return out;
}

static void join_add_missing(json_t *into, json_t *from) {
  const char *name;
  json_t *schema;
  json_object_foreach(from, name, schema)
    if (!json_object_get(into, name))
      json_object_set_new(into, name, json_object());
}

/* Closing two open oneOf branches could turn a value that matched both
 * (rejected) into one that matches only one (accepted), so such a provider
 * schema is rejected. */
void join_check_one_of(join_ctx *join, json_t *original) {
  size_t open = 0, i;
  json_t *branch;
  json_array_foreach(json_object_get(original, "oneOf"), i, branch) {
    json_t *resolved = provider_resolve(join->root, branch);
    open += json_object_get(resolved, "properties") &&
            !json_is_false(json_object_get(resolved, "additionalProperties"));
  }
  if (open < 2)
    return;
  diag_report(&join->compile->diags, DIAG_ERROR, DIAG_SNAPSHOT, join->decl->name.span,
              "the provider schema of %s has a oneOf with %zu open object branches, which "
              "cannot be closed without widening it",
              join->decl->name.text, open);
}

void join_close(join_ctx *join, json_t *out, json_t *original) {
  join_check_one_of(join, original);
  static const char *const combinators[] = {"allOf", "anyOf", "oneOf"};
  json_t *properties = json_object_get(out, "properties");
  int parent_open = !json_is_false(json_object_get(original, "additionalProperties"));

  for (size_t c = 0; properties && c < 3; c++) {
    json_t *branches = json_object_get(out, combinators[c]);
    json_t *originals = json_object_get(original, combinators[c]);
    size_t i;
    json_t *branch;
    json_array_foreach(branches, i, branch) {
      json_t *branch_properties = json_object_get(branch, "properties");
      if (!branch_properties)
        continue;
      json_t *branch_original = json_array_get(originals, i);
      if (!json_is_false(json_object_get(branch_original, "additionalProperties")))
        join_add_missing(branch_properties, properties);
      if (parent_open)
        join_add_missing(properties, branch_properties);
    }
  }

  /* A map is closed too, so a key that matches none of its patterns is
   * rejected like a property AWS adds later. */
  if (properties || json_object_get(out, "patternProperties"))
    json_object_set_new(out, "additionalProperties", json_false());
  /* So is a tuple (items given by position): an item past the listed
   * positions is rejected, as an unlisted property is. */
  if (json_is_array(json_object_get(out, "items")))
    json_object_set_new(out, "additionalItems", json_false());
}
