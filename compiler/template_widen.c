/*
 * Lists what a new restricted template admits and an old one rejects
 * (template_widen.h). Both templates are walked together from the root.
 * At each path, the schema nodes that apply to every value there are
 * gathered into a list: the node, the definitions its $ref chain reaches
 * and its allOf members. Property names, items, map values and
 * constraints are then compared between the old list and the new one.
 * The anyOf, oneOf and if/then/else of the listed nodes are compared
 * branch by branch (template_widen_branch.c).
 */
#define _GNU_SOURCE /* asprintf */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dsl_limits.h"
#include "template_widen_internal.h"
#include "template_widen_keywords.h"

/* Longest JSON text of a value shown in a detail. A longer one is cut and
 * ends in "...". */
#define TEMPLATE_WIDEN_MAX_SHOWN 120

static void node_list_add(node_list *list, const json_t *node) {
  if (list->count == list->capacity) {
    list->capacity = list->capacity ? 2 * list->capacity : 8;
    list->nodes = realloc(list->nodes, list->capacity * sizeof list->nodes[0]);
    if (!list->nodes)
      abort();
  }
  list->nodes[list->count++] = node;
}

void node_list_free(node_list *list) {
  free(list->nodes);
}

/* Returns the definition that a local "#/definitions/NAME" reference names,
 * or NULL. */
const json_t *widen_resolve(const json_t *root, const char *ref) {
  static const char prefix[] = "#/definitions/";
  if (strncmp(ref, prefix, sizeof prefix - 1) != 0)
    return NULL;
  return json_object_get(json_object_get(root, "definitions"), ref + sizeof prefix - 1);
}

/* Adds node and the nodes that apply with it to list: the definitions its
 * $ref chain reaches and its allOf members. A $ref chain without content
 * is emitted as false, so only the depth limit stops a cycle. */
void widen_expand(const json_t *root, const json_t *node, unsigned depth, node_list *list) {
  if (!node || depth > DSL_MAX_SCHEMA_DEPTH)
    return;
  node_list_add(list, node);
  if (!json_is_object(node))
    return;

  const char *ref = json_string_value(json_object_get(node, "$ref"));
  if (ref)
    widen_expand(root, widen_resolve(root, ref), depth + 1, list);

  size_t i;
  json_t *member;
  json_array_foreach(json_object_get(node, "allOf"), i, member)
    widen_expand(root, member, depth + 1, list);
}

/* Returns 1 for a node that rejects every value: false or {"not": {}}. */
int widen_is_deny(const json_t *node) {
  if (json_is_false(node))
    return 1;
  const json_t *negated = json_object_get(node, "not");
  return negated && (json_is_true(negated) || (json_is_object(negated) && json_object_size(negated) == 0));
}

/* Returns 1 when some value may pass the nodes of list. An empty list is
 * a property that no node defines, which a closed object rejects. A node
 * that rejects every value, or an anyOf or oneOf whose branches all do,
 * rejects it for the whole path. */
int widen_admits(const node_list *list) {
  if (list->count == 0)
    return 0;
  for (size_t i = 0; i < list->count; i++) {
    if (widen_is_deny(list->nodes[i]))
      return 0;
    static const char *const keywords[] = {"anyOf", "oneOf"};
    for (size_t k = 0; k < sizeof keywords / sizeof keywords[0]; k++) {
      const json_t *branches = json_object_get(list->nodes[i], keywords[k]);
      if (!json_is_array(branches))
        continue;
      size_t j, denying = 0;
      json_t *branch;
      json_array_foreach(branches, j, branch)
        denying += (size_t)widen_is_deny(branch);
      if (denying == json_array_size(branches))
        return 0;
    }
  }
  return 1;
}

