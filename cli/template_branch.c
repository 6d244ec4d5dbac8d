/*
 * Validation of a resource under each combination of parameter values and
 * undecidable Fn::If conditions, and the Fn::If branch names for findings:
 * the unresolved properties are searched for the value at the finding's
 * position.
 */
#include "template_branch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "template_branch_mask.h"
#include "template_condition_attr.h"
#include "template_limits.h"
#include "template_validate.h"
#include "utf8.h"

typedef struct branch_match {
  const char *condition;
  int branch_true;
} branch_match;

static int is_if_call(const tnode *node) {
  if (node->kind != TNODE_OBJECT || node->count != 1 ||
      strcmp(node->members[0].key, "Fn::If") != 0)
    return 0;

  const tnode *args = node->members[0].value;
  return args->kind == TNODE_ARRAY && args->count == 3 && args->items[0]->kind == TNODE_STRING;
}

/* Returns 1 when node or a value inside it starts at line:column, filling
 * match with the innermost Fn::If branch on the way. */
static int find_position(const tnode *node, uint32_t line, uint32_t column, branch_match *match) {
  int here = node->line == line && node->column == column;
  if (is_if_call(node)) {
    const tnode *args = node->members[0].value;
    for (int i = 1; i <= 2; i++) {
      if (find_position(args->items[i], line, column, match)) {
        if (!match->condition) {
          match->condition = args->items[0]->text;
          match->branch_true = i == 1;
        }
        return 1;
      }
    }
    return here;
  }

  for (size_t i = 0; node->kind == TNODE_ARRAY && i < node->count; i++)
    if (find_position(node->items[i], line, column, match))
      return 1;
  for (size_t i = 0; node->kind == TNODE_OBJECT && i < node->count; i++)
    if (find_position(node->members[i].value, line, column, match))
      return 1;
  return here;
}

void template_branch_name_conditions(report_resource *resource, size_t first,
                                     const tnode *properties) {
  for (size_t i = first; i < resource->finding_count; i++) {
    report_finding *finding = &resource->findings[i];
    branch_match match = {NULL, 0};
    find_position(properties, finding->line, finding->column, &match);
    if (!match.condition)
      continue;

    char message[1400];
    snprintf(message, sizeof message, "%.*s (in the %s branch of Fn::If condition %.*s)",
             (int)utf8_cut(finding->message, strlen(finding->message), 1200), finding->message,
             match.branch_true ? "true" : "false",
             (int)utf8_cut(match.condition, strlen(match.condition), 100), match.condition);
    report_set(&finding->message, message);
  }
}

static int is_no_value(const tnode *node) {
  return node->kind == TNODE_OBJECT && node->count == 1 &&
         strcmp(node->members[0].key, "Ref") == 0 &&
         tnode_is_string(node->members[0].value, "AWS::NoValue");
}

/* Returns the innermost Fn::If below or at call with an AWS::NoValue
 * branch, or NULL when no branch on the way is AWS::NoValue. */
static const tnode *removing_if(const tnode *call) {
  const tnode *args = call->members[0].value;
  for (int i = 1; i <= 2; i++) {
    const tnode *branch = args->items[i];
    if (is_no_value(branch))
      return call;
    const tnode *inner = is_if_call(branch) ? removing_if(branch) : NULL;
    if (inner)
      return inner;
  }
  return NULL;
}

/* Returns the Fn::If member value of object whose key the required finding
 * names, or NULL. */
static const tnode *removed_member_if(const tnode *object, const char *message) {
  static const char prefix[] = "missing required property \"";
  for (size_t i = 0; object->kind == TNODE_OBJECT && i < object->count; i++) {
    const tnode_member *member = &object->members[i];
    size_t key_len = member->key_len;
    if (!is_if_call(member->value) || strncmp(message, prefix, sizeof prefix - 1) != 0)
      continue;

    const char *key = message + sizeof prefix - 1;
    if (strncmp(key, member->key, key_len) == 0 && key[key_len] == '"')
      return member->value;
  }
  return NULL;
}

