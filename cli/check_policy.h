/*
 * The policy of `cfgate check` and `cfgate hook`: .gate sources compiled in
 * memory or a folder written by `cfgate compile`, with one validator per
 * resource type built on first use.
 */
#ifndef CFGATE_CLI_CHECK_POLICY_H
#define CFGATE_CLI_CHECK_POLICY_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#include "cfgate.h"

typedef struct check_policy check_policy;

/* Opens the policy. A single folder with a manifest.json is loaded as
 * compiled output. Anything else is compiled from .gate files against the
 * provider schemas in schemas, or in $CFGATE_SCHEMAS when schemas is NULL.
 * With a baseline (a compiled folder, or NULL), compiled .gate files that
 * admit what its templates reject for a type whose provider schema changed
 * are a failure that lists each finding (policy_set_compare()). Errors go
 * to diagnostics. Returns NULL on failure. */
check_policy *check_policy_open(const char *const *paths, size_t count, const char *schemas,
                                const char *baseline, FILE *diagnostics);

/* Opens the policy like check_policy_open() for checks of type_name only.
 * A compiled folder then loads the template of type_name alone, and the
 * policy treats every other type as not named. .gate sources are compiled
 * whole. */
check_policy *check_policy_open_type(const char *const *paths, size_t count, const char *schemas,
                                     const char *baseline, const char *type_name,
                                     FILE *diagnostics);

void check_policy_free(check_policy *policy);

/* Returns the validator of type_name and sets *schema to its restricted
 * template (borrowed). Returns NULL with a message when the policy denies
 * the type or its validator cannot be built; *denied is 1 for a denial. */
const cfgate_validator *check_policy_find(check_policy *policy, const char *type_name,
                                          json_t **schema, int *denied, char *message,
                                          size_t message_size);

/* Returns 1 when the policy names type_name, with or without a restriction. */
int check_policy_names(const check_policy *policy, const char *type_name);

/* Returns 1 when a restricted type of the policy lists the placeholder
 * name in its template. */
int check_policy_has_placeholder(const check_policy *policy, const char *name);

/* Writes the placeholder names of the policy other than AWS:: ones, comma
 * separated, to text[0..size); "" when it has none. */
void check_policy_context_names(const check_policy *policy, char *text, size_t size);

/* Warns on standard error, as command, when no restricted type of the
 * policy reads the placeholder that --context name binds, because such a
 * name is probably misspelt. The warning lists the names there are. */
void check_policy_warn_unused_context(const check_policy *policy, const char *command,
                                      const char *name);

#endif
