/*
 * "Did you mean" suggestions: the closest names by case-insensitive edit
 * distance (Levenshtein).
 */
#ifndef CFGATE_SUGGEST_H
#define CFGATE_SUGGEST_H

#include <stddef.h>

typedef struct suggest {
  const char *wanted;
  const char *best[3];
  size_t distance[3];
  size_t count;
} suggest;

void suggest_init(suggest *s, const char *wanted);

/* Offers one candidate; keeps the three closest within a distance of a
 * third of the wanted name's length (at least 2). */
void suggest_offer(suggest *s, const char *candidate);

/* Writes " (did you mean 'A' or 'B'?)" into out, or "" when nothing is
 * close. */
void suggest_format(const suggest *s, char *out, size_t size);

#endif
