/*
 * Positions of placeholders in patterns. The pattern engine matches a
 * placeholder as one literal atom, while `cfgate instantiate` pastes the
 * regex-escaped value into the pattern text. Both agree only where the
 * placeholder is an atom of its own, so the compiler rejects every other
 * position, and instantiate fails on one.
 */
#ifndef CFGATE_PATTERN_PLACEHOLDER_H
#define CFGATE_PATTERN_PLACEHOLDER_H

#include <stddef.h>

/* Returns 1 when the len bytes at name are the NAME of a placeholder. */
typedef int (*pattern_placeholder_known)(void *data, const char *name, size_t len);

/* Receives one misplaced site: its byte offset and length in the pattern,
 * and a message that names it and gives the form to write instead. */
typedef void (*pattern_placeholder_report)(void *data, size_t offset, size_t len,
                                           const char *message);

/* Calls report for each placeholder, and each `${!`, in text[0..len) that
 * sits where the pattern engine and instantiation would read it
 * differently. Those positions are inside a character class, after a
 * backslash, before a quantifier, inside `{...}` after digits or commas,
 * right after a decimal escape such as `\1`, and under `(?i)`. Returns how
 * many it reported. The pattern should parse, because a pattern that does
 * not is rejected anyway and the scan does not check its syntax. */
size_t pattern_placeholder_scan(const char *text, size_t len, pattern_placeholder_known known,
                                pattern_placeholder_report report, void *data);

#endif
