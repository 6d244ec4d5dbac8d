/*
 * The value-event API (cfgate_event_*) on its own inputs. Keys and strings
 * must be valid UTF-8, as the JSON tokenizer requires of the same bytes in
 * a JSON text. Otherwise a document could pass as events and be malformed
 * as text. Events out of order and NULL pointers fail closed with a message
 * that names the fault.
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

/* Every property must be a string, so a string event under any key is
 * checked, and nothing else fails. */
static const char *const string_schema = "{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\"}}";

typedef harness_session event_fixture;

static int fixture_open(void **state, int all_errors) {
  *state = harness_session_open(string_schema, all_errors);
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

/* Invalid UTF-8 and the description utf8_describe() writes for its first
 * bad sequence, which starts at byte offset. */
typedef struct utf8_case {
  const char *bytes;
  size_t len;
  size_t offset;
  const char *fault;
} utf8_case;

static const utf8_case invalid_utf8[] = {
    {"ab\xff", 3, 2, "byte FF never occurs in UTF-8"},
    {"\xc0\xaf", 2, 0, "bytes C0 AF are an overlong encoding of U+002F"},
    {"\xe0\x80\xaf", 3, 0, "bytes E0 80 AF are an overlong encoding of U+002F"},
    {"\xed\xa0\x80", 3, 0, "bytes ED A0 80 encode U+D800, a UTF-16 surrogate"},
    {"\xf4\x90\x80\x80", 4, 0, "bytes F4 90 80 80 encode U+110000, above U+10FFFF"},
    {"\xf5\x80\x80\x80", 4, 0, "bytes F5 80 80 80 encode U+140000, above U+10FFFF"},
    {"x\xe2\x82", 3, 1, "bytes E2 82 are a truncated sequence: E2 starts a sequence of 3 bytes"},
    {"\xe2\x82x", 3, 0, "bytes E2 82 are a truncated sequence: E2 starts a sequence of 3 bytes"},
    {"\x80", 1, 0, "byte 80 is a continuation byte without a lead byte"},
    {"abcdefghijklmnop\xc3", 17, 16,
     "byte C3 is a truncated sequence: C3 starts a sequence of 2 bytes"},
    {"caf\xc3\xa9 \xe2\x82\xac 0123456789\xed\xbf\xbf", 23, 20,
     "bytes ED BF BF encode U+DFFF, a UTF-16 surrogate"},
};

static void expect_malformed(cfgate_session *s, const char *expected) {
  assert_int_equal(cfgate_finish(s), CFGATE_MALFORMED);
  assert_int_equal(cfgate_error_count(s), 1);
  assert_string_equal(cfgate_error_at(s, 0)->keyword, "syntax");
  assert_string_equal(cfgate_error_at(s, 0)->message, expected);
}

static void invalid_utf8_string_malformed(void **state) {
  event_fixture *f = *state;
  cfgate_session *s = f->session;

  for (size_t i = 0; i < sizeof invalid_utf8 / sizeof invalid_utf8[0]; i++) {
    const utf8_case *c = &invalid_utf8[i];
    char expected[256];
    snprintf(expected, sizeof expected, "invalid UTF-8 in string at byte %zu: %s", c->offset, c->fault);

    cfgate_session_reset(s);
    assert_int_equal(cfgate_event_begin_object(s), 0);
    assert_int_equal(cfgate_event_key(s, "Name", 4), 0);
    assert_int_not_equal(cfgate_event_string(s, c->bytes, c->len), 0);
    cfgate_event_end_object(s);
    expect_malformed(s, expected);
    assert_string_equal(cfgate_error_at(s, 0)->instance_path, "/Name");
  }
}

static void invalid_utf8_key_malformed(void **state) {
  event_fixture *f = *state;
  cfgate_session *s = f->session;

  for (size_t i = 0; i < sizeof invalid_utf8 / sizeof invalid_utf8[0]; i++) {
    const utf8_case *c = &invalid_utf8[i];
    char expected[256];
    snprintf(expected, sizeof expected, "invalid UTF-8 in property name at byte %zu: %s", c->offset,
             c->fault);

    cfgate_session_reset(s);
    assert_int_equal(cfgate_event_begin_object(s), 0);
    assert_int_not_equal(cfgate_event_key(s, c->bytes, c->len), 0);
    cfgate_event_string(s, "value", 5);
    cfgate_event_end_object(s);
    expect_malformed(s, expected);
    assert_string_equal(cfgate_error_at(s, 0)->instance_path, "");
  }
}

/* The same bytes in a JSON text are malformed with the same description. */
static void invalid_utf8_text_agrees(void **state) {
  event_fixture *f = *state;

  for (size_t i = 0; i < sizeof invalid_utf8 / sizeof invalid_utf8[0]; i++) {
    const utf8_case *c = &invalid_utf8[i];
    char document[64], expected[256];
    int len = snprintf(document, sizeof document, "{\"Name\":\"%.*s\"}", (int)c->len, c->bytes);
    snprintf(expected, sizeof expected, "invalid UTF-8 in string: %s", c->fault);

    harness_result result;
    harness_run(f->validator, NULL, NULL, document, (size_t)len, 0, &result);
    assert_int_equal(result.verdict, CFGATE_MALFORMED);
    assert_string_equal(result.errors[0].message, expected);
  }
}

/* Invalid UTF-8 where no keyword checks the text: a key of FF FE, and a
 * string of an overlong '/' and a surrogate, under an unconstrained object. */
static void invalid_utf8_unconstrained(void **state) {
  (void)state;
  cfgate_validator *v = harness_build("{\"properties\":{\"RedrivePolicy\":{\"type\":\"object\"}}}");
  cfgate_options options;
  cfgate_options_default(&options);
  size_t size = cfgate_workspace_size(v, &options, NULL);
  void *workspace = aligned_alloc(16, (size + 15) & ~(size_t)15);
  cfgate_error error;
  cfgate_session *s = cfgate_session_init(workspace, size, v, &options, NULL, &error);
  assert_non_null(s);

  cfgate_event_begin_object(s);
  cfgate_event_key(s, "RedrivePolicy", 13);
  cfgate_event_begin_object(s);
  cfgate_event_key(s, "k", 1);
  cfgate_event_string(s, "\xc0\xaf\xed\xa0\x80", 5);
  cfgate_event_end_object(s);
  cfgate_event_end_object(s);
  expect_malformed(s, "invalid UTF-8 in string at byte 0: bytes C0 AF are an overlong encoding of U+002F");

  cfgate_session_reset(s);
  cfgate_event_begin_object(s);
  cfgate_event_key(s, "RedrivePolicy", 13);
  cfgate_event_begin_object(s);
  cfgate_event_key(s, "k\xff\xfe", 3);
  cfgate_event_string(s, "v", 1);
  cfgate_event_end_object(s);
  cfgate_event_end_object(s);
  expect_malformed(s, "invalid UTF-8 in property name at byte 1: byte FF never occurs in UTF-8");
  assert_string_equal(cfgate_error_at(s, 0)->instance_path, "/RedrivePolicy");

  free(workspace);
  ir_free(v);
}

/* Valid UTF-8 passes: multibyte characters at every length, a character
 * that ends the text, NUL bytes and the empty string. */
static void valid_utf8_accepted(void **state) {
  event_fixture *f = *state;
  cfgate_session *s = f->session;
  static const struct {
    const char *bytes;
    size_t len;
  } valid[] = {
      {"caf\xc3\xa9", 5},
      {"\xe2\x82\xac and \xf0\x9f\x98\x80", 12},
      {"\xef\xbf\xbf\xf4\x8f\xbf\xbf", 7},
      {"abcdefgh\xed\x9f\xbf", 11},
      {"a\0b", 3},
      {"", 0},
  };

  for (size_t i = 0; i < sizeof valid / sizeof valid[0]; i++) {
    cfgate_session_reset(s);
    cfgate_event_begin_object(s);
    assert_int_equal(cfgate_event_key(s, valid[i].bytes, valid[i].len), 0);
    assert_int_equal(cfgate_event_string(s, valid[i].bytes, valid[i].len), 0);
    cfgate_event_end_object(s);
    if (cfgate_finish(s) != CFGATE_VALID)
      fail_msg("case %zu: %s", i, cfgate_error_at(s, 0)->message);
  }
}

/* In all-errors mode validation goes on after a finding, and invalid UTF-8
 * later in the document still makes it malformed. */
static void invalid_utf8_after_finding(void **state) {
  event_fixture *f = *state;
  cfgate_session *s = f->session;

  cfgate_event_begin_object(s);
  cfgate_event_key(s, "Count", 5);
  assert_int_equal(cfgate_event_number(s, "1", 1), 0);
  cfgate_event_key(s, "Name", 4);
  assert_int_not_equal(cfgate_event_string(s, "\xed\xa0\x80", 3), 0);
  cfgate_event_end_object(s);
  expect_malformed(s, "invalid UTF-8 in string at byte 0: bytes ED A0 80 encode U+D800, a UTF-16 surrogate");
}

/* A key followed by the end of its object or of an array lacks its value,
 * and the message names that fault rather than a missing container. The
 * session runs in all-errors mode, so a type finding on the way does not
 * decide the verdict before the order is checked. */
static void key_without_value(void **state) {
  event_fixture *f = *state;
  cfgate_session *s = f->session;

  cfgate_event_begin_object(s);
  assert_int_equal(cfgate_event_key(s, "Name", 4), 0);
  assert_int_not_equal(cfgate_event_end_object(s), 0);
  expect_malformed(s, "missing value after a key event, before the end-object event");
  assert_string_equal(cfgate_error_at(s, 0)->instance_path, "/Name");

  cfgate_session_reset(s);
  cfgate_event_begin_object(s);
  cfgate_event_key(s, "Name", 4);
  cfgate_event_begin_object(s);
  cfgate_event_key(s, "Inner", 5);
  assert_int_not_equal(cfgate_event_end_array(s), 0);
  expect_malformed(s, "missing value after a key event, before the end-array event");
  assert_string_equal(cfgate_error_at(s, 0)->instance_path, "/Name/Inner");
}

/* An end event must close the innermost open container. In all-errors
 * mode, as above. */
static void end_without_container(void **state) {
  event_fixture *f = *state;
  cfgate_session *s = f->session;

  assert_int_not_equal(cfgate_event_end_object(s), 0);
  expect_malformed(s, "an end-object event without an open object");

  cfgate_session_reset(s);
  cfgate_event_begin_object(s);
  assert_int_not_equal(cfgate_event_end_array(s), 0);
  expect_malformed(s, "an end-array event without an open array");

  cfgate_session_reset(s);
  cfgate_event_begin_array(s);
  assert_int_not_equal(cfgate_event_end_object(s), 0);
  expect_malformed(s, "an end-object event without an open object");
}

/* A NULL pointer with length 0 is the empty key or string. */
static void null_empty_text(void **state) {
  event_fixture *f = *state;
  cfgate_session *s = f->session;

  cfgate_event_begin_object(s);
  assert_int_equal(cfgate_event_key(s, NULL, 0), 0);
  assert_int_equal(cfgate_event_string(s, NULL, 0), 0);
  assert_int_equal(cfgate_event_end_object(s), 0);
  assert_int_equal(cfgate_finish(s), CFGATE_VALID);

  /* The NULL key repeats the empty name given before it. */
  cfgate_session_reset(s);
  cfgate_event_begin_object(s);
  cfgate_event_key(s, "", 0);
  cfgate_event_string(s, "a", 1);
  assert_int_not_equal(cfgate_event_key(s, NULL, 0), 0);
  expect_malformed(s, "duplicate property name \"\"");

  /* A NULL number text is empty, so it is no number. */
  cfgate_session_reset(s);
  cfgate_event_begin_object(s);
  cfgate_event_key(s, "Count", 5);
  assert_int_not_equal(cfgate_event_number(s, NULL, 0), 0);
  expect_malformed(s, "invalid number");
}

/* A NULL pointer with a nonzero length is a caller's bug: no byte is read,
 * and the document fails closed. */
static void null_text_with_length(void **state) {
  event_fixture *f = *state;
  cfgate_session *s = f->session;

  cfgate_event_begin_object(s);
  assert_int_not_equal(cfgate_event_key(s, NULL, 4), 0);
  expect_malformed(s, "a key event with a NULL pointer and length 4 (NULL is allowed only with length 0)");

  cfgate_session_reset(s);
  cfgate_event_begin_object(s);
  cfgate_event_key(s, "Name", 4);
  assert_int_not_equal(cfgate_event_string(s, NULL, 1), 0);
  expect_malformed(s, "a string event with a NULL pointer and length 1 (NULL is allowed only with length 0)");
  assert_string_equal(cfgate_error_at(s, 0)->instance_path, "/Name");

  cfgate_session_reset(s);
  cfgate_event_begin_object(s);
  cfgate_event_key(s, "Count", 5);
  assert_int_not_equal(cfgate_event_number(s, NULL, 2), 0);
  expect_malformed(s, "a number event with a NULL pointer and length 2 (NULL is allowed only with length 0)");
}

/* A queue schema with a name pattern and a bounded delay, so the first
 * three mixed documents below are invalid once their text is complete. */
static const char *const queue_schema =
    "{\"type\":\"object\",\"additionalProperties\":false,\"properties\":{"
    "\"QueueName\":{\"type\":\"string\",\"pattern\":\"^a\"},"
    "\"DelaySeconds\":{\"type\":\"integer\",\"minimum\":0,\"maximum\":10}}}";

static const char text_then_event_message[] =
    "a value event after JSON text was fed: a document takes either cfgate_feed() or value "
    "events, not both";
static const char event_then_text_message[] =
    "JSON text fed after value events: a document takes either cfgate_feed() or value events, "
    "not both";

/* JSON text left open and closed by a value event would skip the checks
 * the rest of the text needs, so the first event after text makes the
 * document malformed, whatever the text contains. */
static void text_then_event_malformed(void **state) {
  (void)state;
  harness_session *h = harness_session_open(queue_schema, 0);
  cfgate_session *s = h->session;
  static const char *const texts[] = {
      "{\"QueueName\":\"b", "{\"Bogus\":", "{\"DelaySeconds\":99", "{\"DelaySeconds\":9", "",
  };

  for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
    cfgate_session_reset(s);
    assert_int_equal(cfgate_feed(s, texts[i], strlen(texts[i])), 0);
    assert_int_not_equal(cfgate_event_end_object(s), 0);
    expect_malformed(s, text_then_event_message);
  }

  /* Every event kind is checked, not only end events. */
  cfgate_session_reset(s);
  cfgate_feed(s, "{", 1);
  assert_int_not_equal(cfgate_event_key(s, "QueueName", 9), 0);
  expect_malformed(s, text_then_event_message);

  cfgate_session_reset(s);
  cfgate_feed(s, "{\"QueueName\":", 13);
  assert_int_not_equal(cfgate_event_string(s, "abc", 3), 0);
  expect_malformed(s, text_then_event_message);

  /* A whole valid text followed by an event is still two inputs. */
  cfgate_session_reset(s);
  cfgate_feed(s, "{}", 2);
  assert_int_not_equal(cfgate_event_null(s), 0);
  expect_malformed(s, text_then_event_message);
  harness_session_close(h);
}

