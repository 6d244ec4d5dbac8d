/*
 * Checks the names that the whole template refers to, in every branch,
 * resource and condition, whether or not a deployment evaluates them.
 */
#ifndef CFGATE_CLI_TEMPLATE_REFERENCES_H
#define CFGATE_CLI_TEMPLATE_REFERENCES_H

#include "report.h"
#include "template_node.h"
#include "template_resource.h"

/* Adds an invalid finding (rule cfgate/intrinsic) for each Ref, Fn::GetAtt,
 * Fn::Sub variable, Fn::If condition, Condition and DependsOn that names
 * nothing the template defines, unless evaluation already reported it at that
 * position. Findings in Resources go to the resource, the others to the
 * template. */
void template_check_references(report_template *tmpl, const template_sections *sections,
                               const tnode *root, int strict);

#endif
