/*
 * Findings on values derived from a NoEcho parameter, moved to positions
 * that do not depend on the parameter's value.
 */
#include "secret_position.h"

#include <stdlib.h>
#include <string.h>

#include "secret_mask.h"

/* Returns 1 when text contains ${Name} for a NoEcho parameter Name. Any
 * string counts, like secret_list_add_derived() counts it, so an Fn::Sub
 * text in any position is covered. */
static int names_no_echo_variable(const tnode *parameters, const char *text) {
  for (size_t i = 0; i < parameters->count; i++) {
    const tnode_member *parameter = &parameters->members[i];
    if (!secret_is_no_echo(parameter->value))
      continue;
    const char *start = strstr(text, "${");
    for (; start; start = strstr(start + 2, "${"))
      if (strncmp(start + 2, parameter->key, parameter->key_len) == 0 &&
          start[2 + parameter->key_len] == '}')
        return 1;
  }
  return 0;
}

/* Returns 1 when node or a value inside it reads a NoEcho parameter: a
 * Ref to one, or a string with ${Name}. */
static int reads_no_echo(const tnode *parameters, const tnode *node) {
  if (!node)
    return 0;
  if (node->kind == TNODE_STRING)
    return node->text && names_no_echo_variable(parameters, node->text);

  if (node->kind == TNODE_OBJECT && node->count == 1 && strcmp(node->members[0].key, "Ref") == 0) {
    const tnode *name = node->members[0].value;
    const tnode *target =
        name && name->kind == TNODE_STRING ? tnode_get(parameters, name->text) : NULL;
    if (target && secret_is_no_echo(target))
      return 1;
  }
  if (node->kind != TNODE_OBJECT && node->kind != TNODE_ARRAY)
    return 0;
  for (size_t i = 0; i < node->count; i++) {
    const tnode *child = node->kind == TNODE_ARRAY ? node->items[i] : node->members[i].value;
    if (reads_no_echo(parameters, child))
      return 1;
  }
  return 0;
}

/* Returns 1 when list has an item that is a call. Such an item may
 * resolve to AWS::NoValue and shift the resolved indexes of the items
 * after it, so an index of a finding's pointer names no item here. */
static int has_call_item(const tnode *list) {
  for (size_t i = 0; i < list->count; i++)
    if (list->items[i] && tnode_is_call(list->items[i]))
      return 1;
  return 0;
}

/* Copies the next segment of pointer (after its '/') into segment, with
 * ~1 and ~0 decoded, and returns the rest of pointer, or NULL at its end. A
 * segment too long for segment is cut, so it matches no member. */
static const char *next_segment(const char *pointer, char *segment, size_t size) {
  if (!pointer || *pointer != '/')
    return NULL;

  size_t used = 0;
  for (pointer++; *pointer && *pointer != '/'; pointer++) {
    char c = *pointer;
    if (c == '~' && (pointer[1] == '0' || pointer[1] == '1'))
      c = *++pointer == '0' ? '~' : '/';
    if (used + 1 < size)
      segment[used++] = c;
  }
  segment[used] = '\0';
  return pointer;
}

/* Returns the child of node that the pointer segment names, or NULL. */
static const tnode *child_at(const tnode *node, const char *segment) {
  if (node->kind == TNODE_OBJECT)
    return tnode_get(node, segment);
  if (node->kind != TNODE_ARRAY || has_call_item(node))
    return NULL;

  char *end;
  unsigned long index = strtoul(segment, &end, 10);
  if (end == segment || *end || index >= node->count)
    return NULL;
  return node->items[index];
}

/* Returns the node whose position a finding at pointer gets, or NULL when
 * the value at pointer reads no NoEcho parameter. */
static const tnode *anchor_for_pointer(const tnode *parameters, const tnode *properties,
                                       const char *pointer) {
  const tnode *node = properties;
  char segment[1024];
  for (;;) {
    if (!reads_no_echo(parameters, node))
      return NULL;
    if (tnode_is_call(node))
      return node;

    pointer = next_segment(pointer, segment, sizeof segment);
    const tnode *child = pointer ? child_at(node, segment) : NULL;
    if (!child)
      return node;
    node = child;
  }
}

