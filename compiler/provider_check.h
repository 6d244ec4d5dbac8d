/*
 * Shape check of one provider schema before it is compiled. Every place that
 * takes a subschema contains an object or a boolean, every `type` names a
 * JSON Schema type, and every $ref is a string that names a node inside the
 * same document and does not start a $ref cycle.
 */
#ifndef CFGATE_PROVIDER_CHECK_H
#define CFGATE_PROVIDER_CHECK_H

#include <jansson.h>
#include <stddef.h>

/* Returns 1 when root is well formed. Otherwise returns 0 and writes the
 * JSON pointer of the first defect and what is wrong with it into error. */
int provider_check(json_t *root, char *error, size_t error_size);

#endif
