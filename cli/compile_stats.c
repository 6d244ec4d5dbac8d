/*
 * Pattern statistics for `cfgate compile --stats`. Walks each restricted
 * template, compiles its patterns once per distinct text, and reports the
 * engine each one runs on.
 */
#include "compile_stats.h"

#include <stdlib.h>
#include <string.h>

#include "re/re_compile.h"

/* Maximum length of a schema location in a fallback line; longer ones are cut. */
#define STATS_MAX_POINTER 1024

typedef struct stats_seen {
  char **texts;
  size_t count, cap;
} stats_seen;

typedef struct stats_walk {
  const char *type_name;
  json_t *placeholders; /* x-cfgate.placeholders of the template, or NULL */
  stats_seen seen;
  re_stats_summary summary;
  FILE *out, *err;
  int failed;
} stats_walk;

/* Placeholder lookup for re_compile: the template's declared names only. */
static int stats_placeholder_id(void *user_data, const char *name, size_t len) {
  json_t *names = user_data;
  size_t i;
  json_t *item;

  json_array_foreach(names, i, item) {
    const char *text = json_string_value(item);
    if (text && strlen(text) == len && memcmp(text, name, len) == 0)
      return (int)i;
  }
  return -1;
}

/* Returns 1 when text was seen before, else remembers it and returns 0. */
static int stats_seen_add(stats_seen *seen, const char *text) {
  for (size_t i = 0; i < seen->count; i++)
    if (strcmp(seen->texts[i], text) == 0)
      return 1;

  if (seen->count == seen->cap) {
    size_t cap = seen->cap ? seen->cap * 2 : 256;
    char **texts = realloc(seen->texts, cap * sizeof *texts);
    if (!texts)
      return 1;
    seen->texts = texts;
    seen->cap = cap;
  }
  size_t len = strlen(text);
  char *copy = malloc(len + 1);
  if (!copy)
    return 1;
  memcpy(copy, text, len + 1);
  seen->texts[seen->count++] = copy;
  return 0;
}

static void stats_pattern(stats_walk *walk, const char *text, size_t len, const char *pointer) {
  if (stats_seen_add(&walk->seen, text))
    return;

  re_compile_options options;
  re_compile_options_default(&options);
  if (walk->placeholders) {
    options.placeholder_id = stats_placeholder_id;
    options.user_data = walk->placeholders;
  }

  re_error error;
  cfgate_re *re = re_compile(text, len, &options, &error);
  if (!re) {
    fprintf(walk->err, "cfgate compile: %s %s: invalid pattern at offset %zu: %s\n",
            walk->type_name, pointer, error.offset, error.message);
    walk->failed = 1;
    return;
  }

  re_stats stats;
  re_get_stats(re, &stats);
  re_stats_summary_add(&walk->summary, re);
  if (stats.engine != CFGATE_RE_ENGINE_DFA)
    fprintf(walk->out, "fallback: %s %s: %s (%s): %s\n", walk->type_name, pointer,
            stats.engine_name, stats.reason_text, text);
  re_free(re);
}

/* Appends "/token" to pointer, escaping '~' and '/' as RFC 6901 requires. */
static void stats_pointer_push(char *pointer, size_t size, const char *token) {
  size_t n = strlen(pointer);
  if (n + 1 < size)
    pointer[n++] = '/';
  for (const char *c = token; *c && n + 2 < size; c++) {
    if (*c == '~' || *c == '/') {
      pointer[n++] = '~';
      pointer[n++] = *c == '~' ? '0' : '1';
    } else {
      pointer[n++] = *c;
    }
  }
  pointer[n < size ? n : size - 1] = '\0';
}

static void stats_walk_value(stats_walk *walk, json_t *value, char *pointer);

static void stats_walk_object(stats_walk *walk, json_t *object, char *pointer) {
  size_t base = strlen(pointer);
  const char *key;
  json_t *child;

  json_object_foreach(object, key, child) {
    stats_pointer_push(pointer, STATS_MAX_POINTER, key);

    if (strcmp(key, "pattern") == 0 && json_is_string(child))
      stats_pattern(walk, json_string_value(child), json_string_length(child), pointer);

    if (strcmp(key, "patternProperties") == 0 && json_is_object(child)) {
      const char *pattern;
      json_t *ignored;
      json_object_foreach(child, pattern, ignored)
        stats_pattern(walk, pattern, strlen(pattern), pointer);
    }

    stats_walk_value(walk, child, pointer);
    pointer[base] = '\0';
  }
}

static void stats_walk_value(stats_walk *walk, json_t *value, char *pointer) {
  if (json_is_object(value)) {
    stats_walk_object(walk, value, pointer);
    return;
  }
  if (!json_is_array(value))
    return;

  size_t base = strlen(pointer);
  size_t i;
  json_t *item;
  json_array_foreach(value, i, item) {
    char index[32];
    snprintf(index, sizeof index, "%zu", i);
    stats_pointer_push(pointer, STATS_MAX_POINTER, index);
    stats_walk_value(walk, item, pointer);
    pointer[base] = '\0';
  }
}

int compile_stats_print(const policy_set *set, FILE *out, FILE *err) {
  stats_walk walk = {0};
  walk.out = out;
  walk.err = err;

  for (size_t i = 0; i < set->count; i++) {
    json_t *schema = set->types[i].template_schema;
    if (!schema)
      continue;

    char pointer[STATS_MAX_POINTER] = "";
    walk.type_name = set->types[i].type_name;
    walk.placeholders = json_object_get(json_object_get(schema, "x-cfgate"), "placeholders");
    stats_walk_value(&walk, schema, pointer);
  }

  re_stats_summary_print(&walk.summary, out);
  for (size_t i = 0; i < walk.seen.count; i++)
    free(walk.seen.texts[i]);
  free(walk.seen.texts);
  return walk.failed ? -1 : 0;
}
