/*
 * Checks one resource of a template: its type, its Condition, and its
 * Properties under each combination of undecidable conditions.
 */
#ifndef CFGATE_CLI_TEMPLATE_RESOURCE_H
#define CFGATE_CLI_TEMPLATE_RESOURCE_H

#include "check_policy.h"
#include "report.h"
#include "template_check.h"
#include "template_node.h"

typedef struct template_sections {
  const tnode *parameters, *mappings, *conditions, *resources;
  int language_extensions; /* Transform names AWS::LanguageExtensions */
} template_sections;

typedef struct resource_context {
  tnode_arena *arena;
  check_policy *policy;
  const check_settings *settings;
  const template_sections *sections;
  report_template *tmpl;
  int strict;
} resource_context;

/* Checks the resource declared by member (logical id and definition) and
 * appends it to rc->tmpl. */
void resource_check(resource_context *rc, const tnode_member *member);

#endif
