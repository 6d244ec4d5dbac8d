/*
 * Lists the assertions of an old template that a new one no longer makes
 * at a path, for the keywords that template_widen.c does not compare one
 * by one (template_widen_keywords.h). A keyword whose change cannot be
 * shown to narrow the path is listed, so an assertion the comparison does
 * not know fails closed.
 */
#define _GNU_SOURCE /* asprintf */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dsl_limits.h"
#include "template_widen_keywords.h"

/* Longest JSON text of a value shown in a detail. A longer one is cut and
 * ends in "...". */
#define WIDEN_KEYWORDS_MAX_SHOWN 120

/* Keywords that template_widen.c compares itself (template_widen_branch.c
 * the anyOf, oneOf and if/then/else groups, widen_compare_items the items
 * and additionalItems), or that only contain definitions. */
static const char *const compared_elsewhere[] = {
    "type",         "enum",          "const",     "maximum",   "exclusiveMaximum",
    "maxLength",    "maxItems",      "maxProperties", "minimum", "exclusiveMinimum",
    "minLength",    "minItems",      "minProperties", "pattern", "required",
    "properties",   "patternProperties", "$ref",  "allOf",     "definitions",
    "anyOf",        "oneOf",         "if",        "then",      "else",
    "items",        "additionalItems"};

/* Keywords that the validator does not read (compiler/ir), so no change
 * of their value admits more. x- keywords count too, except x-cfgate. */
static const char *const annotations[] = {
    "description", "title",     "examples",   "default",         "$comment",
    "$schema",     "readOnly",  "writeOnly",  "deprecated",      "contentEncoding",
    "contentMediaType"};

/* Keywords whose value is a schema, or an array of schemas for items. */
static const char *const schema_keywords[] = {
    "items", "additionalItems", "contains", "propertyNames", "not",
    "if",    "then",            "else",     "additionalProperties"};

/* Keywords whose value is an array of schemas, or an object whose
 * members are schemas (or property name lists for dependencies). */
static const char *const schema_arrays[] = {"allOf", "anyOf", "oneOf"};
static const char *const schema_maps[] = {"properties", "patternProperties", "definitions",
                                          "dependencies"};

typedef struct keyword_walk {
  const widen_keyword_nodes *old_nodes, *new_nodes;
  /* "old ref|new ref" pairs under comparison, taken as equal when a
   * recursive definition reaches them again */
  json_t *assumed;
  json_t *reported; /* details reported so far, as a set */
  widen_keyword_report report;
  void *data;
} keyword_walk;

static int keyword_in(const char *key, const char *const *list, size_t count) {
  for (size_t i = 0; i < count; i++)
    if (strcmp(key, list[i]) == 0)
      return 1;
  return 0;
}

#define KEYWORD_IN(key, list) keyword_in(key, list, sizeof list / sizeof list[0])

static int keyword_is_annotation(const char *key) {
  return KEYWORD_IN(key, annotations) || (strncmp(key, "x-", 2) == 0 && strcmp(key, "x-cfgate") != 0);
}

/* Returns the definition that a local "#/definitions/NAME" reference names,
 * or NULL. */
static const json_t *keyword_resolve(const json_t *root, const char *ref) {
  static const char prefix[] = "#/definitions/";
  if (!ref || strncmp(ref, prefix, sizeof prefix - 1) != 0)
    return NULL;
  return json_object_get(json_object_get(root, "definitions"), ref + sizeof prefix - 1);
}

static int keyword_schema_equal(keyword_walk *walk, const json_t *old_schema,
                                const json_t *new_schema, unsigned depth);

/* Returns 1 when two arrays contain equal schemas at each position. */
static int keyword_schemas_equal(keyword_walk *walk, const json_t *old_array,
                                 const json_t *new_array, unsigned depth) {
  if (json_array_size(old_array) != json_array_size(new_array))
    return 0;
  for (size_t i = 0; i < json_array_size(old_array); i++)
    if (!keyword_schema_equal(walk, json_array_get(old_array, i), json_array_get(new_array, i),
                              depth + 1))
      return 0;
  return 1;
}

/* Returns 1 when both $ref values name equal definitions, or are the same
 * text when neither names a local definition. */
