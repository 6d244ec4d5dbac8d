/*
 * Value events from the template tree.
 */
#include "template_emit.h"

static int emit_object(cfgate_session *session, const tnode *node) {
  if (cfgate_event_begin_object(session))
    return 1;
  for (size_t i = 0; i < node->count; i++) {
    const tnode_member *member = &node->members[i];
    if (cfgate_event_key(session, member->key, member->key_len) ||
        template_emit(session, member->value))
      return 1;
  }
  return cfgate_event_end_object(session);
}

static int emit_array(cfgate_session *session, const tnode *node) {
  if (cfgate_event_begin_array(session))
    return 1;
  for (size_t i = 0; i < node->count; i++)
    if (template_emit(session, node->items[i]))
      return 1;
  return cfgate_event_end_array(session);
}

/* CloudFormation hands every primitive to the resource provider as a string
 * (a hook receives "true" and "10"), so numbers and booleans are sent as
 * strings too. With coercion on, the runtime then accepts them for number,
 * integer and boolean schemas and for string schemas alike, as
 * CloudFormation does. */
int template_emit(cfgate_session *session, const tnode *node) {
  switch (node->kind) {
  case TNODE_NULL:
    return cfgate_event_null(session);
  case TNODE_BOOL:
    return node->boolean ? cfgate_event_string(session, "true", 4)
                         : cfgate_event_string(session, "false", 5);
  case TNODE_NUMBER:
    return cfgate_event_string(session, node->text, node->len);
  case TNODE_STRING:
    return cfgate_event_string(session, node->text, node->len);
  case TNODE_ARRAY:
    return emit_array(session, node);
  case TNODE_OBJECT:
    return emit_object(session, node);
  case TNODE_UNKNOWN:
    return node->unknown_string ? cfgate_event_unknown_string(session)
                                : cfgate_event_unknown(session);
  }
  return 1;
}
