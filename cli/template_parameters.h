/*
 * Shape of the Parameters section: each parameter is a mapping of known
 * attributes. CloudFormation rejects a template with an unknown attribute
 * ("Invalid template parameter property"), and cfgate would otherwise ignore
 * a misspelt AllowedValues and leave the allowed values unchecked.
 */
#ifndef CFGATE_TEMPLATE_PARAMETERS_H
#define CFGATE_TEMPLATE_PARAMETERS_H

#include "report.h"
#include "template_load.h"
#include "template_node.h"

/* Returns 1 when every parameter of the root's Parameters section is a
 * mapping with a Type and only known attributes, else 0 with error filled
 * at the first problem. */
int template_parameters_check(const tnode *root, template_error *error);

/* Adds a template-level invalid finding (rule cfgate/parameter) for each
 * parameter whose Type is no CloudFormation parameter type, and for each
 * Default that is not one of the parameter's AllowedValues. CloudFormation
 * rejects both, whether or not a resource reads the parameter. */
void template_parameters_report(report_template *tmpl, const tnode *parameters);

#endif
