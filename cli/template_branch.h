/*
 * Validates a resource's Properties under each combination of parameter
 * AllowedValues and undecidable Fn::If conditions, and names the Fn::If
 * condition and branch behind findings on values inside an Fn::If branch.
 */
#ifndef CFGATE_CLI_TEMPLATE_BRANCH_H
#define CFGATE_CLI_TEMPLATE_BRANCH_H

#include <stddef.h>

#include "report.h"
#include "template_node.h"
#include "template_resource.h"

/* What one resource validates in each combination. */
typedef struct branch_target {
  const cfgate_validator *validator;
  json_t *schema;
  const tnode *properties, *condition;
} branch_target;


/* Validates target->properties once per combination of the AllowedValues
 * of the parameters it reads and of its undecidable Fn::If conditions,
 * skipping combinations in which target->condition is false, and appends
 * the findings to resource. */
void template_branch_validate(resource_context *rc, report_resource *resource,
                              const branch_target *target);

/* Returns 0 when the resource Condition (NULL: none) is false for every
 * value of the AllowedValues parameters it reads, so the resource is not
 * created. An undecidable or invalid Condition counts as created. */
int template_branch_created(resource_context *rc, report_resource *resource,
                            const tnode *condition);

/* Appends " (in the true branch of Fn::If condition NAME)" or the false
 * branch to each finding of resource from index first on whose position is
 * a value inside an Fn::If branch of properties (the innermost one). */
void template_branch_name_conditions(report_resource *resource, size_t first,
                                     const tnode *properties);

/* Moves each "missing required property" finding of resource from index
 * first on to the Fn::If that removed the property with AWS::NoValue, when
 * the property's value in the unresolved properties is an Fn::If call. */
void template_branch_locate_removed(report_resource *resource, size_t first,
                                    const tnode *properties);

#endif
