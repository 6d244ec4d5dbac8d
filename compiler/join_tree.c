/*
 * Building the restriction tree of one type block: each rule path is
 * followed through the provider schema (properties, array items, map
 * values, $refs into definitions), checking names against the snapshot.
 */
#include <stdio.h>
#include <string.h>

#include "join.h"
#include "provider.h"
#include "suggest.h"

static diag_sink *join_diags(join_ctx *join) {
  return &join->compile->diags;
}

static join_node *join_node_new(join_ctx *join, json_t *raw, const char *pointer) {
  join_node *node = arena_alloc(&join->compile->arena, sizeof *node);
  node->raw = raw;
  node->schema = provider_resolve(join->root, raw);
  node->pointer = pointer;
  return node;
}

static int join_is_object(join_ctx *join, const join_node *level) {
  return level->schema && (provider_types(join->root, level->schema) & PROVIDER_OBJECT) &&
         !json_object_get(level->schema, "patternProperties") &&
         (json_object_get(level->schema, "properties") || json_object_get(level->schema, "oneOf") ||
          json_object_get(level->schema, "anyOf") || json_object_get(level->schema, "allOf"));
}

static const char *join_type_words(join_ctx *join, json_t *schema) {
  int types = provider_types(join->root, schema);
  if (types & PROVIDER_ARRAY)
    return "an array";
  if (types & PROVIDER_OBJECT)
    return "a map or free-form object";
  if (types & PROVIDER_STRING)
    return "a string";
  if (types & PROVIDER_NUMBER)
    return "a number";
  if (types & PROVIDER_BOOLEAN)
    return "a boolean";
  return "not an object";
}

typedef struct join_suggest_data {
  suggest s;
} join_suggest_data;

static void join_offer_name(void *data, const char *name, json_t *schema) {
  suggest_offer(&((join_suggest_data *)data)->s, name);
}

static void join_unknown_property(join_ctx *join, join_node *level, const ast_segment *segment) {
  join_suggest_data data;
  suggest_init(&data.s, segment->name.text);
  provider_each_property(join->root, level->schema, join_offer_name, &data);
  char hint[512];
  suggest_format(&data.s, hint, sizeof hint);
  if (level->path && level->path[0])
    diag_report(join_diags(join), DIAG_ERROR, DIAG_UNKNOWN_PROPERTY, segment->name.span,
                "unknown property '%s' in '%s' of %s%s", segment->name.text, level->path,
                join->decl->name.text, hint);
  else
    diag_report(join_diags(join), DIAG_ERROR, DIAG_UNKNOWN_PROPERTY, segment->name.span,
                "unknown property '%s' in %s%s", segment->name.text, join->decl->name.text, hint);
}

static join_node *join_child_node(join_ctx *join, join_node *level, const char *name, json_t *raw) {
  join_child *child = level->children;
  while (child && strcmp(child->name, name) != 0)
    child = child->next;
  if (child)
    return child->node;

  child = arena_alloc(&join->compile->arena, sizeof *child);
  child->name = name;
  child->node =
      join_node_new(join, raw, arena_printf(&join->compile->arena, "%s/%s", level->pointer, name));
  child->node->is_property = 1;
  child->node->path =
      *level->path ? arena_printf(&join->compile->arena, "%s.%s", level->path, name) : name;
  child->next = level->children;
  level->children = child;
  return child->node;
}

