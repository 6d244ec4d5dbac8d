/*
 * One template: parse, read the sections, and check each resource.
 */
#include "template_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_merge.h"
#include "secret_mask.h"
#include "template_dependencies.h"
#include "template_limits.h"
#include "template_load.h"
#include "template_references.h"
#include "template_resource.h"
#include "template_parameters.h"
#include "template_sections.h"
#include "template_validate.h"
#include "utf8.h"

/* The first template-level reason why no resource can be checked as
 * written, with the finding each resource gets for it. */
typedef struct template_gap {
  int found;
  char resource_message[256];
  const char *rule_id;
  uint32_t line, column;
} template_gap;

static const char processed_template_hint[] =
    "check the processed template (aws cloudformation get-template --template-stage Processed)";

/* Adds an unsupported template-level finding at line:column and records it
 * as the gap when it is the first, so that every resource is marked. */
static void add_template_gap(report_template *tmpl, template_gap *gap, uint32_t line,
                             uint32_t column, const char *rule_id, const char *message,
                             const char *resource_message) {
  report_finding *finding = report_add_finding(&tmpl->findings, &tmpl->finding_count,
                                               &tmpl->finding_capacity, REPORT_UNSUPPORTED,
                                               message);
  report_set(&finding->rule_id, rule_id);
  finding->line = line;
  finding->column = column;
  if (gap->found)
    return;

  gap->found = 1;
  snprintf(gap->resource_message, sizeof gap->resource_message, "%s", resource_message);
  gap->rule_id = rule_id;
  gap->line = line;
  gap->column = column;
}

static const char transform_resource_message[] =
    "the template's Transform can change this resource at deployment: check the processed "
    "template";

/* Returns the transform name of one Transform entry: a name, or the Name of
 * the {Name, Parameters} form that AWS::Include documents. */
static const tnode *transform_entry_name(const tnode *entry) {
  if (entry->kind != TNODE_OBJECT)
    return entry;
  const tnode *name = tnode_get(entry, "Name");
  return name && name->kind == TNODE_STRING ? name : entry;
}

static void describe_transform(const tnode *name, char *message, size_t size) {
  if (tnode_is_string(name, "AWS::Serverless-2016-10-31"))
    snprintf(message, size,
             "the template uses the SAM transform: check the processed template "
             "(sam build, or aws cloudformation get-template --template-stage Processed)");
  else if (tnode_is_string(name, "AWS::Include"))
    snprintf(message, size,
             "Transform AWS::Include inserts a template snippet from Amazon S3 at deployment, "
             "so %s",
             processed_template_hint);
  else if (name->kind == TNODE_STRING)
    snprintf(message, size,
             "unknown Transform '%.*s': macros change the template at deployment, so %s",
             (int)utf8_cut(name->text, name->len, 200), name->text, processed_template_hint);
  else
    snprintf(message, size,
             "invalid Transform: expected a name, a list of names, or a mapping with a Name "
             "string and Parameters");
}

static void check_transform_entry(report_template *tmpl, template_gap *gap,
                                  template_sections *sections, const tnode *entry) {
  const tnode *name = transform_entry_name(entry);
  if (tnode_is_string(name, "AWS::LanguageExtensions")) {
    sections->language_extensions = 1;
    return;
  }

  char message[512];
  describe_transform(name, message, sizeof message);
  add_template_gap(tmpl, gap, name->line, name->column, "cfgate/transform", message,
                   transform_resource_message);
}

/* Transform is a name, a {Name, Parameters} mapping, or a list of these.
 * AWS::LanguageExtensions is handled here, while SAM, AWS::Include and
 * macros need the processed template. */
static void check_transforms(report_template *tmpl, template_gap *gap,
                             template_sections *sections, const tnode *transform) {
  if (!transform)
    return;
  if (transform->kind != TNODE_ARRAY) {
    check_transform_entry(tmpl, gap, sections, transform);
    return;
  }
  for (size_t i = 0; i < transform->count; i++)
    check_transform_entry(tmpl, gap, sections, transform->items[i]);
}

/* A macro called by Fn::Transform replaces the mapping that contains the
 * call, so values computed from Parameters, Mappings or Conditions (and a
 * resource Condition found false) may differ at deployment. */
static void check_section_transform(report_template *tmpl, template_gap *gap, const tnode *root) {
  const char *section = "";
  const tnode_member *call = template_sections_find_transform(root, &section);
  if (!call)
    return;

  char message[512], resource_message[256];
  if (section[0])
    snprintf(message, sizeof message,
             "Fn::Transform in the %s section runs a macro at deployment that can replace the "
             "values computed from it, so %s",
             section, processed_template_hint);
  else
    snprintf(message, sizeof message,
             "Fn::Transform at the top level runs a macro at deployment that can replace any "
             "section, so %s",
             processed_template_hint);
  snprintf(resource_message, sizeof resource_message,
           "Fn::Transform in %s can change this resource at deployment: check the processed "
           "template",
           section[0] ? section : "the top level of the template");
  add_template_gap(tmpl, gap, call->line, call->column, "cfgate/transform", message,
                   resource_message);
}

