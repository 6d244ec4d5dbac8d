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

/* Prepares the pass for combination: the parameter and condition values
 * that the space assumes in it. */
static void init_combination(const resource_context *rc, const branch_space *space,
                             size_t combination, intrinsic_context *ctx) {
  init_intrinsics(rc, ctx);
  branch_space_assume(space, combination, ctx);
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

/* Names the Fn::If branch or the parameter and condition values behind
 * findings that hold in some combinations only. */
static void name_branches(report_resource *resource, const branch_mask *mask,
                          const branch_space *space, const tnode *properties) {
  size_t count = resource->finding_count - mask->first;
  size_t *lengths = malloc((count ? count : 1) * sizeof *lengths);
  if (!lengths)
    abort();
  for (size_t i = 0; i < count; i++)
    lengths[i] = strlen(resource->findings[mask->first + i].message);

  template_branch_name_conditions(resource, mask->first, properties);
  branch_mask_name(mask, resource, space, lengths);
  template_branch_locate_removed(resource, mask->first, properties);
  free(lengths);
}

/* Fails the resource when a limit left combinations unvalidated, instead
 * of passing values that were never checked. */
static void add_space_limits(report_resource *resource, const branch_space *space,
                             const tnode *where) {
  char message[300];
  if (space->too_many_conditions) {
    snprintf(message, sizeof message,
             "too many undecidable conditions in Fn::If (limit is %d): pass --parameter "
             "values that decide some of them",
             INTRINSIC_MAX_ASSUMED);
    add_finding(resource, REPORT_FAILED, "cfgate/conditions", where->line, where->column,
                message);
  }
  if (space->too_many_combinations) {
    snprintf(message, sizeof message,
             "too many combinations of parameter AllowedValues and undecidable conditions "
             "(limit is %d, with at most %d parameters): pass --parameter values for some "
             "of the parameters",
             BRANCH_MAX_COMBINATIONS, INTRINSIC_MAX_CHOICES);
    add_finding(resource, REPORT_FAILED, "cfgate/parameters", where->line, where->column,
                message);
  }
}

/* Evaluates the resource Condition in one combination: 0 when the resource
 * is not created in it. Parameters the condition reads join the
 * enumeration through ctx. Undecidable conditions met here are forgotten,
 * because an undecided resource Condition means the resource is validated
 * as if created. */
static int created_in(intrinsic_context *ctx, const tnode *condition) {
  if (!condition || condition->kind != TNODE_STRING)
    return 1;

  size_t undecided_count = ctx->undecided_count;
  int too_many_undecided = ctx->too_many_undecided;
  unsigned undecided_seen = ctx->undecided_seen;
  int value = intrinsic_condition(ctx, condition->text, condition);
  ctx->undecided_count = undecided_count;
  ctx->too_many_undecided = too_many_undecided;
  ctx->undecided_seen = undecided_seen;
  return value;
}

/* Validates properties once per combination of the AllowedValues of the
 * parameters and the undecidable conditions of its Fn::If calls, skipping
 * combinations in which the resource Condition is false. A parameter or
 * condition first met in a pass (inside a branch, or read through a
 * condition) joins the space, and the enumeration starts over. Findings
 * repeated by the restart are merged. A condition defined from other
 * conditions follows their assumed values. NOTE: the enumerated conditions
 * are treated as independent, so two conditions on the same parameter
 * without AllowedValues (Env is prod, Env is dev) are also validated both
 * true, which no deployment can reach. */
/* What one resource validates in each combination. */
typedef struct branch_target {
  const cfgate_validator *validator;
  json_t *schema;
  const tnode *properties, *condition;
} branch_target;

enum { PASS_NEXT, PASS_RESTART, PASS_STOP };

/* Resolves and validates properties in one combination. Returns
 * PASS_RESTART when a new parameter or condition joined the space, and
 * PASS_STOP when the resource cannot be validated further. */
static int validate_pass(resource_context *rc, report_resource *resource, branch_space *space,
                         branch_mask *mask, const branch_target *target, size_t combination,
                         intrinsic_context *ctx) {
  int created = created_in(ctx, target->condition);
  const tnode *resolved = created ? intrinsic_resolve(ctx, target->properties) : NULL;
  if (created && !resolved) {
    add_invalid(resource, &ctx->error);
    return PASS_STOP;
  }
  if (branch_space_add(space, ctx, 1))
    return PASS_RESTART;
  if (!created)
    return PASS_NEXT;

  if (resolved == &intrinsic_no_value)
    resolved = empty_properties(rc, resource, target->properties);
  if (!resolved)
    return PASS_STOP;
  if (resolved->kind == TNODE_UNKNOWN) {
    add_unknown_properties(resource, resolved);
    return PASS_NEXT;
  }
  validate_combination(resource, mask, target->validator, target->schema,
                       &rc->settings->context, resolved, combination);
  return PASS_NEXT;
}

/* Runs one pass with its own arena for the resolved copy, freed after the
 * pass, so a resource needs the memory of one copy, not one per
 * combination. Names that outlive the pass (parameter keys, condition
 * names) point into the template, not into this arena. */
static int run_pass(resource_context *rc, report_resource *resource, branch_space *space,
                    branch_mask *mask, const branch_target *target, size_t combination) {
  tnode_arena scratch;
  tnode_arena_init(&scratch);
  scratch.max_bytes = rc->arena->max_bytes;

  intrinsic_context ctx;
  init_combination(rc, space, combination, &ctx);
  ctx.arena = &scratch;
  int result = validate_pass(rc, resource, space, mask, target, combination, &ctx);
  tnode_arena_fini(&scratch);
  return result;
}

static void validate_branches(resource_context *rc, report_resource *resource,
                              const branch_target *target) {
  branch_space space;
  branch_space_init(&space);
  branch_mask mask;
  branch_mask_init(&mask, resource->finding_count, space.combinations);

  for (size_t combination = 0; combination < space.combinations; combination++) {
    int result = run_pass(rc, resource, &space, &mask, target, combination);
    if (result == PASS_STOP) {
      branch_mask_fini(&mask);
      return;
    }
    if (result == PASS_RESTART) {
      combination = (size_t)-1; /* the loop increment starts over at 0 */
      branch_mask_reset(&mask, space.combinations);
    }
  }
  name_branches(resource, &mask, &space, target->properties);
  branch_mask_fini(&mask);
  add_space_limits(resource, &space, target->properties);
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
  branch_target target = {validator, schema, properties, tnode_get(definition, "Condition")};
  if (properties)
    validate_branches(rc, resource, &target);
}

/* Returns 0 when the resource's Condition is false for every value of
 * the AllowedValues parameters it reads, so it is not created. An
 * undecidable or invalid Condition counts as created. */
static int resource_created(resource_context *rc, report_resource *resource,
                            const tnode *definition) {
  const tnode *condition = tnode_get(definition, "Condition");
  if (!condition)
    return 1;
  if (condition->kind != TNODE_STRING) {
    add_finding(resource, REPORT_INVALID, "cfgate/intrinsic", condition->line,
                condition->column, "resource Condition must be a condition name");
    return 1;
  }

  branch_space space;
  branch_space_init(&space);
  for (size_t combination = 0; combination < space.combinations; combination++) {
    intrinsic_context ctx;
    init_combination(rc, &space, combination, &ctx);
    int value = intrinsic_condition(&ctx, condition->text, condition);
    if (value == -2) {
      add_invalid(resource, &ctx.error);
      return 1;
    }
    if (branch_space_add(&space, &ctx, 0))
      combination = (size_t)-1; /* the loop increment starts over at 0 */
    else if (value != 0)
      return 1;
  }

  /* Values past the limit were not tried, so the resource counts as
   * created and validate_branches() reports the limit. */
  return space.too_many_combinations;
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

  add_finding(resource, REPORT_UNSUPPORTED, "cfgate/transform", transform->value->line,
              transform->value->column,
              "Fn::Transform runs a macro at deployment that can change any property: check "
              "the processed template (aws cloudformation get-template --template-stage "
              "Processed)");
  return 1;
}

static const char foreach_prefix[] = "Fn::ForEach::";

static void add_foreach(report_resource *resource, const tnode_member *loop) {
  add_finding(resource, REPORT_UNSUPPORTED, "cfgate/foreach", loop->line, loop->column,
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
  if (strncmp(member->key, foreach_prefix, sizeof foreach_prefix - 1) == 0)
    return; /* reported by check_foreach() */
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
  if (check_transform(resource, definition) || check_foreach(resource, definition))
    return;
  if (!resource_created(rc, resource, definition)) {
    resource->status = STATUS_SKIPPED;
    return;
  }
  check_properties(rc, resource, type, definition);
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

  add_finding(resource, REPORT_UNSUPPORTED, "cfgate/transform", transform->line,
              transform->column,
              "Fn::Transform in Resources can change this resource at deployment: check the "
              "processed template");
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
  report_finish_resource(resource, rc->strict);
  mark_transformed(rc, resource);
}
