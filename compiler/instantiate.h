/*
 * Filling the placeholders of a restricted schema template, which turns it
 * into a plain draft-07 JSON Schema (docs/TEMPLATE-FORMAT.md).
 */
#ifndef CFGATE_INSTANTIATE_H
#define CFGATE_INSTANTIATE_H

#include <jansson.h>

typedef struct instantiate_value {
  const char *name; /* "AWS::AccountId" or a context name */
  const char *value;
} instantiate_value;

/* Returns a new schema with every placeholder of `x-cfgate.placeholders`
 * replaced (regex-escaped inside `pattern`) and `${!` turned into `${`.
 * Returns NULL with a message in error when a placeholder has no value, the
 * template has no x-cfgate block, or a pattern has a placeholder where the
 * pasted value would not match as the pattern engine matches it
 * (pattern_placeholder.h). */
json_t *instantiate_template(json_t *template_schema, const instantiate_value *values, size_t count,
                             char *error, size_t error_size);

#endif
