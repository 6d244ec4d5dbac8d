/*
 * One resource: definition checks (logical ID, Type, attributes,
 * Fn::Transform and Fn::ForEach), the resource Condition and type handling.
 * template_branch.c validates Properties once per combination of parameter
 * values and undecidable Fn::If conditions.
 */
#include "template_resource.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "secret_position.h"
#include "secret_write_only.h"
#include "template_branch.h"
#include "template_limits.h"
#include "template_policy_attr.h"
#include "template_validate.h"
#include "suggest.h"
#include "utf8.h"

static const char custom_resource_type[] = "AWS::CloudFormation::CustomResource";

/* CloudFormation rejects a logical ID with a character outside A-Z, a-z and
 * 0-9, and a Custom:: type whose name is empty, longer than 60 characters,
 * or has a character outside A-Z, a-z, 0-9, '_', '@' and '-'.
 * NOTE: the 255-character logical ID limit is CloudFormation's quota for
 * resource names as published; no test deploys a template to confirm it. */
enum { RESOURCE_MAX_LOGICAL_ID = 255, RESOURCE_MAX_CUSTOM_NAME = 60 };

void resource_add_finding(report_resource *resource, report_kind kind, const char *rule_id,
                          uint32_t line, uint32_t column, const char *message) {
  report_finding *finding = report_add_finding(&resource->findings, &resource->finding_count,
                                               &resource->finding_capacity, kind, message);
  report_set(&finding->rule_id, rule_id);
  finding->line = line;
  finding->column = column;
}

const tnode *resource_empty_properties(resource_context *rc, report_resource *resource,
                                       const tnode *where) {
  const tnode *empty = tnode_new(rc->arena, TNODE_OBJECT, where->line, where->column);
  if (!empty)
    resource_add_finding(resource, REPORT_FAILED, "cfgate/failed", where->line, where->column,
                         "template too large: out of memory for its values");
  return empty;
}

/* Returns a message when the type cannot be checked against a provider
 * schema here, or NULL for an ordinary resource type. */
static const char *unsupported_reason(const char *type, char *buffer, size_t size) {
  size_t len = strlen(type);
  if (strncmp(type, "AWS::Serverless::", 17) == 0)
    return "SAM resource: check the processed template (sam build, or aws cloudformation "
           "get-template --template-stage Processed), which has the resources SAM creates";
  if (len > 8 && strcmp(type + len - 8, "::MODULE") == 0)
    return "module: check the processed template, which has the resources the module creates";

  int custom = strncmp(type, "Custom::", 8) == 0 || strcmp(type, custom_resource_type) == 0;
  if (!custom)
    return NULL;
  snprintf(buffer, size,
           "custom resource %s runs code the policy cannot inspect: denied unless the policy "
           "has a type block for %s",
           type, custom_resource_type);
  return buffer;
}

static const char *policy_type_for(const resource_context *rc, const char *type) {
  if (strncmp(type, "Custom::", 8) == 0 && check_policy_names(rc->policy, custom_resource_type))
    return custom_resource_type;
  return type;
}

/* Replaces the message of each intrinsic function error from first on that
 * is inside a call deriving a value from a NoEcho parameter. Such a message
 * may quote what the call derived, which masking cannot find: the key of
 * Fn::FindInMap that Fn::Split picked out of the value. */
static void hide_derived_errors(report_resource *resource, size_t first, const tnode *parameters,
                                const tnode *properties) {
  for (size_t i = first; i < resource->finding_count; i++) {
    report_finding *finding = &resource->findings[i];
    if (!finding->rule_id || strcmp(finding->rule_id, "cfgate/intrinsic") != 0)
      continue;
    const char *name = secret_derived_read_at(parameters, properties, finding->line,
                                              finding->column);
    if (!name)
      continue;

    /* Most messages start with the function's name ("Fn::FindInMap: no value for ..."). */
    const char *message = finding->message;
    size_t function_len = 0;
    if (strncmp(message, "Fn::", 4) == 0)
      function_len = 4 + strcspn(message + 4, " :'");
    char hidden[400];
    snprintf(hidden, sizeof hidden,
             "%.*s%s failed on a value derived from a NoEcho parameter (value hidden: NoEcho "
             "parameter %.100s)",
             (int)(function_len > 60 ? 60 : function_len), message,
             function_len ? "" : "an intrinsic function", name);
    report_set(&finding->message, hidden);
  }
}

