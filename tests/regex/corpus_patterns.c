/* Collects the regexes of every provider schema: "pattern" strings and "patternProperties" keys. */
#include "corpus_patterns.h"

#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int add_pattern(corpus_patterns *patterns, const char *text, size_t len) {
  for (size_t i = 0; i < patterns->count; i++) {
    corpus_pattern *p = &patterns->items[i];
    if (p->len == len && memcmp(p->text, text, len) == 0) {
      p->uses++;
      return 0;
    }
  }
  if (patterns->count == patterns->capacity) {
    size_t capacity = patterns->capacity ? patterns->capacity * 2 : 256;
    corpus_pattern *items = realloc(patterns->items, capacity * sizeof *items);
    if (!items) return -1;
    patterns->items = items;
    patterns->capacity = capacity;
  }
  char *copy = malloc(len + 1);
  if (!copy) return -1;
  memcpy(copy, text, len);
  copy[len] = '\0';
  patterns->items[patterns->count++] = (corpus_pattern){copy, len, 1};
  return 0;
}

static int walk(json_t *node, corpus_patterns *patterns) {
  const char *key;
  json_t *value;
  size_t index;

  if (json_is_array(node)) {
    json_array_foreach(node, index, value) {
      if (walk(value, patterns) < 0) return -1;
    }
    return 0;
  }
  if (!json_is_object(node)) return 0;
  json_object_foreach(node, key, value) {
    if (strcmp(key, "pattern") == 0 && json_is_string(value) &&
        add_pattern(patterns, json_string_value(value), json_string_length(value)) < 0) {
      return -1;
    }
    if (strcmp(key, "patternProperties") == 0 && json_is_object(value)) {
      const char *name;
      json_t *ignored;
      json_object_foreach(value, name, ignored) {
        if (add_pattern(patterns, name, strlen(name)) < 0) return -1;
      }
    }
    if (walk(value, patterns) < 0) return -1;
  }
  return 0;
}

static int by_uses(const void *a, const void *b) {
  const corpus_pattern *x = a, *y = b;
  if (x->uses != y->uses) return x->uses > y->uses ? -1 : 1;
  return strcmp(x->text, y->text);
}

int corpus_patterns_load(const char *folder, corpus_patterns *patterns) {
  DIR *dir = opendir(folder);
  struct dirent *entry;
  char path[4096];

  memset(patterns, 0, sizeof *patterns);
  if (!dir) {
    fprintf(stderr, "%s: cannot open the provider schema folder\n", folder);
    return -1;
  }
  while ((entry = readdir(dir)) != NULL) {
    size_t n = strlen(entry->d_name);
    if (n < 5 || strcmp(entry->d_name + n - 5, ".json") != 0) continue;
    snprintf(path, sizeof path, "%s/%s", folder, entry->d_name);
    json_error_t error;
    json_t *schema = json_load_file(path, JSON_ALLOW_NUL, &error);
    if (!schema) {
      fprintf(stderr, "%s:%d:%d: invalid JSON: %s\n", path, error.line, error.column, error.text);
      closedir(dir);
      return -1;
    }
    int result = walk(schema, patterns);
    json_decref(schema);
    if (result < 0) {
      closedir(dir);
      return -1;
    }
  }
  closedir(dir);
  qsort(patterns->items, patterns->count, sizeof *patterns->items, by_uses);
  return 0;
}

void corpus_patterns_free(corpus_patterns *patterns) {
  for (size_t i = 0; i < patterns->count; i++) free(patterns->items[i].text);
  free(patterns->items);
  memset(patterns, 0, sizeof *patterns);
}
