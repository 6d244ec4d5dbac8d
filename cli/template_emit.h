/*
 * Feeds a resolved template value to a runtime session through the value
 * event API.
 */
#ifndef CFGATE_CLI_TEMPLATE_EMIT_H
#define CFGATE_CLI_TEMPLATE_EMIT_H

#include "cfgate.h"
#include "template_node.h"

/* How a tree is sent as value events. */
typedef struct template_emit_style {
  /* Flag: 1 sends numbers and booleans as strings, because CloudFormation
   * hands every primitive to a resource provider as a string. With coercion
   * on, the runtime accepts them for number, integer and boolean schemas. */
  int primitives_as_strings;
  /* Test that picks the strings sent as unknown strings, or NULL. */
  int (*unknown_text)(const tnode *string);
} template_emit_style;

/* Sends node as value events, with primitives as strings. Returns nonzero
 * once the session has decided its verdict (the remaining events are
 * skipped). */
int template_emit(cfgate_session *session, const tnode *node);

/* Sends node as value events in the given style. */
int template_emit_styled(cfgate_session *session, const tnode *node,
                         const template_emit_style *style);

#endif
