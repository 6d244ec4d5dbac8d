/*
 * Checks of the Parameters section: known attributes only, a documented
 * Type, and a Default among the AllowedValues and within the other
 * constraints of the parameter.
 */
#include "template_parameters.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intrinsic.h"
#include "secret_mask.h"
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

/* The parameter types of the CloudFormation User Guide ("Parameters
 * syntax"): the general types, and the AWS-specific types, which List<...>
 * and AWS::SSM::Parameter::Value<...> may wrap. List<String> is not in the
 * guide, but cfn-lint accepts it, so it is not reported. */
static const char *const general_types[] = {
  "String", "Number", "List<Number>", "List<String>", "CommaDelimitedList",
  "AWS::SSM::Parameter::Name",
};

static const char *const aws_specific_types[] = {
  "AWS::EC2::AvailabilityZone::Name", "AWS::EC2::Image::Id",        "AWS::EC2::Instance::Id",
  "AWS::EC2::KeyPair::KeyName",       "AWS::EC2::SecurityGroup::GroupName",
  "AWS::EC2::SecurityGroup::Id",      "AWS::EC2::Subnet::Id",       "AWS::EC2::Volume::Id",
  "AWS::EC2::VPC::Id",                "AWS::Route53::HostedZone::Id",
};

enum {
  GENERAL_TYPE_COUNT = sizeof general_types / sizeof general_types[0],
  AWS_SPECIFIC_TYPE_COUNT = sizeof aws_specific_types / sizeof aws_specific_types[0],
};

/* Returns 1 when text[0..len) is an AWS-specific type, or List<> of one
 * when list is 1. */
static int is_aws_specific(const char *text, size_t len, int list) {
  if (list) {
    if (len < 6 || strncmp(text, "List<", 5) != 0 || text[len - 1] != '>')
      return 0;
    text += 5;
    len -= 6;
  }
  for (size_t i = 0; i < AWS_SPECIFIC_TYPE_COUNT; i++)
    if (strlen(aws_specific_types[i]) == len && memcmp(aws_specific_types[i], text, len) == 0)
      return 1;
  return 0;
}

/* Returns 1 when type names a CloudFormation parameter type. An SSM
 * parameter type wraps String, List<String>, CommaDelimitedList or an
 * AWS-specific type or list of them. */
static int is_parameter_type(const char *type) {
  for (size_t i = 0; i < GENERAL_TYPE_COUNT; i++)
    if (strcmp(type, general_types[i]) == 0)
      return 1;
  size_t len = strlen(type);
  if (is_aws_specific(type, len, 0) || is_aws_specific(type, len, 1))
    return 1;

  static const char ssm_prefix[] = "AWS::SSM::Parameter::Value<";
  size_t prefix_len = sizeof ssm_prefix - 1;
  if (len <= prefix_len + 1 || strncmp(type, ssm_prefix, prefix_len) != 0 || type[len - 1] != '>')
    return 0;
  const char *inner = type + prefix_len;
  size_t inner_len = len - prefix_len - 1;
  static const char *const ssm_values[] = {"String", "List<String>", "CommaDelimitedList"};
  for (size_t i = 0; i < sizeof ssm_values / sizeof ssm_values[0]; i++)
    if (strlen(ssm_values[i]) == inner_len && memcmp(ssm_values[i], inner, inner_len) == 0)
      return 1;
  return is_aws_specific(inner, inner_len, 0) || is_aws_specific(inner, inner_len, 1);
}

static void add_parameter_finding(report_template *tmpl, const tnode *where, const char *message) {
  report_finding *finding = report_add_finding(&tmpl->findings, &tmpl->finding_count,
                                               &tmpl->finding_capacity, REPORT_INVALID, message);
  report_set(&finding->rule_id, "cfgate/parameter");
  finding->line = where->line;
  finding->column = where->column;
}

/* Reports a Type that is not a string or names no parameter type, with a
 * "did you mean" hint among the general and AWS-specific types. */
