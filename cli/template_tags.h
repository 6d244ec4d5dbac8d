/*
 * CloudFormation YAML short-form tags (!Ref, !Sub, !GetAtt, ...) and their
 * long forms.
 */
#ifndef CFGATE_CLI_TEMPLATE_TAGS_H
#define CFGATE_CLI_TEMPLATE_TAGS_H

#include <yaml.h>

#include "suggest.h"
#include "template_load.h"
#include "template_node.h"

enum { TEMPLATE_TAG_FOREIGN = 2 };

/* Sets *function to the long-form key for node's short-form tag ("Ref",
 * "Fn::Sub", "Condition", ...), or to NULL for an untagged or standard YAML
 * node, and returns 1. Returns TEMPLATE_TAG_FOREIGN for another local tag
 * such as !Rain::Embed, and 0 for any other tag. */
int template_tag_function(const yaml_node_t *node, const char **function);

/* Returns 1 when name is a function with a short-form tag (Fn::Sub, the
 * condition and rule functions, Fn::ForEach), also as an Fn::ForEach::Name
 * loop key. CloudFormation rejects any other Fn:: name. */
int template_function_is_known(const char *name);

/* Offers each Fn:: function with a short-form tag to closest, for a "did
 * you mean" hint. */
void template_function_suggest(suggest *closest);

/* Returns an unknown value standing for a node with a foreign local tag:
 * the value depends on a tool that runs before CloudFormation. */
tnode *template_tag_foreign(tnode_arena *arena, const yaml_node_t *node, uint32_t line,
                            uint32_t column);

/* Wraps value as {function: value}; a !GetAtt scalar "Res.Attr" becomes
 * ["Res", "Attr"]. Returns NULL with *error filled on failure. */
tnode *template_tag_expand(tnode_arena *arena, const char *function, tnode *value,
                           template_error *error);

#endif
