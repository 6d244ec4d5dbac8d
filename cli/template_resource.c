/*
 * One resource: definition checks, resource Condition, type handling, and
 * validation of Properties once per combination of undecidable Fn::If
 * conditions (the first pass takes every true branch, later passes assume
 * the other values), so every branch is validated.
 */
#include "template_resource.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "template_branch.h"
#include "template_branch_mask.h"
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

static void add_finding(report_resource *resource, report_kind kind, const char *rule_id,
                        uint32_t line, uint32_t column, const char *message) {
  report_finding *finding = report_add_finding(&resource->findings, &resource->finding_count,
                                               &resource->finding_capacity, kind, message);
  report_set(&finding->rule_id, rule_id);
  finding->line = line;
  finding->column = column;
}

static void add_invalid(report_resource *resource, const intrinsic_error *error) {
  uint32_t line = error->line ? error->line : resource->line;
  uint32_t column = error->line ? error->column : resource->column;
  if (error->limit)
    add_finding(resource, REPORT_FAILED, "cfgate/failed", line, column, error->message);
  else
    add_finding(resource, REPORT_INVALID, "cfgate/intrinsic", line, column, error->message);
}

/* Returns an empty Properties object at where's position, for a resource
 * without Properties or whose Properties is AWS::NoValue. */
static const tnode *empty_properties(resource_context *rc, report_resource *resource,
                                     const tnode *where) {
  const tnode *empty = tnode_new(rc->arena, TNODE_OBJECT, where->line, where->column);
  if (!empty)
    add_finding(resource, REPORT_FAILED, "cfgate/failed", where->line, where->column,
                "template too large: out of memory for its values");
  return empty;
}

