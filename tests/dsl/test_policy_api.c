/*
 * The in-memory policy API: compiling .gate files into a policy_set,
 * writing it as an output folder and loading that folder back.
 *
 * usage: test_dsl_policy_api EXAMPLE_POLICY SCHEMAS_DIR WORK_DIR
 */
#define _DEFAULT_SOURCE /* mkdtemp */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "policy.h"

static const char *example_policy;
static const char *schemas_dir;
static const char *work_dir;

static policy_set *compile_example(void) {
  const char *paths[] = {example_policy};
  policy_options options = {schemas_dir, 0, NULL, NULL, NULL};
  size_t errors = 1;
  policy_set *set = policy_compile(paths, 1, &options, &errors);
  assert_int_equal(errors, 0);
  assert_non_null(set);
  return set;
}

static void compile_lists_types(void **state) {
  policy_set *set = compile_example();
  assert_int_equal(set->count, 4);
  assert_string_equal(set->types[0].type_name, "AWS::Lambda::Permission");
  assert_string_equal(set->types[1].type_name, "AWS::S3::Bucket");
  assert_int_equal(set->source_count, 1);

  const policy_type *bucket = policy_set_find(set, "AWS::S3::Bucket");
  assert_non_null(bucket);
  assert_non_null(bucket->template_schema);
  assert_int_equal(strlen(bucket->provider_sha256), 64);
  assert_int_equal(bucket->line, 6);
  assert_int_equal(bucket->column, 6);
  assert_null(policy_set_find(set, "AWS::EC2::Instance"));
  policy_set_free(set);
}

static void write_and_load_round_trip(void **state) {
  policy_set *set = compile_example();
  char folder[4096];
  snprintf(folder, sizeof folder, "%s/round-trip", work_dir);
  char error[1024] = "";
  assert_int_equal(policy_set_write(set, folder, NULL, error, sizeof error), 0);

  policy_set *loaded = policy_load_compiled(folder, error, sizeof error);
  assert_non_null(loaded);
  assert_int_equal(loaded->count, set->count);
  for (size_t i = 0; i < set->count; i++) {
    assert_string_equal(loaded->types[i].type_name, set->types[i].type_name);
    assert_string_equal(loaded->types[i].provider_sha256, set->types[i].provider_sha256);
    assert_true(json_equal(loaded->types[i].template_schema, set->types[i].template_schema));
  }
  policy_set_free(loaded);
  policy_set_free(set);
}

static void load_without_manifest_fails(void **state) {
  char folder[4096];
  snprintf(folder, sizeof folder, "%s/empty", work_dir);
  mkdir(folder, 0777);
  char error[1024] = "";
  assert_null(policy_load_compiled(folder, error, sizeof error));
  assert_non_null(strstr(error, "manifest.json: cannot load manifest"));
}

/* Removes the queue template that an earlier run of these tests edited:
 * policy_set_write() replaces only a template with the bytes it wrote. */
static void remove_edited_queue_template(const char *folder, char *path, size_t path_size) {
  snprintf(path, path_size, "%s/templates/aws-sqs-queue.json", folder);
  remove(path);
}

static void load_broken_template_fails(void **state) {
  policy_set *set = compile_example();
  char folder[4096], path[4200];
  snprintf(folder, sizeof folder, "%s/broken", work_dir);
  remove_edited_queue_template(folder, path, sizeof path);
  char error[1024] = "";
  assert_int_equal(policy_set_write(set, folder, NULL, error, sizeof error), 0);
  policy_set_free(set);

  FILE *file = fopen(path, "w");
  assert_non_null(file);
  fputs("{\"type\": ", file);
  fclose(file);

  assert_null(policy_load_compiled(folder, error, sizeof error));
  assert_non_null(strstr(error, "aws-sqs-queue.json:1:"));
  assert_non_null(strstr(error, "invalid template"));
}

/* Writes the example policy to work_dir/NAME and replaces its queue
 * template with text, or removes it when text is NULL. */
static void write_with_queue_template(const char *name, const char *text, char *folder,
                                      size_t folder_size) {
  policy_set *set = compile_example();
  char path[4200], error[1024] = "";
  snprintf(folder, folder_size, "%s/%s", work_dir, name);
  remove_edited_queue_template(folder, path, sizeof path);
  assert_int_equal(policy_set_write(set, folder, NULL, error, sizeof error), 0);
  policy_set_free(set);

  if (!text) {
    assert_int_equal(remove(path), 0);
    return;
  }
  FILE *file = fopen(path, "w");
  assert_non_null(file);
  fputs(text, file);
  fclose(file);
}

static void load_missing_template_has_no_position(void **state) {
  char folder[4096], error[1024] = "", expected[4400];
  write_with_queue_template("missing", NULL, folder, sizeof folder);

  assert_null(policy_load_compiled(folder, error, sizeof error));
  snprintf(expected, sizeof expected,
           "%s/templates/aws-sqs-queue.json: invalid template: cannot read file: ", folder);
  assert_non_null(strstr(error, expected));
  assert_null(strstr(error, "-1"));
}

static void load_truncated_template_gives_line(void **state) {
  char folder[4096], error[1024] = "", expected[4400];
  write_with_queue_template("truncated", "{\n  \"type\": \"object\",\n", folder, sizeof folder);

  assert_null(policy_load_compiled(folder, error, sizeof error));
  snprintf(expected, sizeof expected, "%s/templates/aws-sqs-queue.json:3:1: invalid template: ",
           folder);
  assert_non_null(strstr(error, expected));
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: test_dsl_policy_api EXAMPLE_POLICY SCHEMAS_DIR WORK_DIR\n");
    return 2;
  }
  example_policy = argv[1];
  schemas_dir = argv[2];
  work_dir = argv[3];
  mkdir(work_dir, 0777);

  const struct CMUnitTest tests[] = {
      cmocka_unit_test(compile_lists_types),
      cmocka_unit_test(write_and_load_round_trip),
      cmocka_unit_test(load_without_manifest_fails),
      cmocka_unit_test(load_broken_template_fails),
      cmocka_unit_test(load_missing_template_has_no_position),
      cmocka_unit_test(load_truncated_template_gives_line),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
