/*
 * Compares the alternatives of two node lists (template_widen_internal.h):
 * anyOf, oneOf and the then and else that an if selects. The groups of
 * the old list are paired in order with the groups of the new one that
 * have the same keyword, and the branches of a pair are compared by
 * position: branch i of the old template with branch i of the new one.
 * When every new branch admits no more than its old branch, the group
 * admits no more either, so each branch is compared as a path of its own
 * and its findings name the branch. A change the comparison cannot follow
 * branch by branch is listed as one finding: a group that is gone, another
 * number of branches, a changed if.
 *
 * A oneOf rejects a value that matches two of its branches, so a narrower
 * branch can let such a value pass through the other one. A oneOf branch
 * is therefore also compared the other way round (a probe), and a branch
 * that rejects what its old version admitted is listed too. The probe is
 * skipped when no value matches two old branches, because their types
 * differ or one requires a property that the other rejects.
 */
#define _GNU_SOURCE /* asprintf */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dsl_limits.h"
#include "template_widen_internal.h"

/* The anyOf or oneOf of a node, or its then and else ("if"). */
typedef struct widen_group {
  const char *keyword; /* "anyOf", "oneOf" or "if" */
  const json_t *node;
} widen_group;

typedef struct widen_groups {
  widen_group *items;
  size_t count, capacity;
} widen_groups;

static void widen_groups_add(widen_groups *groups, const char *keyword, const json_t *node) {
  if (groups->count == groups->capacity) {
    groups->capacity = groups->capacity ? 2 * groups->capacity : 4;
    groups->items = realloc(groups->items, groups->capacity * sizeof groups->items[0]);
    if (!groups->items)
      abort();
  }
  groups->items[groups->count++] = (widen_group){keyword, node};
}

/* Collects the groups of the nodes of list in their order. A then or else
 * without an if has no effect, and neither does an if without them, but
 * with bare_if such an if is collected too. A new template whose if lost
 * its then and else is then paired with the old if/then/else, so each
 * removed branch is named. */
static void widen_collect_groups(const node_list *list, int bare_if, widen_groups *groups) {
  for (size_t i = 0; i < list->count; i++) {
    const json_t *node = list->nodes[i];
    if (json_is_array(json_object_get(node, "anyOf")))
      widen_groups_add(groups, "anyOf", node);
    if (json_is_array(json_object_get(node, "oneOf")))
      widen_groups_add(groups, "oneOf", node);
    if (json_object_get(node, "if") &&
        (bare_if || json_object_get(node, "then") || json_object_get(node, "else")))
      widen_groups_add(groups, "if", node);
  }
}

static size_t widen_group_size(const widen_group *group) {
  if (strcmp(group->keyword, "if") == 0)
    return 2;
  return json_array_size(json_object_get(group->node, group->keyword));
}

/* Returns branch i of group. A missing then or else admits every value. */
static const json_t *widen_group_branch(const widen_group *group, size_t i) {
  if (strcmp(group->keyword, "if") == 0) {
    const json_t *branch = json_object_get(group->node, i == 0 ? "then" : "else");
    return branch ? branch : json_true();
  }
  return json_array_get(json_object_get(group->node, group->keyword), i);
}

/* Returns the context of branch i of group at pointer, such as
 * "oneOf[1] at /Target", after the context of the walk. The caller frees
 * it. */
static char *widen_branch_context(const widen_walk *walk, const widen_group *group, size_t i,
                                  const char *pointer) {
  char branch[64];
  if (strcmp(group->keyword, "if") == 0)
    snprintf(branch, sizeof branch, "%s", i == 0 ? "then" : "else");
  else
    snprintf(branch, sizeof branch, "%s[%zu]", group->keyword, i);
  char *context = NULL;
  if (asprintf(&context, "%s%s%s at %s", walk->context, *walk->context ? ", " : "", branch,
               *pointer ? pointer : "the top level") < 0)
    abort();
  return context;
}

/* Returns 1 when two schemas are equal JSON and every definition that a
 * $ref in them reaches is equal in both templates. A definition seen
 * before counts as the same, so a recursive one ends. */
