/*
 * Workspace sizing at the edges of the limits: a limit above its maximum
 * or a size that does not fit in size_t gives cfgate_workspace_size() == 0
 * and a failed cfgate_session_init(), never a hang or a wrapped size.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cfgate_ir.h"
#include "vm_harness.h"

static const char *const unique_schema = "{\"type\":\"array\",\"uniqueItems\":true}";

/* Two nested arrays with uniqueItems can be open at once, so a session
 * reserves two tables. */
static const char *const nested_unique_schema =
    "{\"uniqueItems\":true,\"items\":{\"uniqueItems\":true}}";

static const char *const init_message =
    "cannot start the session: a limit is zero or too large, or the workspace size does not "
    "fit in size_t (cfgate_workspace_size() returns 0)";

static const char *const null_argument_message =
    "cannot start the session: the validator or the options are NULL (cfgate_registry_find() "
    "returns NULL for a type that the policy denies or does not name)";

/* Checks that options are rejected by both the size function and init. The
 * workspace passed to init is NULL, as for a caller that got size 0. */
static void assert_rejected(const cfgate_validator *v, const cfgate_options *options,
                            const cfgate_context *context) {
  assert_int_equal(cfgate_workspace_size(v, options, context), 0);

  cfgate_error error;
  assert_null(cfgate_session_init(NULL, 0, v, options, context, &error));
  assert_string_equal(error.keyword, "session");
  assert_string_equal(error.message, init_message);
}

static void unique_above_max_rejected(void **state) {
  (void)state;
  cfgate_validator *v = harness_build(unique_schema);
  static const uint32_t values[] = {CFGATE_MAX_UNIQUE_LIMIT + 1, 0x80000000u, 0x80000001u,
                                    UINT32_MAX};

  for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
    cfgate_options options;
    cfgate_options_default(&options);
    options.limits.max_unique = values[i];
    assert_rejected(v, &options, NULL);
  }
  ir_free(v);
}

static void unique_at_max_sized(void **state) {
  (void)state;
  cfgate_validator *v = harness_build(unique_schema);
  cfgate_options options;
  cfgate_options_default(&options);
  options.limits.max_unique = CFGATE_MAX_UNIQUE_LIMIT;

  /* One table: 12 bytes per item and a 4-byte index slot for twice as
   * many, 2.5 GiB in all. */
  size_t table = (size_t)CFGATE_MAX_UNIQUE_LIMIT * 12 + (size_t)CFGATE_MAX_UNIQUE_LIMIT * 8;
  assert_true(cfgate_workspace_size(v, &options, NULL) > table);
  ir_free(v);
}

static void arena_over_4_gib_rejected(void **state) {
  (void)state;
  cfgate_validator *v = harness_build(nested_unique_schema);
  cfgate_options options;
  cfgate_options_default(&options);
  options.limits.max_unique = CFGATE_MAX_UNIQUE_LIMIT;

  assert_rejected(v, &options, NULL);
  ir_free(v);
}

static void path_above_max_rejected(void **state) {
  (void)state;
  cfgate_validator *v = harness_build(unique_schema);
  cfgate_options options;
  cfgate_options_default(&options);

  options.limits.max_path = CFGATE_MAX_PATH_LIMIT;
  assert_true(cfgate_workspace_size(v, &options, NULL) > CFGATE_MAX_PATH_LIMIT);

  options.limits.max_path = CFGATE_MAX_PATH_LIMIT + 1;
  assert_rejected(v, &options, NULL);
  ir_free(v);
}

static void every_limit_max_rejected(void **state) {
  (void)state;
  cfgate_validator *v = harness_build(unique_schema);
  cfgate_options options;
  cfgate_options_default(&options);
  options.limits = (cfgate_limits){UINT32_MAX, UINT32_MAX, UINT32_MAX, UINT32_MAX,
                                   UINT32_MAX, UINT32_MAX, UINT32_MAX};

  assert_rejected(v, &options, NULL);
  ir_free(v);
}