/* Moves from a property node to its array items or map values. */
static join_node *join_descend(join_ctx *join, join_node *node, const ast_segment *segment) {
  json_t *schema = node->schema;
  if (segment->kind == AST_SEGMENT_ITEMS) {
    json_t *items = json_object_get(schema, "items");
    if (!json_is_object(items) && (provider_types(join->root, schema) & PROVIDER_ARRAY)) {
      diag_report(join_diags(join), DIAG_ERROR, DIAG_NOT_AN_ARRAY, segment->span,
                  "'%s[]' needs one schema for the items, but '%s' defines its items %s, so "
                  "a rule cannot name them",
                  segment->name.text, segment->name.text,
                  json_is_array(items) ? "by position (a tuple)" : "in several branches");
      return NULL;
    }
    if (!json_is_object(items)) {
      diag_report(join_diags(join), DIAG_ERROR, DIAG_NOT_AN_ARRAY, segment->span,
                  "'%s[]' needs an array, but '%s' is %s", segment->name.text, segment->name.text,
                  join_type_words(join, schema));
      return NULL;
    }
    if (!node->items) {
      node->items =
          join_node_new(join, items, arena_printf(&join->compile->arena, "%s/*", node->pointer));
      node->items->path = arena_printf(&join->compile->arena, "%s[]", node->path);
    }
    return node->items;
  }

  json_t *patterns = json_object_get(schema, "patternProperties");
  const char *key;
  json_t *value = NULL;
  json_object_foreach(patterns, key, value)
    break;
  if (!value) {
    int types = provider_types(join->root, schema);
    int named = json_object_get(schema, "properties") != NULL;
    int is_array = !named && (types & PROVIDER_ARRAY);
    const char *kind = named ? "an object with named properties"
                       : !is_array && (types & PROVIDER_OBJECT)
                           ? "a free-form object without patternProperties"
                           : join_type_words(join, schema);
    diag_report(join_diags(join), DIAG_ERROR, DIAG_NOT_A_MAP, segment->span,
                "'%s{}' needs a map (an object with patternProperties), but '%s' is %s: %s '%s%s'",
                segment->name.text, segment->name.text, kind,
                is_array ? "reach its items with" : "allow it whole with", segment->name.text,
                is_array ? "[]" : "");
    return NULL;
  }
  if (!node->values) {
    node->values =
        join_node_new(join, value, arena_printf(&join->compile->arena, "%s/*", node->pointer));
    node->values->path = arena_printf(&join->compile->arena, "%s{}", node->path);
  }
  return node->values;
}

/* Writes a hint for `A.B` where A is an array of objects: " (did you mean
 * 'A[].B'?)" with the closest property name of the items, or a reminder of
 * the `[]` syntax when no name is close. */
static void join_items_hint(join_ctx *join, const join_node *level, const ast_segment *segment,
                            const ast_segment *parent, char *hint, size_t size) {
  json_t *items = provider_resolve(join->root, json_object_get(level->schema, "items"));
  if (!json_is_object(items) || !json_object_get(items, "properties"))
    return;

  join_suggest_data data;
  suggest_init(&data.s, segment->name.text);
  provider_each_property(join->root, items, join_offer_name, &data);
  if (data.s.count)
    snprintf(hint, size, " (did you mean '%s[].%s'?)", parent->name.text, data.s.best[0]);
  else
    snprintf(hint, size, " (a property of its items is written '%s[].NAME')", parent->name.text);
}

/* Writes the same hint for `A.B` where A is a map whose values are objects:
 * " (did you mean 'A{}.B'?)" with the closest property name of the values
 * of any of its patternProperties, or a reminder of the `{}` syntax. */
static void join_map_hint(join_ctx *join, const join_node *level, const ast_segment *segment,
                          const ast_segment *parent, char *hint, size_t size) {
  json_t *patterns = json_object_get(level->schema, "patternProperties");
  if (parent->kind != AST_SEGMENT_NAME || !json_is_object(patterns))
    return;

  join_suggest_data data;
  int has_properties = 0;
  suggest_init(&data.s, segment->name.text);
  const char *key;
  json_t *value;
  json_object_foreach(patterns, key, value) {
    json_t *values = provider_resolve(join->root, value);
    if (!json_is_object(values) || !json_object_get(values, "properties"))
      continue;
    has_properties = 1;
    provider_each_property(join->root, values, join_offer_name, &data);
  }
  if (!has_properties)
    return;
  if (data.s.count)
    snprintf(hint, size, " (did you mean '%s{}.%s'?)", parent->name.text, data.s.best[0]);
  else
    snprintf(hint, size, " (a property of its values is written '%s{}.NAME')", parent->name.text);
}

