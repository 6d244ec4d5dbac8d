/*
 * JSON-Schema-Test-Suite (draft 7) runner. Every file of tests/draft7,
 * optional/ and optional/format/ is run: each schema is compiled with
 * ir_build() and each instance is fed, exactly as written in the file, in
 * both error modes and in whole, 7-byte and 1-byte chunks. Remote $refs
 * (http://localhost:1234/...) are served from the suite's remotes/ folder.
 *
 *   suite_runner SUITE_DIR EXPECTED_FAILURES_FILE [DRAFT7_METASCHEMA]
 *
 * The draft-07 metaschema (http://json-schema.org/draft-07/schema), which
 * some required tests reference, is read from DRAFT7_METASCHEMA when given.
 * Prints one count line per file and the final line "N passed, N failed".
 * Exits 1 when a required test fails or an optional test fails that the
 * expected failures list does not name. A listed test that passes or no
 * longer exists also exits 1, so the list stays exact. Otherwise exits 0.
 */
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "expected_failures.h"
#include "ir/ir_build.h"
#include "raw_json.h"
#include "suite_case.h"

/* Maximum test groups per file and tests per group. */
#define SUITE_MAX_GROUPS 256
#define SUITE_MAX_TESTS 256
/* Maximum suite files per folder. */
#define SUITE_MAX_FILES 128

#define REMOTE_PREFIX "http://localhost:1234/"
#define METASCHEMA_URI "http://json-schema.org/draft-07/schema"

typedef struct suite {
  const char *root;          /* the json-schema-test-suite folder */
  const char *metaschema;    /* the draft-07 metaschema file, or NULL */
  expected_failures expected;
  unsigned passed, failed;   /* every test, optional ones included */
  int broken;                /* the run must fail */
} suite;

/* One file being run. */
typedef struct suite_file {
  const char *name;          /* relative to tests/draft7, e.g. "optional/bignum.json" */
  int optional;
  int assert_formats;
  char *text;                /* the raw file */
  size_t len;
  unsigned passed, failed;
} suite_file;

static char *read_all(const char *path, size_t *len) {
  FILE *in = fopen(path, "rb");
  char *text = NULL;

  if (in == NULL)
    return NULL;
  if (fseek(in, 0, SEEK_END) == 0) {
    long size = ftell(in);
    rewind(in);
    text = size >= 0 ? malloc((size_t)size + 1) : NULL;
    if (text != NULL) {
      *len = fread(text, 1, (size_t)size, in);
      text[*len] = '\0';
    }
  }
  fclose(in);
  return text;
}

/* Serves http://localhost:1234/PATH from SUITE_DIR/remotes/PATH, and the
 * draft-07 metaschema from the file given on the command line. */
static json_t *load_remote(void *user_data, const char *uri, const char **message) {
  const suite *run = user_data;
  char path[4096];
  json_error_t error;

  if (strcmp(uri, METASCHEMA_URI) == 0 && run->metaschema != NULL) {
    json_t *metaschema = json_load_file(run->metaschema, 0, &error);
    if (metaschema == NULL)
      *message = "the draft-07 metaschema file cannot be read";
    return metaschema;
  }
  if (strncmp(uri, REMOTE_PREFIX, strlen(REMOTE_PREFIX)) != 0) {
    *message = "only http://localhost:1234/ is served by the test suite";
    return NULL;
  }
  snprintf(path, sizeof path, "%s/remotes/%s", run->root, uri + strlen(REMOTE_PREFIX));

  json_t *document = json_load_file(path, JSON_DECODE_ANY, &error);
  if (document == NULL)
    *message = "no such document in the suite's remotes folder";
  return document;
}

static cfgate_validator *build_schema(suite *run, json_t *schema, ir_error *error) {
  ir_build_options options;

  ir_build_options_default(&options);
  options.load = load_remote;
  options.load_user_data = run;
  return ir_build(schema, &options, error);
}

static const char *json_text(json_t *object, const char *key) {
  const char *text = json_string_value(json_object_get(object, key));
  return text != NULL ? text : "(no description)";
}