/* Returns the value of the member of properties that contains
 * line:column and reads a NoEcho parameter, or NULL. */
static const tnode *anchor_for_position(const tnode *parameters, const tnode *properties,
                                        uint32_t line, uint32_t column) {
  if (properties->kind != TNODE_OBJECT)
    return NULL;

  for (size_t i = 0; i < properties->count; i++) {
    const tnode *value = properties->members[i].value;
    if (value && tnode_contains_position(value, line, column))
      return reads_no_echo(parameters, value) ? value : NULL;
  }
  return NULL;
}

/* Returns the first Fn::FindInMap call at or below node that reads a
 * NoEcho parameter and whose map is map_name or not a literal name, or
 * NULL. */
static const tnode *find_in_map_reading(const tnode *parameters, const tnode *node,
                                        const char *map_name) {
  if (tnode_is_call(node) && strcmp(node->members[0].key, "Fn::FindInMap") == 0) {
    const tnode *args = node->members[0].value;
    const tnode *map = args && args->kind == TNODE_ARRAY && args->count > 0 ? args->items[0] : NULL;
    int names_map = map && (map->kind != TNODE_STRING || strcmp(map->text, map_name) == 0);
    if (names_map && reads_no_echo(parameters, args))
      return node;
  }
  if (node->kind != TNODE_OBJECT && node->kind != TNODE_ARRAY)
    return NULL;

  for (size_t i = 0; i < node->count; i++) {
    const tnode *child = node->kind == TNODE_ARRAY ? node->items[i] : node->members[i].value;
    const tnode *call = child ? find_in_map_reading(parameters, child, map_name) : NULL;
    if (call)
      return call;
  }
  return NULL;
}

void secret_position_anchor_mappings(report_resource *resource, size_t first,
                                     const tnode *parameters, const tnode *mappings,
                                     const tnode *properties) {
  if (!parameters || parameters->kind != TNODE_OBJECT || !mappings ||
      mappings->kind != TNODE_OBJECT || !properties)
    return;

  for (size_t i = first; i < resource->finding_count; i++) {
    report_finding *finding = &resource->findings[i];
    if (finding->pointer && finding->pointer[0])
      continue;

    for (size_t m = 0; m < mappings->count; m++) {
      const tnode_member *map = &mappings->members[m];
      if (!map->value || !tnode_contains_position(map->value, finding->line, finding->column))
        continue;
      const tnode *call = find_in_map_reading(parameters, properties, map->key);
      if (call) {
        finding->line = call->line;
        finding->column = call->column;
      }
      break;
    }
  }
}

void secret_position_anchor(report_resource *resource, size_t first, const tnode *parameters,
                            const tnode *properties) {
  if (!parameters || parameters->kind != TNODE_OBJECT || !properties)
    return;

  for (size_t i = first; i < resource->finding_count; i++) {
    report_finding *finding = &resource->findings[i];
    const tnode *anchor;
    if (finding->pointer && finding->pointer[0])
      anchor = anchor_for_pointer(parameters, properties, finding->pointer);
    else
      anchor = anchor_for_position(parameters, properties, finding->line, finding->column);
    if (!anchor)
      continue;

    finding->line = anchor->line;
    finding->column = anchor->column;
  }
}

void secret_position_anchor_errors(report_resource *resource, size_t first,
                                   const tnode *parameters, const tnode *section) {
  if (!parameters || parameters->kind != TNODE_OBJECT || !section)
    return;

  for (size_t i = first; i < resource->finding_count; i++) {
    report_finding *finding = &resource->findings[i];
    if (finding->pointer && finding->pointer[0])
      continue;
    const tnode *anchor = anchor_for_position(parameters, section, finding->line,
                                              finding->column);
    if (!anchor)
      continue;

    finding->line = anchor->line;
    finding->column = anchor->column;
  }
}
