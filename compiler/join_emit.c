/*
 * Emitting the restricted template of one type from its restriction tree.
 * A restricted object level keeps only the allowed properties: the listed
 * ones, or every writable one under '*', minus those denied. A node with
 * items or values rules is rebuilt around them. Other nodes are copied whole.
 */
#include <string.h>

#include "join.h"
#include "provider.h"

static const char *const join_object_keywords[] = {
    "properties", "patternProperties", "additionalProperties", "required", "allOf", "anyOf",
    "oneOf",
};

static join_node *join_find_child(join_node *level, const char *name) {
  for (join_child *child = level->children; child; child = child->next)
    if (strcmp(child->name, name) == 0)
      return child->node;
  return NULL;
}

static int join_lists_children(const join_node *level) {
  for (const join_child *child = level->children; child; child = child->next)
    if (child->node->listed)
      return 1;
  return 0;
}

/* Returns 1 when a level allows every writable property not denied: it has
 * '*', or only deny rules pass through it. `A.* CONSTRAINTS` constrains the
 * children that other rules allow, so beside `A { X }` it allows X alone;
 * only without such rules does it allow every child. */
static int join_allows_all(const join_node *level) {
  if (level->star)
    return level->star_allows_all || !join_lists_children(level);
  return !level->restricted && level->deny_rule;
}

/* Returns 1 when the policy allows property `name` at a restricted level. */
static int join_allowed(join_ctx *join, join_node *level, const char *name) {
  join_node *child = join_find_child(level, name);
  if (child && child->denied)
    return 0;
  if (child && child->listed)
    return 1;
  if (!join_allows_all(level))
    return 0;
  const char *pointer = arena_printf(&join->compile->arena, "%s/%s", level->pointer, name);
  return !provider_is_read_only(join->root, pointer);
}

static void join_warn_denied_unlisted(join_ctx *join, join_node *level) {
  if (join_allows_all(level))
    return;
  for (join_child *child = level->children; child; child = child->next) {
    const ast_rule *rule = child->node->deny_rule;
    if (child->node->listed || !rule)
      continue;
    const char *text = join->compile->sources.files[rule->span.file].text + rule->span.start;
    diag_report(&join->compile->diags, DIAG_WARNING, DIAG_DENY_UNLISTED, rule->span,
                "'deny %.*s' has no effect: only listed properties are allowed here, and '%s' is "
                "not listed",
                (int)(rule->span.end - rule->span.start), text, child->name);
  }
}

static const char *join_constraint_target(const join_node *node, const char *pointer);

/* Returns 1 when the policy restricts a child no deeper than its value. */
static int join_is_leaf(const join_node *child) {
  return !child || (!child->restricted && !child->items && !child->values && !child->deny_rule);
}

/* Records the rule that lists a node on the node. A rule whose only
 * constraint is required keeps its because for the missing-property
 * finding of the parent's required branch: it does not explain the
 * provider's constraints on the value. */
static void join_record_node_rule(join_ctx *join, json_t *out, const ast_rule *rule,
                                  json_t *original) {
  int only_required = rule->constraints != NULL;
  for (const ast_constraint *c = rule->constraints; c; c = c->next)
    only_required &= c->kind == AST_REQUIRED;
  if (!only_required || !rule->has_because) {
    join_record_rule_keywords(join, out, rule, original);
    return;
  }

  ast_rule plain = *rule;
  plain.has_because = 0;
  join_record_rule_keywords(join, out, &plain, original);
}

/* Emits only the policy's side of a property that the level's branches
 * define differently: its constraints, checked against original (what the
 * branches accept together), and its rule. */
static json_t *join_emit_policy_only(join_ctx *join, join_node *child, json_t *original,
                                     const char *pointer) {
  json_t *out = json_object();
  if (!child)
    return out;

  if (child->constraints)
    out = join_apply_constraints(join, out, original, child->constraints,
                                 join_constraint_target(child, pointer), child->rule);
  if (child->rule)
    join_record_node_rule(join, out, child->rule, NULL);
  return out;
}

/* Emits a property of a restricted level, or of one of its combinator
 * branches (in_branch). A property that the branches define differently
 * keeps the policy's constraints at the level and each branch's own
 * definition in that branch.
 * NOTE: a restricted object, array or map defined differently by two
 * branches is still built from the first branch's definition. */