/* Counts one test result and prints the failures. */
static void record(suite *run, suite_file *file, const char *group, const char *test, int ok,
                   const char *detail) {
  expected_failure *listed =
      file->optional ? expected_failures_find(&run->expected, file->name, group, test) : NULL;

  if (ok) {
    file->passed++;
    if (listed != NULL && !expected_failure_is_wildcard(listed)) {
      printf("XPASS %s: %s / %s: passes but is listed in expected-failures.txt\n", file->name, group, test);
      run->broken = 1;
    }
    return;
  }

  file->failed++;
  if (listed != NULL) {
    listed->seen = 1;
    printf("XFAIL %s: %s / %s: %s\n", file->name, group, test, listed->reason);
    return;
  }
  printf("FAIL %s: %s / %s: %s\n", file->name, group, test, detail);
  run->broken = 1;
}

static void run_test(suite *run, suite_file *file, const cfgate_validator *validator, const char *group,
                     json_t *test, raw_span data) {
  const char *description = json_text(test, "description");
  int expected_valid = json_is_true(json_object_get(test, "valid"));
  suite_outcome outcome;
  char detail[1200];

  if (suite_case_run(validator, file->assert_formats, file->text + data.begin, data.end - data.begin,
                     &outcome) != 0) {
    record(run, file, group, description, 0, outcome.detail);
    return;
  }

  cfgate_verdict expected_verdict = expected_valid ? CFGATE_VALID : CFGATE_INVALID;
  int ok = outcome.consistent && outcome.verdict == expected_verdict;
  if (!outcome.consistent)
    snprintf(detail, sizeof detail, "runs disagree: %s", outcome.detail);
  else
    snprintf(detail, sizeof detail, "expected %s, got verdict %d (%s)", expected_valid ? "valid" : "invalid",
             (int)outcome.verdict, outcome.detail);
  record(run, file, group, description, ok, detail);
}

static void run_group(suite *run, suite_file *file, json_t *group, raw_span group_span) {
  const char *description = json_text(group, "description");
  json_t *tests = json_object_get(group, "tests");
  raw_span tests_span, data[SUITE_MAX_TESTS] = {{0, 0}};
  ir_error error;

  long count = raw_object_member(file->text, group_span, "tests", &tests_span) == 0
                   ? raw_array_items(file->text, tests_span, NULL, 0)
                   : -1;
  if (count < 0 || (size_t)count != json_array_size(tests) || count > SUITE_MAX_TESTS) {
    printf("FAIL %s: %s: cannot locate the tests (limit is %d per group)\n", file->name, description,
           SUITE_MAX_TESTS);
    run->broken = 1;
    return;
  }

  raw_span items[SUITE_MAX_TESTS];
  raw_array_items(file->text, tests_span, items, SUITE_MAX_TESTS);
  for (long i = 0; i < count; i++)
    raw_object_member(file->text, items[i], "data", &data[i]);

  memset(&error, 0, sizeof error);
  cfgate_validator *validator = build_schema(run, json_object_get(group, "schema"), &error);
  for (long i = 0; i < count; i++) {
    json_t *test = json_array_get(tests, (size_t)i);
    if (validator == NULL) {
      char detail[1100];
      snprintf(detail, sizeof detail, "schema does not compile: %s: %s", error.schema_path, error.message);
      record(run, file, description, json_text(test, "description"), 0, detail);
      continue;
    }
    run_test(run, file, validator, description, test, data[i]);
  }
  ir_free(validator);
}

/* Parses the structure with jansson. Integers beyond 64 bits (optional
 * bignum tests) only parse as reals, so that is the fallback.
 * NOTE: a schema read this way keeps such integers as rounded doubles, so
 * the bignum schema limits are approximations; instance data is fed as
 * written and compared exactly. */
