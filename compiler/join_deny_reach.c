/*
 * A deny removes a property at one path. When the level it applies to is a
 * provider definition that the template also keeps whole at other paths
 * (a recursive definition such as a WAF statement inside a NotStatement),
 * the property stays allowed there. The compiler warns: such a deny reads
 * as if it removed the property at every depth.
 */
#include <string.h>

#include "join.h"
#include "provider.h"

/* Writes into name the definition that raw is a $ref to and returns 1, or
 * returns 0 when raw is no such $ref. */
static int join_definition_of(json_t *raw, char *name, size_t size) {
  const char *ref = json_string_value(json_object_get(raw, "$ref"));
  return ref && provider_definition_name(ref, name, size);
}

static void join_warn_level(join_ctx *join, const join_node *level) {
  char definition[PROVIDER_MAX_TOKEN];
  if (!join_definition_of(level->raw, definition, sizeof definition) ||
      !json_object_get(join->definitions, definition))
    return;

  for (const join_child *child = level->children; child; child = child->next) {
    const join_node *node = child->node;
    if (!node->denied)
      continue;
    diag_report(&join->compile->diags, DIAG_WARNING, DIAG_DENY_PARTIAL, node->denied_by->span,
                "this deny removes '%s' at %s only: the definition '%s' is also allowed whole at "
                "other paths (through other properties that refer to it), where '%s' stays "
                "allowed; deny or restrict those properties too",
                child->name, level->path[0] ? level->path : "the top level", definition,
                child->name);
  }
}

void join_warn_partial_denies(join_ctx *join, const join_node *node) {
  if (!node)
    return;

  join_warn_level(join, node);
  for (const join_child *child = node->children; child; child = child->next)
    join_warn_partial_denies(join, child->node);
  join_warn_partial_denies(join, node->items);
  join_warn_partial_denies(join, node->values);
}