static json_t *join_emit_property(join_ctx *join, join_node *level, const char *name, json_t *raw,
                                  int in_branch) {
  join_node *child = join_find_child(level, name);
  const char *pointer = arena_printf(&join->compile->arena, "%s/%s", level->pointer, name);
  const char *read_only = provider_has_read_only_below(join->root, pointer) ? pointer : NULL;
  int varies = join_is_leaf(child) && join_definitions_vary(join, level->schema, name);
  if (varies && in_branch)
    return join_emit_whole(join, raw, read_only);

  json_t *original = varies ? join_merge_definitions(join, level->schema, name)
                            : json_incref(provider_resolve(join->root, raw));
  json_t *out;
  if (varies)
    out = join_emit_policy_only(join, child, original, pointer);
  else
    out = child ? join_emit(join, child, raw, pointer) : join_emit_whole(join, raw, read_only);
  if (!level->star_constraints || (child && child->denied)) {
    json_decref(original);
    return out;
  }

  /* A child with a rule of its own keeps its record, and the '*' rule's
   * constraints go into a branch that records the '*' rule. */
  const ast_rule *node_rule = child && child->rule ? child->rule : level->star;
  json_t *before = json_deep_copy(out);
  out = join_apply_constraints(join, out, original, level->star_constraints, name, node_rule);
  if (node_rule == level->star)
    join_record_rule_keywords(join, out, level->star, before);
  json_decref(before);
  json_decref(original);
  return out;
}

typedef struct join_level_data {
  join_ctx *join;
  join_node *level;
  json_t *properties;
} join_level_data;

/* Returns the schema of a denied property: it rejects every value, like
 * leaving the property out, but records the deny rule so that a finding
 * names that rule instead of the level's.
 * NOTE: the runtime words this finding "value matches the schema of not". */
static json_t *join_emit_denied(join_ctx *join, const join_node *child) {
  json_t *out = json_pack("{s:{}}", "not");
  join_record_rule(join, out, child->denied_by);
  return out;
}

/* Returns 1 when properties allows name: it is listed and not denied. */
static int join_present(json_t *properties, const char *name) {
  json_t *schema = json_object_get(properties, name);
  json_t *negated = json_object_get(schema, "not");
  return schema && !(json_is_object(negated) && json_object_size(negated) == 0);
}

static void join_emit_one(void *data, const char *name, json_t *raw) {
  join_level_data *d = data;
  join_node *child = join_find_child(d->level, name);
  if (child && child->denied)
    json_object_set_new(d->properties, name, join_emit_denied(d->join, child));
  else if (join_allowed(d->join, d->level, name))
    json_object_set_new(d->properties, name, join_emit_property(d->join, d->level, name, raw, 0));
}

/* Returns the first 'required' constraint of a child, or NULL. */
static const join_constraint *join_policy_required(const join_node *child) {
  for (const join_constraint *c = child ? child->constraints : NULL; c; c = c->next)
    if (c->constraint->kind == AST_REQUIRED)
      return c;
  return NULL;
}

/* Returns the DSL path of a level for messages, or the type name at the
 * root. */
static const char *join_level_name(join_ctx *join, const join_node *level) {
  if (!level->path || !*level->path)
    return join->decl->name.text;
  return arena_printf(&join->compile->arena, "'%s' of %s", level->path, join->decl->name.text);
}

/* Returns where a level's unsatisfiable warning points: the rule that made
 * the level list its properties, else the level's rule, else the type name
 * (whose block lists the top level). */
static src_span join_level_span(join_ctx *join, const join_node *level) {
  if (level->restricted_by)
    return level->restricted_by->span;
  return level->rule ? level->rule->span : join->decl->name.span;
}

/* Warns that the provider requires name at level but the policy leaves it
 * out, at the deny rule that removes it or else at the rule that made the
 * level list its properties. */
static void join_warn_unsatisfiable(join_ctx *join, join_node *level, const char *name) {
  join_node *child = join_find_child(level, name);
  src_span span = child && child->denied ? child->denied_by->span : join_level_span(join, level);
  const char *where = join_level_name(join, level);
  diag_report(&join->compile->diags, DIAG_WARNING, DIAG_UNSATISFIABLE, span,
              "the provider schema requires '%s' in %s, but the policy does not allow it, so no "
              "value is accepted there",
              name, where);
}

/* Returns the provider's required names of a level, warning about each one
 * the policy does not allow. */
static json_t *join_required(join_ctx *join, join_node *level, json_t *properties) {
  json_t *required = json_array();
  size_t i;
  json_t *name;
  json_array_foreach(json_object_get(level->schema, "required"), i, name) {
    if (!join_present(properties, json_string_value(name)))
      join_warn_unsatisfiable(join, level, json_string_value(name));
    json_array_append(required, name);
  }
  return required;
}

/* Warns about each allowed property whose provider `dependencies` require
 * a name that the policy does not allow: a value with the property fails. */