static void init_intrinsics(const resource_context *rc, intrinsic_context *ctx) {
  memset(ctx, 0, sizeof *ctx);
  ctx->arena = rc->arena;
  ctx->account_id = rc->settings->account_id;
  ctx->region = rc->settings->region;
  ctx->partition = rc->settings->partition;
  ctx->url_suffix = rc->settings->url_suffix;
  ctx->stack_name = rc->settings->stack_name;
  ctx->stack_id = rc->settings->stack_id;
  ctx->parameters = rc->sections->parameters;
  ctx->mappings = rc->sections->mappings;
  ctx->conditions = rc->sections->conditions;
  ctx->resources = rc->sections->resources;
  ctx->language_extensions = rc->sections->language_extensions;
  ctx->parameter_overrides = rc->settings->parameters;
  ctx->parameter_override_count = rc->settings->parameter_count;
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

/* branch_mask keeps one bit per combination in a 64-bit word. */
_Static_assert(INTRINSIC_MAX_ASSUMED <= 6, "more than 64 condition combinations");

/* The undecidable conditions met so far, whose value combinations are enumerated. */
typedef struct branch_conditions {
  const char *names[INTRINSIC_MAX_ASSUMED];
  size_t count;
  int overflow; /* more than INTRINSIC_MAX_ASSUMED were met */
} branch_conditions;

/* Prepares pass `branch`: condition i is assumed false when bit i is set. */
static void init_branch(const resource_context *rc, const branch_conditions *conditions,
                        size_t branch, intrinsic_context *ctx) {
  init_intrinsics(rc, ctx);
  ctx->assumed_count = conditions->count;
  for (size_t i = 0; i < conditions->count; i++) {
    ctx->assumed_names[i] = conditions->names[i];
    ctx->assumed_values[i] = !(branch >> i & 1);
  }
}

/* Adds the conditions a pass met without an assumed value. Returns 1 when
 * at least one was added, so the enumeration restarts with it. */
static int add_undecided(branch_conditions *conditions, const intrinsic_context *ctx) {
  int added = 0;
  for (size_t i = 0; i < ctx->undecided_count; i++) {
    if (conditions->count == INTRINSIC_MAX_ASSUMED) {
      conditions->overflow = 1;
      continue;
    }
    conditions->names[conditions->count++] = ctx->undecided_names[i];
    added = 1;
  }
  conditions->overflow |= ctx->too_many_undecided;
  return added;
}

/* Fails a resource whose whole Properties is unknown offline, because then
 * no property name, required property or closed object can be checked. */
static void add_unknown_properties(report_resource *resource, const tnode *resolved) {
  char message[600];
  snprintf(message, sizeof message,
           "Properties is unknown before deployment (%.*s), so none of its properties can be "
           "checked: write the properties out in the template",
           (int)utf8_cut(resolved->text, strlen(resolved->text), 400), resolved->text);
  for (size_t i = 0; i < resource->finding_count; i++)
    if (strcmp(resource->findings[i].message, message) == 0)
      return;

  add_finding(resource, REPORT_UNSUPPORTED, "cfgate/properties", resolved->line,
              resolved->column, message);
}

/* Validates properties once per combination of the undecidable conditions
 * of its Fn::If calls. A condition first met inside a branch (a nested
 * Fn::If) joins the set and the enumeration starts over; findings repeated
 * by the restart are merged. A condition defined from other conditions
 * follows their assumed values. NOTE: the enumerated conditions are treated
 * as independent, so two conditions on the same parameter (Env is prod, Env
 * is dev) are also validated both true, which no deployment can reach. */
/* Validates one combination with an empty finding list, then merges its
 * findings into resource, so each finding records the combinations it
 * appears in. */
static void validate_combination(report_resource *resource, branch_mask *mask,
                                 const cfgate_validator *validator, json_t *schema,
                                 const cfgate_context *context, const tnode *resolved,
                                 size_t combination) {
  report_finding *kept = resource->findings;
  size_t kept_count = resource->finding_count, kept_capacity = resource->finding_capacity;
  resource->findings = NULL;
  resource->finding_count = resource->finding_capacity = 0;

  template_validate(resource, validator, schema, context, resolved);

  report_finding *found = resource->findings;
  size_t found_count = resource->finding_count;
  resource->findings = kept;
  resource->finding_count = kept_count;
  resource->finding_capacity = kept_capacity;
  branch_mask_merge(mask, resource, found, found_count, combination);
}

/* Names the Fn::If branch or the condition values behind findings that
 * hold in some combinations only. */
static void name_branches(report_resource *resource, const branch_mask *mask,
                          const branch_conditions *conditions, const tnode *properties) {
  size_t count = resource->finding_count - mask->first;
  size_t *lengths = malloc((count ? count : 1) * sizeof *lengths);
  if (!lengths)
    abort();
  for (size_t i = 0; i < count; i++)
    lengths[i] = strlen(resource->findings[mask->first + i].message);

  template_branch_name_conditions(resource, mask->first, properties);
  branch_mask_name(mask, resource, conditions->names, conditions->count, lengths);
  template_branch_locate_removed(resource, mask->first, properties);
  free(lengths);
}

static void validate_branches(resource_context *rc, report_resource *resource,
                              const cfgate_validator *validator, json_t *schema,
                              const tnode *properties) {
  branch_conditions conditions = {{NULL}, 0, 0};
  branch_mask mask;
  branch_mask_init(&mask, resource->finding_count);

  for (size_t branch = 0; branch < (size_t)1 << conditions.count; branch++) {
    intrinsic_context ctx;
    init_branch(rc, &conditions, branch, &ctx);
    const tnode *resolved = intrinsic_resolve(&ctx, properties);
    if (!resolved) {
      add_invalid(resource, &ctx.error);
      branch_mask_fini(&mask);
      return;
    }
    if (add_undecided(&conditions, &ctx)) {
      branch = (size_t)-1; /* the loop increment starts over at 0 */
      branch_mask_reset(&mask);
      continue;
    }

    if (resolved == &intrinsic_no_value)
      resolved = empty_properties(rc, resource, properties);
    if (!resolved) {
      branch_mask_fini(&mask);
      return;
    }
    if (resolved->kind == TNODE_UNKNOWN) {
      add_unknown_properties(resource, resolved);
      continue;
    }
    validate_combination(resource, &mask, validator, schema, &rc->settings->context, resolved,
                         branch);
  }
  name_branches(resource, &mask, &conditions, properties);
  branch_mask_fini(&mask);

  /* Branches beyond the limit were never validated, so the resource fails
   * instead of passing values that were never checked. */
  if (conditions.overflow) {
    char message[200];
    snprintf(message, sizeof message,
             "too many undecidable conditions in Fn::If (limit is %d): pass --parameter "
             "values that decide some of them",
             INTRINSIC_MAX_ASSUMED);
    add_finding(resource, REPORT_FAILED, "cfgate/conditions", properties->line,
                properties->column, message);
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
    add_finding(resource, REPORT_UNSUPPORTED, "cfgate/unsupported-type", type->line,
                type->column, reason);
    return;
  }
  if (!validator) {
    add_finding(resource, denied ? REPORT_DENIED : REPORT_FAILED,
                denied ? "cfgate/denied-type" : "cfgate/failed", type->line, type->column,
                message);
    return;
  }

  const tnode *properties = tnode_get(definition, "Properties");
  if (!properties)
    properties = empty_properties(rc, resource, definition);
  if (properties)
    validate_branches(rc, resource, validator, schema, properties);
}

/* Returns 0 when the resource's Condition is false, so it is not created. */
static int resource_created(resource_context *rc, report_resource *resource,
                            const tnode *definition) {
  const tnode *condition = tnode_get(definition, "Condition");
  if (!condition)
    return 1;

  intrinsic_context ctx;
  init_intrinsics(rc, &ctx);
  if (condition->kind != TNODE_STRING) {
    add_finding(resource, REPORT_INVALID, "cfgate/intrinsic", condition->line,
                condition->column, "resource Condition must be a condition name");
    return 1;
  }

  int value = intrinsic_condition(&ctx, condition->text, condition);
  if (value == -2)
    add_invalid(resource, &ctx.error);
  return value != 0;
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
  add_finding(resource, REPORT_INVALID, "cfgate/resource", type->line, type->column, message);
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
  add_finding(resource, REPORT_INVALID, "cfgate/resource", member->line, member->column,
              message);
}

static const tnode *resource_type(report_resource *resource, const tnode *definition) {
  const tnode *type = tnode_get(definition, "Type");
  if (type && type->kind == TNODE_UNKNOWN) {
    char message[600];
    snprintf(message, sizeof message,
             "Type is not a resource type name: %s", type->text);
    add_finding(resource, REPORT_UNSUPPORTED, "cfgate/unsupported-type", type->line, type->column,
                message);
    return NULL;
  }
  if (definition->kind != TNODE_OBJECT || !type || type->kind != TNODE_STRING) {
    add_finding(resource, REPORT_INVALID, "cfgate/resource", definition->line,
                definition->column, "invalid resource: expected a mapping with a Type string");
    return NULL;
  }
  report_set(&resource->type, type->text);
  if (strncmp(type->text, "Custom::", 8) == 0 && !custom_name_is_valid(resource, type))
    return NULL;
  return type;
}

/* Returns the first Fn::Transform call inside node, or NULL. */
static const tnode *find_transform(const tnode *node) {
  if (node->kind == TNODE_ARRAY) {
    for (size_t i = 0; i < node->count; i++) {
      const tnode *found = find_transform(node->items[i]);
      if (found)
        return found;
    }
  }
  if (node->kind != TNODE_OBJECT)
    return NULL;

  for (size_t i = 0; i < node->count; i++) {
    if (strcmp(node->members[i].key, "Fn::Transform") == 0)
      return node->members[i].value;
    const tnode *found = find_transform(node->members[i].value);
    if (found)
      return found;
  }
  return NULL;
}

/* A macro called inside a resource can rewrite any of its properties, so
 * the resource is unsupported like one under a template-level macro. */
static int check_transform(report_resource *resource, const tnode *definition) {
  const tnode *transform = find_transform(definition);
  if (!transform)
    return 0;

  add_finding(resource, REPORT_UNSUPPORTED, "cfgate/transform", transform->line,
              transform->column,
              "Fn::Transform runs a macro at deployment that can change any property: check "
              "the processed template (aws cloudformation get-template --template-stage "
              "Processed)");
  return 1;
}

/* Resource attributes that CloudFormation accepts; it rejects any other key.
 * Version is an old attribute that custom resources may still carry.
 * Fn::Transform is reported as unsupported by check_transform() instead. */
static const char *const resource_attributes[] = {
  "Type", "Properties", "Condition", "DependsOn", "Metadata", "DeletionPolicy",
  "UpdateReplacePolicy", "UpdatePolicy", "CreationPolicy", "Version", "Fn::Transform",
};

static void check_attribute(report_resource *resource, const tnode_member *member) {
  for (size_t i = 0; i < sizeof resource_attributes / sizeof resource_attributes[0]; i++)
    if (strcmp(member->key, resource_attributes[i]) == 0)
      return;

  suggest closest;
  suggest_init(&closest, member->key);
  for (size_t i = 0; i < sizeof resource_attributes / sizeof resource_attributes[0]; i++)
    suggest_offer(&closest, resource_attributes[i]);
  char hint[200];
  suggest_format(&closest, hint, sizeof hint);

  char message[600];
  snprintf(message, sizeof message, "unknown resource attribute '%.*s'%s",
           (int)utf8_cut(member->key, strlen(member->key), 200), member->key, hint);
  add_finding(resource, REPORT_INVALID, "cfgate/resource", member->line, member->column, message);
}

static void check_typed_resource(resource_context *rc, report_resource *resource,
                                 const tnode *type, const tnode *definition) {
  /* Under a macro or SAM transform the attributes are the macro's input
   * (IgnoreGlobals, Count), and the resource is unsupported anyway. */
  for (size_t i = 0; rc->tmpl->finding_count == 0 && i < definition->count; i++)
    check_attribute(resource, &definition->members[i]);
  if (check_transform(resource, definition))
    return;
  if (!resource_created(rc, resource, definition)) {
    resource->status = STATUS_SKIPPED;
    return;
  }
  check_properties(rc, resource, type, definition);
}

void resource_check(resource_context *rc, const tnode_member *member) {
  report_resource *resource = report_add_resource(rc->tmpl, member->key, "", member->line,
                                                  member->column);
  const tnode *definition = member->value;

  if (strncmp(member->key, "Fn::ForEach::", 13) == 0) {
    add_finding(resource, REPORT_UNSUPPORTED, "cfgate/foreach", member->line, member->column,
                "Fn::ForEach expands at deployment (AWS::LanguageExtensions): check the "
                "processed template");
  } else {
    check_logical_id(resource, member);
    const tnode *type = resource_type(resource, definition);
    if (type)
      check_typed_resource(rc, resource, type, definition);
  }
  report_finish_resource(resource, rc->strict);
}
