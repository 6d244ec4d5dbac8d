/*
 * Bytes fed after cfgate_finish() without a reset were never validated, so
 * they make the document malformed whatever the verdict was, as a value
 * event after the top-level value does. A reset starts a new document.
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

static const char *const closed_schema =
    "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"}},"
    "\"additionalProperties\":false}";

static const char *const after_finish_message =
    "bytes fed after cfgate_finish(): call cfgate_session_reset() before the next document";

typedef harness_session session_fixture;

static int fixture_open(void **state, int all_errors) {
  *state = harness_session_open(closed_schema, all_errors);
  return 0;
}

static int first_error_setup(void **state) {
  return fixture_open(state, 0);
}

static int all_errors_setup(void **state) {
  return fixture_open(state, 1);
}

static int fixture_close(void **state) {
  harness_session_close(*state);
  return 0;
}

static int feed_text(cfgate_session *s, const char *text) {
  return cfgate_feed(s, text, strlen(text));
}

/* Checks the verdict and the one error a feed after finish leaves. */
static void assert_fed_after_finish(cfgate_session *s, uint32_t line, uint32_t column) {
  assert_int_equal(cfgate_finish(s), CFGATE_MALFORMED);
  assert_int_equal(cfgate_error_count(s), 1);

  const cfgate_error *e = cfgate_error_at(s, 0);
  assert_string_equal(e->keyword, "syntax");
  assert_string_equal(e->message, after_finish_message);
  assert_int_equal(e->line, line);
  assert_int_equal(e->column, column);
}

static void valid_then_feed_malformed(void **state) {
  session_fixture *f = *state;
  cfgate_session *s = f->session;

  assert_int_equal(feed_text(s, "{\"a\":1}"), 0);
  assert_int_equal(cfgate_finish(s), CFGATE_VALID);

  assert_int_not_equal(feed_text(s, "xx{"), 0);
  assert_fed_after_finish(s, 1, 8);
}

/* Even bytes that would make a valid document on their own are rejected,
 * because they were not validated as one. */
static void valid_then_valid_malformed(void **state) {
  session_fixture *f = *state;
  cfgate_session *s = f->session;

  feed_text(s, "{\"a\":1}\n");
  assert_int_equal(cfgate_finish(s), CFGATE_VALID);

  assert_int_not_equal(feed_text(s, "{}"), 0);
  assert_fed_after_finish(s, 2, 1);
}

static void invalid_then_feed_malformed(void **state) {
  session_fixture *f = *state;
  cfgate_session *s = f->session;

  feed_text(s, "{\"Evil\":1}");
  assert_int_equal(cfgate_finish(s), CFGATE_INVALID);

  assert_int_not_equal(feed_text(s, "{}"), 0);
  assert_fed_after_finish(s, 1, 11);
}

static void empty_feed_after_finish_malformed(void **state) {
  session_fixture *f = *state;
  cfgate_session *s = f->session;

  feed_text(s, "{}");
  assert_int_equal(cfgate_finish(s), CFGATE_VALID);

  assert_int_not_equal(cfgate_feed(s, NULL, 0), 0);
  assert_fed_after_finish(s, 1, 3);
}

/* A document that finish found malformed keeps its own syntax error. */
static void malformed_keeps_first_error(void **state) {
  session_fixture *f = *state;
  cfgate_session *s = f->session;

  feed_text(s, "{\"a\":1");
  assert_int_equal(cfgate_finish(s), CFGATE_MALFORMED);

  assert_int_not_equal(feed_text(s, "}"), 0);
  assert_int_equal(cfgate_finish(s), CFGATE_MALFORMED);
  assert_int_equal(cfgate_error_count(s), 1);
  assert_string_equal(cfgate_error_at(s, 0)->message,
                      "unexpected end of input, expected ',' or a closing bracket");
}

static void finish_twice_same_verdict(void **state) {
  session_fixture *f = *state;
  cfgate_session *s = f->session;

  feed_text(s, "{\"a\":1}");
  assert_int_equal(cfgate_finish(s), CFGATE_VALID);
  assert_int_equal(cfgate_finish(s), CFGATE_VALID);
  assert_int_equal(cfgate_error_count(s), 0);
}

static void reset_allows_next_document(void **state) {
  session_fixture *f = *state;
  cfgate_session *s = f->session;

  feed_text(s, "{\"a\":1}");
  assert_int_equal(cfgate_finish(s), CFGATE_VALID);
  cfgate_session_reset(s);

  assert_int_equal(feed_text(s, "{\"a\":2}"), 0);
  assert_int_equal(cfgate_finish(s), CFGATE_VALID);
  cfgate_session_reset(s);

  assert_int_equal(feed_text(s, "{\"b\":2}"), 0);
  assert_int_equal(cfgate_finish(s), CFGATE_INVALID);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(valid_then_feed_malformed, first_error_setup, fixture_close),
      cmocka_unit_test_setup_teardown(valid_then_valid_malformed, first_error_setup, fixture_close),
      cmocka_unit_test_setup_teardown(invalid_then_feed_malformed, first_error_setup, fixture_close),
      cmocka_unit_test_setup_teardown(invalid_then_feed_malformed, all_errors_setup, fixture_close),
      cmocka_unit_test_setup_teardown(empty_feed_after_finish_malformed, first_error_setup,
                                      fixture_close),
      cmocka_unit_test_setup_teardown(malformed_keeps_first_error, first_error_setup, fixture_close),
      cmocka_unit_test_setup_teardown(finish_twice_same_verdict, first_error_setup, fixture_close),
      cmocka_unit_test_setup_teardown(reset_allows_next_document, all_errors_setup, fixture_close),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