/* Appends pointer/segment, with '~' and '/' escaped as JSON pointer does. */
static char *widen_child_pointer(const char *pointer, const char *segment) {
  size_t length = strlen(pointer), extra = 0;
  for (const char *c = segment; *c; c++)
    extra += *c == '~' || *c == '/';
  char *child = malloc(length + 1 + strlen(segment) + extra + 1);
  if (!child)
    abort();
  memcpy(child, pointer, length);
  char *end = child + length;
  *end++ = '/';
  for (const char *c = segment; *c; c++) {
    if (*c == '~' || *c == '/') {
      *end++ = '~';
      *end++ = *c == '~' ? '0' : '1';
    } else {
      *end++ = *c;
    }
  }
  *end = '\0';
  return child;
}

void widen_report_in(widen_walk *walk, const char *context, template_widen_kind kind,
                     const char *pointer, const json_t *rule, char *detail) {
  template_widenings *list = walk->list;
  if (!detail)
    abort();

  /* A finding with the same text at the same path, found in the level and
   * in a branch or in two branches, is listed once. */
  char *key = NULL;
  if (asprintf(&key, "%d %zu:%s%s", (int)kind, strlen(pointer), pointer, detail) < 0)
    abort();
  int listed = json_object_get(walk->reported, key) != NULL;
  if (!listed)
    json_object_set_new(walk->reported, key, json_true());
  free(key);
  if (listed) {
    free(detail);
    return;
  }
  if (*context) {
    char *in_context = NULL;
    if (asprintf(&in_context, "%s (in %s)", detail, context) < 0)
      abort();
    free(detail);
    detail = in_context;
  }

  if (list->count == list->capacity) {
    list->capacity = list->capacity ? 2 * list->capacity : 8;
    list->items = realloc(list->items, list->capacity * sizeof list->items[0]);
    if (!list->items)
      abort();
  }
  template_widening *item = &list->items[list->count++];
  item->kind = kind;
  item->pointer = strdup(pointer);
  item->detail = detail;
  item->rule = rule;
  if (!item->pointer)
    abort();
}

static void widen_report(widen_walk *walk, template_widen_kind kind, const char *pointer,
                         const json_t *rule, char *detail) {
  widen_report_in(walk, walk->context, kind, pointer, rule, detail);
}

/* Returns the compact JSON text of value, cut at TEMPLATE_WIDEN_MAX_SHOWN
 * bytes. The caller frees it. */
static char *widen_show(const json_t *value) {
  char *text = json_dumps(value, JSON_COMPACT | JSON_ENCODE_ANY | JSON_ENSURE_ASCII);
  if (!text)
    abort();
  if (strlen(text) > TEMPLATE_WIDEN_MAX_SHOWN)
    strcpy(text + TEMPLATE_WIDEN_MAX_SHOWN - 3, "...");
  return text;
}

/* Stores in names (an object used as a set) the property names that the
 * nodes of list define, and returns names. The names in anyOf and oneOf
 * branches are compared with the branches. */
static json_t *widen_names(const node_list *list, const char *keyword) {
  json_t *names = json_object();
  for (size_t i = 0; i < list->count; i++) {
    const char *name;
    json_t *value;
    json_object_foreach((json_t *)json_object_get(list->nodes[i], keyword), name, value)
      json_object_set_new(names, name, json_true());
  }
  return names;
}

/* Stores in child the nodes that apply at the member name of keyword
 * (`properties` or `patternProperties`) below the nodes of list. */
static void widen_member(const json_t *root, const node_list *list, const char *keyword,
                         const char *name, node_list *child) {
  for (size_t i = 0; i < list->count; i++) {
    const json_t *member = json_object_get(json_object_get(list->nodes[i], keyword), name);
    if (member)
      widen_expand(root, member, 0, child);
  }
}

/* Stores in child the nodes that apply to the item at position of an
 * array. A tuple (an items array) applies its schema at that position, or
 * its additionalItems past its end, and an items schema applies to every
 * item. */
static void widen_items(const json_t *root, const node_list *list, size_t position,
                        node_list *child) {
  for (size_t i = 0; i < list->count; i++) {
    const json_t *items = json_object_get(list->nodes[i], "items");
    if (json_is_array(items))
      items = position < json_array_size(items)
                  ? json_array_get(items, position)
                  : json_object_get(list->nodes[i], "additionalItems");
    if (items)
      widen_expand(root, items, 0, child);
  }
}