static void join_check_dependencies(join_ctx *join, join_node *level, json_t *properties) {
  const char *name;
  json_t *needed;
  json_object_foreach(json_object_get(level->schema, "dependencies"), name, needed) {
    if (!json_is_array(needed) || !join_present(properties, name))
      continue;
    size_t i;
    json_t *other;
    json_array_foreach(needed, i, other) {
      if (!json_is_string(other) || join_present(properties, json_string_value(other)))
        continue;
      join_node *child = join_find_child(level, name);
      src_span span = child && child->rule ? child->rule->span : join_level_span(join, level);
      diag_report(&join->compile->diags, DIAG_WARNING, DIAG_UNSATISFIABLE, span,
                  "the provider schema requires '%s' with '%s' in %s (dependencies), but the "
                  "policy does not allow it, so no value with '%s' is accepted",
                  json_string_value(other), name, join_level_name(join, level), name);
    }
  }
}

/* Warns that a property the policy requires is also denied, at the deny
 * rule, naming where the 'required' is written. */
static void join_warn_denied_required(join_ctx *join, join_node *level, const join_child *child,
                                      const join_constraint *required) {
  src_span at = join_constraint_span(required);
  const src_file *file = &join->compile->sources.files[at.file];
  uint32_t line, column;
  src_position(file, at.start, &line, &column);
  diag_report(&join->compile->diags, DIAG_WARNING, DIAG_UNSATISFIABLE,
              child->node->denied_by->span,
              "'deny' removes '%s', which 'required' at %s:%u:%u requires in %s, so no value is "
              "accepted there",
              child->name, file->path, line, column, join_level_name(join, level));
}

/* Removes name from the array of names required, when it is there. */
static void join_remove_name(json_t *required, const char *name) {
  for (size_t i = json_array_size(required); i-- > 0;)
    if (strcmp(json_string_value(json_array_get(required, i)), name) == 0)
      json_array_remove(required, i);
}

/* Adds an allOf branch {"required": [NAME], "x-cfgate-rule": ...} for each
 * child that the policy requires, so a missing property names the rule
 * that requires it and its because. A name the provider requires too
 * leaves the level's "required" for the branch. */
static void join_emit_policy_required(join_ctx *join, join_node *level, json_t *out,
                                      json_t *required) {
  for (join_child *child = level->children; child; child = child->next) {
    const join_constraint *constraint = join_policy_required(child->node);
    if (constraint && child->node->denied)
      join_warn_denied_required(join, level, child, constraint);
    if (!constraint)
      continue;
    join_remove_name(required, child->name);

    json_t *branch = json_pack("{s:[s]}", "required", child->name);
    join_record_rule(join, branch, constraint->rule);
    json_t *all = json_object_get(out, "allOf");
    if (!all) {
      all = json_array();
      json_object_set_new(out, "allOf", all);
    }
    json_array_append_new(all, branch);
  }
}

/* Copies schema whole except the listed keywords, which the caller rebuilds. */
static json_t *join_emit_without(join_ctx *join, json_t *schema, const char *const *skip,
                                 size_t skip_count, const char *pointer) {
  json_t *copy = json_copy(schema);
  for (size_t i = 0; i < skip_count; i++)
    json_object_del(copy, skip[i]);
  json_t *out = join_emit_whole(join, copy, pointer);
  json_decref(copy);
  return out;
}

static int join_branch_satisfiable(join_ctx *join, json_t *branch, json_t *properties) {
  size_t i;
  json_t *name;
  json_array_foreach(json_object_get(branch, "required"), i, name)
    if (!join_present(properties, json_string_value(name)))
      return 0;
  return 1;
}

/* Returns the constraints a branch puts on one of its properties besides
 * that property's structure (its own required, dependencies, ...), or NULL
 * when there are none. A property the policy restricts below its value is
 * emitted from the level's schema, so without these a branch's
 * {"required": [...]} on it would be lost.
 * NOTE: the branch's constraints on the property's own children (a pattern
 * two levels down) are not kept; no snapshot schema has that shape. */
static json_t *join_branch_extra(join_ctx *join, json_t *raw) {
  static const char *const structure[] = {"properties", "patternProperties",
                                          "additionalProperties", "description"};

  if (!json_is_object(raw) || json_object_get(raw, "$ref"))
    return NULL;
  json_t *extra = join_emit_without(join, raw, structure, 4, NULL);
  if (json_object_size(extra) == 0) {
    json_decref(extra);
    return NULL;
  }
  return extra;
}