static int widen_same_at(const widen_walk *walk, const json_t *old_node, const json_t *new_node,
                         json_t *visited, unsigned depth) {
  if (depth > DSL_MAX_SCHEMA_DEPTH || json_typeof(old_node) != json_typeof(new_node))
    return 0;
  if (json_is_array(old_node)) {
    if (json_array_size(old_node) != json_array_size(new_node))
      return 0;
    for (size_t i = 0; i < json_array_size(old_node); i++)
      if (!widen_same_at(walk, json_array_get(old_node, i), json_array_get(new_node, i), visited,
                         depth + 1))
        return 0;
    return 1;
  }
  if (!json_is_object(old_node))
    return json_equal(old_node, new_node);
  if (json_object_size(old_node) != json_object_size(new_node))
    return 0;

  const char *key;
  json_t *value;
  json_object_foreach((json_t *)old_node, key, value) {
    const json_t *new_value = json_object_get(new_node, key);
    if (!new_value)
      return 0;
    const char *ref = strcmp(key, "$ref") == 0 ? json_string_value(value) : NULL;
    if (!ref) {
      if (!widen_same_at(walk, value, new_value, visited, depth + 1))
        return 0;
      continue;
    }
    if (!json_equal(value, new_value))
      return 0;
    if (json_object_get(visited, ref))
      continue;
    json_object_set_new(visited, ref, json_true());
    const json_t *old_definition = widen_resolve(walk->old_root, ref);
    const json_t *new_definition = widen_resolve(walk->new_root, ref);
    if (!old_definition || !new_definition) {
      if (old_definition != new_definition)
        return 0;
      continue;
    }
    if (!widen_same_at(walk, old_definition, new_definition, visited, depth + 1))
      return 0;
  }
  return 1;
}

static int widen_same(const widen_walk *walk, const json_t *old_node, const json_t *new_node) {
  json_t *visited = json_object();
  int same = widen_same_at(walk, old_node, new_node, visited, 0);
  json_decref(visited);
  return same;
}

/* JSON types as bits. A "number" is an integer or a fraction. */
enum {
  WIDEN_NULL = 1,
  WIDEN_BOOLEAN = 2,
  WIDEN_OBJECT = 4,
  WIDEN_ARRAY = 8,
  WIDEN_STRING = 16,
  WIDEN_INTEGER = 32,
  WIDEN_FRACTION = 64,
  WIDEN_ANY_TYPE = 127
};

static unsigned widen_type_bit(const json_t *name) {
  static const struct {
    const char *name;
    unsigned bits;
  } types[] = {{"null", WIDEN_NULL},     {"boolean", WIDEN_BOOLEAN}, {"object", WIDEN_OBJECT},
               {"array", WIDEN_ARRAY},   {"string", WIDEN_STRING},   {"integer", WIDEN_INTEGER},
               {"number", WIDEN_INTEGER | WIDEN_FRACTION}};
  for (size_t i = 0; json_is_string(name) && i < sizeof types / sizeof types[0]; i++)
    if (strcmp(json_string_value(name), types[i].name) == 0)
      return types[i].bits;
  return WIDEN_ANY_TYPE; /* not a type name: assume nothing */
}

/* Returns the types that every node of list allows. */
static unsigned widen_types(const node_list *list) {
  unsigned allowed = WIDEN_ANY_TYPE;
  for (size_t i = 0; i < list->count; i++) {
    const json_t *type = json_object_get(list->nodes[i], "type");
    if (!type)
      continue;
    unsigned bits = 0;
    if (json_is_array(type)) {
      size_t j;
      json_t *name;
      json_array_foreach(type, j, name)
        bits |= widen_type_bit(name);
    } else {
      bits = widen_type_bit(type);
    }
    allowed &= bits;
  }
  return allowed;
}

/* Returns 1 when a node of list rejects an object with the property name:
 * it has additionalProperties false, no patternProperties, and properties
 * without the name. */
static int widen_rejects_name(const node_list *list, const char *name) {
  for (size_t i = 0; i < list->count; i++) {
    const json_t *node = list->nodes[i];
    if (json_is_false(json_object_get(node, "additionalProperties")) &&
        !json_object_get(node, "patternProperties") &&
        !json_object_get(json_object_get(node, "properties"), name))
      return 1;
  }
  return 0;
}

