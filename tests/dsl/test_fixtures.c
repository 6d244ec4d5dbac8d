/*
 * DSL error fixtures: each folder under tests/fixtures/dsl/ contains a
 * policy.gate and an expected.txt with one line per diagnostic:
 *
 *   SEVERITY CODE FILE:LINE:COLUMN MESSAGE
 *
 * (FILE is "-" and LINE:COLUMN "0:0" for a diagnostic without a location).
 * The policy is compiled in its folder against the provider schemas given
 * on the command line, and the diagnostics must match in order.
 *
 * usage: test_dsl_fixtures FIXTURES_DIR SCHEMAS_DIR
 */
#define _DEFAULT_SOURCE /* DT_DIR, realpath */
#include <dirent.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "policy.h"

enum { FIXTURE_MAX = 256, LINE_MAX_BYTES = 1024, DIAGNOSTICS_MAX = 64 };

static char fixtures_dir[PATH_MAX];
static char schemas_dir[PATH_MAX];
static char fixture_names[FIXTURE_MAX][256];

typedef struct collected {
  char lines[DIAGNOSTICS_MAX][LINE_MAX_BYTES];
  size_t count;
} collected;

static void collect(void *data, const policy_diagnostic *d) {
  collected *c = data;
  if (c->count == DIAGNOSTICS_MAX)
    return;
  snprintf(c->lines[c->count++], LINE_MAX_BYTES, "%s %s %s:%u:%u %s", d->severity, d->code,
           d->file ? d->file : "-", d->line, d->column, d->message);
}

static size_t read_expected(const char *path, char lines[][LINE_MAX_BYTES]) {
  FILE *file = fopen(path, "r");
  assert_non_null(file);
  size_t count = 0;
  while (count < DIAGNOSTICS_MAX && fgets(lines[count], LINE_MAX_BYTES, file)) {
    lines[count][strcspn(lines[count], "\n")] = '\0';
    if (lines[count][0])
      count++;
  }
  fclose(file);
  return count;
}

static void test_fixture(void **state) {
  const char *name = *state;
  char folder[PATH_MAX * 2], cwd[PATH_MAX];
  snprintf(folder, sizeof folder, "%s/%s", fixtures_dir, name);
  assert_non_null(getcwd(cwd, sizeof cwd));
  assert_int_equal(chdir(folder), 0);

  static collected got;
  static char expected[DIAGNOSTICS_MAX][LINE_MAX_BYTES];
  memset(&got, 0, sizeof got);
  size_t expected_count = read_expected("expected.txt", expected);

  const char *paths[] = {"policy.gate"};
  policy_options options = {schemas_dir, 0, NULL, collect, &got};
  size_t errors = 0;
  policy_set *set = policy_compile(paths, 1, &options, &errors);
  assert_int_equal(chdir(cwd), 0);

  assert_true(expected_count > 0);
  for (size_t i = 0; i < expected_count && i < got.count; i++)
    assert_string_equal(got.lines[i], expected[i]);
  assert_int_equal(got.count, expected_count);

  /* A fixture with an error must not produce a policy; one with only
   * warnings must. */
  int has_error = strncmp(expected[0], "error ", 6) == 0;
  assert_int_equal(set == NULL, has_error);
  assert_int_equal(errors > 0, has_error);
  policy_set_free(set);
}

static int compare_names(const void *a, const void *b) {
  return strcmp(a, b);
}

static size_t list_fixtures(void) {
  DIR *dir = opendir(fixtures_dir);
  if (!dir)
    return 0;
  size_t count = 0;
  struct dirent *item;
  while ((item = readdir(dir)) != NULL && count < FIXTURE_MAX)
    if (item->d_name[0] != '.' && item->d_type == DT_DIR)
      snprintf(fixture_names[count++], sizeof fixture_names[0], "%s", item->d_name);
  closedir(dir);
  qsort(fixture_names, count, sizeof fixture_names[0], compare_names);
  return count;
}

int main(int argc, char **argv) {
  if (argc != 3 || !realpath(argv[1], fixtures_dir) || !realpath(argv[2], schemas_dir)) {
    fprintf(stderr, "usage: test_dsl_fixtures FIXTURES_DIR SCHEMAS_DIR (both must exist)\n");
    return 2;
  }

  size_t count = list_fixtures();
  if (count < 30) {
    fprintf(stderr, "expected at least 30 fixtures in %s, found %zu\n", fixtures_dir, count);
    return 1;
  }

  struct CMUnitTest *tests = calloc(count, sizeof tests[0]);
  for (size_t i = 0; i < count; i++)
    tests[i] = (struct CMUnitTest){fixture_names[i], test_fixture, NULL, NULL, fixture_names[i]};
  int failed = _cmocka_run_group_tests("dsl_fixtures", tests, count, NULL, NULL);
  free(tests);
  return failed;
}
