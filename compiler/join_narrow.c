/*
 * Type narrowing by value constraints. A property whose provider type is a
 * union (["integer","string"], ["string","array"]) or absent accepts every
 * form, but a value constraint only checks some of them: JSON Schema skips
 * `maximum` for a string and `pattern` for an array. So each constraint
 * narrows the node's `type` to the forms it checks, and the others are
 * denied. With CloudFormation coercion, a string such as "100" is then
 * read as the number the narrowed type expects.
 */
#include <string.h>

#include "join.h"
#include "provider.h"

static int narrow_literal_types(const ast_literal *values) {
  int types = 0;
  for (const ast_literal *literal = values; literal; literal = literal->next) {
    switch (literal->kind) {
    case AST_LITERAL_STRING:
      types |= PROVIDER_STRING;
      break;
    case AST_LITERAL_NUMBER:
      types |= PROVIDER_NUMBER | PROVIDER_INTEGER;
      break;
    case AST_LITERAL_TRUE:
    case AST_LITERAL_FALSE:
      types |= PROVIDER_BOOLEAN;
      break;
    case AST_LITERAL_NULL:
      types |= PROVIDER_NULL;
      break;
    }
  }
  return types ? types : PROVIDER_ANY;
}

int join_constraint_types(const ast_constraint *c) {
  switch (c->kind) {
  case AST_CONST:
  case AST_ENUM:
    return narrow_literal_types(c->values);
  case AST_PATTERN:
  case AST_LENGTH:
    return PROVIDER_STRING;
  case AST_RANGE:
    return PROVIDER_NUMBER | PROVIDER_INTEGER;
  case AST_ITEMS:
  case AST_UNIQUE:
    return PROVIDER_ARRAY;
  case AST_REQUIRED:
  case AST_LET_REF:
    break;
  }
  return PROVIDER_ANY;
}

/* Keeps the provider's own type names that the mask allows, so "integer"
 * stays "integer" under a range. */
static json_t *narrow_provider_names(json_t *type, int mask) {
  json_t *names = json_array();
  size_t i;
  json_t *item;
  json_array_foreach(type, i, item)
    if (provider_type_bit(json_string_value(item)) & mask)
      json_array_append(names, item);
  return names;
}

/* Names the mask's types for a node without a type keyword. A number
 * value stays "number", which also accepts integers. */
static json_t *narrow_mask_names(int mask) {
  json_t *names = json_array();
  for (size_t i = 0; i < PROVIDER_TYPE_NAME_COUNT; i++) {
    int bits = provider_type_names[i].bits;
    if (strcmp(provider_type_names[i].name, "integer") != 0 && (bits & mask))
      json_array_append_new(names, json_string(provider_type_names[i].name));
  }
  return names;
}

void join_narrow_type(json_t *out, json_t *original, int provider_types, int mask) {
  if (!json_is_object(out) || !(provider_types & mask) || (provider_types & mask) == provider_types)
    return;

  json_t *type = json_object_get(original, "type");
  json_t *names = json_is_array(type) ? narrow_provider_names(type, mask) : narrow_mask_names(mask);
  if (json_array_size(names) == 1)
    json_object_set(out, "type", json_array_get(names, 0));
  else if (json_array_size(names) > 1)
    json_object_set(out, "type", names);
  json_decref(names);
}