static int join_check_level(join_ctx *join, join_node *level, const ast_segment *segment,
                            const ast_segment *parent) {
  if (join_is_object(join, level))
    return 1;
  if (!level->schema) {
    diag_report(join_diags(join), DIAG_ERROR, DIAG_NOT_AN_OBJECT, segment->span,
                "'%s' has no content to restrict (its $ref chain is a cycle)",
                parent ? parent->name.text : join->decl->name.text);
    return 0;
  }
  char hint[600] = "";
  if (parent)
    join_items_hint(join, level, segment, parent, hint, sizeof hint);
  if (parent && !hint[0])
    join_map_hint(join, level, segment, parent, hint, sizeof hint);
  const char *element_of = "";
  if (parent && parent->kind == AST_SEGMENT_MAP)
    element_of = "each value of ";
  else if (parent && parent->kind == AST_SEGMENT_ITEMS)
    element_of = "each item of ";
  diag_report(join_diags(join), DIAG_ERROR, DIAG_NOT_AN_OBJECT, segment->span,
              "'%s' has no properties to list because %s'%s' is %s%s", segment->name.text, element_of,
              parent ? parent->name.text : join->decl->name.text,
              join_type_words(join, level->schema), hint);
  return 0;
}

static void join_add_constraints(join_ctx *join, join_constraint **list, const ast_constraint *c,
                                 const ast_rule *rule, const ast_constraint *use, int depth);

static join_node *join_star(join_ctx *join, join_node *level, const ast_rule *rule,
                            const ast_segment *segment) {
  if (segment->next || rule->deny || rule->has_block) {
    diag_report(join_diags(join), DIAG_ERROR, DIAG_SYNTAX, segment->span,
                "'*' must end the path of a rule without 'deny' or a block");
    return NULL;
  }
  if (!level->restricted)
    level->restricted_by = rule;
  level->restricted = 1;
  level->star = rule;
  level->star_allows_all |= rule->constraints == NULL;
  level->rule = rule;
  join_add_constraints(join, &level->star_constraints, rule->constraints, rule, NULL, 0);
  for (const ast_constraint *c = rule->constraints; c; c = c->next)
    if (c->kind == AST_REQUIRED)
      diag_report(join_diags(join), DIAG_ERROR, DIAG_WRONG_KIND, c->span,
                  "'*' cannot be required: list the required properties by name");
  return NULL;
}

/* Warns that rule has no effect, because deny removes the property name,
 * which the rule names or passes through. */
static void join_warn_dead_rule(join_ctx *join, const ast_rule *rule, const ast_rule *deny,
                                const char *name) {
  const src_file *file = &join->compile->sources.files[deny->span.file];
  uint32_t line, column;

  /* A 'required' on it is reported as unsatisfiable instead. */
  for (const ast_constraint *c = rule->constraints; c; c = c->next)
    if (c->kind == AST_REQUIRED)
      return;
  src_position(file, deny->span.start, &line, &column);
  diag_report(join_diags(join), DIAG_WARNING, DIAG_DEAD_RULE, rule->span,
              "this rule has no effect: 'deny' at %s:%u:%u removes '%s'", file->path, line,
              column, name);
}

/* Follows one NAME, NAME[] or NAME{} segment from an object level. */
static join_node *join_segment(join_ctx *join, join_node *level, const ast_rule *rule,
                               const ast_segment *segment) {
  json_t *raw = provider_property(join->root, level->schema, segment->name.text);
  if (!raw) {
    join_unknown_property(join, level, segment);
    return NULL;
  }

  const char *pointer =
      arena_printf(&join->compile->arena, "%s/%s", level->pointer, segment->name.text);
  if (provider_is_read_only(join->root, pointer)) {
    diag_report(join_diags(join), DIAG_ERROR, DIAG_READ_ONLY_PROPERTY, segment->name.span,
                "'%s' is read-only in %s: a template cannot set it", segment->name.text,
                join->decl->name.text);
    return NULL;
  }

  /* A deny path removes properties without listing the levels it passes
   * through, so those levels keep everything else. */
  join_node *child = join_child_node(join, level, segment->name.text, raw);
  if (child->denied && child->denied_by != rule)
    join_warn_dead_rule(join, rule, child->denied_by, segment->name.text);
  if (rule->deny) {
    level->deny_rule = rule;
    child->deny_rule = rule;
  } else {
    if (!level->restricted)
      level->restricted_by = rule;
    level->restricted = 1;
    child->listed = 1;
    if (!child->listed_by)
      child->listed_by = rule;
  }
  if (segment->kind == AST_SEGMENT_NAME)
    return child;

  join_node *inner = join_descend(join, child, segment);
  if (inner && rule->deny)
    inner->deny_rule = rule;
  return inner;
}

