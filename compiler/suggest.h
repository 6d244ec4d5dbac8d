/*
 * "Did you mean" suggestions: the closest names by case-insensitive edit
 * distance (Levenshtein).
 */
#ifndef CFGATE_SUGGEST_H
#define CFGATE_SUGGEST_H

#include <stddef.h>

#include "dsl_limits.h"

typedef struct suggest {
  const char *target;
  const char *best[DSL_MAX_SUGGESTIONS];
  size_t distance[DSL_MAX_SUGGESTIONS];
  size_t count;
} suggest;

void suggest_init(suggest *s, const char *target);

/* Offers one candidate. Keeps the DSL_MAX_SUGGESTIONS closest within an
 * edit distance of a third of the target name's length (at least 2). */
void suggest_offer(suggest *s, const char *candidate);

/* Offers the DSL's constraint keywords (required, pattern, length, ...),
 * for a name that may be a misspelled keyword. */
void suggest_keywords(suggest *s);

/* Writes " (did you mean 'A' or 'B'?)" into out, or "" when nothing is
 * close. */
void suggest_format(const suggest *s, char *out, size_t size);

#endif