/* Returns the first x-cfgate-rule among the nodes of list, else rule. */
const json_t *widen_rule(const node_list *list, const json_t *rule) {
  for (size_t i = 0; i < list->count; i++) {
    const json_t *found = json_object_get(list->nodes[i], "x-cfgate-rule");
    if (json_is_object(found))
      return found;
  }
  return rule;
}

void widen_enqueue(widen_walk *walk, node_list *old_list, node_list *new_list,
                   const char *pointer, const json_t *rule, unsigned depth, const char *context) {
  if (walk->count == walk->capacity) {
    walk->capacity = walk->capacity ? 2 * walk->capacity : 16;
    walk->pending = realloc(walk->pending, walk->capacity * sizeof walk->pending[0]);
    if (!walk->pending)
      abort();
  }
  widen_pending *pending = &walk->pending[walk->count++];
  pending->old_list = *old_list;
  pending->new_list = *new_list;
  pending->pointer = strdup(pointer);
  pending->context = strdup(context);
  pending->rule = rule;
  pending->depth = depth;
  if (!pending->pointer || !pending->context)
    abort();
  memset(old_list, 0, sizeof *old_list);
  memset(new_list, 0, sizeof *new_list);
}

/* Queues one child for comparison, or reports it as kind with detail
 * (taken over) when only the new template admits it. Takes over both
 * lists. */
static void widen_compare_child(widen_walk *walk, node_list *old_child, node_list *new_child,
                                const char *pointer, const json_t *rule, unsigned depth,
                                template_widen_kind kind, char *detail) {
  if (widen_admits(new_child)) {
    const json_t *child_rule = widen_rule(new_child, rule);
    if (!widen_admits(old_child)) {
      widen_report(walk, kind, pointer, child_rule, detail);
      detail = NULL;
    } else {
      widen_enqueue(walk, old_child, new_child, pointer, child_rule, depth + 1, walk->context);
    }
  }
  free(detail);
  node_list_free(old_child);
  node_list_free(new_child);
}

/* Compares the members of keyword (`properties` or `patternProperties`). */
static void widen_compare_members(widen_walk *walk, const node_list *old_list,
                                  const node_list *new_list, const char *keyword,
                                  const char *pointer, const json_t *rule, unsigned depth) {
  json_t *old_names = widen_names(old_list, keyword);
  json_t *new_names = widen_names(new_list, keyword);
  int map = strcmp(keyword, "patternProperties") == 0;
  const char *name;
  json_t *value;
  json_object_foreach(new_names, name, value) {
    node_list old_child = {0}, new_child = {0};
    if (json_object_get(old_names, name))
      widen_member(walk->old_root, old_list, keyword, name, &old_child);
    widen_member(walk->new_root, new_list, keyword, name, &new_child);
    char *child_pointer = widen_child_pointer(pointer, map ? "*" : name);
    char *detail = NULL;
    if (map) {
      json_t *pattern = json_string(name);
      char *shown = widen_show(pattern);
      json_decref(pattern);
      if (asprintf(&detail, "new map key pattern %s", shown) < 0)
        abort();
      free(shown);
    } else {
      detail = strdup("new property");
    }
    widen_compare_child(walk, &old_child, &new_child, child_pointer, rule, depth,
                        TEMPLATE_WIDEN_PROPERTY, detail);
    free(child_pointer);
  }
  json_decref(old_names);
  json_decref(new_names);
}

/* Returns 1 when a node of list limits the property names of an object:
 * `properties`, `patternProperties` or `additionalProperties: false`. */
static int widen_names_closed(const node_list *list) {
  for (size_t i = 0; i < list->count; i++) {
    const json_t *node = list->nodes[i];
    if (json_object_get(node, "properties") || json_object_get(node, "patternProperties") ||
        json_is_false(json_object_get(node, "additionalProperties")))
      return 1;
  }
  return 0;
}

