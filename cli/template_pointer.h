/*
 * Maps the runtime's JSON pointers (RFC 6901) back to template nodes, so a
 * finding gets the line and column of the offending value.
 */
#ifndef CFGATE_CLI_TEMPLATE_POINTER_H
#define CFGATE_CLI_TEMPLATE_POINTER_H

#include "template_node.h"

/* Returns the node at a JSON pointer below root, or the deepest existing
 * ancestor when the pointer names a missing member (a required property). */
const tnode *template_locate(const tnode *root, const char *pointer);

/* Returns the node at a JSON pointer below root, or NULL when a member or
 * item on the way is missing. */
const tnode *template_locate_exact(const tnode *root, const char *pointer);

#endif
