#include "suggest.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

enum { SUGGEST_MAX_NAME = 256 };

static size_t suggest_distance(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  if (la >= SUGGEST_MAX_NAME || lb >= SUGGEST_MAX_NAME)
    return (size_t)-1;

  size_t row[SUGGEST_MAX_NAME + 1];
  for (size_t j = 0; j <= lb; j++)
    row[j] = j;

  for (size_t i = 1; i <= la; i++) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= lb; j++) {
      size_t above = row[j];
      size_t cost = tolower((unsigned char)a[i - 1]) != tolower((unsigned char)b[j - 1]);
      size_t best = diagonal + cost;
      if (above + 1 < best)
        best = above + 1;
      if (row[j - 1] + 1 < best)
        best = row[j - 1] + 1;
      row[j] = best;
      diagonal = above;
    }
  }
  return row[lb];
}

void suggest_init(suggest *s, const char *target) {
  memset(s, 0, sizeof *s);
  s->target = target;
}

void suggest_offer(suggest *s, const char *candidate) {
  size_t limit = strlen(s->target) / 3;
  if (limit < 2)
    limit = 2;
  size_t d = suggest_distance(s->target, candidate);
  if (d > limit)
    return;

  size_t at = s->count;
  while (at > 0 && s->distance[at - 1] > d)
    at--;
  if (at >= DSL_MAX_SUGGESTIONS)
    return;

  size_t keep = s->count < DSL_MAX_SUGGESTIONS ? s->count : DSL_MAX_SUGGESTIONS - 1;
  memmove(&s->best[at + 1], &s->best[at], (keep - at) * sizeof s->best[0]);
  memmove(&s->distance[at + 1], &s->distance[at], (keep - at) * sizeof s->distance[0]);
  s->best[at] = candidate;
  s->distance[at] = d;
  if (s->count < DSL_MAX_SUGGESTIONS)
    s->count++;
}

void suggest_keywords(suggest *s) {
  static const char *const keywords[] = {"required", "pattern", "length", "range",
                                         "items",    "unique",  "in",     "because"};
  for (size_t i = 0; i < sizeof keywords / sizeof keywords[0]; i++)
    suggest_offer(s, keywords[i]);
}

void suggest_format(const suggest *s, char *out, size_t size) {
  if (s->count == 0) {
    out[0] = '\0';
    return;
  }

  size_t used = (size_t)snprintf(out, size, " (did you mean '%s'", s->best[0]);
  for (size_t i = 1; i < s->count && used < size; i++)
    used += (size_t)snprintf(out + used, size - used, "%s'%s'", i + 1 == s->count ? " or " : ", ",
                             s->best[i]);
  if (used < size)
    snprintf(out + used, size - used, "?)");
}
