/*
 * Positions of placeholders in policy patterns. The pattern engine matches a
 * placeholder as one literal atom, while `cfgate instantiate` pastes the
 * regex-escaped value into the pattern text. Both agree only where the
 * placeholder stands as an atom of its own, so every other position is a
 * compile error.
 */
#ifndef CFGATE_PATTERN_PLACEHOLDER_H
#define CFGATE_PATTERN_PLACEHOLDER_H

#include "compile.h"

/* Reports an invalid-pattern error at each placeholder, and each `${!`, that
 * sits where the pattern engine and instantiation would read it differently:
 * inside a character class, after a backslash, before a quantifier, inside
 * `{...}` after digits or commas, right after a decimal escape such as `\1`,
 * or under `(?i)`. Returns 1 when there is none. The pattern must parse. */
int pattern_placeholder_check(compile_ctx *ctx, const ast_string *pattern);

#endif