static void check_type(report_template *tmpl, const tnode_member *parameter, const tnode *type) {
  char message[700];
  if (type->kind == TNODE_UNKNOWN || (type->kind == TNODE_STRING && is_parameter_type(type->text)))
    return;

  if (type->kind != TNODE_STRING) {
    char what[300];
    tnode_describe(type, what, sizeof what);
    snprintf(message, sizeof message,
             "invalid Type of parameter '%.*s': it is %s, but CloudFormation needs a parameter "
             "type name such as String",
             (int)utf8_cut(parameter->key, parameter->key_len, 60), parameter->key, what);
    add_parameter_finding(tmpl, type, message);
    return;
  }

  suggest closest;
  char hint[160];
  suggest_init(&closest, type->text);
  for (size_t i = 0; i < GENERAL_TYPE_COUNT; i++)
    suggest_offer(&closest, general_types[i]);
  for (size_t i = 0; i < AWS_SPECIFIC_TYPE_COUNT; i++)
    suggest_offer(&closest, aws_specific_types[i]);
  suggest_format(&closest, hint, sizeof hint);
  snprintf(message, sizeof message,
           "unknown Type '%.*s' of parameter '%.*s'%s: CloudFormation rejects it",
           (int)utf8_cut(type->text, type->len, 150), type->text,
           (int)utf8_cut(parameter->key, parameter->key_len, 60), parameter->key, hint);
  add_parameter_finding(tmpl, type, message);
}

/* Returns 1 when text[0..len) is one of the allowed values. For a Number
 * parameter, numbers compare by value, so 1 matches 1.0. */
static int is_allowed(const tnode *allowed, const char *text, size_t len, int number) {
  for (size_t i = 0; i < allowed->count; i++) {
    const char *value = intrinsic_scalar_text(allowed->items[i]);
    if (strlen(value) == len && strncmp(value, text, len) == 0)
      return 1;
    if (number && template_is_json_number(text, len) &&
        template_is_json_number(value, strlen(value)) &&
        strtod(text, NULL) == strtod(value, NULL))
      return 1;
  }
  return 0;
}

/* Returns the first item of a list Default (CommaDelimitedList or
 * List<...>), with the spaces around it removed as CloudFormation does,
 * that is not allowed, or NULL. */
static const char *disallowed_item(const tnode *allowed, const char *text, int number,
                                   size_t *bad_len) {
  for (const char *next = text; next;) {
    size_t len = 0;
    const char *item = intrinsic_list_member(next, &len, &next);
    if (!is_allowed(allowed, item, len, number)) {
      *bad_len = len;
      return item;
    }
  }
  return NULL;
}

/* Reports a Default that is not among the AllowedValues, for each item of
 * a list type. A NoEcho Default is not quoted. An SSM parameter's Default
 * names an SSM parameter, not a value, so it is not compared. */
static void check_default(report_template *tmpl, const tnode_member *parameter,
                          const tnode *type) {
  const tnode *definition = parameter->value;
  const tnode *fallback = tnode_get(definition, "Default");
  const tnode *allowed = tnode_get(definition, "AllowedValues");
  const char *text = intrinsic_scalar_text(fallback);
  if (!text || !allowed || allowed->kind != TNODE_ARRAY || allowed->count == 0 ||
      type->kind != TNODE_STRING || strncmp(type->text, "AWS::SSM::", 10) == 0 ||
      tnode_has_unknown(allowed))
    return;
  for (size_t i = 0; i < allowed->count; i++)
    if (!intrinsic_scalar_text(allowed->items[i]))
      return;

  int list = strcmp(type->text, "CommaDelimitedList") == 0 || strncmp(type->text, "List<", 5) == 0;
  int number = strcmp(type->text, "Number") == 0 || strcmp(type->text, "List<Number>") == 0;
  size_t bad_len = strlen(text);
  const char *bad = text;
  if (list)
    bad = disallowed_item(allowed, text, number, &bad_len);
  else if (is_allowed(allowed, text, bad_len, number))
    bad = NULL;
  if (!bad)
    return;

  char message[700];
  const char *name = parameter->key;
  int name_len = (int)utf8_cut(name, parameter->key_len, 60);
  if (secret_is_no_echo(definition))
    snprintf(message, sizeof message,
             "the Default of NoEcho parameter '%.*s' is not one of its AllowedValues: "
             "CloudFormation rejects it",
             name_len, name);
  else if (list)
    snprintf(message, sizeof message,
             "item '%.*s' of the Default of parameter '%.*s' is not one of its AllowedValues: "
             "CloudFormation rejects it",
             (int)utf8_cut(bad, bad_len, 150), bad, name_len, name);
  else
    snprintf(message, sizeof message,
             "the Default '%.*s' of parameter '%.*s' is not one of its AllowedValues: "
             "CloudFormation rejects it",
             (int)utf8_cut(bad, bad_len, 150), bad, name_len, name);
  add_parameter_finding(tmpl, fallback, message);
}

