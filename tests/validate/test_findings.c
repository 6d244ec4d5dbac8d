/*
 * Runtime findings through the public API: the error cap keeps the first
 * max_errors findings and counts the rest, malformed text after a decided
 * verdict still makes the verdict CFGATE_MALFORMED, and schema paths of the
 * boolean schema false. Each document is fed whole and in 1- and 7-byte
 * chunks, which must give the same result.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vm_harness.h"

static const size_t chunk_sizes[] = {0, 1, 7};

#define CLOSED_SCHEMA "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{\"b\":{}}}"

/* Runs document with every chunk size and checks the results agree. */
static void run_chunked(const cfgate_validator *v, const cfgate_options *options, const char *document,
                        harness_result *result) {
  harness_run(v, options, NULL, document, strlen(document), 0, result);

  for (size_t i = 1; i < sizeof chunk_sizes / sizeof chunk_sizes[0]; i++) {
    harness_result chunked;
    harness_run(v, options, NULL, document, strlen(document), chunk_sizes[i], &chunked);
    assert_int_equal(chunked.verdict, result->verdict);
    assert_int_equal(chunked.error_count, result->error_count);
    for (size_t k = 0; k < result->error_count; k++) {
      assert_string_equal(chunked.errors[k].message, result->errors[k].message);
      assert_int_equal(chunked.errors[k].line, result->errors[k].line);
      assert_int_equal(chunked.errors[k].column, result->errors[k].column);
    }
  }
}

/* Validates document in one chunk and returns the omitted count. */
static size_t omitted_after(const cfgate_validator *v, const cfgate_options *options, const char *document,
                            harness_result *result) {
  size_t size = cfgate_workspace_size(v, options, NULL);
  void *workspace = aligned_alloc(16, (size + 15) & ~(size_t)15);
  cfgate_error error;
  assert_non_null(workspace);

  cfgate_session *s = cfgate_session_init(workspace, size, v, options, NULL, &error);
  assert_non_null(s);
  cfgate_feed(s, document, strlen(document));
  cfgate_verdict verdict = cfgate_finish(s);
  harness_collect(s, verdict, result);
  size_t omitted = cfgate_errors_omitted(s);

  free(workspace);
  return omitted;
}

static void cap_keeps_first_findings(void **state) {
  (void)state;
  cfgate_validator *v = harness_build("{\"items\":{\"type\":\"string\"}}");
  cfgate_options options;
  cfgate_options_default(&options);
  options.all_errors = 1;
  options.limits.max_errors = 2;

  harness_result r;
  run_chunked(v, &options, "[1,2,3,4,5]", &r);
  assert_int_equal(r.verdict, CFGATE_INVALID);
  assert_int_equal(r.error_count, 2);
  assert_string_equal(r.errors[0].instance_path, "/0");
  assert_string_equal(r.errors[1].instance_path, "/1");
  assert_string_equal(r.errors[1].keyword, "type");
  assert_string_equal(r.errors[1].message, "expected string, got number 2");
  assert_int_equal(omitted_after(v, &options, "[1,2,3,4,5]", &r), 3);
  ir_free(v);
}

static void cap_not_reached_omits_nothing(void **state) {
  (void)state;
  cfgate_validator *v = harness_build("{\"items\":{\"type\":\"string\"}}");
  cfgate_options options;
  cfgate_options_default(&options);
  options.all_errors = 1;
  options.limits.max_errors = 2;

  harness_result r;
  assert_int_equal(omitted_after(v, &options, "[1,2]", &r), 0);
  assert_int_equal(r.verdict, CFGATE_INVALID);
  assert_int_equal(r.error_count, 2);
  ir_free(v);
}