/* The other order: text fed after value events is never tokenized into
 * the open value. */
static void event_then_text_malformed(void **state) {
  (void)state;
  harness_session *h = harness_session_open(queue_schema, 0);
  cfgate_session *s = h->session;

  cfgate_event_begin_object(s);
  assert_int_not_equal(cfgate_feed(s, "\"Bogus\":1}", 10), 0);
  expect_malformed(s, event_then_text_message);

  cfgate_session_reset(s);
  cfgate_event_begin_object(s);
  cfgate_event_key(s, "DelaySeconds", 12);
  assert_int_not_equal(cfgate_feed(s, "5}", 2), 0);
  expect_malformed(s, event_then_text_message);

  /* A reset starts a document that may use the other input. */
  cfgate_session_reset(s);
  assert_int_equal(cfgate_feed(s, "{\"DelaySeconds\":5}", 18), 0);
  assert_int_equal(cfgate_finish(s), CFGATE_VALID);
  cfgate_session_reset(s);
  cfgate_event_begin_object(s);
  cfgate_event_key(s, "DelaySeconds", 12);
  cfgate_event_number(s, "5", 1);
  cfgate_event_end_object(s);
  assert_int_equal(cfgate_finish(s), CFGATE_VALID);
  harness_session_close(h);
}

/* Value events have no place in a JSON text, so their findings carry
 * offset, line and column 0, on scalars and on objects and arrays alike,
 * even after the same session tokenized text. */