static void check_properties(resource_context *rc, report_resource *resource, const tnode *type,
                             const tnode *definition) {
  char message[600];
  json_t *schema = NULL;
  int denied = 0;
  const char *policy_type = policy_type_for(rc, type->text);
  const cfgate_validator *validator = check_policy_find(rc->policy, policy_type, &schema, &denied,
                                                        message, sizeof message);

  const char *reason = denied ? unsupported_reason(type->text, message, sizeof message) : NULL;
  if (reason) {
    resource_add_finding(resource, REPORT_UNSUPPORTED, "cfgate/unsupported-type", type->line,
                         type->column, reason);
    return;
  }
  if (!validator) {
    resource_add_finding(resource, denied ? REPORT_DENIED : REPORT_FAILED,
                         denied ? "cfgate/denied-type" : "cfgate/failed", type->line, type->column,
                         message);
    return;
  }

  const tnode *properties = tnode_get(definition, "Properties");
  if (!properties)
    properties = resource_empty_properties(rc, resource, definition);
  branch_target target = {validator, schema, properties, tnode_get(definition, "Condition")};
  size_t first = resource->finding_count;
  if (properties)
    template_branch_validate(rc, resource, &target);
  template_hide_write_only_text(resource, first, schema, properties);

  secret_list parameter_values;
  secret_list_init(&parameter_values);
  secret_list_add_write_only_parameters(&parameter_values, schema, properties,
                                        rc->sections->parameters, rc->settings->parameters,
                                        rc->settings->parameter_count);
  template_hide_in_write_only_findings(resource, first, schema, &parameter_values);
  secret_list_fini(&parameter_values);
}

/* Adds the YAML tags written under the write-only properties of the
 * resource to rc->template_secrets, for the template-level finding that
 * quotes the first foreign tag, and the values of the parameters read
 * there, which the checks of a parameter's Default quote. Every resource
 * of a restricted type counts, also one that a false Condition skips. */
static void collect_template_secrets(resource_context *rc, const tnode *type,
                                     const tnode *definition) {
  const tnode *properties = tnode_get(definition, "Properties");
  if (!rc->template_secrets || !properties)
    return;

  char message[600];
  json_t *schema = NULL;
  int denied = 0;
  if (check_policy_find(rc->policy, policy_type_for(rc, type->text), &schema, &denied, message,
                        sizeof message)) {
    secret_list_add_write_only_tags(rc->template_secrets, schema, properties);
    secret_list_add_write_only_parameters(rc->template_secrets, schema, properties,
                                          rc->sections->parameters, rc->settings->parameters,
                                          rc->settings->parameter_count);
  }
}

/* NOTE: write-only values are collected only for resources whose type the
 * policy restricts, so a YAML alias that copies the write-only value of a
 * type without a policy block into another resource is not hidden there. */
void resource_hide_write_only_copies(resource_context *rc) {
  const tnode *resources = rc->sections->resources;
  write_only_scalars scalars;
  write_only_scalars_init(&scalars);
  for (size_t i = 0; resources && i < resources->count; i++) {
    const tnode *definition = resources->members[i].value;
    const tnode *type = tnode_get(definition, "Type");
    const tnode *properties = tnode_get(definition, "Properties");
    char message[600];
    json_t *schema = NULL;
    int denied = 0;
    if (type && type->kind == TNODE_STRING && properties &&
        check_policy_find(rc->policy, policy_type_for(rc, type->text), &schema, &denied, message,
                          sizeof message))
      write_only_scalars_collect(&scalars, schema, properties);
  }
  write_only_scalars_sort(&scalars);

  for (size_t i = 0; resources && i < resources->count && scalars.count > 0; i++) {
    const tnode_member *member = &resources->members[i];
    secret_list copies;
    secret_list_init(&copies);
    secret_list_add_write_only_copies(&copies, &scalars, tnode_get(member->value, "Properties"));
    for (size_t r = 0; r < rc->tmpl->resource_count && copies.count > 0; r++) {
      report_resource *resource = &rc->tmpl->resources[r];
      if (strcmp(resource->logical_id, member->key) != 0)
        continue;
      for (size_t f = 0; f < resource->finding_count; f++)
        template_hide_secrets(&resource->findings[f], &copies);
    }
    secret_list_fini(&copies);
  }
  write_only_scalars_fini(&scalars);
}

