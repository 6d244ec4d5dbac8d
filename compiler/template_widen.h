/*
 * Comparison of two restricted templates of one resource type: lists what
 * the new template admits and the old one rejects. `cfgate compile` runs it
 * when a type's provider schema changed since the output folder was
 * written, so that a property AWS added under a kept subtree or under `*`
 * is not allowed without approval (docs/TEMPLATE-FORMAT.md).
 */
#ifndef CFGATE_TEMPLATE_WIDEN_H
#define CFGATE_TEMPLATE_WIDEN_H

#include <jansson.h>
#include <stddef.h>

typedef enum template_widen_kind {
  TEMPLATE_WIDEN_PROPERTY,  /* a property name, a map key pattern or any name */
  TEMPLATE_WIDEN_CONSTRAINT /* a value, a type, a looser bound or pattern, a dropped required */
} template_widen_kind;

/* One thing the new template admits and the old one rejects. */
typedef struct template_widening {
  template_widen_kind kind;
  char *pointer; /* JSON pointer in the properties ("/A/B"), '*' for items and map values */
  /* what is new, such as "new property", then the branches it is in, such
   * as " (in oneOf[1] at /Target)" */
  char *detail;
  /* the x-cfgate-rule nearest above or at the node in the new template
   * (borrowed from it), or NULL when no rule marks the path */
  const json_t *rule;
} template_widening;

typedef struct template_widenings {
  template_widening *items;
  size_t count, capacity;
} template_widenings;

/* Appends to list what new_template admits and old_template rejects: new
 * property names at any depth (also inside definitions reached by $ref),
 * new map key patterns, objects that no longer list their names, and new
 * enum or const values, types, looser numeric bounds, changed patterns and
 * properties no longer required. Any other assertion keyword that the new
 * template drops or changes is listed too (template_widen_keywords.h). The
 * members of an allOf apply with their node. The branches of an anyOf,
 * oneOf or if/then/else are compared with the branch at the same position,
 * and a finding in one names the branch in its detail. A group whose
 * branches cannot be paired is listed as one finding. A definition reached
 * along several paths is compared and listed once for each rule that
 * admits it, at the shortest path under that rule. */
void template_widen_compare(const json_t *old_template, const json_t *new_template,
                            template_widenings *list);

void template_widenings_free(template_widenings *list);

#endif
