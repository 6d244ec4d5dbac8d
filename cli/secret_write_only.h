/*
 * Write-only text that reaches other places of a template: the values of
 * the parameters that a write-only property reads, and the copies of a
 * write-only value that YAML aliases make elsewhere.
 */
#ifndef CFGATE_CLI_SECRET_WRITE_ONLY_H
#define CFGATE_CLI_SECRET_WRITE_ONLY_H

#include <jansson.h>
#include <stddef.h>

#include "intrinsic.h"
#include "secret_mask.h"
#include "template_node.h"

/* Adds the values of the parameters without NoEcho that the text under
 * the writeOnlyProperties of schema in properties (an unresolved tree)
 * reads with Ref or ${Name}: the --parameter value in given, the Default
 * and the AllowedValues, hidden in every message with the property as the
 * reason.
 * A parameter's own checks (MinLength, AllowedPattern) and the reason of an
 * unknown value quote them before any property value exists. */
void secret_list_add_write_only_parameters(secret_list *list, json_t *schema,
                                           const tnode *properties, const tnode *parameters,
                                           const intrinsic_binding *given, size_t given_count);

/* The scalars written under write-only properties, sorted by position. */
typedef struct write_only_scalars {
  struct write_only_scalar *items;
  size_t count, capacity;
} write_only_scalars;

void write_only_scalars_init(write_only_scalars *scalars);
void write_only_scalars_fini(write_only_scalars *scalars);

/* Adds the scalars under the writeOnlyProperties of schema in properties,
 * an unresolved tree. Call write_only_scalars_sort() before looking up. */
void write_only_scalars_collect(write_only_scalars *scalars, json_t *schema,
                                const tnode *properties);
void write_only_scalars_sort(write_only_scalars *scalars);

/* Adds each scalar of properties, an unresolved tree, that copies a
 * collected write-only scalar: another node with the same position and
 * text, which is what a YAML alias (*pw) of the value is. Text of
 * SECRET_MIN_ANYWHERE or more bytes is hidden in every message, shorter
 * text where a message quotes it as the finding's value. */
void secret_list_add_write_only_copies(secret_list *list, const write_only_scalars *scalars,
                                       const tnode *properties);

#endif
