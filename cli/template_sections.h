/*
 * The top-level sections of a CloudFormation template: which names
 * CloudFormation accepts, and the Fn::Transform calls that let a macro
 * rewrite the Parameters, Mappings and Conditions that resource values are
 * computed from.
 */
#ifndef CFGATE_CLI_TEMPLATE_SECTIONS_H
#define CFGATE_CLI_TEMPLATE_SECTIONS_H

#include "template_load.h"
#include "template_node.h"

/* Checks the keys of root, a mapping. Returns 1 when each names a template
 * section (or is a top-level Fn::Transform). Returns 0 with *error filled at
 * the first other key, with a "did you mean" hint for a near miss such as
 * Paramters, because CloudFormation rejects the template. Globals is a
 * section only under the SAM transform. With near_misses_only, as for a
 * document without Resources that may be another kind of YAML file, only a
 * key close to a section name (Resource) is reported. */
int template_sections_check_names(const tnode *root, int near_misses_only,
                                  template_error *error);

/* Returns the first Fn::Transform member at or below node, or NULL. */
const tnode_member *template_find_transform(const tnode *node);

/* Returns the first Fn::Transform member at the top level of root or at any
 * depth in its Parameters, Mappings or Conditions section, or NULL. Sets
 * *section to the section's name, or to "" for a top-level call. */
const tnode_member *template_sections_find_transform(const tnode *root, const char **section);

#endif