/* Hides what the findings from first on show of values derived from a
 * NoEcho parameter. These are the messages and positions of intrinsic
 * function errors inside such derivations, in Properties and in the
 * Conditions that the resource evaluates, and the positions of findings on
 * derived property values. */
static void hide_derived_findings(const resource_context *rc, report_resource *resource,
                                  size_t first, const tnode *definition) {
  const tnode *parameters = rc->sections->parameters;
  const tnode *conditions = rc->sections->conditions;
  const tnode *properties = tnode_get(definition, "Properties");

  secret_position_anchor_mappings(resource, first, parameters, rc->sections->mappings,
                                  properties);
  secret_position_anchor_mappings(resource, first, parameters, rc->sections->mappings,
                                  conditions);
  hide_derived_errors(resource, first, parameters, properties);
  hide_derived_errors(resource, first, parameters, conditions);
  secret_position_anchor(resource, first, parameters, properties);
  secret_position_anchor_errors(resource, first, parameters, conditions);
}

/* Returns 1 when text has len characters, each alphanumeric or in extra. */
static int text_is_word(const char *text, size_t len, const char *extra) {
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)text[i];
    if (!(c < 0x80 && isalnum(c)) && !(c && strchr(extra, c)))
      return 0;
  }
  return 1;
}

/* Reports a Custom:: type whose name CloudFormation rejects. */
static int custom_name_is_valid(report_resource *resource, const tnode *type) {
  const char *name = type->text + 8;
  size_t len = type->len - 8;
  if (len > 0 && len <= RESOURCE_MAX_CUSTOM_NAME && text_is_word(name, len, "_@-"))
    return 1;

  char message[600];
  snprintf(message, sizeof message,
           "invalid custom resource type '%.*s': the name after Custom:: must be 1 to %d "
           "characters from A-Z, a-z, 0-9, '_', '@' and '-'",
           (int)utf8_cut(type->text, type->len, 200), type->text, RESOURCE_MAX_CUSTOM_NAME);
  resource_add_finding(resource, REPORT_INVALID, "cfgate/resource", type->line, type->column,
                       message);
  return 0;
}

static void check_logical_id(report_resource *resource, const tnode_member *member) {
  size_t len = member->key_len;
  if (len > 0 && len <= RESOURCE_MAX_LOGICAL_ID && text_is_word(member->key, len, ""))
    return;

  char message[600];
  snprintf(message, sizeof message,
           "invalid logical ID '%.*s': CloudFormation accepts 1 to %d characters from A-Z, "
           "a-z and 0-9",
           (int)utf8_cut(member->key, len, 200), member->key, RESOURCE_MAX_LOGICAL_ID);
  resource_add_finding(resource, REPORT_INVALID, "cfgate/resource", member->line, member->column,
                       message);
}

/* Reports a resource mapping without Type, naming a key that may be Type
 * misspelt (Tpye, type). */
static void report_missing_type(report_resource *resource, const tnode *definition) {
  char hint[300] = "";
  for (size_t i = 0; i < definition->count && !hint[0]; i++) {
    suggest closest;
    suggest_init(&closest, definition->members[i].key);
    suggest_offer(&closest, "Type");
    if (closest.count > 0)
      snprintf(hint, sizeof hint, " (did you mean 'Type' for '%.*s'?)",
               (int)utf8_cut(definition->members[i].key, definition->members[i].key_len, 100),
               definition->members[i].key);
  }

  char message[400];
  snprintf(message, sizeof message,
           "invalid resource: missing Type, the resource type name such as AWS::S3::Bucket%s",
           hint);
  resource_add_finding(resource, REPORT_INVALID, "cfgate/resource", definition->line,
                       definition->column, message);
}

