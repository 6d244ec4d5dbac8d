/*
 * One template: parse, read the sections, and check each resource.
 */
#include "template_check.h"

#include <stdio.h>
#include <string.h>

#include "template_load.h"
#include "template_resource.h"

static void add_template_finding(report_template *tmpl, report_kind kind, const tnode *where,
                                 const char *rule_id, const char *message) {
  report_finding *finding = report_add_finding(&tmpl->findings, &tmpl->finding_count,
                                               &tmpl->finding_capacity, kind, message);
  report_set(&finding->rule_id, rule_id);
  finding->line = where->line;
  finding->column = where->column;
}

static void check_transform_name(report_template *tmpl, template_sections *sections,
                                 const tnode *name) {
  char message[512];
  if (tnode_is_string(name, "AWS::LanguageExtensions")) {
    sections->language_extensions = 1;
    return;
  }

  if (tnode_is_string(name, "AWS::Serverless-2016-10-31"))
    snprintf(message, sizeof message,
             "the template uses the SAM transform: check the processed template "
             "(sam build, or aws cloudformation get-template --template-stage Processed)");
  else if (name->kind == TNODE_STRING)
    snprintf(message, sizeof message,
             "unknown Transform '%s': macros change the template at deployment, so check the "
             "processed template (aws cloudformation get-template --template-stage Processed)",
             name->text);
  else
    snprintf(message, sizeof message, "invalid Transform: expected a name or a list of names");
  add_template_finding(tmpl, REPORT_UNSUPPORTED, name, "cfgate/transform", message);
}

/* Transform is a name or a list of names; AWS::LanguageExtensions is
 * handled here, while SAM and macros need the processed template. */
static void check_transforms(report_template *tmpl, template_sections *sections,
                             const tnode *transform) {
  if (!transform)
    return;
  if (transform->kind != TNODE_ARRAY) {
    check_transform_name(tmpl, sections, transform);
    return;
  }
  for (size_t i = 0; i < transform->count; i++)
    check_transform_name(tmpl, sections, transform->items[i]);
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
  if (root->kind != TNODE_OBJECT) {
    report_set_unparseable(tmpl, root->line, root->column,
                           "not a CloudFormation template: the document is not a mapping");
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

/* A macro or SAM transform can rewrite every resource, so a resource that
 * passed is still unsupported and counted as such in the summary. */
static void mark_transformed_resources(report_template *tmpl, int strict) {
  if (tmpl->finding_count == 0)
    return;

  const report_finding *transform = &tmpl->findings[0];
  for (size_t i = 0; i < tmpl->resource_count; i++) {
    report_resource *resource = &tmpl->resources[i];
    if (resource->status == STATUS_SKIPPED || resource->status == STATUS_VIOLATION)
      continue;
    report_finding *finding = report_add_finding(
        &resource->findings, &resource->finding_count, &resource->finding_capacity,
        REPORT_UNSUPPORTED,
        "the template's Transform can change this resource at deployment: check the processed "
        "template");
    report_set(&finding->rule_id, "cfgate/transform");
    finding->line = transform->line;
    finding->column = transform->column;
    report_finish_resource(resource, strict);
  }
}

void template_check(check_report *report, check_policy *policy, const check_settings *settings,
                    const char *path, const unsigned char *bytes, size_t size) {
  report_template *tmpl = report_add_template(report, path);
  tnode_arena arena;
  template_error error;
  tnode_arena_init(&arena);

  const tnode *root = template_load(&arena, bytes, size, &error);
  template_sections sections = {0};
  if (!root) {
    report_set_unparseable(tmpl, error.line, error.column, error.message);
  } else if (read_sections(tmpl, settings, root, &sections)) {
    check_transforms(tmpl, &sections, tnode_get(root, "Transform"));
    resource_context rc = {&arena, policy, settings, &sections, tmpl, report->strict};
    for (size_t i = 0; i < sections.resources->count; i++)
      resource_check(&rc, &sections.resources->members[i]);
    mark_transformed_resources(tmpl, report->strict);
  }
  tnode_arena_fini(&arena);
}
