/*
 * Names that the template refers to: every Ref, Fn::GetAtt, Fn::Sub
 * variable, Fn::If condition, Condition and DependsOn must name something
 * the template defines. CloudFormation checks them all before it evaluates
 * any condition, so a wrong name in a branch that no deployment takes, in a
 * resource whose Condition is false or in an unused condition still makes
 * it reject the template. Evaluation reports the names it meets; this pass
 * reports the rest.
 */
#include "template_references.h"

#include <stdio.h>
#include <string.h>

#include "intrinsic.h"
#include "template_sections.h"
#include "template_tags.h"
#include "sub_variables.h"
#include "utf8.h"

enum { REFERENCE_NAME_MAX = 255 }; /* maximum bytes of a name quoted in a message, as of a logical ID */

typedef struct reference_walk {
  const template_sections *sections;
  report_template *tmpl;
  report_resource *resource; /* NULL: findings go to the template */
  size_t evaluated;          /* findings of the resource or template before this pass */
  int strict;
  int in_conditions;         /* {Condition: NAME} is a condition reference here */
} reference_walk;

/* Returns the finding among findings[0..count) with message at where, also
 * one with a note that evaluation appended ("(when condition IsProd is
 * true)"), or NULL. */
static report_finding *find_finding(report_finding *findings, size_t count, const tnode *where,
                                    const char *message) {
  size_t len = strlen(message);
  for (size_t i = 0; i < count; i++)
    if (findings[i].line == where->line && findings[i].column == where->column &&
        findings[i].kind == REPORT_INVALID && strncmp(findings[i].message, message, len) == 0)
      return &findings[i];
  return NULL;
}

/* Returns 1 when a resource already has the finding that a condition's
 * definition gave when the resource's Condition or Fn::If evaluated it. */
static int reported_on_a_resource(report_template *tmpl, const tnode *where, const char *message) {
  for (size_t i = 0; i < tmpl->resource_count; i++)
    if (find_finding(tmpl->resources[i].findings, tmpl->resources[i].finding_count, where,
                     message))
      return 1;
  return 0;
}

/* Adds an invalid finding at where. When evaluation already reported it,
 * the notes that name parameter or condition values are dropped from its
 * message instead: a wrong name fails the template for every value. Only
 * the findings from before this pass are searched, so the pass stays
 * linear in the number of names. */
static void add_wrong_name(reference_walk *walk, const tnode *where, const char *message) {
  report_finding **findings = walk->resource ? &walk->resource->findings : &walk->tmpl->findings;
  size_t *count = walk->resource ? &walk->resource->finding_count : &walk->tmpl->finding_count;
  size_t *capacity =
      walk->resource ? &walk->resource->finding_capacity : &walk->tmpl->finding_capacity;

  report_finding *found = find_finding(*findings, walk->evaluated, where, message);
  if (found) {
    report_set(&found->message, message);
    return;
  }
  if (walk->in_conditions && reported_on_a_resource(walk->tmpl, where, message))
    return;

  report_finding *finding = report_add_finding(findings, count, capacity, REPORT_INVALID, message);
  report_set(&finding->rule_id, "cfgate/intrinsic");
  finding->line = where->line;
  finding->column = where->column;
}

/* Reports name unless it names a parameter, resource or pseudo parameter.
 * in_sub words the finding as that of an Fn::Sub variable. Its message
 * quotes the name alone, as for a Ref, because the ${name} form is the
 * Sub text that is hidden under a write-only property. */
static void check_ref(reference_walk *walk, const tnode *call, const char *name, int in_sub) {
  const char *problem =
      intrinsic_ref_problem(walk->sections->parameters, walk->sections->resources, name);
  if (!problem)
    return;

  char message[2 * REFERENCE_NAME_MAX + 100];
  int len = (int)utf8_cut(name, strlen(name), REFERENCE_NAME_MAX);
  if (in_sub)
    snprintf(message, sizeof message, "Fn::Sub variable '%.*s', %s", len, name, problem);
  else
    snprintf(message, sizeof message, "Ref to '%.*s', %s", len, name, problem);
  add_wrong_name(walk, call, message);
}

