/*
 * The DeletionPolicy and UpdateReplacePolicy resource attributes, whose
 * value CloudFormation takes from a fixed list of names.
 */
#ifndef CFGATE_CLI_TEMPLATE_POLICY_ATTR_H
#define CFGATE_CLI_TEMPLATE_POLICY_ATTR_H

#include <stddef.h>

#include "template_node.h"

/* Checks member when it is a DeletionPolicy or UpdateReplacePolicy
 * attribute. Returns 1 when it is another attribute or its value is
 * accepted. Otherwise writes the finding's message, which quotes the value
 * and lists the allowed names, to message (size bytes, cut to fit), and
 * returns 0. An intrinsic function call or a value known only at deployment
 * is accepted, because CloudFormation resolves such a value itself. */
int template_policy_attr_check(const tnode_member *member, char *message, size_t size);

#endif
