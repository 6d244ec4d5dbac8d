/*
 * Shape of the Parameters section: each parameter is a mapping of known
 * attributes. CloudFormation rejects a template with an unknown attribute
 * ("Invalid template parameter property"), and cfgate would otherwise ignore
 * a misspelt AllowedValues and leave the allowed values unchecked.
 */
#ifndef CFGATE_TEMPLATE_PARAMETERS_H
#define CFGATE_TEMPLATE_PARAMETERS_H

#include "template_load.h"
#include "template_node.h"

/* Returns 1 when every parameter of the root's Parameters section is a
 * mapping with a Type and only known attributes, else 0 with error filled
 * at the first problem. */
int template_parameters_check(const tnode *root, template_error *error);

#endif