/* Finds the object at line:column in the unresolved node whose member,
 * named by the required finding's message, is an Fn::If, and returns that
 * Fn::If or NULL. The finding has the position of the object, which
 * resolution keeps. Its pointer does not fit the unresolved node, because it
 * counts array items after AWS::NoValue removed some. */
static const tnode *removing_member_at(const tnode *node, uint32_t line, uint32_t column,
                                       const char *message) {
  const tnode *call = NULL;

  if (node->kind == TNODE_OBJECT && node->line == line && node->column == column)
    call = removed_member_if(node, message);
  for (size_t i = 0; !call && node->kind == TNODE_ARRAY && i < node->count; i++)
    call = removing_member_at(node->items[i], line, column, message);
  for (size_t i = 0; !call && node->kind == TNODE_OBJECT && i < node->count; i++)
    call = removing_member_at(node->members[i].value, line, column, message);
  return call;
}

void template_branch_locate_removed(report_resource *resource, size_t first,
                                    const tnode *properties) {
  for (size_t i = first; i < resource->finding_count; i++) {
    report_finding *finding = &resource->findings[i];
    if (!finding->keyword || strcmp(finding->keyword, "required") != 0)
      continue;

    const tnode *call = removing_member_at(properties, finding->line, finding->column,
                                           finding->message);
    const tnode *removing = call ? removing_if(call) : NULL;
    if (!removing)
      continue;
    finding->line = removing->line;
    finding->column = removing->column;
  }
}

/* Validation of Properties per combination of parameter values and
 * conditions. */

/* Returns 1 when resource already has the finding of error: the resource
 * Condition and an Fn::If of the properties can evaluate the same wrong
 * condition. */
static int has_invalid(const report_resource *resource, const intrinsic_error *error) {
  uint32_t line = error->line ? error->line : resource->line;
  uint32_t column = error->line ? error->column : resource->column;
  for (size_t i = 0; i < resource->finding_count; i++)
    if (resource->findings[i].line == line && resource->findings[i].column == column &&
        strcmp(resource->findings[i].message, error->message) == 0)
      return 1;
  return 0;
}

static void add_invalid(report_resource *resource, const intrinsic_error *error) {
  uint32_t line = error->line ? error->line : resource->line;
  uint32_t column = error->line ? error->column : resource->column;
  if (has_invalid(resource, error))
    return;
  if (error->limit)
    resource_add_finding(resource, REPORT_FAILED, "cfgate/failed", line, column, error->message);
  else
    resource_add_finding(resource, REPORT_INVALID, "cfgate/intrinsic", line, column,
                         error->message);
}

/* Adds the invalid finding of a combination whose properties did not
 * resolve. The other combinations are still validated, and the finding
 * names the parameter and condition values it appears with. */
static void add_invalid_in(report_resource *resource, branch_mask *mask,
                           const intrinsic_error *error, size_t combination) {
  if (has_invalid(resource, error))
    return;

  report_finding *found = NULL;
  size_t count = 0, capacity = 0;
  report_finding *finding = report_add_finding(&found, &count, &capacity, REPORT_INVALID,
                                               error->message);
  report_set(&finding->rule_id, "cfgate/intrinsic");
  report_set(&finding->pointer, "");
  report_set(&finding->keyword, "");
  finding->line = error->line ? error->line : resource->line;
  finding->column = error->line ? error->column : resource->column;
  branch_mask_merge_invalid(mask, resource, found, combination);
}

static void init_intrinsics(const resource_context *rc, intrinsic_context *ctx) {
  memset(ctx, 0, sizeof *ctx);
  ctx->arena = rc->arena;
  ctx->lasting_arena = rc->arena;
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
  ctx->yaml11_reading = rc->yaml11_reading;
  ctx->parameter_overrides = rc->settings->parameters;
  ctx->parameter_override_count = rc->settings->parameter_count;
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

  resource_add_finding(resource, REPORT_UNSUPPORTED, "cfgate/properties", resolved->line,
                       resolved->column, message);
}