static int keyword_ref_equal(keyword_walk *walk, const json_t *old_ref, const json_t *new_ref,
                             unsigned depth) {
  const char *old_text = json_string_value(old_ref), *new_text = json_string_value(new_ref);
  const json_t *old_target = keyword_resolve(walk->old_nodes->root, old_text);
  const json_t *new_target = keyword_resolve(walk->new_nodes->root, new_text);
  if (!old_target || !new_target)
    return !old_target && !new_target && json_equal(old_ref, new_ref);

  char *pair = NULL;
  if (asprintf(&pair, "%s|%s", old_text, new_text) < 0)
    abort();
  /* The pair is taken as equal only while it is compared, because a result
   * found under that assumption may not hold once the comparison ends. */
  int equal = 1;
  if (!json_object_get(walk->assumed, pair)) {
    json_object_set_new(walk->assumed, pair, json_true());
    equal = keyword_schema_equal(walk, old_target, new_target, depth + 1);
    json_object_del(walk->assumed, pair);
  }
  free(pair);
  return equal;
}

/* Returns 1 when the values of key in two schemas assert the same. */
static int keyword_value_equal(keyword_walk *walk, const char *key, const json_t *old_value,
                               const json_t *new_value, unsigned depth) {
  if (!old_value || !new_value)
    return old_value == new_value;
  if (strcmp(key, "$ref") == 0)
    return keyword_ref_equal(walk, old_value, new_value, depth);
  if (strcmp(key, "x-cfgate") == 0)
    return keyword_value_equal(walk, "", json_object_get(old_value, "placeholders"),
                               json_object_get(new_value, "placeholders"), depth);
  if (KEYWORD_IN(key, schema_keywords) && json_is_array(old_value) && json_is_array(new_value))
    return keyword_schemas_equal(walk, old_value, new_value, depth);
  if (KEYWORD_IN(key, schema_keywords))
    return keyword_schema_equal(walk, old_value, new_value, depth + 1);
  if (KEYWORD_IN(key, schema_arrays))
    return json_is_array(old_value) && json_is_array(new_value) &&
           keyword_schemas_equal(walk, old_value, new_value, depth);
  if (KEYWORD_IN(key, schema_maps)) {
    if (!json_is_object(old_value) || !json_is_object(new_value) ||
        json_object_size(old_value) != json_object_size(new_value))
      return json_equal(old_value, new_value);
    const char *name;
    const json_t *member;
    json_object_foreach((json_t *)old_value, name, member) {
      if (!keyword_schema_equal(walk, member, json_object_get(new_value, name), depth + 1))
        return 0;
    }
    return 1;
  }
  return json_equal(old_value, new_value);
}

/* Returns 1 when two schemas assert the same: their keywords other than
 * annotations are the same and have equal values. A value that is not an
 * object is compared as JSON. */
static int keyword_schema_equal(keyword_walk *walk, const json_t *old_schema,
                                const json_t *new_schema, unsigned depth) {
  if (!old_schema || !new_schema || depth > DSL_MAX_SCHEMA_DEPTH)
    return 0;
  if (!json_is_object(old_schema) || !json_is_object(new_schema))
    return json_equal(old_schema, new_schema);
  const char *key;
  const json_t *value;
  json_object_foreach((json_t *)new_schema, key, value) {
    if (!keyword_is_annotation(key) && !json_object_get(old_schema, key))
      return 0;
  }
  json_object_foreach((json_t *)old_schema, key, value) {
    if (keyword_is_annotation(key))
      continue;
    if (!keyword_value_equal(walk, key, value, json_object_get(new_schema, key), depth))
      return 0;
  }
  return 1;
}

/* Returns the compact JSON text of value, cut at WIDEN_KEYWORDS_MAX_SHOWN
 * bytes. The caller frees it. */
static char *keyword_show(const json_t *value) {
  char *text = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY | JSON_ENSURE_ASCII);
  if (!text)
    abort();
  if (strlen(text) > WIDEN_KEYWORDS_MAX_SHOWN)
    strcpy(text + WIDEN_KEYWORDS_MAX_SHOWN - 3, "...");
  return text;
}

