/*
 * Names the Fn::If condition and branch behind findings on values inside
 * an Fn::If branch, so a finding names the condition it applies under.
 */
#ifndef CFGATE_CLI_TEMPLATE_BRANCH_H
#define CFGATE_CLI_TEMPLATE_BRANCH_H

#include <stddef.h>

#include "report.h"
#include "template_node.h"

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
