/*
 * Value events from the template tree.
 */
#include "template_emit.h"

static const template_emit_style provider_style = {1, NULL};

static int emit(cfgate_session *session, const tnode *node, const template_emit_style *style);

static int emit_object(cfgate_session *session, const tnode *node,
                       const template_emit_style *style) {
  if (cfgate_event_begin_object(session))
    return 1;
  for (size_t i = 0; i < node->count; i++) {
    const tnode_member *member = &node->members[i];
    if (cfgate_event_key(session, member->key, member->key_len) ||
        emit(session, member->value, style))
      return 1;
  }
  return cfgate_event_end_object(session);
}

static int emit_array(cfgate_session *session, const tnode *node,
                      const template_emit_style *style) {
  if (cfgate_event_begin_array(session))
    return 1;
  for (size_t i = 0; i < node->count; i++)
    if (emit(session, node->items[i], style))
      return 1;
  return cfgate_event_end_array(session);
}

static int emit_string(cfgate_session *session, const tnode *node,
                       const template_emit_style *style) {
  if (style->unknown_text && style->unknown_text(node))
    return cfgate_event_unknown_string(session);
  return cfgate_event_string(session, node->text, node->len);
}

static int emit(cfgate_session *session, const tnode *node, const template_emit_style *style) {
  switch (node->kind) {
  case TNODE_NULL:
    return cfgate_event_null(session);
  case TNODE_BOOL:
    if (!style->primitives_as_strings)
      return cfgate_event_bool(session, node->boolean);
    return node->boolean ? cfgate_event_string(session, "true", 4)
                         : cfgate_event_string(session, "false", 5);
  case TNODE_NUMBER:
    if (!style->primitives_as_strings)
      return cfgate_event_number(session, node->text, node->len);
    return cfgate_event_string(session, node->text, node->len);
  case TNODE_STRING:
    return emit_string(session, node, style);
  case TNODE_ARRAY:
    return emit_array(session, node, style);
  case TNODE_OBJECT:
    return emit_object(session, node, style);
  case TNODE_UNKNOWN:
    return node->unknown_string ? cfgate_event_unknown_string(session)
                                : cfgate_event_unknown(session);
  }
  return 1;
}

int template_emit(cfgate_session *session, const tnode *node) {
  return emit(session, node, &provider_style);
}

int template_emit_styled(cfgate_session *session, const tnode *node,
                         const template_emit_style *style) {
  return emit(session, node, style);
}