/* Returns 1 when every value that first admits is an object with a
 * property that second rejects. */
static int widen_requires_rejected(const node_list *first, const node_list *second) {
  if (widen_types(first) != WIDEN_OBJECT)
    return 0;
  for (size_t i = 0; i < first->count; i++) {
    size_t j;
    json_t *name;
    json_array_foreach(json_object_get(first->nodes[i], "required"), j, name)
      if (json_is_string(name) && widen_rejects_name(second, json_string_value(name)))
        return 1;
  }
  return 0;
}

/* Returns 1 when no value matches two branches of group in the old
 * template. */
static int widen_exclusive(const widen_walk *walk, const widen_group *group) {
  size_t size = widen_group_size(group);
  node_list *lists = calloc(size ? size : 1, sizeof lists[0]);
  if (!lists)
    abort();
  for (size_t i = 0; i < size; i++)
    widen_expand(walk->old_root, widen_group_branch(group, i), 0, &lists[i]);
  int exclusive = 1;
  for (size_t i = 0; exclusive && i < size; i++)
    for (size_t k = i + 1; exclusive && k < size; k++)
      exclusive = (widen_types(&lists[i]) & widen_types(&lists[k])) == 0 ||
                  widen_requires_rejected(&lists[i], &lists[k]) ||
                  widen_requires_rejected(&lists[k], &lists[i]);
  for (size_t i = 0; i < size; i++)
    node_list_free(&lists[i]);
  free(lists);
  return exclusive;
}

static void widen_copy_list(const node_list *from, node_list *to) {
  *to = *from;
  to->capacity = from->count ? from->count : 1;
  to->nodes = malloc(to->capacity * sizeof to->nodes[0]);
  if (!to->nodes)
    abort();
  if (from->count)
    memcpy(to->nodes, from->nodes, from->count * sizeof to->nodes[0]);
}

/* Returns 1 when the old branch admits a value that the new one may
 * reject: a walk with the two templates swapped has a finding. */
static int widen_narrows(const widen_walk *walk, const node_list *old_branch,
                         const node_list *new_branch, unsigned depth) {
  template_widenings found = {0};
  widen_walk probe = {walk->new_root, walk->old_root, json_object(), json_object(), &found, 1, "",
                      NULL, 0, 0, 0};
  node_list as_old = {0}, as_new = {0};
  widen_copy_list(new_branch, &as_old);
  widen_copy_list(old_branch, &as_new);
  widen_enqueue(&probe, &as_old, &as_new, "", NULL, depth, "");
  widen_run(&probe);
  int narrows = found.count > 0;
  template_widenings_free(&found);
  json_decref(probe.compared);
  json_decref(probe.reported);
  return narrows;
}

/* Returns 1 when the then (i 0) or else (i 1) of an old if/then/else
 * asserts something and the new one has none. */
static int widen_branch_removed(const widen_group *old_group, const widen_group *new_group,
                                size_t i) {
  const char *keyword = i == 0 ? "then" : "else";
  if (strcmp(old_group->keyword, "if") != 0 || json_object_get(new_group->node, keyword))
    return 0;
  const json_t *old_branch = json_object_get(old_group->node, keyword);
  return old_branch && !json_is_true(old_branch) &&
         !(json_is_object(old_branch) && json_object_size(old_branch) == 0);
}

/* Compares branch i of two paired groups, or lists it when the comparison
 * cannot follow it. one_of is 1 for a oneOf whose old branches a value
 * may match two of. */
