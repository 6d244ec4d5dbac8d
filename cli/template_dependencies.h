/*
 * Finds resources that depend on themselves, directly or through others.
 */
#ifndef CFGATE_CLI_TEMPLATE_DEPENDENCIES_H
#define CFGATE_CLI_TEMPLATE_DEPENDENCIES_H

#include "report.h"
#include "template_resource.h"

/* Adds an invalid finding (rule cfgate/intrinsic) for each cycle of
 * resource dependencies: DependsOn, and Ref, Fn::GetAtt and Fn::Sub in
 * Properties. CloudFormation rejects a template with such a cycle. The
 * finding goes to the first resource of the cycle in template order, at
 * its dependency on the next one. */
void template_check_dependencies(report_template *tmpl, const template_sections *sections,
                                 int strict);

#endif
