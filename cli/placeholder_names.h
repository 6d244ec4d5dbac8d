/*
 * The placeholder names a restricted schema template lists in
 * "x-cfgate": {"placeholders": [...]}, used to warn about --context names
 * that nothing reads.
 */
#ifndef CFGATE_CLI_PLACEHOLDER_NAMES_H
#define CFGATE_CLI_PLACEHOLDER_NAMES_H

#include <jansson.h>
#include <stddef.h>

/* Returns 1 when template_schema lists the placeholder name. */
int placeholder_names_contains(const json_t *template_schema, const char *name);

/* Appends to the comma-separated list in text[0..size) each placeholder
 * name of template_schema that is not in it yet, skipping the AWS:: names
 * when skip_aws is 1. A name that does not fit is left out and the list
 * ends in "...". */
void placeholder_names_append(const json_t *template_schema, int skip_aws, char *text, size_t size);

#endif