/* Returns 1 when a node of list allows an object: "object" among its
 * types, or no type at all. */
static int widen_allows_object(const node_list *list) {
  for (size_t i = 0; i < list->count; i++) {
    const json_t *type = json_object_get(list->nodes[i], "type");
    if (json_is_string(type) && strcmp(json_string_value(type), "object") == 0)
      return 1;
    size_t j;
    json_t *each;
    json_array_foreach(type, j, each)
      if (strcmp(json_string_value(each) ? json_string_value(each) : "", "object") == 0)
        return 1;
  }
  for (size_t i = 0; i < list->count; i++)
    if (json_object_get(list->nodes[i], "type"))
      return 0;
  return 1;
}

/* Returns 1 when every node of list admits any value (true or {}), as an
 * empty list of items does. */
static int widen_admits_any(const node_list *list) {
  for (size_t i = 0; i < list->count; i++) {
    const json_t *node = list->nodes[i];
    if (!json_is_true(node) && !(json_is_object(node) && json_object_size(node) == 0))
      return 0;
  }
  return 1;
}

/* Returns the size of the longest tuple (items array) among the nodes of
 * list, or 0. */
static size_t widen_tuple_size(const node_list *list) {
  size_t size = 0;
  for (size_t i = 0; i < list->count; i++) {
    const json_t *items = json_object_get(list->nodes[i], "items");
    if (json_is_array(items) && json_array_size(items) > size)
      size = json_array_size(items);
  }
  return size;
}

/* Compares the items of arrays position by position up to the end of the
 * longest tuple of either list, then the items past it ('*'), which an
 * items schema or additionalItems limit. */
static void widen_compare_items(widen_walk *walk, const node_list *old_list,
                                const node_list *new_list, const char *pointer,
                                const json_t *rule, unsigned depth) {
  size_t positions = widen_tuple_size(old_list);
  if (widen_tuple_size(new_list) > positions)
    positions = widen_tuple_size(new_list);
  for (size_t position = 0; position <= positions; position++) {
    int rest = position == positions;
    node_list old_child = {0}, new_child = {0};
    widen_items(walk->old_root, old_list, position, &old_child);
    widen_items(walk->new_root, new_list, position, &new_child);
    char segment[32];
    snprintf(segment, sizeof segment, rest ? "*" : "%zu", position);
    char *child_pointer = widen_child_pointer(pointer, segment);
    char *detail = NULL;

    if (widen_admits_any(&old_child)) {
      /* The old template admits any item here. */
      node_list_free(&old_child);
      node_list_free(&new_child);
    } else if (new_child.count == 0) {
      if (rest && positions > 0) {
        if (asprintf(&detail, "any item from position %zu on, where the old template limited them",
                     positions) < 0)
          abort();
      } else {
        detail = strdup("any item, where the old template limited the items");
      }
      widen_report(walk, TEMPLATE_WIDEN_CONSTRAINT, child_pointer, rule, detail);
      node_list_free(&old_child);
      node_list_free(&new_child);
    } else if (!rest) {
      widen_compare_child(walk, &old_child, &new_child, child_pointer, rule, depth,
                          TEMPLATE_WIDEN_PROPERTY, strdup("new tuple position"));
    } else if (positions > 0) {
      if (asprintf(&detail, "items from position %zu on, where the old template rejected them",
                   positions) < 0)
        abort();
      widen_compare_child(walk, &old_child, &new_child, child_pointer, rule, depth,
                          TEMPLATE_WIDEN_CONSTRAINT, detail);
    } else {
      widen_compare_child(walk, &old_child, &new_child, child_pointer, rule, depth,
                          TEMPLATE_WIDEN_PROPERTY, strdup("new item"));
    }
    free(child_pointer);
  }
}

/* Collects into values (an array) the values of keyword in the nodes of
 * list, the members of an array value one by one when spread is 1.
 * Returns 1 when a node has the keyword. */