/* Reports the first YAML tag that is not a CloudFormation function. The
 * loader turns such a tag into a TNODE_UNKNOWN node marked foreign_tag. The AWS CLI and cfn-lint read !Foo as a call to Fn::Foo, which
 * CloudFormation rejects as an unsupported function, so what is deployed
 * is the output of the tool that defines the tag. */
static void check_foreign_tags(report_template *tmpl, template_gap *gap, const tnode *root) {
  const tnode *tagged = tnode_find_foreign_tag(root);
  if (!tagged)
    return;

  char message[600];
  snprintf(message, sizeof message, "CloudFormation rejects the template as written: %s",
           tagged->text);
  add_template_gap(tmpl, gap, tagged->line, tagged->column, "cfgate/yaml-tag", message,
                   "the template uses a YAML tag that CloudFormation rejects: check the "
                   "template after the tool that defines the tag has processed it");
}

static void mark_parameters_used(const check_settings *settings, const tnode *parameters) {
  for (size_t i = 0; i < settings->parameter_count; i++)
    if (tnode_get(parameters, settings->parameters[i].name))
      settings->parameter_used[i] = 1;
}

/* Looks up the Resources mapping of root. Marks the template unparseable and
 * returns NULL when it is missing, not a mapping or empty, because
 * CloudFormation requires at least one resource. */
static const tnode *read_resources(report_template *tmpl, const tnode *root) {
  const tnode *resources = tnode_get(root, "Resources");
  if (resources && resources->kind == TNODE_UNKNOWN) {
    report_set_unparseable(tmpl, resources->line, resources->column, resources->text);
    return NULL;
  }
  if (!resources || resources->kind != TNODE_OBJECT) {
    const tnode *where = resources ? resources : root;
    report_set_unparseable(tmpl, where->line, where->column,
                           "not a CloudFormation template: no Resources mapping");
    return NULL;
  }

  if (resources->count == 0) {
    report_set_unparseable(tmpl, resources->line, resources->column,
                           "not a CloudFormation template: the Resources mapping is empty");
    return NULL;
  }
  return resources;
}

static int read_sections(report_template *tmpl, const check_settings *settings, const tnode *root,
                         template_sections *sections) {
  template_error error;
  if (root->kind != TNODE_OBJECT) {
    report_set_unparseable(tmpl, root->line, root->column,
                           "not a CloudFormation template: the document is not a mapping");
    return 0;
  }
  int has_resources = tnode_get(root, "Resources") != NULL;
  if (!template_sections_check_names(root, !has_resources, &error) ||
      !template_parameters_check(root, &error)) {
    report_set_unparseable(tmpl, error.line, error.column, error.message);
    return 0;
  }

  sections->resources = read_resources(tmpl, root);
  if (!sections->resources)
    return 0;

  sections->parameters = tnode_get(root, "Parameters");
  mark_parameters_used(settings, sections->parameters);
  sections->mappings = tnode_get(root, "Mappings");
  sections->conditions = tnode_get(root, "Conditions");
  return 1;
}

/* Reports a resource whose Type is a function call or another value that is
 * not a string: CloudFormation resolves no function in Type. Returns 0
 * when it did, and 1 when resource_check() checks the resource instead. */
static int check_type_is_literal(report_template *tmpl, const tnode_member *member, int strict) {
  const tnode *type = tnode_get(member->value, "Type");
  if (!type || type->kind == TNODE_STRING || type->kind == TNODE_UNKNOWN ||
      strncmp(member->key, "Fn::", 4) == 0)
    return 1;

  char what[300], message[600];
  tnode_describe(type, what, sizeof what);
  snprintf(message, sizeof message,
           "invalid resource Type: it is %s, but CloudFormation needs a literal resource type "
           "name such as AWS::S3::Bucket",
           what);
  report_resource *resource = report_add_resource(tmpl, member->key, "", member->line,
                                                  member->column);
  report_finding *finding = report_add_finding(&resource->findings, &resource->finding_count,
                                               &resource->finding_capacity, REPORT_INVALID,
                                               message);
  report_set(&finding->rule_id, "cfgate/resource");
  finding->line = type->line;
  finding->column = type->column;
  report_finish_resource(resource, strict);
  return 0;
}

