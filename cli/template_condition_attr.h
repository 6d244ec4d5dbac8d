/*
 * The message for a resource Condition attribute that is not a condition
 * name. It quotes the value (or names its kind), and when the value
 * contains one name, as in [F] or !Condition F, it gives the fix:
 * Condition: F.
 */
#ifndef CFGATE_CLI_TEMPLATE_CONDITION_ATTR_H
#define CFGATE_CLI_TEMPLATE_CONDITION_ATTR_H

#include <stddef.h>

#include "template_node.h"

/* Writes the message for condition, a value other than a string, to
 * message (size bytes, cut to fit). */
void template_condition_attr_message(const tnode *condition, char *message, size_t size);

#endif