/* Hides in the findings of resource the values that a call derives from a
 * NoEcho parameter in a form that masking cannot find (Fn::Base64 of
 * longer text, a part from Fn::Split). This runs while the resolved tree
 * of the combination exists. The other forms of NoEcho values are masked
 * in the whole template's findings after its resources are checked. */
static void hide_derived_secrets(report_resource *resource, const tnode *parameters,
                                 const tnode *properties, const tnode *resolved) {
  secret_list secrets;
  secret_list_init(&secrets);
  secret_list_add_derived(&secrets, parameters, properties, resolved);
  for (size_t i = 0; i < resource->finding_count && secrets.count > 0; i++)
    template_hide_secrets(&resource->findings[i], &secrets);
  secret_list_fini(&secrets);
}

/* Returns 1 when resource has a finding from first on with the pointer
 * and message of finding. */
static int has_same(const report_resource *resource, size_t first,
                    const report_finding *finding) {
  for (size_t i = first; i < resource->finding_count; i++)
    if (strcmp(resource->findings[i].pointer, finding->pointer) == 0 &&
        strcmp(resource->findings[i].message, finding->message) == 0)
      return 1;
  return 0;
}

/* Drops from found[0..*count) the new unverified findings of a resource
 * that already has TEMPLATE_MAX_RESOURCE_FINDINGS findings, counting them
 * in findings_left_out. Failing findings stay, because the verdict and the
 * softening of violations (branch_mask_soften) need every one. */
static void drop_unverified_past_limit(report_resource *resource, size_t first,
                                       report_finding *found, size_t *count) {
  if (!template_limits_resource_full(resource, first))
    return;
  size_t used = 0;
  for (size_t i = 0; i < *count; i++) {
    if (found[i].kind == REPORT_UNVERIFIED && !has_same(resource, first, &found[i])) {
      report_finding_free(&found[i]);
      resource->findings_left_out++;
      continue;
    }
    found[used++] = found[i];
  }
  *count = used;
}

/* Validates one combination with an empty finding list, then merges its
 * findings into resource, so each finding records the combinations it
 * appears in. */
static void validate_combination(const resource_context *rc, report_resource *resource,
                                 branch_mask *mask, const branch_target *target,
                                 const tnode *resolved, size_t combination) {
  report_finding *kept = resource->findings;
  size_t kept_count = resource->finding_count, kept_capacity = resource->finding_capacity;
  resource->findings = NULL;
  resource->finding_count = resource->finding_capacity = 0;

  template_validate(resource, target->validator, target->schema, &rc->settings->context,
                    resolved);
  hide_derived_secrets(resource, rc->sections->parameters, target->properties, resolved);

  report_finding *found = resource->findings;
  size_t found_count = resource->finding_count;
  resource->findings = kept;
  resource->finding_count = kept_count;
  resource->finding_capacity = kept_capacity;
  drop_unverified_past_limit(resource, mask->first, found, &found_count);
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
  branch_mask_soften(mask, resource, space);
  template_branch_locate_removed(resource, mask->first, properties);
  free(lengths);
}

/* Fails the resource when a limit left combinations unvalidated, instead
 * of passing values that were never checked. */
