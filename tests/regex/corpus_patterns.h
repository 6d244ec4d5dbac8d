/* Distinct pattern and patternProperties regexes of the provider schema snapshot. */
#ifndef CORPUS_PATTERNS_H
#define CORPUS_PATTERNS_H

#include <stddef.h>

typedef struct corpus_pattern {
  char *text;
  size_t len;
  size_t uses; /* occurrences in the snapshot */
} corpus_pattern;

typedef struct corpus_patterns {
  corpus_pattern *items; /* sorted by uses, most used first */
  size_t count;
  size_t capacity;
} corpus_patterns;

/* Loads every *.json in folder. Returns 0, or -1 with a message on stderr. */
int corpus_patterns_load(const char *folder, corpus_patterns *patterns);
void corpus_patterns_free(corpus_patterns *patterns);

#endif /* CORPUS_PATTERNS_H */
