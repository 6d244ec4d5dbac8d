/*
 * Lists what a new restricted template admits and an old one rejects
 * (template_widen.h). Both templates are walked together from the root.
 * At each path, the schema nodes that apply there are gathered into a
 * list. The head nodes all apply: the node, the definitions its $ref chain
 * reaches and its allOf members. Its anyOf, oneOf, then and else branches
 * are added as well, of which some apply. Property names, items, map
 * values and constraints are then compared between the old list and the
 * new one.
 */
#define _GNU_SOURCE /* asprintf */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dsl_limits.h"
#include "template_widen.h"
#include "template_widen_keywords.h"

/* Longest JSON text of a value shown in a detail. A longer one is cut and
 * ends in "...". */
#define TEMPLATE_WIDEN_MAX_SHOWN 120

/* The schema nodes that apply at one path of one template. */
typedef struct node_list {
  const json_t **nodes;
  unsigned char *head; /* 1: the node applies whenever the path does (not a branch) */
  size_t count, capacity;
} node_list;

/* A pair of lists that both admit a value, waiting to be compared. */
typedef struct widen_pending {
  node_list old_list, new_list;
  char *pointer;
  const json_t *rule;
  unsigned depth;
} widen_pending;

typedef struct widen_walk {
  const json_t *old_root, *new_root;
  json_t *compared; /* keys of the list pairs compared so far */
  template_widenings *list;
  /* Pairs are compared in breadth-first order, so a definition that
   * several paths reach is listed at the shortest one. */
  widen_pending *pending;
  size_t next, count, capacity;
} widen_walk;

static void node_list_add(node_list *list, const json_t *node, int head) {
  if (list->count == list->capacity) {
    list->capacity = list->capacity ? 2 * list->capacity : 8;
    list->nodes = realloc(list->nodes, list->capacity * sizeof list->nodes[0]);
    list->head = realloc(list->head, list->capacity * sizeof list->head[0]);
    if (!list->nodes || !list->head)
      abort();
  }
  list->nodes[list->count] = node;
  list->head[list->count++] = (unsigned char)head;
}

static void node_list_free(node_list *list) {
  free(list->nodes);
  free(list->head);
}

/* Returns the definition that a local "#/definitions/NAME" reference names,
 * or NULL. */
static const json_t *widen_resolve(const json_t *root, const char *ref) {
  static const char prefix[] = "#/definitions/";
  if (strncmp(ref, prefix, sizeof prefix - 1) != 0)
    return NULL;
  return json_object_get(json_object_get(root, "definitions"), ref + sizeof prefix - 1);
}

/* Adds node and the nodes that apply with it to list. A $ref chain without
 * content is emitted as false, so only the depth limit stops a cycle. */
static void widen_expand(const json_t *root, const json_t *node, int head, unsigned depth,
                         node_list *list) {
  if (!node || depth > DSL_MAX_SCHEMA_DEPTH)
    return;
  node_list_add(list, node, head);
  if (!json_is_object(node))
    return;

  const char *ref = json_string_value(json_object_get(node, "$ref"));
  if (ref)
    widen_expand(root, widen_resolve(root, ref), head, depth + 1, list);

  static const char *const keywords[] = {"allOf", "anyOf", "oneOf"};
  for (size_t k = 0; k < sizeof keywords / sizeof keywords[0]; k++) {
    size_t i;
    json_t *member;
    json_array_foreach(json_object_get(node, keywords[k]), i, member)
      widen_expand(root, member, head && k == 0, depth + 1, list);
  }
  widen_expand(root, json_object_get(node, "then"), 0, depth + 1, list);
  widen_expand(root, json_object_get(node, "else"), 0, depth + 1, list);
}

/* Returns 1 for a node that rejects every value: false or {"not": {}}. */
static int widen_is_deny(const json_t *node) {
  if (json_is_false(node))
    return 1;
  const json_t *negated = json_object_get(node, "not");
  return negated && (json_is_true(negated) || (json_is_object(negated) && json_object_size(negated) == 0));
}

/* Returns 1 when some value passes the nodes of list: a head node that
 * rejects every value rejects it for the whole path. */