/* Returns the name of the constraint that limit breaks. */
static const char *limit_name(const parameter_limit *limit) {
  switch (limit->kind) {
  case PARAMETER_LIMIT_MIN_LENGTH:
    return "MinLength";
  case PARAMETER_LIMIT_MAX_LENGTH:
    return "MaxLength";
  case PARAMETER_LIMIT_PATTERN:
    return "AllowedPattern";
  case PARAMETER_LIMIT_NOT_NUMBER:
    return "Type Number";
  case PARAMETER_LIMIT_MIN_VALUE:
    return "MinValue";
  default:
    return "MaxValue";
  }
}

/* Writes what a Default breaks, quoting the Default as 'text'. */
static void describe_limit(char *out, size_t size, const parameter_limit *limit,
                           const char *text, const char *name, int name_len) {
  int text_len = (int)utf8_cut(text, strlen(text), 150);
  int pattern_len = limit->pattern ? (int)utf8_cut(limit->pattern, strlen(limit->pattern), 150) : 0;

  switch (limit->kind) {
  case PARAMETER_LIMIT_MIN_LENGTH:
  case PARAMETER_LIMIT_MAX_LENGTH:
    snprintf(out, size, "the Default '%.*s' of parameter '%.*s' has %zu characters, %s than its "
             "%s %g: CloudFormation rejects it", text_len, text, name_len, name, limit->length,
             limit->kind == PARAMETER_LIMIT_MIN_LENGTH ? "fewer" : "more", limit_name(limit),
             limit->bound);
    return;
  case PARAMETER_LIMIT_PATTERN:
    if (limit->item)
      snprintf(out, size, "item '%.*s' of the Default of parameter '%.*s' does not match its "
               "AllowedPattern '%.*s': CloudFormation rejects it",
               (int)utf8_cut(limit->item, limit->item_len, 150), limit->item, name_len, name,
               pattern_len, limit->pattern);
    else
      snprintf(out, size, "the Default '%.*s' of parameter '%.*s' does not match its "
               "AllowedPattern '%.*s': CloudFormation rejects it", text_len, text, name_len,
               name, pattern_len, limit->pattern);
    return;
  case PARAMETER_LIMIT_NOT_NUMBER:
    snprintf(out, size, "the Default '%.*s' of parameter '%.*s' is not a number, as its Type "
             "Number requires: CloudFormation rejects it", text_len, text, name_len, name);
    return;
  default:
    snprintf(out, size, "the Default '%.*s' of parameter '%.*s' is %s than its %s %g: "
             "CloudFormation rejects it", text_len, text, name_len, name,
             limit->kind == PARAMETER_LIMIT_MIN_VALUE ? "less" : "greater", limit_name(limit),
             limit->bound);
  }
}

/* Reports a Default that breaks MinLength, MaxLength, AllowedPattern,
 * MinValue or MaxValue, or that a Number parameter cannot read. For a
 * NoEcho parameter the message names the constraint only, not the value
 * or its length. */
static void check_default_limits(report_template *tmpl, const tnode_member *parameter,
                                 const tnode *type) {
  const tnode *definition = parameter->value;
  const tnode *fallback = tnode_get(definition, "Default");
  const char *text = intrinsic_scalar_text(fallback);
  parameter_limit limit;
  if (!text || type->kind != TNODE_STRING || !intrinsic_parameter_limit_find(definition, text, &limit))
    return;

  char message[700];
  const char *name = parameter->key;
  int name_len = (int)utf8_cut(name, parameter->key_len, 60);
  if (secret_is_no_echo(definition))
    snprintf(message, sizeof message,
             "the Default of NoEcho parameter '%.*s' does not meet its %s: CloudFormation "
             "rejects it", name_len, name, limit_name(&limit));
  else
    describe_limit(message, sizeof message, &limit, text, name, name_len);
  add_parameter_finding(tmpl, fallback, message);
}

void template_parameters_report(report_template *tmpl, const tnode *parameters) {
  for (size_t i = 0; parameters && parameters->kind == TNODE_OBJECT && i < parameters->count;
       i++) {
    const tnode_member *parameter = &parameters->members[i];
    const tnode *type = tnode_get(parameter->value, "Type");
    if (strcmp(parameter->key, "Fn::Transform") == 0 || !type)
      continue;
    check_type(tmpl, parameter, type);
    check_default(tmpl, parameter, type);
    check_default_limits(tmpl, parameter, type);
  }
}
