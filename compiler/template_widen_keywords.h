/*
 * The part of the template comparison (template_widen.h) that covers the
 * assertion keywords it does not compare one by one: uniqueItems,
 * multipleOf, format, not, contains, propertyNames, dependencies,
 * additionalProperties and any keyword the comparison does not know.
 */
#ifndef CFGATE_TEMPLATE_WIDEN_KEYWORDS_H
#define CFGATE_TEMPLATE_WIDEN_KEYWORDS_H

#include <jansson.h>
#include <stddef.h>

/* The schema nodes that apply to every value at one path of one template:
 * the node, its $ref chain and its allOf members. */
typedef struct widen_keyword_nodes {
  const json_t *root; /* the template, to resolve "#/definitions/NAME" */
  const json_t *const *nodes;
  size_t count;
} widen_keyword_nodes;

/* Receives one finding. The detail is heap memory that the callee takes
 * over. */
typedef void (*widen_keyword_report)(void *data, char *detail);

/* Reports each assertion of an old node that no new node makes as well: a
 * keyword that is absent from the new nodes or has another value there.
 * Keywords compared elsewhere (type, enum, const, numeric bounds, pattern,
 * required, properties, patternProperties, $ref, allOf, items,
 * additionalItems, anyOf, oneOf, if, then and else) and annotations (description, title, examples, default,
 * $comment, readOnly, writeOnly and x- keywords other than the
 * placeholders of x-cfgate) are skipped. Values are compared as schemas:
 * a $ref counts as the definition it names, annotations are ignored. When
 * names_reported is 1, the caller listed the level as open to any property
 * name, and additionalProperties is skipped. */
void widen_compare_keywords(const widen_keyword_nodes *old_nodes,
                            const widen_keyword_nodes *new_nodes, int names_reported,
                            widen_keyword_report report, void *data);

#endif
