/*
 * Feeds a resolved template value to a runtime session through the value
 * event API, and maps the runtime's JSON pointers back to template
 * positions.
 */
#ifndef CFGATE_CLI_TEMPLATE_EMIT_H
#define CFGATE_CLI_TEMPLATE_EMIT_H

#include "cfgate.h"
#include "template_node.h"

/* Sends node as value events. Returns nonzero once the session has decided
 * its verdict (the remaining events are skipped). */
int template_emit(cfgate_session *session, const tnode *node);

/* Returns the node at a JSON pointer below root, or the deepest existing
 * ancestor when the pointer names a missing member (a required property). */
const tnode *template_locate(const tnode *root, const char *pointer);

#endif