/* Marks each resource that would pass unsupported when the template cannot
 * be checked as written: a macro can rewrite any resource, and one skipped
 * by a false Condition may be created. A violation keeps its findings. */
static void mark_unsupported_resources(report_template *tmpl, const template_gap *gap,
                                       int strict) {
  if (!gap->found)
    return;

  for (size_t i = 0; i < tmpl->resource_count; i++) {
    report_resource *resource = &tmpl->resources[i];
    if (resource->status == STATUS_VIOLATION)
      continue;
    report_finding *finding = report_add_finding(
        &resource->findings, &resource->finding_count, &resource->finding_capacity,
        REPORT_UNSUPPORTED, gap->resource_message);
    report_set(&finding->rule_id, gap->rule_id);
    finding->line = gap->line;
    finding->column = gap->column;
    if (resource->status == STATUS_SKIPPED)
      resource->status = STATUS_COMPLIANT;
    report_finish_resource(resource, strict);
  }
}

static void check_resources(resource_context *rc) {
  for (size_t i = 0; i < rc->sections->resources->count; i++) {
    const tnode_member *member = &rc->sections->resources->members[i];
    if (check_type_is_literal(rc->tmpl, member, rc->strict))
      resource_check(rc, member);
  }
}

/* Writes to reason why the text that a load error quotes is hidden, or ""
 * when a report would show the value. The text is hidden when it is the
 * Default or an AllowedValues item of a NoEcho parameter, when it is at or
 * below a write-only property of a type that the policy restricts, and
 * when the loader did not find its place. */
static void quoted_error_reason(check_policy *policy, const template_error *error, char *reason,
                                size_t size) {
  reason[0] = '\0';
  if (!error->quoted[0])
    return;
  if (error->owner == TEMPLATE_OWNER_UNKNOWN) {
    snprintf(reason, size, "its place in the template was not found");
  } else if (error->owner == TEMPLATE_OWNER_PARAMETER) {
    snprintf(reason, size, "NoEcho parameter %.100s", error->owner_name);
  } else if (error->owner == TEMPLATE_OWNER_PROPERTY && error->owner_name[0]) {
    json_t *schema = NULL;
    int denied = 0;
    char message[600];
    if (check_policy_find(policy, error->owner_name, &schema, &denied, message, sizeof message) &&
        !secret_write_only_reason(schema, error->property_pointer, reason, size))
      reason[0] = '\0';
  }
}

/* Marks tmpl unparseable with error's message, in which the template text
 * it quotes is hidden where a report would hide the value. */
static void set_unparseable_hidden(report_template *tmpl, check_policy *policy,
                                   const template_error *error, const char *message) {
  char reason[300];
  quoted_error_reason(policy, error, reason, sizeof reason);
  if (!reason[0]) {
    report_set_unparseable(tmpl, error->line, error->column, message);
    return;
  }

  secret_list secrets;
  secret_list_init(&secrets);
  secret_list_add(&secrets, error->quoted, strlen(error->quoted), reason, NULL);
  char *masked = secret_mask(&secrets, "", message);
  report_set_unparseable(tmpl, error->line, error->column, masked ? masked : message);
  free(masked);
  secret_list_fini(&secrets);
}

/* Marks tmpl unparseable. A YAML file that starts with '{' or '[' (YAML flow
 * style) is read as JSON, so its JSON error names that reason. */
static void set_unreadable(report_template *tmpl, check_policy *policy,
                           const template_error *error) {
  const char *dot = strrchr(tmpl->path, '.');
  int yaml_name = dot && (strcmp(dot, ".yaml") == 0 || strcmp(dot, ".yml") == 0);

  if (!yaml_name || strncmp(error->message, "invalid JSON", 12) != 0) {
    set_unparseable_hidden(tmpl, policy, error, error->message);
    return;
  }
  char message[sizeof error->message + 128];
  snprintf(message, sizeof message,
           "%s (a template that starts with '{' or '[' is read as JSON, also in a .yaml file)",
           error->message);
  report_set_unparseable(tmpl, error->line, error->column, message);
}

/* Hides the values of NoEcho parameters in every finding of tmpl: the
 * --parameter value, the Default and the AllowedValues. A value reaches
 * messages through Ref, Fn::Sub, Fn::Join and the parameter values a
 * finding names. */