static const tnode *resource_type(report_resource *resource, const tnode *definition) {
  const tnode *type = tnode_get(definition, "Type");
  if (type && type->kind == TNODE_UNKNOWN) {
    char message[600];
    snprintf(message, sizeof message,
             "Type is not a resource type name: %s", type->text);
    resource_add_finding(resource, REPORT_UNSUPPORTED, "cfgate/unsupported-type", type->line,
                         type->column, message);
    return NULL;
  }
  const tnode *transform = tnode_get(definition, "Fn::Transform");
  if (definition->kind == TNODE_OBJECT && !type && transform) {
    /* The macro's output replaces the whole body, Type included. */
    resource_add_finding(resource, REPORT_UNSUPPORTED, "cfgate/transform", transform->line,
                         transform->column,
                         "Fn::Transform runs a macro at deployment that writes this resource, "
                         "its Type included: check the processed template (aws cloudformation "
                         "get-template --template-stage Processed)");
    return NULL;
  }
  if (definition->kind == TNODE_OBJECT && !type) {
    report_missing_type(resource, definition);
    return NULL;
  }
  if (definition->kind != TNODE_OBJECT || type->kind != TNODE_STRING) {
    resource_add_finding(resource, REPORT_INVALID, "cfgate/resource", definition->line,
                         definition->column,
                         "invalid resource: expected a mapping with a Type string");
    return NULL;
  }
  report_set(&resource->type, type->text);
  if (strncmp(type->text, "Custom::", 8) == 0 && !custom_name_is_valid(resource, type))
    return NULL;
  return type;
}

/* Returns the first member of node, or of a value inside it, whose key is
 * key (or starts with it, when is_prefix is set), or NULL. */
static const tnode_member *find_key(const tnode *node, const char *key, int is_prefix) {
  for (size_t i = 0; node->kind == TNODE_ARRAY && i < node->count; i++) {
    const tnode_member *found = find_key(node->items[i], key, is_prefix);
    if (found)
      return found;
  }
  if (node->kind != TNODE_OBJECT)
    return NULL;

  size_t len = strlen(key);
  for (size_t i = 0; i < node->count; i++) {
    const tnode_member *member = &node->members[i];
    if (is_prefix ? strncmp(member->key, key, len) == 0 : strcmp(member->key, key) == 0)
      return member;
    const tnode_member *found = find_key(member->value, key, is_prefix);
    if (found)
      return found;
  }
  return NULL;
}

/* A macro called inside a resource can rewrite any of its properties, so
 * the resource is unsupported like one under a template-level macro. */
static int check_transform(report_resource *resource, const tnode *definition) {
  const tnode_member *transform = find_key(definition, "Fn::Transform", 0);
  if (!transform)
    return 0;

  resource_add_finding(resource, REPORT_UNSUPPORTED, "cfgate/transform", transform->value->line,
                       transform->value->column,
                       "Fn::Transform runs a macro at deployment that can change any property: "
                       "check the processed template (aws cloudformation get-template "
                       "--template-stage Processed)");
  return 1;
}

static const char foreach_prefix[] = "Fn::ForEach::";

static void add_foreach(report_resource *resource, const tnode_member *loop) {
  resource_add_finding(resource, REPORT_UNSUPPORTED, "cfgate/foreach", loop->line, loop->column,
                       "Fn::ForEach expands at deployment (AWS::LanguageExtensions): check the "
                       "processed template");
}

/* An Fn::ForEach loop in a resource (in Properties or as an attribute)
 * writes keys and values that exist only after the transform runs. */
static int check_foreach(report_resource *resource, const tnode *definition) {
  const tnode_member *loop = find_key(definition, foreach_prefix, 1);
  if (!loop)
    return 0;

  add_foreach(resource, loop);
  return 1;
}

/* Resource attributes that CloudFormation accepts; it rejects any other key.
 * Version is an old attribute that custom resources may still carry.
 * Fn::Transform is reported as unsupported by check_transform() instead,
 * and an Fn::ForEach:: key by check_foreach(). */
static const char *const resource_attributes[] = {
  "Type", "Properties", "Condition", "DependsOn", "Metadata", "DeletionPolicy",
  "UpdateReplacePolicy", "UpdatePolicy", "CreationPolicy", "Version", "Fn::Transform",
};

static void check_attribute(report_resource *resource, const tnode_member *member) {
  char message[600];
  if (strncmp(member->key, foreach_prefix, sizeof foreach_prefix - 1) == 0)
    return; /* reported by check_foreach() */
  if (!template_policy_attr_check(member, message, sizeof message)) {
    resource_add_finding(resource, REPORT_INVALID, "cfgate/resource", member->value->line,
                         member->value->column, message);
    return;
  }
  for (size_t i = 0; i < sizeof resource_attributes / sizeof resource_attributes[0]; i++)
    if (strcmp(member->key, resource_attributes[i]) == 0)
      return;

  suggest closest;
  suggest_init(&closest, member->key);
  for (size_t i = 0; i < sizeof resource_attributes / sizeof resource_attributes[0]; i++)
    suggest_offer(&closest, resource_attributes[i]);
  char hint[200];
  suggest_format(&closest, hint, sizeof hint);

  snprintf(message, sizeof message, "unknown resource attribute '%.*s'%s",
           (int)utf8_cut(member->key, strlen(member->key), 200), member->key, hint);
  resource_add_finding(resource, REPORT_INVALID, "cfgate/resource", member->line, member->column,
                       message);
}