/* Hands detail (taken over) to the caller once. */
static void keyword_report(keyword_walk *walk, char *detail) {
  if (!detail)
    abort();
  if (json_object_get(walk->reported, detail)) {
    free(detail);
    return;
  }
  json_object_set_new(walk->reported, detail, json_true());
  walk->report(walk->data, detail);
}

/* Returns the value of key in a node, or of its member when member is not
 * NULL. */
static const json_t *keyword_get(const json_t *node, const char *key, const char *member) {
  const json_t *value = json_object_get(node, key);
  return member ? json_object_get(value, member) : value;
}

/* Reports old_value, the value of key (or of its member) in an old
 * node, unless a new head node has an equal one. label names the keyword
 * in the detail. */
static void keyword_compare_value(keyword_walk *walk, const char *key, const char *member,
                                  const char *label, const json_t *old_value) {
  const json_t *changed = NULL;
  const widen_keyword_nodes *new_nodes = walk->new_nodes;
  for (size_t i = 0; i < new_nodes->count; i++) {
    const json_t *new_value = keyword_get(new_nodes->nodes[i], key, member);
    if (!new_value)
      continue;
    if (member ? keyword_schema_equal(walk, old_value, new_value, 0)
               : keyword_value_equal(walk, key, old_value, new_value, 0))
      return;
    if (!changed)
      changed = new_value;
  }

  char *detail = NULL;
  if (!changed) {
    if (asprintf(&detail, "%s no longer applies", label) < 0)
      abort();
  } else {
    char *old_shown = keyword_show(old_value), *new_shown = keyword_show(changed);
    int printed = strcmp(old_shown, new_shown) == 0
                      ? asprintf(&detail, "%s refers to a changed definition", label)
                      : asprintf(&detail, "changed %s %s to %s", label, old_shown, new_shown);
    if (printed < 0)
      abort();
    free(old_shown);
    free(new_shown);
  }
  keyword_report(walk, detail);
}

/* Returns 1 for a value that asserts nothing for key: the schema true or
 * {}, or uniqueItems false. */
static int keyword_is_vacuous(const char *key, const json_t *value) {
  if (KEYWORD_IN(key, schema_keywords) &&
      (json_is_true(value) || (json_is_object(value) && json_object_size(value) == 0)))
    return 1;
  return strcmp(key, "uniqueItems") == 0 && json_is_false(value);
}

/* Compares the keywords of one old head node. */
static void keyword_compare_node(keyword_walk *walk, const json_t *old_node, int names_reported) {
  const char *key;
  const json_t *value;
  json_object_foreach((json_t *)old_node, key, value) {
    if (keyword_is_annotation(key) || KEYWORD_IN(key, compared_elsewhere) ||
        keyword_is_vacuous(key, value))
      continue;
    if (strcmp(key, "additionalProperties") == 0 && names_reported)
      continue;

    if (strcmp(key, "dependencies") == 0 && json_is_object(value)) {
      const char *name;
      const json_t *member;
      json_object_foreach((json_t *)value, name, member) {
        json_t *name_value = json_string(name);
        char *shown = keyword_show(name_value), *label = NULL;
        if (asprintf(&label, "the 'dependencies' entry of %s", shown) < 0)
          abort();
        keyword_compare_value(walk, key, name, label, member);
        free(label);
        free(shown);
        json_decref(name_value);
      }
    } else if (strcmp(key, "x-cfgate") == 0) {
      const json_t *placeholders = json_object_get(value, "placeholders");
      if (placeholders)
        keyword_compare_value(walk, key, "placeholders", "the 'placeholders' entry of 'x-cfgate'",
                              placeholders);
    } else {
      char *label = NULL;
      if (asprintf(&label, "'%s'", key) < 0)
        abort();
      keyword_compare_value(walk, key, NULL, label, value);
      free(label);
    }
  }
}

void widen_compare_keywords(const widen_keyword_nodes *old_nodes,
                            const widen_keyword_nodes *new_nodes, int names_reported,
                            widen_keyword_report report, void *data) {
  keyword_walk walk = {old_nodes, new_nodes, json_object(), json_object(), report, data};
  for (size_t i = 0; i < old_nodes->count; i++)
    if (json_is_object(old_nodes->nodes[i]))
      keyword_compare_node(&walk, old_nodes->nodes[i], names_reported);
  json_decref(walk.assumed);
  json_decref(walk.reported);
}