static int join_name_listed(json_t *names, const char *name) {
  size_t i;
  json_t *item;
  json_array_foreach(names, i, item)
    if (json_is_string(item) && strcmp(json_string_value(item), name) == 0)
      return 1;
  return 0;
}

/* Returns 0 when no value can pass the branch. That is the case when the
 * branch requires names inside a property that the branch or the level
 * requires, and the policy restricts that property's children without
 * allowing one of the names. The branches of
 * AWS::BillingConductor::BillingGroup require names inside AccountGrouping
 * this way. */
static int join_branch_children_satisfiable(join_ctx *join, join_node *level, json_t *branch) {
  const char *name;
  json_t *raw;
  json_object_foreach(json_object_get(branch, "properties"), name, raw) {
    json_t *inner = json_object_get(provider_resolve(join->root, raw), "required");
    join_node *child = join_find_child(level, name);
    if (!json_array_size(inner) || !child || join_is_leaf(child) || child->denied)
      continue;
    if (!join_name_listed(json_object_get(branch, "required"), name) &&
        !join_name_listed(json_object_get(level->schema, "required"), name))
      continue;

    size_t i;
    json_t *required;
    json_array_foreach(inner, i, required)
      if (json_is_string(required) && !join_allowed(join, child, json_string_value(required)))
        return 0;
  }
  return 1;
}

static json_t *join_emit_branch(join_ctx *join, join_node *level, json_t *branch,
                                json_t *parent_properties) {
  static const char *const skip[] = {"properties", "additionalProperties"};
  json_t *out = join_emit_without(join, branch, skip, 2, NULL);
  json_t *branch_properties = json_object_get(branch, "properties");
  if (!branch_properties)
    return out;

  json_t *properties = json_object();
  const char *name;
  json_t *raw;
  json_object_foreach(branch_properties, name, raw) {
    if (!join_allowed(join, level, name))
      continue;
    json_t *emitted = join_emit_property(join, level, name, raw, 1);
    json_t *extra = join_is_leaf(join_find_child(level, name)) ? NULL : join_branch_extra(join, raw);
    if (extra)
      emitted = json_pack("{s:[o,o]}", "allOf", emitted, extra);
    json_object_set_new(properties, name, emitted);
  }
  if (!json_is_false(json_object_get(branch, "additionalProperties")))
    json_object_foreach(parent_properties, name, raw)
      if (!json_object_get(properties, name))
        json_object_set_new(properties, name, json_object());

  json_object_set_new(out, "properties", properties);
  json_object_set_new(out, "additionalProperties", json_false());
  return out;
}

static void join_warn_branches(join_ctx *join, join_node *level, const char *keyword,
                               const char *problem) {
  src_span span = join_level_span(join, level);
  const char *where = join_level_name(join, level);
  diag_report(&join->compile->diags, DIAG_WARNING, DIAG_UNSATISFIABLE, span,
              "%s '%s' branch of %s requires a property that the policy does not allow, so %s",
              strcmp(keyword, "allOf") == 0 ? "an" : "every", keyword, where, problem);
}

/* Emits the allowed part of each oneOf, anyOf or allOf branch. A oneOf or
 * anyOf branch that requires a disallowed property is dropped. */
static void join_emit_combinator(join_ctx *join, join_node *level, json_t *out, const char *keyword,
                                 json_t *properties) {
  json_t *branches = json_object_get(level->schema, keyword);
  if (!json_is_array(branches))
    return;

  int all_of = strcmp(keyword, "allOf") == 0;
  if (strcmp(keyword, "oneOf") == 0)
    join_check_one_of(join, level->schema);
  json_t *satisfiable = json_array();
  size_t i;
  json_t *raw;
  json_array_foreach(branches, i, raw) {
    json_t *branch = provider_resolve(join->root, raw);
    if (!branch) {
      /* A branch without content rejects everything: it can be left out of
       * oneOf and anyOf, but allOf must keep failing. */
      if (all_of)
        json_array_append_new(satisfiable, json_false());
      continue;
    }
    json_t *emitted = join_emit_branch(join, level, branch, properties);
    json_t *emitted_properties = json_object_get(emitted, "properties");
    int ok = join_branch_satisfiable(join, emitted,
                                     emitted_properties ? emitted_properties : properties) &&
             join_branch_children_satisfiable(join, level, branch);
    if (!ok && all_of)
      join_warn_branches(join, level, keyword, "no value is accepted there");
    if (ok || all_of)
      json_array_append_new(satisfiable, emitted);
    else
      json_decref(emitted);
  }

  if (json_array_size(satisfiable) == 0) {
    join_warn_branches(join, level, keyword, "no value is accepted there");
    json_object_set_new(out, "not", json_object());
    json_decref(satisfiable);
    return;
  }
  json_object_set_new(out, keyword, satisfiable);
}