/* Reports name[0..len) unless it names a resource; what is the function
 * or attribute that uses it ("Fn::GetAtt"). */
static void check_resource_name(reference_walk *walk, const tnode *where, const char *what,
                                const char *name, size_t len) {
  if (intrinsic_names_resource(walk->sections->resources, name, len))
    return;

  char message[2 * REFERENCE_NAME_MAX + 100];
  snprintf(message, sizeof message, "%s names '%.*s', which is not a resource", what,
           (int)utf8_cut(name, len, REFERENCE_NAME_MAX), name);
  add_wrong_name(walk, where, message);
}

/* An unknown Conditions section (the YAML 1.1 reading of a name such as y)
 * may define any name. */
static void check_condition_name(reference_walk *walk, const tnode *name) {
  const tnode *conditions = walk->sections->conditions;
  if (conditions && conditions->kind == TNODE_UNKNOWN)
    return;
  if (name->kind != TNODE_STRING || tnode_get(conditions, name->text) ||
      intrinsic_foreach_may_define(walk->sections->conditions, name->text, name->len))
    return;

  char message[REFERENCE_NAME_MAX + 100];
  snprintf(message, sizeof message, "condition '%.*s' is not defined in Conditions",
           (int)utf8_cut(name->text, name->len, REFERENCE_NAME_MAX), name->text);
  add_wrong_name(walk, name, message);
}

static void check_get_att(reference_walk *walk, const tnode *call, const tnode *args) {
  if (args->kind == TNODE_STRING) {
    const char *dot = strchr(args->text, '.');
    check_resource_name(walk, call, "Fn::GetAtt", args->text,
                        dot ? (size_t)(dot - args->text) : args->len);
  } else if (args->kind == TNODE_ARRAY && args->count >= 1 &&
             args->items[0]->kind == TNODE_STRING) {
    check_resource_name(walk, call, "Fn::GetAtt", args->items[0]->text, args->items[0]->len);
  }
}

/* Checks each ${NAME} of an Fn::Sub format that variables (the list form's
 * map, or NULL) does not define. ${!NAME} is literal text. */
static void check_sub_format(reference_walk *walk, const tnode *call, const char *format,
                             const tnode *variables) {
  const char *cursor = format;
  sub_variable variable;
  while (sub_next_variable(&cursor, &variable)) {
    const char *name = variable.name;
    size_t len = variable.len;
    if (len == 0)
      continue;
    if (len > REFERENCE_NAME_MAX) {
      char message[100];
      snprintf(message, sizeof message, "Fn::Sub variable name too long (limit is %d bytes)",
               REFERENCE_NAME_MAX);
      add_wrong_name(walk, call, message);
      continue;
    }

    char key[REFERENCE_NAME_MAX + 1];
    memcpy(key, name, len);
    key[len] = '\0';
    if (tnode_get(variables, key) || tnode_get(walk->sections->parameters, key))
      continue;

    const char *dot = strchr(key, '.');
    char what[REFERENCE_NAME_MAX + 32];
    snprintf(what, sizeof what, "Fn::Sub variable ${%s}", key);
    if (dot)
      check_resource_name(walk, call, what, key, (size_t)(dot - key));
    else
      check_ref(walk, call, key, 1);
  }
}

static void check_sub(reference_walk *walk, const tnode *call, const tnode *args) {
  if (args->kind == TNODE_STRING)
    check_sub_format(walk, call, args->text, NULL);
  else if (args->kind == TNODE_ARRAY && args->count == 2 && args->items[0]->kind == TNODE_STRING)
    check_sub_format(walk, call, args->items[0]->text,
                     args->items[1]->kind == TNODE_OBJECT ? args->items[1] : NULL);
}

static void walk_value(reference_walk *walk, const tnode *node);

/* Reports a Ref to a resource or an Fn::GetAtt in the Conditions section:
 * a condition can read parameters, pseudo parameters and mappings only. */