static void add_space_limits(report_resource *resource, const branch_space *space,
                             const tnode *where) {
  char message[600];
  if (space->too_many_conditions) {
    snprintf(message, sizeof message,
             "too many undecidable conditions in Fn::If (limit is %d): pass --parameter "
             "values that decide some of them",
             INTRINSIC_MAX_ASSUMED);
    resource_add_finding(resource, REPORT_FAILED, "cfgate/conditions", where->line, where->column,
                         message);
  }
  branch_space_describe_limit(space, message, sizeof message);
  if (message[0])
    resource_add_finding(resource, REPORT_FAILED, "cfgate/parameters", where->line, where->column,
                         message);
  if (space->partial_list) {
    snprintf(message, sizeof message,
             "list parameter %.100s can be any list of its AllowedValues, and only each item "
             "alone, its Default, all items and all items twice were checked: pass "
             "--parameter %.100s=LIST to check the list a deployment uses",
             space->partial_list, space->partial_list);
    resource_add_finding(resource, REPORT_UNVERIFIED, "cfgate/list-parameters", where->line,
                         where->column, message);
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
enum { PASS_NEXT, PASS_RESTART, PASS_STOP };

/* Appends the parameter values of combination to an error found in it,
 * such as a Fn::FindInMap key that one allowed value lacks. */
static void name_values(const branch_space *space, size_t combination, intrinsic_error *error) {
  char values[300];
  branch_space_describe(space, combination, values, sizeof values);
  if (!values[0])
    return;

  size_t used = strlen(error->message);
  snprintf(error->message + used, sizeof error->message - used, " (when %s)", values);
}

/* Resolves and validates properties in one combination. Returns
 * PASS_RESTART when a new parameter or condition joined the space, and
 * PASS_STOP when the resource cannot be validated further. */
static int validate_pass(resource_context *rc, report_resource *resource, branch_space *space,
                         branch_mask *mask, const branch_target *target, size_t combination,
                         intrinsic_context *ctx) {
  int created = created_in(ctx, target->condition);
  const tnode *resolved = created ? intrinsic_value(ctx, target->properties) : NULL;
  if (created && !resolved && ctx->error.limit) {
    name_values(space, combination, &ctx->error);
    add_invalid(resource, &ctx->error);
    return PASS_STOP;
  }
  if (branch_space_add(space, ctx, 1))
    return PASS_RESTART;
  if (created && !resolved) {
    add_invalid_in(resource, mask, &ctx->error, combination);
    return PASS_NEXT;
  }
  if (!created)
    return PASS_NEXT;

  if (resolved == &intrinsic_no_value)
    resolved = resource_empty_properties(rc, resource, target->properties);
  if (!resolved)
    return PASS_STOP;
  if (resolved->kind == TNODE_UNKNOWN) {
    add_unknown_properties(resource, resolved);
    return PASS_NEXT;
  }
  validate_combination(rc, resource, mask, target, resolved, combination);
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

/* Returns 1 when a parameter of the space names the candidates of a call,
 * whose violations branch_mask_soften() may make unverified. */
static int space_has_candidates(const branch_space *space) {
  for (size_t j = 0; j < space->parameter_count; j++)
    if (space->candidate[j])
      return 1;
  return 0;
}

/* Returns 1 when the enumeration can stop: the resource has its maximum
 * of findings and one of them fails, so no further combination changes
 * its verdict. With candidates it goes on, because softening may make
 * each violation found so far unverified. */
static int findings_decide(const report_resource *resource, const branch_mask *mask,
                           const branch_space *space) {
  return template_limits_resource_full(resource, mask->first) &&
         template_limits_resource_fails(resource, mask->first) && !space_has_candidates(space);
}

void template_branch_validate(resource_context *rc, report_resource *resource,
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
    } else if (findings_decide(resource, &mask, &space)) {
      resource->combinations_left_out = space.combinations - combination - 1;
      break;
    }
  }
  name_branches(resource, &mask, &space, target->properties);
  branch_mask_fini(&mask);
  add_space_limits(resource, &space, target->properties);
}

/* Returns 0 when the resource's Condition is false for every value of
 * the AllowedValues parameters it reads, so it is not created. An
 * undecidable or invalid Condition counts as created. */
int template_branch_created(resource_context *rc, report_resource *resource,
                            const tnode *condition) {
  if (!condition)
    return 1;
  if (condition->kind != TNODE_STRING) {
    char message[400];
    template_condition_attr_message(condition, message, sizeof message);
    resource_add_finding(resource, REPORT_INVALID, "cfgate/intrinsic", condition->line,
                         condition->column, message);
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

  /* Values past the limit were not tried, nor lists of a list parameter
   * other than those enumerated, so the resource counts as created and
   * template_branch_validate() reports why. */
  return space.too_many_parameters || space.too_many_combinations || space.partial_list != NULL;
}