static void limit_after_cap_fails(void **state) {
  (void)state;
  cfgate_validator *v = harness_build("{\"items\":{\"type\":\"string\"}}");
  cfgate_options options;
  cfgate_options_default(&options);
  options.all_errors = 1;
  options.limits.max_errors = 2;
  options.limits.max_depth = 2;

  harness_result r;
  run_chunked(v, &options, "[1,2,3,[[4]]]", &r);
  assert_int_equal(r.verdict, CFGATE_FAILED);
  assert_int_equal(r.error_count, 2);
  assert_string_equal(r.errors[0].keyword, "type");
  assert_string_equal(r.errors[1].keyword, "limit");
  assert_string_equal(r.errors[1].message, "nesting too deep (limit is 2)");
  assert_string_equal(r.errors[1].schema_path, "");
  ir_free(v);
}

/* Each case has a violation before its syntax error. */
static const struct malformed_case {
  const char *document;
  const char *message;
  unsigned column;
} malformed_cases[] = {
    {"{\"a\":1,}", "unexpected ',' before '}'", 7},
    {"{\"a\":1} x", "unexpected 'x', expected end of input after the JSON value", 9},
    {"{\"a\":1", "unexpected end of input, expected ',' or a closing bracket", 7},
    {"{\"a\":\"\\q\"}", "invalid escape '\\q'", 7},
    {"{\"a\":[1,2],\"c\":tru}", "invalid literal 'tru' (expected true, false or null)", 16},
};

static void malformed_after_decision(int all_errors) {
  cfgate_validator *v = harness_build(CLOSED_SCHEMA);
  cfgate_options options;
  cfgate_options_default(&options);
  options.all_errors = all_errors;

  for (size_t i = 0; i < sizeof malformed_cases / sizeof malformed_cases[0]; i++) {
    const struct malformed_case *c = &malformed_cases[i];
    harness_result r;
    run_chunked(v, &options, c->document, &r);
    assert_int_equal(r.verdict, CFGATE_MALFORMED);
    assert_int_equal(r.error_count, 1);
    assert_string_equal(r.errors[0].keyword, "syntax");
    assert_string_equal(r.errors[0].message, c->message);
    assert_int_equal(r.errors[0].line, 1);
    assert_int_equal(r.errors[0].column, c->column);
  }
  ir_free(v);
}

static void malformed_after_first_error(void **state) {
  (void)state;
  malformed_after_decision(0);
}

static void malformed_after_all_errors(void **state) {
  (void)state;
  malformed_after_decision(1);
}

static void malformed_after_limit(void **state) {
  (void)state;
  cfgate_validator *v = harness_build("{}");
  cfgate_options options;
  cfgate_options_default(&options);
  options.limits.max_depth = 1;

  harness_result r;
  run_chunked(v, &options, "[[1]] ]", &r);
  assert_int_equal(r.verdict, CFGATE_MALFORMED);
  assert_int_equal(r.error_count, 1);
  assert_string_equal(r.errors[0].keyword, "syntax");
  assert_int_equal(r.errors[0].column, 7);
  ir_free(v);
}

static void decided_verdict_survives_valid_rest(void **state) {
  (void)state;
  cfgate_validator *v = harness_build(CLOSED_SCHEMA);
  harness_result r;

  run_chunked(v, NULL, "{\"a\":1, \"b\": [1, {\"c\": \"\\u00e9\"}]}  \n", &r);
  assert_int_equal(r.verdict, CFGATE_INVALID);
  assert_int_equal(r.error_count, 1);
  assert_string_equal(r.errors[0].keyword, "additionalProperties");
  assert_string_equal(r.errors[0].instance_path, "/a");
  ir_free(v);
}

/* cfgate_feed() returns nonzero only once the text is known to be malformed. */
static void feed_result_after_decision(void **state) {
  (void)state;
  cfgate_validator *v = harness_build(CLOSED_SCHEMA);
  cfgate_options options;
  cfgate_options_default(&options);
  size_t size = cfgate_workspace_size(v, &options, NULL);
  void *workspace = aligned_alloc(16, (size + 15) & ~(size_t)15);
  cfgate_error error;
  assert_non_null(workspace);
  cfgate_session *s = cfgate_session_init(workspace, size, v, &options, NULL, &error);
  assert_non_null(s);

  /* A token may wait for the scanner's lookahead, so the text after the
   * stray ']' is longer than CFGATE_LEXER_PADDING. */
  const char *rest = "]                                ";
  assert_int_equal(cfgate_feed(s, "{\"a\":1", 6), 0);
  assert_int_equal(cfgate_feed(s, ",\"b\":2", 6), 0);
  assert_int_equal(cfgate_error_count(s), 1);
  assert_int_not_equal(cfgate_feed(s, rest, strlen(rest)), 0);
  assert_int_not_equal(cfgate_feed(s, "}", 1), 0);
  assert_int_equal(cfgate_finish(s), CFGATE_MALFORMED);

  free(workspace);
  ir_free(v);
}