static int widen_values(const node_list *list, const char *keyword, int spread, json_t *values) {
  int found = 0;
  for (size_t i = 0; i < list->count; i++) {
    json_t *value = json_object_get(list->nodes[i], keyword);
    if (!value)
      continue;
    found = 1;
    if (spread && json_is_array(value)) {
      size_t j;
      json_t *member;
      json_array_foreach(value, j, member)
        json_array_append(values, member);
    } else {
      json_array_append(values, value);
    }
  }
  return found;
}

static int widen_contains(const json_t *values, const json_t *value) {
  size_t i;
  json_t *member;
  json_array_foreach(values, i, member)
    if (json_equal(member, value))
      return 1;
  return 0;
}

/* Stores in allowed the values that every node of list with one of the
 * keywords (an enum or const pair, or type) allows: a value passes the
 * path only when it passes each of them. Returns 0 when no node limits the
 * values. */
static int widen_allowed(const node_list *list, const char *spread_keyword,
                         const char *single_keyword, json_t *allowed) {
  int limited = 0;
  for (size_t i = 0; i < list->count; i++) {
    node_list one = {(const json_t **)&list->nodes[i], 1, 1};
    json_t *values = json_array();
    int found = widen_values(&one, spread_keyword, 1, values);
    if (single_keyword)
      found |= widen_values(&one, single_keyword, 0, values);
    if (found && !limited) {
      json_array_extend(allowed, values);
    } else if (found) {
      for (size_t j = json_array_size(allowed); j-- > 0;)
        if (!widen_contains(values, json_array_get(allowed, j)))
          json_array_remove(allowed, j);
    }
    limited |= found;
    json_decref(values);
  }
  return limited;
}

/* Stores in allowed the values that every node of list allows by its
 * enum and const. A node with both allows only the const value, and only
 * when the enum lists it, so a value the enum gains there stays rejected.
 * Returns 0 when no head node limits the values. */
static int widen_allowed_values(const node_list *list, json_t *allowed) {
  int limited = 0;
  for (size_t i = 0; i < list->count; i++) {
    node_list one = {(const json_t **)&list->nodes[i], 1, 1};
    json_t *from_enum = json_array(), *from_const = json_array();
    int has_enum = widen_values(&one, "enum", 1, from_enum);
    int has_const = widen_values(&one, "const", 0, from_const);
    json_t *values = has_const ? from_const : from_enum;
    if (has_const && has_enum && !widen_contains(from_enum, json_array_get(from_const, 0)))
      json_array_clear(from_const);
    if ((has_enum || has_const) && !limited) {
      json_array_extend(allowed, values);
    } else if (has_enum || has_const) {
      for (size_t j = json_array_size(allowed); j-- > 0;)
        if (!widen_contains(values, json_array_get(allowed, j)))
          json_array_remove(allowed, j);
    }
    limited |= has_enum || has_const;
    json_decref(from_enum);
    json_decref(from_const);
  }
  return limited;
}

/* Reports each value that enum and const allow in the new list and not in
 * the old one, or the loss of every such limit. */
static void widen_compare_values(widen_walk *walk, const node_list *old_list,
                                 const node_list *new_list, const char *pointer,
                                 const json_t *rule) {
  json_t *old_values = json_array(), *new_values = json_array();
  int old_limited = widen_allowed_values(old_list, old_values);
  int new_limited = widen_allowed_values(new_list, new_values);
  char *detail = NULL;
  if (old_limited && !new_limited) {
    if (asprintf(&detail, "any value, where the old template allowed %zu",
                 json_array_size(old_values)) < 0)
      abort();
    widen_report(walk, TEMPLATE_WIDEN_CONSTRAINT, pointer, rule, detail);
  } else if (old_limited) {
    size_t i;
    json_t *value;
    json_array_foreach(new_values, i, value) {
      if (widen_contains(old_values, value))
        continue;
      json_array_append(old_values, value); /* report each value once */
      char *shown = widen_show(value);
      if (asprintf(&detail, "new value %s", shown) < 0)
        abort();
      free(shown);
      widen_report(walk, TEMPLATE_WIDEN_CONSTRAINT, pointer, rule, detail);
    }
  }
  json_decref(old_values);
  json_decref(new_values);
}

