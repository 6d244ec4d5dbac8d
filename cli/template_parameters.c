/*
 * Checks of the Parameters section: known attributes only, and a Type.
 */
#include "template_parameters.h"

#include <stdio.h>
#include <string.h>

#include "suggest.h"
#include "utf8.h"

static const char *const parameter_attributes[] = {
  "Type",      "Default",   "AllowedValues", "AllowedPattern", "ConstraintDescription",
  "Description", "MaxLength", "MaxValue",      "MinLength",      "MinValue",
  "NoEcho",
};

/* Fn::Transform is reported as a macro by the section checks. */
static int is_parameter_attribute(const char *key) {
  if (strcmp(key, "Fn::Transform") == 0)
    return 1;
  for (size_t i = 0; i < sizeof parameter_attributes / sizeof parameter_attributes[0]; i++)
    if (strcmp(key, parameter_attributes[i]) == 0)
      return 1;
  return 0;
}

static int fail_at(template_error *error, uint32_t line, uint32_t column) {
  error->line = line;
  error->column = column;
  return 0;
}

/* Reports the unknown attribute of parameter, with a "did you mean" hint. */
static int unknown_attribute(const tnode_member *parameter, const tnode_member *attribute,
                             template_error *error) {
  suggest closest;
  char hint[96];

  suggest_init(&closest, attribute->key);
  for (size_t i = 0; i < sizeof parameter_attributes / sizeof parameter_attributes[0]; i++)
    suggest_offer(&closest, parameter_attributes[i]);
  suggest_format(&closest, hint, sizeof hint);
  snprintf(error->message, sizeof error->message,
           "unknown attribute '%.*s' of parameter '%.*s'%s: CloudFormation rejects it",
           (int)utf8_cut(attribute->key, attribute->key_len, 40), attribute->key,
           (int)utf8_cut(parameter->key, parameter->key_len, 60), parameter->key, hint);
  return fail_at(error, attribute->line, attribute->column);
}

static int check_parameter(const tnode_member *parameter, template_error *error) {
  const tnode *value = parameter->value;

  if (value->kind != TNODE_OBJECT) {
    snprintf(error->message, sizeof error->message,
             "parameter '%.*s' is %s, but CloudFormation needs a mapping with a Type",
             (int)utf8_cut(parameter->key, parameter->key_len, 60), parameter->key,
             tnode_kind_name(value->kind));
    return fail_at(error, value->line, value->column);
  }
  for (size_t i = 0; i < value->count; i++)
    if (!is_parameter_attribute(value->members[i].key))
      return unknown_attribute(parameter, &value->members[i], error);
  if (!tnode_get(value, "Type")) {
    snprintf(error->message, sizeof error->message, "parameter '%.*s' has no Type",
             (int)utf8_cut(parameter->key, parameter->key_len, 60), parameter->key);
    return fail_at(error, parameter->line, parameter->column);
  }
  return 1;
}

int template_parameters_check(const tnode *root, template_error *error) {
  const tnode *parameters = tnode_get(root, "Parameters");

  if (!parameters || parameters->kind != TNODE_OBJECT)
    return 1;
  for (size_t i = 0; i < parameters->count; i++) {
    const tnode_member *parameter = &parameters->members[i];
    if (strcmp(parameter->key, "Fn::Transform") != 0 && !check_parameter(parameter, error))
      return 0;
  }
  return 1;
}