/* Follows a rule's path from level; returns the node the rule's
 * constraints and block apply to, or NULL (also for '*' and deny). */
static join_node *join_path(join_ctx *join, join_node *level, const ast_rule *rule) {
  size_t segments = 0;
  for (const ast_segment *segment = rule->path; segment; segment = segment->next)
    segments++;
  if (segments > DSL_MAX_PATH_SEGMENTS) {
    diag_report(join_diags(join), DIAG_ERROR, DIAG_LIMIT, rule->span,
                "too many path segments (limit is %d)", DSL_MAX_PATH_SEGMENTS);
    return NULL;
  }

  const ast_segment *parent = NULL;
  for (const ast_segment *segment = rule->path; segment; segment = segment->next) {
    if (!join_check_level(join, level, segment, parent))
      return NULL;
    if (segment->kind == AST_SEGMENT_STAR)
      return join_star(join, level, rule, segment);

    join_node *next = join_segment(join, level, rule, segment);
    if (!next)
      return NULL;
    if (rule->deny && !segment->next) {
      if (segment->kind != AST_SEGMENT_NAME) {
        diag_report(join_diags(join), DIAG_ERROR, DIAG_SYNTAX, segment->span,
                    "'deny' removes a property: end the path with a property name, not '%s'",
                    segment->kind == AST_SEGMENT_ITEMS ? "[]" : "{}");
        return NULL;
      }
      if (next->listed_by && next->listed_by != rule)
        join_warn_dead_rule(join, next->listed_by, rule, segment->name.text);
      next->denied = 1;
      next->denied_by = rule;
      return NULL;
    }
    level = next;
    parent = segment;
  }
  return level;
}

/* Writes the cycle that a reference to name closes, from the expansion that
 * name started: "'A' refers to 'B', which refers to 'A'", or "'A' refers to
 * itself". */
static void join_describe_let_cycle(const join_ctx *join, const char *name, char *out,
                                    size_t size) {
  int start = join->let_depth - 1;
  while (start > 0 && strcmp(join->let_chain[start], name) != 0)
    start--;
  if (start == join->let_depth - 1) {
    snprintf(out, size, "'%s' refers to itself", name);
    return;
  }

  size_t used = (size_t)snprintf(out, size, "'%s' refers to '%s'", join->let_chain[start],
                                 join->let_chain[start + 1]);
  for (int i = start + 2; i < join->let_depth && used < size; i++)
    used += (size_t)snprintf(out + used, size - used, ", which refers to '%s'",
                             join->let_chain[i]);
  if (used < size)
    used += (size_t)snprintf(out + used, size - used, ", which refers to '%s'", name);
  if (used >= size && size > 4)
    memcpy(out + size - 4, "...", 4); /* cut: end with an ellipsis */
}

static void join_add_let(join_ctx *join, join_constraint **list, const ast_constraint *c,
                         const ast_rule *rule, const ast_constraint *use, int depth) {
  compile_let *let = (compile_let *)compile_find_let(join->compile, c->name.text);
  if (!let) {
    suggest s;
    suggest_init(&s, c->name.text);
    for (size_t i = 0; i < join->compile->let_count; i++)
      suggest_offer(&s, join->compile->lets[i].decl->name.text);
    suggest_keywords(&s);
    char hint[512];
    suggest_format(&s, hint, sizeof hint);
    diag_report(join_diags(join), DIAG_ERROR, DIAG_UNKNOWN_LET, c->span,
                "unknown constraint or let name '%s'%s", c->name.text, hint);
    return;
  }
  /* The syntax error in its definition is reported already. */
  if (let->decl->invalid)
    return;
  if (let->expanding) {
    char chain[900]; /* within the 1024 bytes of a diagnostic, with its prefix */
    join_describe_let_cycle(join, c->name.text, chain, sizeof chain);
    diag_report(join_diags(join), DIAG_ERROR, DIAG_LET_CYCLE, c->span, "let cycle: %s", chain);
    return;
  }
  if (depth >= DSL_MAX_BLOCK_DEPTH) {
    diag_report(join_diags(join), DIAG_ERROR, DIAG_LIMIT, c->span,
                "too many nested let references (limit is %d)", DSL_MAX_BLOCK_DEPTH);
    return;
  }

  let->expanding = 1;
  let->used = 1;
  join->let_chain[join->let_depth++] = let->decl->name.text;
  join_add_constraints(join, list, let->decl->constraints, rule, use ? use : c, depth + 1);
  join->let_depth--;
  let->expanding = 0;
}