static void hide_no_echo(report_template *tmpl, const check_settings *settings,
                         const tnode *parameters) {
  if (!parameters || parameters->kind != TNODE_OBJECT)
    return;

  secret_list secrets;
  secret_list_init(&secrets);
  for (size_t i = 0; i < parameters->count; i++) {
    const tnode_member *parameter = &parameters->members[i];
    const char *given = NULL;
    for (size_t j = 0; j < settings->parameter_count; j++)
      if (strcmp(settings->parameters[j].name, parameter->key) == 0)
        given = settings->parameters[j].value;
    secret_list_add_parameter(&secrets, parameter, given);
  }

  for (size_t i = 0; i < tmpl->finding_count && secrets.count > 0; i++)
    template_hide_secrets(&tmpl->findings[i], &secrets);
  for (size_t r = 0; r < tmpl->resource_count && secrets.count > 0; r++)
    for (size_t i = 0; i < tmpl->resources[r].finding_count; i++)
      template_hide_secrets(&tmpl->resources[r].findings[i], &secrets);
  secret_list_fini(&secrets);
}

/* Loads the template with the given reading and checks it into tmpl. */
static void check_reading(report_template *tmpl, check_policy *policy,
                          const check_settings *settings, int strict, const unsigned char *bytes,
                          size_t size, template_reading *reading) {
  tnode_arena arena;
  template_error error;
  template_gap gap = {0};
  tnode_arena_init(&arena);

  const tnode *root = template_load_as(&arena, bytes, size, reading, &error);
  template_sections sections = {0};
  if (!root) {
    set_unreadable(tmpl, policy, &error);
  } else if (read_sections(tmpl, settings, root, &sections)) {
    check_transforms(tmpl, &gap, &sections, tnode_get(root, "Transform"));
    /* The YAML tags under write-only properties, which the template-level
     * finding on the first foreign tag may quote. */
    secret_list template_secrets;
    secret_list_init(&template_secrets);
    resource_context rc = {.arena = &arena, .policy = policy, .settings = settings,
                           .sections = &sections, .tmpl = tmpl, .strict = strict,
                           .yaml11_reading = reading->yaml11,
                           .template_secrets = &template_secrets};
    check_resources(&rc);
    resource_hide_write_only_copies(&rc);

    /* After the resources, so that their attributes are still checked: a
     * macro in a section or a tag's tool cannot rename them. */
    check_section_transform(tmpl, &gap, root);
    check_foreign_tags(tmpl, &gap, root);
    mark_unsupported_resources(tmpl, &gap, strict);

    /* A macro or a tag's tool can define names, so only a template that
     * is deployed as written has its names checked. */
    if (!gap.found) {
      template_parameters_report(tmpl, sections.parameters);
      template_check_references(tmpl, &sections, root, strict);
      template_check_dependencies(tmpl, &sections, strict);
    }
    hide_no_echo(tmpl, settings, sections.parameters);
    for (size_t i = 0; i < tmpl->finding_count && template_secrets.count > 0; i++)
      template_hide_secrets(&tmpl->findings[i], &template_secrets);
    secret_list_fini(&template_secrets);
  }
  tnode_arena_fini(&arena);
}

/* Hides the NoEcho values of the first reading in the findings merged from
 * the YAML 1.1 reading too. That reading may take NoEcho: off for false, or
 * turn a Default such as 0x5EC4E7 into an unknown value, whose finding then
 * quotes the plain text. */
static void hide_no_echo_as_read_first(report_template *tmpl, const check_settings *settings,
                                       const unsigned char *bytes, size_t size) {
  tnode_arena arena;
  template_error error;
  template_reading reading = {0};
  tnode_arena_init(&arena);
  const tnode *root = template_load_as(&arena, bytes, size, &reading, &error);
  if (root)
    hide_no_echo(tmpl, settings, tnode_get(root, "Parameters"));
  tnode_arena_fini(&arena);
}

/* Checks the template with plain scalars read in their JSON forms and, when
 * it has plain scalars that YAML 1.1 reads otherwise (yes, 0777), also as
 * YAML 1.1 reads them.
 * CloudFormation documents YAML 1.1 support, so a resource must pass in both
 * readings. */
void template_check(check_report *report, check_policy *policy, const check_settings *settings,
                    const char *path, const unsigned char *bytes, size_t size) {
  report_template *tmpl = report_add_template(report, path);
  template_reading yaml12 = {0};
  check_reading(tmpl, policy, settings, report->strict, bytes, size, &yaml12);
  if (yaml12.ambiguous == 0) {
    report_drop_repeated_findings(tmpl);
    template_limits_apply_template(tmpl);
    return;
  }

  check_report second;
  report_init(&second);
  report_template *other = report_add_template(&second, path);
  template_reading yaml11 = {.yaml11 = 1};
  check_reading(other, policy, settings, report->strict, bytes, size, &yaml11);
  report_merge_template(tmpl, other, "(in the YAML 1.1 reading of the template)",
                        report->strict);
  report_fini(&second);
  hide_no_echo_as_read_first(tmpl, settings, bytes, size);
  report_drop_repeated_findings(tmpl);
  template_limits_apply_template(tmpl);
}
