/*
 * Shape check of a provider schema. A subschema that is null, a string, a
 * number or an array would otherwise compile to an empty schema that
 * accepts every value, and a dangling $ref would compile to `false`. A
 * misspelled type or a $ref cycle would only fail when the template is used.
 */
#include "provider_check.h"

#include <stdio.h>
#include <string.h>

#include "dsl_limits.h"
#include "provider.h"

/* Maximum length of a JSON pointer reported in an error. */
#define PROVIDER_CHECK_POINTER_MAX 512

typedef struct provider_checker {
  json_t *root;
  char pointer[PROVIDER_CHECK_POINTER_MAX];
  char *error;
  size_t error_size;
  int depth;
  int in_definitions; /* above 0 while walking a "definitions" map */
} provider_checker;

static int provider_check_schema(provider_checker *c, json_t *node);

/* Keywords whose value is one subschema. */
static const char *const provider_single_keywords[] = {
    "additionalProperties", "additionalItems", "not",  "if", "then", "else",
    "contains",             "propertyNames",   NULL};

/* Keywords whose value is an object of subschemas. */
static const char *const provider_map_keywords[] = {"properties", "patternProperties",
                                                    "definitions", NULL};

/* Keywords whose value is an array of subschemas. */
static const char *const provider_list_keywords[] = {"allOf", "anyOf", "oneOf", NULL};

static int provider_check_fail(provider_checker *c, const char *problem) {
  snprintf(c->error, c->error_size, "%s: %s", c->pointer[0] ? c->pointer : "/", problem);
  return 0;
}

/* Appends "/segment" to the pointer, escaping '~' and '/', and returns the
 * old length so the caller can cut it back. */
static size_t provider_check_push(provider_checker *c, const char *segment) {
  size_t old = strlen(c->pointer);
  size_t out = old;
  if (out + 1 < sizeof c->pointer)
    c->pointer[out++] = '/';
  for (const char *p = segment; *p && out + 2 < sizeof c->pointer; p++) {
    if (*p == '~' || *p == '/') {
      c->pointer[out++] = '~';
      c->pointer[out++] = *p == '~' ? '0' : '1';
    } else {
      c->pointer[out++] = *p;
    }
  }
  c->pointer[out] = '\0';
  return old;
}

static int provider_check_child(provider_checker *c, const char *segment, json_t *node) {
  size_t old = provider_check_push(c, segment);
  int ok = provider_check_schema(c, node);
  if (ok)
    c->pointer[old] = '\0';
  return ok;
}

static int provider_check_index(provider_checker *c, const char *keyword, size_t i,
                                json_t *node) {
  char index[32];
  snprintf(index, sizeof index, "%zu", i);
  size_t old = provider_check_push(c, keyword);
  int ok = provider_check_child(c, index, node);
  if (ok)
    c->pointer[old] = '\0';
  return ok;
}

static int provider_check_map(provider_checker *c, const char *keyword, json_t *map) {
  if (!map)
    return 1;

  size_t old = provider_check_push(c, keyword);
  if (!json_is_object(map))
    return provider_check_fail(c, "must be an object of schemas");

  int definitions = strcmp(keyword, "definitions") == 0;
  c->in_definitions += definitions;
  const char *name;
  json_t *value;
  json_object_foreach(map, name, value)
    if (!provider_check_child(c, name, value))
      return 0;
  c->in_definitions -= definitions;
  c->pointer[old] = '\0';
  return 1;
}

static int provider_check_list(provider_checker *c, const char *keyword, json_t *list) {
  if (!list)
    return 1;
  if (!json_is_array(list)) {
    provider_check_push(c, keyword);
    return provider_check_fail(c, "must be an array of schemas");
  }

  size_t i;
  json_t *value;
  json_array_foreach(list, i, value)
    if (!provider_check_index(c, keyword, i, value))
      return 0;
  return 1;
}

static int provider_check_items(provider_checker *c, json_t *items) {
  if (!items)
    return 1;
  if (json_is_array(items))
    return provider_check_list(c, "items", items);
  return provider_check_child(c, "items", items);
}