static int widen_admits(const node_list *list) {
  size_t denying = 0;
  for (size_t i = 0; i < list->count; i++) {
    if (!widen_is_deny(list->nodes[i]))
      continue;
    if (list->head[i])
      return 0;
    denying++;
  }
  return list->count > denying;
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

static void widen_report(widen_walk *walk, template_widen_kind kind, const char *pointer,
                         const json_t *rule, char *detail) {
  template_widenings *list = walk->list;
  if (!detail)
    abort();
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
 * level of list defines. A head node with `properties` is closed, so its
 * names are the level's and branches only narrow them. Without one, the
 * branches' names count. Returns names. */
static json_t *widen_names(const node_list *list, const char *keyword) {
  json_t *names = json_object();
  int heads_define = 0;
  for (size_t i = 0; i < list->count; i++)
    heads_define |= list->head[i] && json_is_object(json_object_get(list->nodes[i], keyword));
  for (size_t i = 0; i < list->count; i++) {
    if (heads_define && !list->head[i])
      continue;
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
      widen_expand(root, member, list->head[i], 0, child);
  }
}

/* Stores in child the nodes that apply to the items of an array (position
 * -1) or to the item at position. */
static void widen_items(const json_t *root, const node_list *list, long position,
                        node_list *child) {
  for (size_t i = 0; i < list->count; i++) {
    const json_t *items = json_object_get(list->nodes[i], "items");
    if (json_is_array(items) && position >= 0)
      items = json_array_get(items, (size_t)position);
    else if (json_is_array(items) || position >= 0)
      items = NULL;
    if (items)
      widen_expand(root, items, list->head[i], 0, child);
  }
}

/* Returns the first x-cfgate-rule among the head nodes of list, else
 * rule. */
static const json_t *widen_rule(const node_list *list, const json_t *rule) {
  for (size_t i = 0; i < list->count; i++) {
    const json_t *found = json_object_get(list->nodes[i], "x-cfgate-rule");
    if (list->head[i] && json_is_object(found))
      return found;
  }
  return rule;
}

/* Queues the lists for comparison and takes them over. */
static void widen_enqueue(widen_walk *walk, node_list *old_list, node_list *new_list,
                          const char *pointer, const json_t *rule, unsigned depth) {
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
  pending->rule = rule;
  pending->depth = depth;
  if (!pending->pointer)
    abort();
  memset(old_list, 0, sizeof *old_list);
  memset(new_list, 0, sizeof *new_list);
}

/* Queues one child for comparison, or reports it with detail (taken over)
 * when only the new template admits it. Takes over both lists. */
static void widen_compare_child(widen_walk *walk, node_list *old_child, node_list *new_child,
                                const char *pointer, const json_t *rule, unsigned depth,
                                char *detail) {
  if (widen_admits(new_child)) {
    const json_t *child_rule = widen_rule(new_child, rule);
    if (!widen_admits(old_child)) {
      widen_report(walk, TEMPLATE_WIDEN_PROPERTY, pointer, child_rule, detail);
      detail = NULL;
    } else {
      widen_enqueue(walk, old_child, new_child, pointer, child_rule, depth + 1);
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
    widen_compare_child(walk, &old_child, &new_child, child_pointer, rule, depth, detail);
    free(child_pointer);
  }
  json_decref(old_names);
  json_decref(new_names);
}

/* Returns 1 when a head node of list limits the property names of an
 * object: `properties`, `patternProperties` or `additionalProperties:
 * false`. */
static int widen_names_closed(const node_list *list) {
  for (size_t i = 0; i < list->count; i++) {
    const json_t *node = list->nodes[i];
    if (list->head[i] &&
        (json_object_get(node, "properties") || json_object_get(node, "patternProperties") ||
         json_is_false(json_object_get(node, "additionalProperties"))))
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

/* Compares the items of arrays: the items schema and each position of a
 * tuple. */
static void widen_compare_items(widen_walk *walk, const node_list *old_list,
                                const node_list *new_list, const char *pointer,
                                const json_t *rule, unsigned depth) {
  size_t positions = 0;
  for (size_t i = 0; i < new_list->count; i++) {
    const json_t *items = json_object_get(new_list->nodes[i], "items");
    if (json_is_array(items) && json_array_size(items) > positions)
      positions = json_array_size(items);
  }
  for (long position = -1; position < (long)positions; position++) {
    node_list old_child = {0}, new_child = {0};
    widen_items(walk->old_root, old_list, position, &old_child);
    widen_items(walk->new_root, new_list, position, &new_child);
    char segment[32];
    snprintf(segment, sizeof segment, position < 0 ? "*" : "%ld", position);
    char *child_pointer = widen_child_pointer(pointer, segment);
    /* An old list without an items schema admits any item. */
    if (old_child.count == 0) {
      node_list_free(&old_child);
      node_list_free(&new_child);
    } else {
      widen_compare_child(walk, &old_child, &new_child, child_pointer, rule, depth,
                          strdup("new item"));
    }
    free(child_pointer);
  }
}

/* Collects into values (an array) the values of keyword in the nodes of
 * list, the members of an array value one by one when spread is 1. Only
 * head nodes count when heads_only is 1. Returns 1 when a node has the
 * keyword. */
static int widen_values(const node_list *list, const char *keyword, int spread, int heads_only,
                        json_t *values) {
  int found = 0;
  for (size_t i = 0; i < list->count; i++) {
    json_t *value = json_object_get(list->nodes[i], keyword);
    if (!value || (heads_only && !list->head[i]))
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

/* Stores in allowed the values that every head node of list with one of
 * the keywords (an enum or const pair, or type) allows: a value passes the
 * path only when it passes each of them. Returns 0 when no head node
 * limits the values. */
static int widen_allowed(const node_list *list, const char *spread_keyword,
                         const char *single_keyword, json_t *allowed) {
  int limited = 0;
  for (size_t i = 0; i < list->count; i++) {
    if (!list->head[i])
      continue;
    node_list one = {(const json_t **)&list->nodes[i], &list->head[i], 1, 1};
    json_t *values = json_array();
    int found = widen_values(&one, spread_keyword, 1, 1, values);
    if (single_keyword)
      found |= widen_values(&one, single_keyword, 0, 1, values);
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

/* Stores in allowed the values that every head node of list allows by its
 * enum and const. A node with both allows only the const value, and only
 * when the enum lists it, so a value the enum gains there stays rejected.
 * Returns 0 when no head node limits the values. */
static int widen_allowed_values(const node_list *list, json_t *allowed) {
  int limited = 0;
  for (size_t i = 0; i < list->count; i++) {
    if (!list->head[i])
      continue;
    node_list one = {(const json_t **)&list->nodes[i], &list->head[i], 1, 1};
    json_t *from_enum = json_array(), *from_const = json_array();
    int has_enum = widen_values(&one, "enum", 1, 1, from_enum);
    int has_const = widen_values(&one, "const", 0, 1, from_const);
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

/* Returns in *bound the tightest value of a numeric keyword in the head
 * nodes of list: the smallest for an upper bound, the largest for a lower
 * one. Returns 0 when no head node has the keyword. NOTE: bounds, enum and
 * type inside anyOf or oneOf branches are not compared, so a branch that
 * a new snapshot widens is not listed. */
static int widen_bound(const node_list *list, const char *keyword, int upper, double *bound) {
  int found = 0;
  for (size_t i = 0; i < list->count; i++) {
    const json_t *value = json_object_get(list->nodes[i], keyword);
    if (!json_is_number(value) || !list->head[i])
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

/* Reports each pattern of the old list's head nodes that the new ones
 * lack, since a changed pattern may match more, and each property name the
 * old head nodes require and the new ones do not. */
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
    widen_values(old_list, keywords[k].keyword, 1, 1, old_values);
    widen_values(new_list, keywords[k].keyword, 1, 1, new_values);
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

/* Returns 1 when the pair of lists was compared before under rule, and
 * records it otherwise. The findings depend only on the nodes and the
 * rule, so a definition that a path reaches again (a recursive one) is
 * compared once, and once more for each other rule that admits it. */
static int widen_seen(widen_walk *walk, const node_list *old_list, const node_list *new_list,
                      const json_t *rule) {
  size_t size = 24 + 20 * (old_list->count + new_list->count);
  char *key = malloc(size), *end = key;
  if (!key)
    abort();
  end += sprintf(end, "%" PRIxPTR ":", (uintptr_t)rule);
  for (size_t i = 0; i < old_list->count; i++)
    end += sprintf(end, "%" PRIxPTR ",", (uintptr_t)old_list->nodes[i]);
  *end++ = '|';
  for (size_t i = 0; i < new_list->count; i++)
    end += sprintf(end, "%" PRIxPTR ",", (uintptr_t)new_list->nodes[i]);
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
  widen_keyword_nodes old_nodes = {walk->old_root, old_list->nodes, old_list->head,
                                   old_list->count};
  widen_keyword_nodes new_nodes = {walk->new_root, new_list->nodes, new_list->head,
                                   new_list->count};
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
  widen_compare_other_keywords(walk, old_list, new_list, pointer, rule);
}

void template_widen_compare(const json_t *old_template, const json_t *new_template,
                            template_widenings *list) {
  widen_walk walk = {old_template, new_template, json_object(), list, NULL, 0, 0, 0};
  node_list old_list = {0}, new_list = {0};
  widen_expand(old_template, old_template, 1, 0, &old_list);
  widen_expand(new_template, new_template, 1, 0, &new_list);
  widen_enqueue(&walk, &old_list, &new_list, "", widen_rule(&new_list, NULL), 0);

  while (walk.next < walk.count) {
    /* A copy, because comparing queues more pairs and may move the queue. */
    widen_pending pending = walk.pending[walk.next++];
    widen_compare(&walk, &pending.old_list, &pending.new_list, pending.pointer, pending.rule,
                  pending.depth);
    node_list_free(&pending.old_list);
    node_list_free(&pending.new_list);
    free(pending.pointer);
  }
  free(walk.pending);
  json_decref(walk.compared);
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