/* Reports each JSON type the new list allows and the old one does not. */
static void widen_compare_types(widen_walk *walk, const node_list *old_list,
                                const node_list *new_list, const char *pointer,
                                const json_t *rule) {
  json_t *old_types = json_array(), *new_types = json_array();
  int old_typed = widen_allowed(old_list, "type", NULL, old_types);
  int new_typed = widen_allowed(new_list, "type", NULL, new_types);
  char *detail = NULL;
  if (old_typed && !new_typed) {
    widen_report(walk, TEMPLATE_WIDEN_CONSTRAINT, pointer, rule, strdup("any type"));
  } else if (old_typed) {
    size_t i;
    json_t *type;
    json_array_foreach(new_types, i, type) {
      if (widen_contains(old_types, type))
        continue;
      json_array_append(old_types, type);
      char *shown = widen_show(type);
      if (asprintf(&detail, "new type %s", shown) < 0)
        abort();
      free(shown);
      widen_report(walk, TEMPLATE_WIDEN_CONSTRAINT, pointer, rule, detail);
    }
  }
  json_decref(old_types);
  json_decref(new_types);
}

/* Returns in *bound the tightest value of a numeric keyword in the nodes
 * of list: the smallest for an upper bound, the largest for a lower one.
 * Returns 0 when no node has the keyword. */
static int widen_bound(const node_list *list, const char *keyword, int upper, double *bound) {
  int found = 0;
  for (size_t i = 0; i < list->count; i++) {
    const json_t *value = json_object_get(list->nodes[i], keyword);
    if (!json_is_number(value))
      continue;
    double number = json_number_value(value);
    if (!found || (upper ? number < *bound : number > *bound))
      *bound = number;
    found = 1;
  }
  return found;
}

/* Reports each numeric bound that the new list drops or loosens. */
static void widen_compare_bounds(widen_walk *walk, const node_list *old_list,
                                 const node_list *new_list, const char *pointer,
                                 const json_t *rule) {
  static const struct {
    const char *keyword;
    int upper;
  } bounds[] = {{"maximum", 1},   {"exclusiveMaximum", 1}, {"maxLength", 1}, {"maxItems", 1},
                {"maxProperties", 1}, {"minimum", 0},  {"exclusiveMinimum", 0}, {"minLength", 0},
                {"minItems", 0},  {"minProperties", 0}};
  for (size_t k = 0; k < sizeof bounds / sizeof bounds[0]; k++) {
    double old_bound = 0, new_bound = 0;
    if (!widen_bound(old_list, bounds[k].keyword, bounds[k].upper, &old_bound))
      continue;
    int has_new = widen_bound(new_list, bounds[k].keyword, bounds[k].upper, &new_bound);
    char *detail = NULL;
    if (!has_new) {
      if (asprintf(&detail, "no %s, where the old template had %.17g", bounds[k].keyword,
                   old_bound) < 0)
        abort();
    } else if (bounds[k].upper ? new_bound > old_bound : new_bound < old_bound) {
      if (asprintf(&detail, "%s %.17g, where the old template had %.17g", bounds[k].keyword,
                   new_bound, old_bound) < 0)
        abort();
    }
    if (detail)
      widen_report(walk, TEMPLATE_WIDEN_CONSTRAINT, pointer, rule, detail);
  }
}

/* Reports each pattern of the old list's nodes that the new ones lack,
 * since a changed pattern may match more, and each property name the old
 * nodes require and the new ones do not. */
