/*
 * Feeds a resolved template value to a runtime session through the value
 * event API.
 */
#ifndef CFGATE_CLI_TEMPLATE_EMIT_H
#define CFGATE_CLI_TEMPLATE_EMIT_H

#include "cfgate.h"
#include "template_node.h"

/* Sends node as value events. Returns nonzero once the session has decided
 * its verdict (the remaining events are skipped). */
int template_emit(cfgate_session *session, const tnode *node);

#endif