static json_t *parse_groups(const suite_file *file) {
  json_error_t error;
  json_t *groups = json_loadb(file->text, file->len, JSON_ALLOW_NUL, &error);

  if (groups == NULL)
    groups = json_loadb(file->text, file->len, JSON_ALLOW_NUL | JSON_DECODE_INT_AS_REAL, &error);
  if (groups == NULL)
    printf("FAIL %s:%d:%d: %s\n", file->name, error.line, error.column, error.text);
  return groups;
}

static void run_file(suite *run, suite_file *file, const char *path) {
  raw_span groups_span = {0, 0}, group_spans[SUITE_MAX_GROUPS];

  file->text = read_all(path, &file->len);
  json_t *groups = file->text != NULL ? parse_groups(file) : NULL;
  groups_span.end = file->len;
  long count = groups != NULL ? raw_array_items(file->text, groups_span, group_spans, SUITE_MAX_GROUPS) : -1;

  if (count < 0 || count > SUITE_MAX_GROUPS || (size_t)count != json_array_size(groups)) {
    printf("FAIL %s: cannot read the test groups (limit is %d per file)\n", file->name, SUITE_MAX_GROUPS);
    run->broken = 1;
  } else {
    for (long i = 0; i < count; i++)
      run_group(run, file, json_array_get(groups, (size_t)i), group_spans[i]);
  }

  printf("%s: %u passed, %u failed\n", file->name, file->passed, file->failed);
  run->passed += file->passed;
  run->failed += file->failed;
  json_decref(groups);
  free(file->text);
}

static int compare_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs every *.json file of tests/draft7/SUBDIR in name order. */
static void run_folder(suite *run, const char *subdir, int optional, int assert_formats) {
  char folder[4096], path[8192], name[512];
  char *names[SUITE_MAX_FILES];
  size_t count = 0;

  snprintf(folder, sizeof folder, "%s/tests/draft7%s%s", run->root, subdir[0] ? "/" : "", subdir);
  DIR *dir = opendir(folder);
  if (dir == NULL) {
    printf("FAIL %s: cannot open the folder\n", folder);
    run->broken = 1;
    return;
  }
  for (struct dirent *entry; (entry = readdir(dir)) != NULL && count < SUITE_MAX_FILES;) {
    size_t len = strlen(entry->d_name);
    if (len > 5 && strcmp(entry->d_name + len - 5, ".json") == 0)
      names[count++] = strdup(entry->d_name);
  }
  closedir(dir);
  qsort(names, count, sizeof names[0], compare_names);

  for (size_t i = 0; i < count; i++) {
    snprintf(name, sizeof name, "%s%s%s", subdir, subdir[0] ? "/" : "", names[i]);
    snprintf(path, sizeof path, "%s/%s", folder, names[i]);
    suite_file file = {name, optional, assert_formats, NULL, 0, 0, 0};
    run_file(run, &file, path);
    free(names[i]);
  }
}

/* Fails the run for listed cases that did not fail (renamed or removed). */
static void check_stale_entries(suite *run) {
  for (size_t i = 0; i < run->expected.count; i++) {
    const expected_failure *entry = &run->expected.entries[i];
    if (!entry->seen) {
      printf("STALE %s: %s / %s: listed in expected-failures.txt but did not fail\n", entry->file,
             entry->group, entry->test);
      run->broken = 1;
    }
  }
}

int main(int argc, char **argv) {
  static suite run;

  if (argc != 3 && argc != 4) {
    fprintf(stderr, "usage: suite_runner SUITE_DIR EXPECTED_FAILURES_FILE [DRAFT7_METASCHEMA]\n");
    return 2;
  }
  run.root = argv[1];
  run.metaschema = argc == 4 ? argv[3] : NULL;
  if (expected_failures_load(&run.expected, argv[2]) != 0)
    return 2;

  run_folder(&run, "", 0, 0);
  run_folder(&run, "optional", 1, 0);
  run_folder(&run, "optional/format", 1, 1);
  check_stale_entries(&run);

  printf("%u passed, %u failed\n", run.passed, run.failed);
  expected_failures_free(&run.expected);
  return run.broken ? 1 : 0;
}