static void widen_compare_lists(widen_walk *walk, const node_list *old_list,
                                const node_list *new_list, const char *pointer,
                                const json_t *rule) {
  static const struct {
    const char *keyword;
    const char *before, *after; /* the detail around the value */
  } keywords[] = {{"pattern", "the pattern ", " of the old template is gone or changed"},
                  {"required", "property ", " is no longer required"}};
  for (size_t k = 0; k < sizeof keywords / sizeof keywords[0]; k++) {
    json_t *old_values = json_array(), *new_values = json_array();
    widen_values(old_list, keywords[k].keyword, 1, old_values);
    widen_values(new_list, keywords[k].keyword, 1, new_values);
    size_t i;
    json_t *value;
    json_array_foreach(old_values, i, value) {
      if (widen_contains(new_values, value))
        continue;
      json_array_append(new_values, value); /* report each value once */
      char *shown = widen_show(value), *detail = NULL;
      if (asprintf(&detail, "%s%s%s", keywords[k].before, shown, keywords[k].after) < 0)
        abort();
      free(shown);
      widen_report(walk, TEMPLATE_WIDEN_CONSTRAINT, pointer, rule, detail);
    }
    json_decref(old_values);
    json_decref(new_values);
  }
}

/* Returns 1 for a node that only refers on: an object whose keys are a
 * "$ref" that resolves in root and annotations. The list contains the
 * definition it reaches, so the node adds nothing to a comparison. */
static int widen_is_bare_ref(const json_t *root, const json_t *node) {
  static const char *const annotations[] = {"description", "title", "$comment", "examples",
                                            "default"};
  const char *ref = json_string_value(json_object_get(node, "$ref"));
  if (!ref || !widen_resolve(root, ref))
    return 0;
  const char *key;
  json_t *value;
  json_object_foreach((json_t *)node, key, value) {
    int annotation = strcmp(key, "$ref") == 0;
    for (size_t k = 0; k < sizeof annotations / sizeof annotations[0]; k++)
      annotation |= strcmp(key, annotations[k]) == 0;
    if (!annotation)
      return 0;
  }
  return 1;
}

/* Appends to end the addresses of the nodes of list that assert
 * something, and returns the new end. */
static char *widen_seen_nodes(char *end, const json_t *root, const node_list *list) {
  for (size_t i = 0; i < list->count; i++)
    if (!widen_is_bare_ref(root, list->nodes[i]))
      end += sprintf(end, "%" PRIxPTR ",", (uintptr_t)list->nodes[i]);
  return end;
}

/* Returns 1 when the pair of lists was compared before under rule, and
 * records it otherwise. The findings depend only on the nodes and the
 * rule, so a definition that a path reaches again (a recursive one) is
 * compared once, and once more for each other rule that admits it. The
 * key leaves out the {"$ref": ...} nodes that lead to the definition,
 * because each place that refers to it has its own. A reference with
 * other keywords beside it stays in the key, so the definition reached
 * together with those is compared again. */
static int widen_seen(widen_walk *walk, const node_list *old_list, const node_list *new_list,
                      const json_t *rule) {
  size_t size = 24 + 20 * (old_list->count + new_list->count);
  char *key = malloc(size), *end = key;
  if (!key)
    abort();
  end += sprintf(end, "%" PRIxPTR ":", (uintptr_t)rule);
  end = widen_seen_nodes(end, walk->old_root, old_list);
  *end++ = '|';
  end = widen_seen_nodes(end, walk->new_root, new_list);
  *end = '\0';
  int seen = json_object_get(walk->compared, key) != NULL;
  if (!seen)
    json_object_set_new(walk->compared, key, json_true());
  free(key);
  return seen;
}

/* Where widen_report_keyword lists a finding of widen_compare_keywords. */
typedef struct widen_keyword_target {
  widen_walk *walk;
  const char *pointer;
  const json_t *rule;
} widen_keyword_target;

static void widen_report_keyword(void *data, char *detail) {
  widen_keyword_target *target = data;
  widen_report(target->walk, TEMPLATE_WIDEN_CONSTRAINT, target->pointer, target->rule, detail);
}

/* Reports each assertion of the old head nodes that the new ones no
 * longer make, for the keywords the functions above do not compare
 * (template_widen_keywords.h). */
