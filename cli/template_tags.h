/*
 * CloudFormation YAML short-form tags (!Ref, !Sub, !GetAtt, ...) and their
 * long forms.
 */
#ifndef CFGATE_CLI_TEMPLATE_TAGS_H
#define CFGATE_CLI_TEMPLATE_TAGS_H

#include <yaml.h>

#include "template_load.h"
#include "template_node.h"

/* Sets *function to the long-form key for node's short-form tag ("Ref",
 * "Fn::Sub", "Condition", ...), or to NULL for an untagged or standard YAML
 * node. Returns 0 when the tag is neither. */
int template_tag_function(const yaml_node_t *node, const char **function);

/* Wraps value as {function: value}; a !GetAtt scalar "Res.Attr" becomes
 * ["Res", "Attr"]. Returns NULL with *error filled on failure. */
tnode *template_tag_expand(tnode_arena *arena, const char *function, tnode *value,
                           template_error *error);

#endif