static int provider_check_ref(provider_checker *c, json_t *node) {
  json_t *ref = json_object_get(node, "$ref");
  if (!ref)
    return 1;

  size_t old = provider_check_push(c, "$ref");
  if (!json_is_string(ref))
    return provider_check_fail(c, "$ref must be a string");
  if (!provider_ref_target(c->root, json_string_value(ref))) {
    char problem[PROVIDER_CHECK_POINTER_MAX + 64];
    snprintf(problem, sizeof problem, "$ref \"%.*s\" names no node in this schema",
             PROVIDER_CHECK_POINTER_MAX, json_string_value(ref));
    return provider_check_fail(c, problem);
  }
  /* AWS schemas contain unused definitions that refer to themselves, such as
   * SseSpecification in AWS::EC2::VerifiedAccessTrustProvider, so a cycle is
   * an error only where a property refers to it.
   * NOTE: a cycle reached through a property of a definition is not reported here. */
  if (!c->in_definitions && !provider_resolve(c->root, node)) {
    char problem[128];
    snprintf(problem, sizeof problem,
             "$ref chain does not reach a schema (a cycle, or more than %d hops)",
             DSL_MAX_REF_CHAIN);
    return provider_check_fail(c, problem);
  }
  c->pointer[old] = '\0';
  return 1;
}

static int provider_check_type_name(provider_checker *c, json_t *name) {
  static const char *const names[] = {"string", "number", "integer", "boolean",
                                      "object", "array",  "null"};
  const char *text = json_string_value(name);
  for (size_t i = 0; text && i < sizeof names / sizeof names[0]; i++)
    if (strcmp(text, names[i]) == 0)
      return 1;

  char problem[PROVIDER_CHECK_POINTER_MAX + 96];
  snprintf(problem, sizeof problem,
           "unknown type %s%.*s%s (expected string, number, integer, boolean, object, array or "
           "null)",
           text ? "'" : "", PROVIDER_CHECK_POINTER_MAX, text ? text : "that is not a string",
           text ? "'" : "");
  return provider_check_fail(c, problem);
}

static int provider_check_type(provider_checker *c, json_t *type) {
  if (!type)
    return 1;

  size_t old = provider_check_push(c, "type");
  if (!json_is_array(type) && !provider_check_type_name(c, type))
    return 0;
  size_t i;
  json_t *name;
  json_array_foreach(type, i, name)
    if (!provider_check_type_name(c, name))
      return 0;
  c->pointer[old] = '\0';
  return 1;
}

/* Checks that required, when present, is an array of strings: the join
 * reads each name. */
static int provider_check_required(provider_checker *c, json_t *required) {
  if (!required)
    return 1;

  size_t old = provider_check_push(c, "required");
  if (!json_is_array(required))
    return provider_check_fail(c, "required must be an array of property names");
  size_t i;
  json_t *name;
  json_array_foreach(required, i, name) {
    if (!json_is_string(name)) {
      char index[32];
      snprintf(index, sizeof index, "%zu", i);
      provider_check_push(c, index);
      return provider_check_fail(c, "a required property name must be a string");
    }
  }
  c->pointer[old] = '\0';
  return 1;
}

static int provider_check_keywords(provider_checker *c, json_t *node) {
  if (!provider_check_ref(c, node) || !provider_check_type(c, json_object_get(node, "type")) ||
      !provider_check_items(c, json_object_get(node, "items")) ||
      !provider_check_required(c, json_object_get(node, "required")))
    return 0;

  for (size_t i = 0; provider_single_keywords[i]; i++) {
    json_t *value = json_object_get(node, provider_single_keywords[i]);
    if (value && !provider_check_child(c, provider_single_keywords[i], value))
      return 0;
  }
  for (size_t i = 0; provider_map_keywords[i]; i++)
    if (!provider_check_map(c, provider_map_keywords[i],
                            json_object_get(node, provider_map_keywords[i])))
      return 0;
  for (size_t i = 0; provider_list_keywords[i]; i++)
    if (!provider_check_list(c, provider_list_keywords[i],
                             json_object_get(node, provider_list_keywords[i])))
      return 0;
  return 1;
}

static int provider_check_schema(provider_checker *c, json_t *node) {
  if (json_is_boolean(node))
    return 1;
  if (!json_is_object(node))
    return provider_check_fail(c, "a schema must be an object or a boolean");
  if (c->depth >= DSL_MAX_SCHEMA_DEPTH) {
    char problem[64];
    snprintf(problem, sizeof problem, "too many nested schemas (limit is %d)",
             DSL_MAX_SCHEMA_DEPTH);
    return provider_check_fail(c, problem);
  }

  c->depth++;
  int ok = provider_check_keywords(c, node);
  c->depth--;
  return ok;
}

int provider_check(json_t *root, char *error, size_t error_size) {
  provider_checker c = {.root = root, .error = error, .error_size = error_size};
  return provider_check_schema(&c, root);
}