static void widen_compare_other_keywords(widen_walk *walk, const node_list *old_list,
                                         const node_list *new_list, const char *pointer,
                                         const json_t *rule) {
  widen_keyword_nodes old_nodes = {walk->old_root, old_list->nodes, old_list->count};
  widen_keyword_nodes new_nodes = {walk->new_root, new_list->nodes, new_list->count};
  int names_reported = widen_names_closed(old_list) && !widen_names_closed(new_list) &&
                       widen_allows_object(new_list);
  widen_keyword_target target = {walk, pointer, rule};
  widen_compare_keywords(&old_nodes, &new_nodes, names_reported, widen_report_keyword, &target);
}

/* Compares two lists that both admit a value at pointer. */
static void widen_compare(widen_walk *walk, const node_list *old_list, const node_list *new_list,
                          const char *pointer, const json_t *rule, unsigned depth) {
  if (widen_seen(walk, old_list, new_list, rule))
    return;
  if (depth > DSL_MAX_SCHEMA_DEPTH) {
    char *detail = NULL;
    if (asprintf(&detail, "not compared: nested deeper than %d levels", DSL_MAX_SCHEMA_DEPTH) < 0)
      abort();
    widen_report(walk, TEMPLATE_WIDEN_CONSTRAINT, pointer, rule, detail);
    return;
  }

  widen_compare_members(walk, old_list, new_list, "properties", pointer, rule, depth);
  widen_compare_members(walk, old_list, new_list, "patternProperties", pointer, rule, depth);
  if (widen_names_closed(old_list) && !widen_names_closed(new_list) &&
      widen_allows_object(new_list))
    widen_report(walk, TEMPLATE_WIDEN_PROPERTY, pointer, rule,
                 strdup("any property name, where the old template listed the names"));
  widen_compare_items(walk, old_list, new_list, pointer, rule, depth);
  widen_compare_values(walk, old_list, new_list, pointer, rule);
  widen_compare_types(walk, old_list, new_list, pointer, rule);
  widen_compare_bounds(walk, old_list, new_list, pointer, rule);
  widen_compare_lists(walk, old_list, new_list, pointer, rule);
  widen_compare_groups(walk, old_list, new_list, pointer, rule, depth);
  widen_compare_other_keywords(walk, old_list, new_list, pointer, rule);
}

void widen_run(widen_walk *walk) {
  while (walk->next < walk->count && !(walk->probe && walk->list->count > 0)) {
    /* A copy, because comparing queues more pairs and may move the queue. */
    widen_pending pending = walk->pending[walk->next++];
    walk->context = pending.context;
    widen_compare(walk, &pending.old_list, &pending.new_list, pending.pointer, pending.rule,
                  pending.depth);
    walk->context = "";
    node_list_free(&pending.old_list);
    node_list_free(&pending.new_list);
    free(pending.pointer);
    free(pending.context);
  }
  /* A probe that stopped early leaves pairs in the queue. */
  for (; walk->next < walk->count; walk->next++) {
    widen_pending *pending = &walk->pending[walk->next];
    node_list_free(&pending->old_list);
    node_list_free(&pending->new_list);
    free(pending->pointer);
    free(pending->context);
  }
  free(walk->pending);
  walk->pending = NULL;
  walk->next = walk->count = walk->capacity = 0;
}

void template_widen_compare(const json_t *old_template, const json_t *new_template,
                            template_widenings *list) {
  widen_walk walk = {old_template, new_template, json_object(), json_object(), list, 0, "",
                     NULL, 0, 0, 0};
  node_list old_list = {0}, new_list = {0};
  widen_expand(old_template, old_template, 0, &old_list);
  widen_expand(new_template, new_template, 0, &new_list);
  widen_enqueue(&walk, &old_list, &new_list, "", widen_rule(&new_list, NULL), 0, "");
  widen_run(&walk);
  json_decref(walk.compared);
  json_decref(walk.reported);
}

void template_widenings_free(template_widenings *list) {
  for (size_t i = 0; i < list->count; i++) {
    free(list->items[i].pointer);
    free(list->items[i].detail);
  }
  free(list->items);
  list->items = NULL;
  list->count = list->capacity = 0;
}
