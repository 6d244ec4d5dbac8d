/*
 * The part of the template comparison (template_widen.h) that covers the
 * assertion keywords it does not compare one by one: uniqueItems,
 * multipleOf, format, not, contains, propertyNames, dependencies, if/then/
 * else, a removed items or anyOf/oneOf, additionalProperties and any
 * keyword the comparison does not know.
 */
#ifndef CFGATE_TEMPLATE_WIDEN_KEYWORDS_H
#define CFGATE_TEMPLATE_WIDEN_KEYWORDS_H

#include <jansson.h>
#include <stddef.h>

/* The schema nodes that apply at one path of one template. */
typedef struct widen_keyword_nodes {
  const json_t *root; /* the template, to resolve "#/definitions/NAME" */
  const json_t *const *nodes;
  const unsigned char *head; /* 1: the node applies whenever the path does */
  size_t count;
} widen_keyword_nodes;

/* Receives one finding. The detail is heap memory that the callee takes
 * over. */
typedef void (*widen_keyword_report)(void *data, char *detail);

/* Reports each assertion of an old head node that no new head node makes
 * as well: a keyword that is absent from the new head nodes or has another
 * value there. Keywords compared elsewhere (type, enum, const, numeric
 * bounds, pattern, required, properties, patternProperties, $ref, allOf,
 * an items schema in both templates, the items and branches of a tuple,
 * anyOf or oneOf) and annotations (description, title, examples, default,
 * $comment, readOnly, writeOnly and x- keywords other than the
 * placeholders of x-cfgate) are skipped. Values are compared as schemas:
 * a $ref counts as the definition it names, annotations are ignored. When
 * names_reported is 1, the caller listed the level as open to any property
 * name, and additionalProperties is skipped. */
void widen_compare_keywords(const widen_keyword_nodes *old_nodes,
                            const widen_keyword_nodes *new_nodes, int names_reported,
                            widen_keyword_report report, void *data);

#endif