/* Returns the names of the lets being expanded between the outermost one
 * and the innermost one, as "'a'" or "'a' and 'b'", or NULL when there are
 * none. */
static const char *join_describe_let_path(join_ctx *join) {
  if (join->let_depth < 2)
    return NULL;

  const char *path = arena_printf(&join->compile->arena, "'%s'", join->let_chain[0]);
  for (int i = 1; i + 1 < join->let_depth; i++)
    path = arena_printf(&join->compile->arena, "%s%s'%s'", path,
                        i + 2 == join->let_depth ? " and " : ", ", join->let_chain[i]);
  return path;
}

/* Appends the constraints of a rule to list, expanding let references.
 * `use` is the outermost let reference in the rule that led to c, NULL for
 * constraints written in the rule itself. */
static void join_add_constraints(join_ctx *join, join_constraint **list, const ast_constraint *c,
                                 const ast_rule *rule, const ast_constraint *use, int depth) {
  for (; c; c = c->next) {
    if (c->kind == AST_LET_REF) {
      join_add_let(join, list, c, rule, use, depth);
      continue;
    }
    join_constraint *item = arena_alloc(&join->compile->arena, sizeof *item);
    item->constraint = c;
    item->rule = rule;
    item->use = use;
    item->let_name = join->let_depth ? join->let_chain[join->let_depth - 1] : NULL;
    item->let_through = join_describe_let_path(join);
    while (*list)
      list = &(*list)->next;
    *list = item;
  }
}

static void join_rules(join_ctx *join, join_node *level, const ast_rule *rules, int depth);

static void join_rule(join_ctx *join, join_node *level, const ast_rule *rule, int depth) {
  join_node *target = join_path(join, level, rule);
  if (!target)
    return;

  target->rule = rule;
  join_add_constraints(join, &target->constraints, rule->constraints, rule, NULL, 0);
  for (join_constraint *c = target->constraints; c; c = c->next)
    if (c->rule == rule && c->constraint->kind == AST_REQUIRED && !target->is_property)
      diag_report(join_diags(join), DIAG_ERROR, DIAG_WRONG_KIND, c->constraint->span,
                  "'required' applies to a property, not to array items or map values");

  if (rule->has_block) {
    if (!target->restricted)
      target->restricted_by = rule;
    target->restricted = 1;
    join_rules(join, target, rule->block, depth + 1);
  }
}

static void join_rules(join_ctx *join, join_node *level, const ast_rule *rules, int depth) {
  if (depth >= DSL_MAX_BLOCK_DEPTH) {
    if (rules)
      diag_report(join_diags(join), DIAG_ERROR, DIAG_LIMIT, rules->span,
                  "too many nested blocks (limit is %d)", DSL_MAX_BLOCK_DEPTH);
    return;
  }
  if (rules && !join_is_object(join, level)) {
    diag_report(join_diags(join), DIAG_ERROR, DIAG_NOT_AN_OBJECT, rules->span,
                "a block needs an object with properties, but this value is %s",
                level->schema ? join_type_words(join, level->schema) : "empty ($ref cycle)");
    return;
  }
  for (const ast_rule *rule = rules; rule; rule = rule->next)
    join_rule(join, level, rule, depth);
}

join_node *join_build(join_ctx *join, const ast_rule *rules) {
  join_node *root = join_node_new(join, join->root, "/properties");
  root->path = "";
  root->restricted = 1;
  join_rules(join, root, rules, 0);
  return root;
}
