/*
 * Validates one resolved Properties value with a runtime session and turns
 * the runtime's errors into report findings placed at template positions.
 */
#ifndef CFGATE_CLI_TEMPLATE_VALIDATE_H
#define CFGATE_CLI_TEMPLATE_VALIDATE_H

#include <jansson.h>

#include "cfgate.h"
#include "report.h"
#include "secret_mask.h"
#include "template_node.h"

/* Validates properties (a resolved tree) against validator with coercion
 * on and every error collected. schema is the restricted template, used to
 * find the policy rule behind each error. Findings are added to resource,
 * skipping ones already present from another condition branch. */
void template_validate(report_resource *resource, const cfgate_validator *validator,
                       json_t *schema, const cfgate_context *context, const tnode *properties);

/* Hides secrets in the findings from first on that may quote write-only
 * text: the intrinsic function errors, and the findings at or below a
 * write-only property of schema. */
void template_hide_in_write_only_findings(report_resource *resource, size_t first,
                                          json_t *schema, const secret_list *secrets);

/* Replaces the hidden values in finding's message with **** (secret_mask). */
void template_hide_secrets(report_finding *finding, const secret_list *secrets);

/* Hides the text written under write-only properties in properties (the
 * unresolved tree) in the intrinsic function errors from first on, which
 * quote it before any value exists, and in the findings at or below such a
 * property. Their unknown value's reason may quote the text after a
 * function passed it on (CloudFormation may write the number 1.50 as other
 * text). The YAML tags that are not functions
 * written there are hidden in every finding from first on, because the
 * reason of an unknown value quotes them also where a function such as
 * Fn::Sub passed the value on. */
void template_hide_write_only_text(report_resource *resource, size_t first, json_t *schema,
                                   const tnode *properties);

/* Returns the x-cfgate-rule object nearest the end of schema_path in
 * schema (borrowed), or NULL. */
json_t *template_rule_at(json_t *schema, const char *schema_path);

/* Returns the x-cfgate-rule object of the policy rule that set keyword at
 * schema_path (borrowed), or NULL when the provider schema did. A record
 * with "keywords" names the value keywords its rule set on its node, so a
 * value keyword of that node outside the list, or of a node without a
 * record of its own, is the provider's. A record without the list names
 * its rule for every keyword below it. */
json_t *template_rule_for(json_t *schema, const char *schema_path, const char *keyword);

#endif
