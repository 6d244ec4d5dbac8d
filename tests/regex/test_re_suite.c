/*
 * Runs the JSON-Schema-Test-Suite files about patterns with the pattern
 * engine and a minimal evaluator of the keywords those files combine with
 * pattern: type, maximum, patternProperties, additionalProperties and boolean
 * schemas. Any other keyword fails the test rather than being skipped.
 * Usage: test_re_suite FILE.json...
 */
#include <jansson.h>
#include <math.h>
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "re/re_compile.h"

static alignas(max_align_t) unsigned char state[1 << 18];
static int unsupported;

/* Returns 1 when the pattern matches text; a pattern that does not compile fails the run. */
static int pattern_matches(const char *pattern, const char *text, size_t len) {
  re_error error;
  cfgate_re *re = re_compile(pattern, strlen(pattern), NULL, &error);

  if (!re) {
    printf("FAIL pattern %s: offset %zu: %s\n", pattern, error.offset, error.message);
    unsupported = 1;
    return 0;
  }
  int result = cfgate_re_state_size(re, NULL) <= sizeof state ?
      cfgate_re_match(re, state, NULL, (const unsigned char *)text, len) : -1;
  re_free(re);
  return result == 1;
}

static int type_holds(const char *type, json_t *value) {
  if (strcmp(type, "string") == 0) return json_is_string(value);
  if (strcmp(type, "boolean") == 0) return json_is_boolean(value);
  if (strcmp(type, "null") == 0) return json_is_null(value);
  if (strcmp(type, "number") == 0) return json_is_number(value);
  if (strcmp(type, "object") == 0) return json_is_object(value);
  if (strcmp(type, "array") == 0) return json_is_array(value);
  if (strcmp(type, "integer") == 0) {
    return json_is_integer(value) || (json_is_real(value) && floor(json_real_value(value)) == json_real_value(value));
  }
  printf("FAIL unsupported type %s\n", type);
  unsupported = 1;
  return 0;
}

static int validate(json_t *schema, json_t *value);

static int validate_properties(json_t *schema, json_t *value) {
  json_t *patterns = json_object_get(schema, "patternProperties");
  json_t *additional = json_object_get(schema, "additionalProperties");
  const char *key, *pattern;
  json_t *item, *subschema;

  if (!json_is_object(value)) return 1;
  json_object_foreach(value, key, item) {
    int matched = 0;
    json_object_foreach(patterns, pattern, subschema) {
      if (!pattern_matches(pattern, key, strlen(key))) continue;
      matched = 1;
      if (!validate(subschema, item)) return 0;
    }
    if (!matched && additional && !validate(additional, item)) return 0;
  }
  return 1;
}

static int validate(json_t *schema, json_t *value) {
  const char *keyword;
  json_t *argument;

  if (json_is_boolean(schema)) return json_is_true(schema);
  json_object_foreach(schema, keyword, argument) {
    if (strcmp(keyword, "pattern") == 0) {
      if (json_is_string(value) && !pattern_matches(json_string_value(argument), json_string_value(value),
                                                    json_string_length(value))) {
        return 0;
      }
    } else if (strcmp(keyword, "type") == 0) {
      if (!type_holds(json_string_value(argument), value)) return 0;
    } else if (strcmp(keyword, "maximum") == 0) {
      if (json_is_number(value) && json_number_value(value) > json_number_value(argument)) return 0;
    } else if (strcmp(keyword, "patternProperties") == 0) {
      if (!validate_properties(schema, value)) return 0;
    } else if (strcmp(keyword, "additionalProperties") != 0) {
      printf("FAIL unsupported keyword %s\n", keyword);
      unsupported = 1;
    }
  }
  return 1;
}

static int run_file(const char *path, size_t *total) {
  json_error_t error;
  json_t *groups = json_load_file(path, 0, &error), *group, *test;
  size_t g, t;
  int failures = 0;

  if (!groups) {
    printf("FAIL %s:%d:%d: %s\n", path, error.line, error.column, error.text);
    return 1;
  }
  json_array_foreach(groups, g, group) {
    json_t *schema = json_object_get(group, "schema");
    json_array_foreach(json_object_get(group, "tests"), t, test) {
      int expected = json_is_true(json_object_get(test, "valid"));
      int actual = validate(schema, json_object_get(test, "data"));
      (*total)++;
      if (actual == expected) continue;
      failures++;
      printf("FAIL %s: %s / %s: valid %d, expected %d\n", path,
             json_string_value(json_object_get(group, "description")),
             json_string_value(json_object_get(test, "description")), actual, expected);
    }
  }
  json_decref(groups);
  return failures;
}

int main(int argc, char **argv) {
  size_t total = 0;
  int failures = 0;

  if (argc < 2) {
    fprintf(stderr, "usage: %s FILE.json...\n", argv[0]);
    return 2;
  }
  for (int i = 1; i < argc; i++) failures += run_file(argv[i], &total);
  printf("%zu suite tests, %d failures%s\n", total, failures, unsupported ? ", unsupported input" : "");
  return failures != 0 || unsupported;
}
