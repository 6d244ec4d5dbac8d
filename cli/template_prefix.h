/*
 * The known start of a string whose rest is unknown before deployment
 * (`!Sub "bad-${Bucket.Arn}"`): when it already breaks a constraint, no
 * value can pass, so the finding is a violation instead of unverified.
 */
#ifndef CFGATE_TEMPLATE_PREFIX_H
#define CFGATE_TEMPLATE_PREFIX_H

#include <jansson.h>
#include <stddef.h>

#include "cfgate.h"
#include "template_node.h"

/* Returns 1 when schema_path reaches its keyword through conjunctive
 * keywords only (properties, items, allOf, ...), so a failure there fails
 * the whole value. Inside anyOf, oneOf, not or if, another branch may pass. */
int template_prefix_path_is_conjunctive(const char *schema_path);

/*
 * Checks the known prefix of the unknown string at against the schema node's
 * maxLength, enum or const, and pattern (its placeholders filled from
 * context). Returns 1 with the finding's message in out and its keyword in
 * *keyword when no value that starts with the prefix can pass, else 0. With
 * hidden set (a write-only value), the message quotes the prefix as "****".
 */
int template_prefix_violation(json_t *node, const tnode *at, const cfgate_context *context,
                              int hidden, char *out, size_t size, const char **keyword);

/* Frees the patterns template_prefix_violation() compiled and kept. */
void template_prefix_cache_free(void);

#endif
