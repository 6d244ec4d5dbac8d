/*
 * Checks one resource of a template: its type, its Condition, and its
 * Properties under each combination of undecidable conditions.
 */
#ifndef CFGATE_CLI_TEMPLATE_RESOURCE_H
#define CFGATE_CLI_TEMPLATE_RESOURCE_H

#include "check_policy.h"
#include "report.h"
#include "secret_mask.h"
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
  int yaml11_reading; /* the template was loaded as YAML 1.1 reads it */
  secret_list *template_secrets; /* write-only text that template-level findings may quote */
} resource_context;

/* Appends a finding with rule_id at line:column to resource. */
void resource_add_finding(report_resource *resource, report_kind kind, const char *rule_id,
                          uint32_t line, uint32_t column, const char *message);

/* Returns an empty Properties object at where's position, for a resource
 * without Properties or whose Properties is AWS::NoValue. Returns NULL, with
 * a failed finding on resource, when the arena is full. */
const tnode *resource_empty_properties(resource_context *rc, report_resource *resource,
                                       const tnode *where);

/* Hides the copies of write-only values that YAML aliases make in other
 * properties (QueueName: *pw) in the findings of the resources that hold
 * them. Call it after every resource is checked. */
void resource_hide_write_only_copies(resource_context *rc);

/* Checks the resource declared by member (logical id and definition) and
 * appends it to rc->tmpl. */
void resource_check(resource_context *rc, const tnode_member *member);

#endif
