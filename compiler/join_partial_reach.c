/*
 * A deny or a constraint narrows a property at one path. When the level it
 * applies to is a provider definition that the template also keeps whole at
 * other paths (a recursive definition such as a WAF statement inside a
 * NotStatement), the property stays allowed there as the provider defines
 * it. The compiler warns: such a rule reads as if it held at every depth.
 */
#include <stdlib.h>
#include <string.h>

#include "join.h"
#include "provider.h"

/* Rules already warned about, so a rule below several such levels gets one
 * warning, at the outermost. */
typedef struct reach_seen {
  const ast_rule **rules;
  size_t count, capacity;
} reach_seen;

static int reach_seen_add(reach_seen *seen, const ast_rule *rule) {
  for (size_t i = 0; i < seen->count; i++)
    if (seen->rules[i] == rule)
      return 0;
  seen->rules = compile_grow(seen->rules, &seen->capacity, seen->count, sizeof seen->rules[0]);
  seen->rules[seen->count++] = rule;
  return 1;
}

/* Writes into name the definition that raw is a $ref to and returns 1, or
 * returns 0 when raw is no such $ref. */
static int join_definition_of(json_t *raw, char *name, size_t size) {
  const char *ref = json_string_value(json_object_get(raw, "$ref"));
  return ref && provider_definition_name(ref, name, size);
}

/* Returns the first rule that makes node's subtree narrower than the
 * provider's: a constraint, a deny, a '*' with constraints, or a list of
 * properties without '*'. Returns NULL when the subtree is kept whole. */
static const ast_rule *join_narrowing_rule(const join_node *node) {
  if (!node)
    return NULL;
  if (node->constraints)
    return node->rule;
  if (node->denied)
    return node->denied_by;
  if (node->star_constraints)
    return node->star;
  if (node->restricted && !node->star_allows_all)
    return node->restricted_by;

  for (const join_child *child = node->children; child; child = child->next) {
    const ast_rule *rule = join_narrowing_rule(child->node);
    if (rule)
      return rule;
  }
  const ast_rule *rule = join_narrowing_rule(node->items);
  return rule ? rule : join_narrowing_rule(node->values);
}

static void join_warn_child(join_ctx *join, const join_node *level, const char *definition,
                            const join_child *child, reach_seen *seen) {
  const join_node *node = child->node;
  const char *where = level->path[0] ? level->path : "the top level";

  if (node->denied) {
    if (reach_seen_add(seen, node->denied_by))
      diag_report(&join->compile->diags, DIAG_WARNING, DIAG_DENY_PARTIAL, node->denied_by->span,
                  "this deny removes '%s' at %s only: the definition '%s' is also allowed whole "
                  "at other paths (through other properties that refer to it), where '%s' stays "
                  "allowed; deny or restrict those properties too",
                  child->name, where, definition, child->name);
    return;
  }

  const ast_rule *rule = join_narrowing_rule(node);
  if (rule && reach_seen_add(seen, rule))
    diag_report(&join->compile->diags, DIAG_WARNING, DIAG_RESTRICT_PARTIAL, rule->span,
                "this rule restricts '%s' at %s only: the definition '%s' is also allowed whole "
                "at other paths (through other properties that refer to it), where '%s' stays "
                "unrestricted; deny or restrict those properties too",
                child->name, where, definition, child->name);
}

static void join_warn_level(join_ctx *join, const join_node *level, reach_seen *seen) {
  char definition[PROVIDER_MAX_TOKEN];
  if (!join_definition_of(level->raw, definition, sizeof definition) ||
      !json_object_get(join->definitions, definition))
    return;

  for (const join_child *child = level->children; child; child = child->next)
    join_warn_child(join, level, definition, child, seen);
}

static void join_warn_tree(join_ctx *join, const join_node *node, reach_seen *seen) {
  if (!node)
    return;

  join_warn_level(join, node, seen);
  for (const join_child *child = node->children; child; child = child->next)
    join_warn_tree(join, child->node, seen);
  join_warn_tree(join, node->items, seen);
  join_warn_tree(join, node->values, seen);
}

void join_warn_partial_rules(join_ctx *join, const join_node *node) {
  reach_seen seen = {NULL, 0, 0};
  join_warn_tree(join, node, &seen);
  free(seen.rules);
}