static void findings_without_position(void **state) {
  event_fixture *f = *state;
  cfgate_session *s = f->session;
  const char *text = "\n\n  {\"Name\": \"ok\"}";

  assert_int_equal(cfgate_feed(s, text, strlen(text)), 0);
  assert_int_equal(cfgate_finish(s), CFGATE_VALID);

  cfgate_session_reset(s);
  cfgate_event_begin_object(s);
  cfgate_event_key(s, "Count", 5);
  cfgate_event_number(s, "12", 2);
  cfgate_event_key(s, "List", 4);
  cfgate_event_begin_array(s);
  cfgate_event_end_array(s);
  cfgate_event_end_object(s);
  assert_int_equal(cfgate_finish(s), CFGATE_INVALID);
  assert_int_equal(cfgate_error_count(s), 2);
  for (size_t i = 0; i < 2; i++) {
    const cfgate_error *e = cfgate_error_at(s, i);
    assert_int_equal(e->offset, 0);
    assert_int_equal(e->line, 0);
    assert_int_equal(e->column, 0);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test_setup_teardown(invalid_utf8_string_malformed, first_error_setup, fixture_close),
      cmocka_unit_test_setup_teardown(invalid_utf8_key_malformed, first_error_setup, fixture_close),
      cmocka_unit_test_setup_teardown(invalid_utf8_text_agrees, first_error_setup, fixture_close),
      cmocka_unit_test(invalid_utf8_unconstrained),
      cmocka_unit_test_setup_teardown(valid_utf8_accepted, first_error_setup, fixture_close),
      cmocka_unit_test_setup_teardown(invalid_utf8_after_finding, all_errors_setup, fixture_close),
      cmocka_unit_test_setup_teardown(key_without_value, all_errors_setup, fixture_close),
      cmocka_unit_test_setup_teardown(end_without_container, all_errors_setup, fixture_close),
      cmocka_unit_test_setup_teardown(null_empty_text, first_error_setup, fixture_close),
      cmocka_unit_test_setup_teardown(null_text_with_length, first_error_setup, fixture_close),
      cmocka_unit_test(text_then_event_malformed),
      cmocka_unit_test(event_then_text_malformed),
      cmocka_unit_test_setup_teardown(findings_without_position, all_errors_setup, fixture_close),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