static int check_condition_input(reference_walk *walk, const tnode *call, const char *key,
                                 const tnode *args) {
  char message[REFERENCE_NAME_MAX + 200];
  if (strcmp(key, "Fn::GetAtt") == 0) {
    snprintf(message, sizeof message,
             "Fn::GetAtt in Conditions: a condition can read parameters, pseudo parameters "
             "and mappings, not resource attributes");
  } else if (strcmp(key, "Ref") == 0 && args->kind == TNODE_STRING &&
             !tnode_get(walk->sections->parameters, args->text) &&
             tnode_get(walk->sections->resources, args->text)) {
    snprintf(message, sizeof message,
             "Ref to resource '%.*s' in Conditions: a condition can read parameters, pseudo "
             "parameters and mappings, not resources",
             (int)utf8_cut(args->text, args->len, REFERENCE_NAME_MAX), args->text);
  } else {
    return 0;
  }
  add_wrong_name(walk, call, message);
  return 1;
}

static void check_call_names(reference_walk *walk, const tnode *call, const char *key,
                             const tnode *args) {
  if (walk->in_conditions && check_condition_input(walk, call, key, args))
    return;

  if (strncmp(key, "Fn::", 4) == 0 && !template_function_is_known(key)) {
    char message[400];
    intrinsic_unknown_function_message(key, message, sizeof message);
    add_wrong_name(walk, call, message);
  } else if (strcmp(key, "Ref") == 0 && args->kind == TNODE_STRING)
    check_ref(walk, call, args->text, 0);
  else if (strcmp(key, "Fn::GetAtt") == 0)
    check_get_att(walk, call, args);
  else if (strcmp(key, "Fn::Sub") == 0)
    check_sub(walk, call, args);
  else if (strcmp(key, "Fn::If") == 0 && args->kind == TNODE_ARRAY && args->count == 3)
    check_condition_name(walk, args->items[0]);
  else if (strcmp(key, "Condition") == 0 && walk->in_conditions)
    check_condition_name(walk, args);
}

/* Checks the names of one function call, then the values inside it. */
static void walk_call(reference_walk *walk, const tnode *call) {
  const char *key = call->members[0].key;
  const tnode *args = call->members[0].value;

  check_call_names(walk, call, key, args);
  walk_value(walk, args);
}

static int is_call(const tnode *node) {
  if (node->kind != TNODE_OBJECT || node->count != 1)
    return 0;
  const char *key = node->members[0].key;
  return strcmp(key, "Ref") == 0 || strcmp(key, "Condition") == 0 ||
         (strncmp(key, "Fn::", 4) == 0 && strncmp(key, "Fn::ForEach::", 13) != 0);
}

/* Walks arrays and objects. The names inside Fn::ForEach are its own loop
 * variables, so its body is left to the check that reports it. */
static void walk_value(reference_walk *walk, const tnode *node) {
  if (node->kind == TNODE_ARRAY) {
    for (size_t i = 0; i < node->count; i++)
      walk_value(walk, node->items[i]);
    return;
  }
  if (node->kind != TNODE_OBJECT)
    return;
  if (is_call(node)) {
    walk_call(walk, node);
    return;
  }

  for (size_t i = 0; i < node->count; i++)
    if (strncmp(node->members[i].key, "Fn::ForEach::", 13) != 0)
      walk_value(walk, node->members[i].value);
}

/* Reports a DependsOn value or list item that is not a resource name:
 * CloudFormation resolves no function there and rejects other values. */
static void wrong_depends_on(reference_walk *walk, const tnode *value, int in_list) {
  char what[300], message[500];
  tnode_describe(value, what, sizeof what);
  if (in_list)
    snprintf(message, sizeof message, "DependsOn list item must be a resource name, found %s",
             what);
  else
    snprintf(message, sizeof message,
             "DependsOn must be a resource name or a list of resource names, found %s", what);
  add_wrong_name(walk, value, message);
}