static void widen_compare_branch(widen_walk *walk, const widen_group *old_group,
                                 const widen_group *new_group, size_t i, int one_of,
                                 const char *pointer, const json_t *rule, unsigned depth) {
  const json_t *old_branch = widen_group_branch(old_group, i);
  const json_t *new_branch = widen_group_branch(new_group, i);
  if (widen_same(walk, old_branch, new_branch))
    return;
  if (widen_branch_removed(old_group, new_group, i)) {
    char *detail = NULL;
    if (asprintf(&detail, "'%s' of the if/then/else no longer applies", i == 0 ? "then" : "else") <
        0)
      abort();
    widen_report_in(walk, walk->context, TEMPLATE_WIDEN_CONSTRAINT, pointer, rule, detail);
    return;
  }

  char *context = widen_branch_context(walk, old_group, i, pointer);
  if (walk->probe && one_of) {
    /* A probe does not follow a changed oneOf branch in both directions. */
    widen_report_in(walk, context, TEMPLATE_WIDEN_CONSTRAINT, pointer, rule,
                    strdup("changed oneOf branch"));
    free(context);
    return;
  }

  node_list old_list = {0}, new_list = {0};
  widen_expand(walk->old_root, old_branch, 0, &old_list);
  widen_expand(walk->new_root, new_branch, 0, &new_list);
  int old_admits = widen_admits(&old_list), new_admits = widen_admits(&new_list);
  const json_t *branch_rule = widen_rule(&new_list, rule);

  if (one_of && old_admits &&
      (!new_admits || widen_narrows(walk, &old_list, &new_list, depth + 1)))
    widen_report_in(walk, context, TEMPLATE_WIDEN_CONSTRAINT, pointer, branch_rule,
                    strdup("the branch rejects values that it admitted, so a value that matched "
                           "it and another branch, which the oneOf rejected, may pass now"));
  if (new_admits && !old_admits)
    widen_report_in(walk, context, TEMPLATE_WIDEN_CONSTRAINT, pointer, branch_rule,
                    strdup("the branch admits values, where the old branch rejected every value"));
  else if (new_admits)
    widen_enqueue(walk, &old_list, &new_list, pointer, branch_rule, depth + 1, context);
  node_list_free(&old_list);
  node_list_free(&new_list);
  free(context);
}

/* Compares two paired groups branch by branch, or lists the pair when the
 * branches cannot be paired. */
static void widen_compare_group(widen_walk *walk, const widen_group *old_group,
                                const widen_group *new_group, const char *pointer,
                                const json_t *rule, unsigned depth) {
  char *detail = NULL;
  size_t old_size = widen_group_size(old_group), new_size = widen_group_size(new_group);
  if (strcmp(old_group->keyword, "if") == 0 &&
      !widen_same(walk, json_object_get(old_group->node, "if"),
                  json_object_get(new_group->node, "if"))) {
    detail = strdup("the if of the old template changed, so its then and else are not compared "
                    "and may admit more");
  } else if (old_size != new_size) {
    if (asprintf(&detail,
                 "%s has %zu branches where the old template had %zu, so they are not compared "
                 "one by one and may admit more",
                 old_group->keyword, new_size, old_size) < 0)
      abort();
  }
  if (detail) {
    widen_report_in(walk, walk->context, TEMPLATE_WIDEN_CONSTRAINT, pointer, rule, detail);
    return;
  }
  int one_of = strcmp(old_group->keyword, "oneOf") == 0 && !widen_exclusive(walk, old_group);
  for (size_t i = 0; i < old_size; i++)
    widen_compare_branch(walk, old_group, new_group, i, one_of, pointer, rule, depth);
}

void widen_compare_groups(widen_walk *walk, const node_list *old_list, const node_list *new_list,
                          const char *pointer, const json_t *rule, unsigned depth) {
  widen_groups old_groups = {0}, new_groups = {0};
  widen_collect_groups(old_list, 0, &old_groups);
  widen_collect_groups(new_list, 1, &new_groups);

  /* A group only the new template has narrows the path, so it is skipped. */
  size_t next = 0;
  for (size_t i = 0; i < old_groups.count; i++) {
    const widen_group *old_group = &old_groups.items[i];
    size_t k = next;
    while (k < new_groups.count && strcmp(new_groups.items[k].keyword, old_group->keyword) != 0)
      k++;
    if (k == new_groups.count) {
      char *detail = NULL;
      if (asprintf(&detail, "the %s of the old template is gone",
                   strcmp(old_group->keyword, "if") == 0 ? "if/then/else" : old_group->keyword) <
          0)
        abort();
      widen_report_in(walk, walk->context, TEMPLATE_WIDEN_CONSTRAINT, pointer, rule, detail);
      continue;
    }
    next = k + 1;
    widen_compare_group(walk, old_group, &new_groups.items[k], pointer, rule, depth);
  }
  free(old_groups.items);
  free(new_groups.items);
}