/* Returns the Fn::Transform member of the Resources section, or NULL. */
static const tnode_member *resources_transform(const resource_context *rc) {
  const tnode *resources = rc->sections->resources;
  for (size_t i = 0; i < resources->count; i++)
    if (strcmp(resources->members[i].key, "Fn::Transform") == 0)
      return &resources->members[i];
  return NULL;
}

/* Returns 1 when a template-level Transform or macro was reported, other
 * than an Fn::Transform key of Resources. */
static int template_transformed(const resource_context *rc) {
  const tnode_member *own = resources_transform(rc);
  for (size_t i = 0; i < rc->tmpl->finding_count; i++) {
    const report_finding *finding = &rc->tmpl->findings[i];
    if (!own || finding->line != own->line || finding->column != own->column)
      return 1;
  }
  return 0;
}

static void check_typed_resource(resource_context *rc, report_resource *resource,
                                 const tnode *type, const tnode *definition) {
  /* Under a macro or SAM transform the attributes are the macro's input
   * (IgnoreGlobals, Count), and the resource is unsupported anyway. */
  int transformed = template_transformed(rc);
  for (size_t i = 0; !transformed && i < definition->count; i++)
    check_attribute(resource, &definition->members[i]);
  collect_template_secrets(rc, type, definition);
  if (check_transform(resource, definition) || check_foreach(resource, definition))
    return;

  size_t first = resource->finding_count;
  if (!template_branch_created(rc, resource, tnode_get(definition, "Condition")))
    resource->status = STATUS_SKIPPED;
  else
    check_properties(rc, resource, type, definition);
  hide_derived_findings(rc, resource, first, definition);
}

/* Fn::Transform as a key of Resources is no resource: the macro receives
 * the whole Resources section and can add, remove or change any resource.
 * So it is one template finding, and each resource that is not already a
 * violation (a skipped one too) is unsupported. */
static void add_resources_transform(resource_context *rc, const tnode_member *member) {
  report_template *tmpl = rc->tmpl;
  report_finding *finding = report_add_finding(&tmpl->findings, &tmpl->finding_count,
                                               &tmpl->finding_capacity, REPORT_UNSUPPORTED,
                                               "Fn::Transform in Resources runs a macro at "
                                               "deployment that can add or change any "
                                               "resource: check the processed template (aws "
                                               "cloudformation get-template --template-stage "
                                               "Processed)");
  report_set(&finding->rule_id, "cfgate/transform");
  finding->line = member->line;
  finding->column = member->column;
}

static void mark_transformed(const resource_context *rc, report_resource *resource) {
  const tnode_member *transform = resources_transform(rc);
  if (!transform || resource->status == STATUS_VIOLATION)
    return;

  resource_add_finding(resource, REPORT_UNSUPPORTED, "cfgate/transform", transform->line,
                       transform->column,
                       "Fn::Transform in Resources can change this resource at deployment: check "
                       "the processed template");
  if (resource->status == STATUS_SKIPPED)
    resource->status = STATUS_COMPLIANT;
  report_finish_resource(resource, rc->strict);
}

void resource_check(resource_context *rc, const tnode_member *member) {
  if (strcmp(member->key, "Fn::Transform") == 0) {
    add_resources_transform(rc, member);
    return;
  }

  report_resource *resource = report_add_resource(rc->tmpl, member->key, "", member->line,
                                                  member->column);
  const tnode *definition = member->value;
  if (strncmp(member->key, foreach_prefix, sizeof foreach_prefix - 1) == 0) {
    add_foreach(resource, member);
  } else {
    check_logical_id(resource, member);
    const tnode *type = resource_type(resource, definition);
    if (type)
      check_typed_resource(rc, resource, type, definition);
  }
  template_limits_apply_resource(resource);
  report_finish_resource(resource, rc->strict);
  mark_transformed(rc, resource);
}