static void check_depends_on(reference_walk *walk, const tnode *depends_on) {
  if (depends_on->kind == TNODE_STRING) {
    check_resource_name(walk, depends_on, "DependsOn", depends_on->text, depends_on->len);
    return;
  }
  if (depends_on->kind == TNODE_UNKNOWN)
    return;
  if (depends_on->kind != TNODE_ARRAY) {
    wrong_depends_on(walk, depends_on, 0);
    return;
  }
  for (size_t i = 0; i < depends_on->count; i++) {
    const tnode *item = depends_on->items[i];
    if (item->kind == TNODE_STRING)
      check_depends_on(walk, item);
    else if (item->kind != TNODE_UNKNOWN)
      wrong_depends_on(walk, item, 1);
  }
}

static report_resource *find_resource(report_template *tmpl, const tnode_member *member) {
  for (size_t i = 0; i < tmpl->resource_count; i++)
    if (strcmp(tmpl->resources[i].logical_id, member->key) == 0)
      return &tmpl->resources[i];
  return NULL;
}

/* Checks one resource's Properties, Condition and DependsOn. A finding
 * makes a resource that its Condition skipped a violation, because
 * CloudFormation rejects the whole template. */
static void check_resource(reference_walk *walk, const tnode_member *member) {
  const tnode *resource = member->value;
  if (resource->kind != TNODE_OBJECT || strncmp(member->key, "Fn::ForEach::", 13) == 0)
    return;

  walk->resource = find_resource(walk->tmpl, member);
  size_t before = walk->resource ? walk->resource->finding_count : walk->tmpl->finding_count;
  walk->evaluated = before;
  const tnode *properties = tnode_get(resource, "Properties");
  const tnode *condition = tnode_get(resource, "Condition");
  const tnode *depends_on = tnode_get(resource, "DependsOn");
  const tnode *metadata = tnode_get(resource, "Metadata");
  if (properties)
    walk_value(walk, properties);
  if (metadata)
    walk_value(walk, metadata); /* CloudFormation resolves the functions in it */
  if (condition)
    check_condition_name(walk, condition);
  if (depends_on)
    check_depends_on(walk, depends_on);

  if (walk->resource && walk->resource->finding_count > before) {
    if (walk->resource->status == STATUS_SKIPPED)
      walk->resource->status = STATUS_COMPLIANT;
    report_finish_resource(walk->resource, walk->strict);
  }
  walk->resource = NULL;
  walk->evaluated = walk->tmpl->finding_count;
}

static void check_outputs(reference_walk *walk, const tnode *outputs) {
  for (size_t i = 0; outputs && outputs->kind == TNODE_OBJECT && i < outputs->count; i++) {
    const tnode *output = outputs->members[i].value;
    if (output->kind != TNODE_OBJECT || strncmp(outputs->members[i].key, "Fn::ForEach::", 13) == 0)
      continue;
    const tnode *condition = tnode_get(output, "Condition");
    if (condition)
      check_condition_name(walk, condition);
    for (size_t j = 0; j < output->count; j++)
      if (strcmp(output->members[j].key, "Condition") != 0)
        walk_value(walk, output->members[j].value);
  }
}

void template_check_references(report_template *tmpl, const template_sections *sections,
                               const tnode *root, int strict) {
  /* A macro called anywhere can add names, and the names inside its
   * call reach the macro as text. */
  if (template_find_transform(root))
    return;

  reference_walk walk = {.sections = sections, .tmpl = tmpl, .strict = strict,
                         .evaluated = tmpl->finding_count};

  for (size_t i = 0; i < sections->resources->count; i++)
    check_resource(&walk, &sections->resources->members[i]);

  const tnode *conditions = sections->conditions;
  walk.in_conditions = 1;
  for (size_t i = 0; conditions && conditions->kind == TNODE_OBJECT && i < conditions->count; i++)
    if (strncmp(conditions->members[i].key, "Fn::ForEach::", 13) != 0)
      walk_value(&walk, conditions->members[i].value);
  walk.in_conditions = 0;

  check_outputs(&walk, tnode_get(root, "Outputs"));
}
