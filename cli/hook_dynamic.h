/*
 * Dynamic references ({{resolve:ssm:...}}) in a hook event's
 * resourceProperties. CloudFormation resolves them after the hook runs, so
 * the text the event carries is not the value the resource gets. The hook
 * validates such strings again as unknown strings, as `cfgate check` does,
 * so that a constraint on their text is unverified rather than passed.
 */
#ifndef CFGATE_CLI_HOOK_DYNAMIC_H
#define CFGATE_CLI_HOOK_DYNAMIC_H

#include <stddef.h>

#include "cfgate.h"
#include "template_node.h"

/* Returns 1 when bytes may contain a dynamic reference: "{{resolve:" as
 * written, or a \u escape, which can spell one. Without either, no string
 * of the JSON text contains one. */
int hook_dynamic_possible(const char *bytes, size_t size);

/* Returns the first string at or below node that contains a dynamic
 * reference, or NULL. */
const tnode *hook_dynamic_find(const tnode *node);

/* Returns the node at pointer (a JSON pointer) in root, or NULL. */
const tnode *hook_dynamic_at(const tnode *root, const char *pointer);

/* Sends node as value events: each string that contains a dynamic
 * reference as an unknown string, numbers with their text as written, and
 * everything else as it is. Returns nonzero once the session has decided
 * its verdict. */
int hook_dynamic_emit(cfgate_session *session, const tnode *node);

/* Writes "dynamic reference {{resolve:...}} is resolved at deployment" for
 * the first reference in string (a string node), cut to a readable length. */
void hook_dynamic_describe(const tnode *string, char *out, size_t size);

#endif