/* max_errors * (max_path + 897) bytes of error text once wrapped around
 * to a size smaller than the defaults need. */
static void errors_and_path_max_rejected(void **state) {
  (void)state;
  cfgate_validator *v = harness_build(unique_schema);
  cfgate_options options;
  cfgate_options_default(&options);
  options.limits.max_errors = UINT32_MAX;
  options.limits.max_path = UINT32_MAX;

  assert_rejected(v, &options, NULL);
  ir_free(v);
}

static void zero_limit_rejected(void **state) {
  (void)state;
  cfgate_validator *v = harness_build(unique_schema);
  cfgate_options options;
  cfgate_limits *l = &options.limits;
  uint32_t *const fields[] = {&l->max_depth,  &l->max_path,   &l->max_unique, &l->max_string,
                              &l->max_errors, &l->max_frames, &l->max_members};

  for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
    cfgate_options_default(&options);
    *fields[i] = 0;
    assert_rejected(v, &options, NULL);
  }
  ir_free(v);
}

/* Context values whose lengths add up past SIZE_MAX. The size function
 * reads only the lengths, so no such buffer exists. */
static void context_bytes_overflow_rejected(void **state) {
  (void)state;
  cfgate_validator *v = harness_build(
      "{\"x-cfgate\":{\"placeholders\":[\"A\",\"B\"]},\"enum\":[\"${A}${B}\"]}");
  cfgate_str names[] = {{"A", 1}, {"B", 1}};
  cfgate_str values[] = {{"a", SIZE_MAX / 2 + 1}, {"b", SIZE_MAX / 2 + 1}};
  cfgate_context context = {names, values, 2};
  cfgate_options options;
  cfgate_options_default(&options);

  assert_rejected(v, &options, &context);

  values[0].len = 1;
  values[1].len = 1;
  assert_true(cfgate_workspace_size(v, &options, &context) > 0);
  ir_free(v);
}

/* cfgate_registry_find() returns NULL for a type the policy denies, and a
 * caller that passes it on gets size 0 and no session, as for other bad
 * arguments, instead of a crash. NULL options are rejected the same way. */
static void null_validator_rejected(void **state) {
  (void)state;
  cfgate_validator *v = harness_build(unique_schema);
  const cfgate_registry_entry entries[] = {{"AWS::SQS::Queue", v}};
  const cfgate_registry registry = {entries, 1};
  const cfgate_validator *denied = cfgate_registry_find(&registry, "AWS::EC2::Instance");
  assert_null(denied);

  cfgate_options options;
  cfgate_options_default(&options);
  assert_int_equal(cfgate_workspace_size(denied, &options, NULL), 0);
  assert_int_equal(cfgate_workspace_size(v, NULL, NULL), 0);

  static _Alignas(max_align_t) unsigned char workspace[4096];
  cfgate_error error;
  assert_null(cfgate_session_init(workspace, sizeof workspace, denied, &options, NULL, &error));
  assert_string_equal(error.keyword, "session");
  assert_string_equal(error.message, null_argument_message);

  assert_null(cfgate_session_init(workspace, sizeof workspace, v, NULL, NULL, &error));
  assert_string_equal(error.keyword, "session");
  assert_string_equal(error.message, null_argument_message);

  /* The error argument may be NULL too: the failure is then the NULL result alone. */
  assert_null(cfgate_session_init(workspace, sizeof workspace, denied, &options, NULL, NULL));
  assert_null(cfgate_session_init(workspace, 16, v, &options, NULL, NULL));
  ir_free(v);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(unique_above_max_rejected),
      cmocka_unit_test(unique_at_max_sized),
      cmocka_unit_test(arena_over_4_gib_rejected),
      cmocka_unit_test(path_above_max_rejected),
      cmocka_unit_test(every_limit_max_rejected),
      cmocka_unit_test(errors_and_path_max_rejected),
      cmocka_unit_test(zero_limit_rejected),
      cmocka_unit_test(context_bytes_overflow_rejected),
      cmocka_unit_test(null_validator_rejected),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
