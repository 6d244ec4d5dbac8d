/*
 * Sets of Unicode code points as sorted, disjoint, non-adjacent inclusive
 * ranges. Used by the parser for classes and by both back ends.
 */
#ifndef RE_CHARSET_H
#define RE_CHARSET_H

#include <stddef.h>
#include <stdint.h>

#define RE_MAX_CODE_POINT 0x10FFFFu

typedef struct re_charset {
  uint32_t *ranges; /* pairs low, high */
  size_t count;     /* number of pairs */
  size_t capacity;
  int normalized;
} re_charset;

/* Adds [low, high]. Returns 0, or -1 when memory runs out. */
int re_charset_add(re_charset *set, uint32_t low, uint32_t high);

/* Adds every range of other. Returns 0 or -1. */
int re_charset_add_set(re_charset *set, const re_charset *other);

/* Sorts and merges the ranges. */
void re_charset_normalize(re_charset *set);

/* Replaces the set with its complement in [0, RE_MAX_CODE_POINT]. Returns 0 or -1. */
int re_charset_negate(re_charset *set);

/* Adds every code point that has the same simple case folding as a member. Returns 0 or -1. */
int re_charset_fold_case(re_charset *set);

/* Adds the ranges of a \d, \w or \s escape (letter 'd', 'w' or 's'). Returns 0 or -1. */
int re_charset_add_escape(re_charset *set, char letter);

/* Adds the Unicode general category or script called name (loose match, with
 * optional "Script=", "sc=", "gc=", "General_Category=" or "Is" prefix).
 * Returns 1 when found, 0 when unknown or rejected, -1 when memory runs out.
 * *rejected is set to the reason when the name is rejected because dialects
 * read it differently (such as "Alpha"), else to NULL. */
int re_charset_add_property(re_charset *set, const char *name, size_t len, const char **rejected);

/* Returns 1 when every code point of inner is in outer. Both sets must be
 * normalized; 0 is returned when either is not. */
int re_charset_contains(const re_charset *outer, const re_charset *inner);

void re_charset_free(re_charset *set);

#endif /* RE_CHARSET_H */
