/*
 * Corrections to provider schemas where the schema and CloudFormation
 * templates disagree, applied when a schema is loaded.
 */
#ifndef CFGATE_PROVIDER_FIXES_H
#define CFGATE_PROVIDER_FIXES_H

#include <jansson.h>

/* Applies the corrections for schema's typeName. Returns the number of
 * corrections applied. */
int provider_apply_fixes(json_t *schema);

#endif