static void false_schema_path(void **state) {
  (void)state;
  cfgate_validator *root = harness_build("false");
  cfgate_validator *member = harness_build("{\"properties\":{\"a\":false}}");
  harness_result r;

  run_chunked(root, NULL, "1", &r);
  assert_int_equal(r.verdict, CFGATE_INVALID);
  assert_string_equal(r.errors[0].keyword, "false");
  assert_string_equal(r.errors[0].schema_path, "");

  run_chunked(member, NULL, "{\"a\":1}", &r);
  assert_int_equal(r.verdict, CFGATE_INVALID);
  assert_string_equal(r.errors[0].keyword, "false");
  assert_string_equal(r.errors[0].schema_path, "/properties/a");
  ir_free(root);
  ir_free(member);
}

/* Feeds parts[0..count) as separate chunks through one buffer, which is
 * overwritten after each call, and collects the findings. */
static void run_parts(const cfgate_validator *v, const char *const *parts, size_t count,
                      harness_result *result) {
  char buffer[64];
  cfgate_options options;
  cfgate_options_default(&options);
  size_t size = cfgate_workspace_size(v, &options, NULL);
  void *workspace = aligned_alloc(16, (size + 15) & ~(size_t)15);
  cfgate_error error;
  assert_non_null(workspace);

  cfgate_session *s = cfgate_session_init(workspace, size, v, &options, NULL, &error);
  assert_non_null(s);
  for (size_t i = 0; i < count; i++) {
    size_t len = strlen(parts[i]);
    assert_true(len <= sizeof buffer);
    memcpy(buffer, parts[i], len);
    cfgate_feed(s, buffer, len);
    memset(buffer, '#', sizeof buffer);
  }
  harness_collect(s, cfgate_finish(s), result);
  free(workspace);
}

/* A name read in one feed call and its value checked in the next: the
 * instance path and the message still name the member. */
static void name_outlives_feed_call(void **state) {
  (void)state;
  cfgate_validator *v = harness_build(
      "{\"properties\":{\"a/b\":{\"properties\":{\"n\":{\"type\":\"integer\"}}}},"
      "\"additionalProperties\":false}");
  const char *nested[] = {"{\"a/b\"", ":{\"n\"", ":\"x\"}}"};
  const char *closed[] = {"{\"c~d\"", ":1}"};
  harness_result r;

  run_parts(v, nested, sizeof nested / sizeof nested[0], &r);
  assert_int_equal(r.verdict, CFGATE_INVALID);
  assert_int_equal(r.error_count, 1);
  assert_string_equal(r.errors[0].instance_path, "/a~1b/n");

  run_parts(v, closed, sizeof closed / sizeof closed[0], &r);
  assert_int_equal(r.verdict, CFGATE_INVALID);
  assert_int_equal(r.error_count, 1);
  assert_string_equal(r.errors[0].instance_path, "/c~0d");
  assert_string_equal(r.errors[0].message, "property \"c~d\" is not allowed");
  ir_free(v);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(cap_keeps_first_findings),
      cmocka_unit_test(cap_not_reached_omits_nothing),
      cmocka_unit_test(limit_after_cap_fails),
      cmocka_unit_test(malformed_after_first_error),
      cmocka_unit_test(malformed_after_all_errors),
      cmocka_unit_test(malformed_after_limit),
      cmocka_unit_test(decided_verdict_survives_valid_rest),
      cmocka_unit_test(feed_result_after_decision),
      cmocka_unit_test(false_schema_path),
      cmocka_unit_test(name_outlives_feed_call),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