static json_t *join_emit_object(join_ctx *join, join_node *level, const char *pointer) {
  json_t *out =
      join_emit_without(join, level->schema, join_object_keywords,
                        sizeof join_object_keywords / sizeof join_object_keywords[0], NULL);
  json_object_set_new(out, "type", json_string("object"));

  join_warn_denied_unlisted(join, level);
  json_t *properties = json_object();
  join_level_data data = {join, level, properties};
  provider_each_property(join->root, level->schema, join_emit_one, &data);
  json_object_set_new(out, "properties", properties);
  json_object_set_new(out, "additionalProperties", json_false());

  json_t *required = join_required(join, level, properties);
  join_check_dependencies(join, level, properties);
  static const char *const combinators[] = {"allOf", "anyOf", "oneOf"};
  for (size_t c = 0; c < 3; c++)
    join_emit_combinator(join, level, out, combinators[c], properties);

  join_emit_policy_required(join, level, out, required);
  if (json_array_size(required))
    json_object_set_new(out, "required", required);
  else
    json_decref(required);
  return out;
}

/* Rebuilds an array around its restricted items, or a map around its
 * restricted values. A rule on the items or values checks nothing in the
 * property's other forms, so a union or untyped property is narrowed to an
 * array or an object, and a map is closed to keys that match no pattern. */
static json_t *join_emit_container(join_ctx *join, join_node *node, const char *pointer) {
  static const char *const skip_items[] = {"items"};
  static const char *const skip_values[] = {"patternProperties", "additionalProperties"};
  int types = provider_types(join->root, node->schema);
  json_t *out = node->items ? join_emit_without(join, node->schema, skip_items, 1, pointer)
                            : join_emit_without(join, node->schema, skip_values, 2, pointer);
  if (node->items) {
    json_object_set_new(out, "items",
                        join_emit(join, node->items, node->items->raw, node->items->pointer));
    join_narrow_type(out, node->schema, types, PROVIDER_ARRAY);
    if (!json_object_get(out, "type"))
      json_object_set_new(out, "type", json_string("array"));
    return out;
  }

  json_t *patterns = json_object();
  const char *key;
  json_t *raw;
  json_object_foreach(json_object_get(node->schema, "patternProperties"), key, raw)
    json_object_set_new(patterns, key, join_emit(join, node->values, raw, node->values->pointer));
  json_object_set_new(out, "patternProperties", patterns);
  json_object_set_new(out, "additionalProperties", json_false());
  join_narrow_type(out, node->schema, types, PROVIDER_OBJECT);
  if (!json_object_get(out, "type")) /* untyped: a string would skip the patterns */
    json_object_set_new(out, "type", json_string("object"));
  return out;
}

/* Returns the name that constraint messages use for a node: its pointer,
 * whose last segment names a property, or the DSL path ("Tags[]") for
 * array items and map values, whose pointer ends in "*". */
static const char *join_constraint_target(const join_node *node, const char *pointer) {
  size_t len = strlen(pointer);
  int wildcard = len >= 2 && strcmp(pointer + len - 2, "/*") == 0;
  return wildcard && node->path && *node->path ? node->path : pointer;
}

json_t *join_emit(join_ctx *join, join_node *node, json_t *raw, const char *pointer) {
  /* A deny path makes an object level keep every writable property except
   * the denied ones. Array and map nodes pass the deny on to their items or
   * values. */
  int object = node->restricted || (node->deny_rule && !node->items && !node->values);
  if (!object && !node->items && !node->values) {
    json_t *whole = join_emit_whole(
        join, raw, provider_has_read_only_below(join->root, pointer) ? pointer : NULL);
    json_t *before = json_deep_copy(whole);
    if (node->constraints)
      whole = join_apply_constraints(join, whole, node->schema, node->constraints,
                                     join_constraint_target(node, pointer), node->rule);
    if (node->rule)
      join_record_node_rule(join, whole, node->rule, before);
    json_decref(before);
    return whole;
  }
  if (!node->schema)
    return json_false();

  json_t *out =
      object ? join_emit_object(join, node, pointer) : join_emit_container(join, node, pointer);
  json_t *before = json_deep_copy(out);
  if (node->constraints)
    out = join_apply_constraints(join, out, node->schema, node->constraints,
                                 join_constraint_target(node, pointer), node->rule);
  if (node->rule)
    join_record_node_rule(join, out, node->rule, before);
  json_decref(before);
  return out;
}
