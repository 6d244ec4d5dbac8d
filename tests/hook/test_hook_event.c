/*
 * Hook event field rules on the example events and on events written here,
 * the resourceProperties byte span, the event scanner, region and
 * partition derivation, and the response message cut.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "hook_event.h"
#include "hook_region.h"
#include "hook_response.h"
#include "stack_arn.h"
#include "hook_json.h"

typedef struct parsed {
  char *bytes;
  size_t size;
  hook_event event;
  int ok;
  char message[1024];
} parsed;

static char *read_example(const char *name, size_t *size) {
  char path[1024];
  snprintf(path, sizeof path, "%s/%s.event.json", HOOK_EXAMPLES, name);
  FILE *in = fopen(path, "rb");
  assert_non_null(in);

  char *bytes = malloc(1 << 20);
  assert_non_null(bytes);
  *size = fread(bytes, 1, 1 << 20, in);
  fclose(in);
  return bytes;
}

static parsed *parse_example(const char *name) {
  static parsed p;
  memset(&p, 0, sizeof p);
  p.bytes = read_example(name, &p.size);
  p.ok = hook_event_parse(&p.event, p.bytes, p.size, p.message, sizeof p.message);
  return &p;
}

static void release(parsed *p) {
  hook_event_fini(&p->event);
  free(p->bytes);
}

static void create_event_fields(void **state) {
  (void)state;
  parsed *p = parse_example("create-compliant-bucket");
  assert_true(p->ok);
  assert_string_equal(p->event.client_request_token, "7f8e2a10-0001-4c1e-9a7b-1d2e3f405001");
  assert_string_equal(p->event.account_id, "123456789012");
  assert_int_equal(p->event.action, HOOK_CREATE);
  assert_string_equal(p->event.target_name, "AWS::S3::Bucket");
  assert_string_equal(p->event.logical_id, "LogsBucket");
  assert_string_equal(p->event.region, "us-east-1");
  assert_string_equal(p->event.partition, "aws");
  assert_false(hook_event_is_stack_target(&p->event));
  release(p);
}

static void properties_span_is_exact(void **state) {
  (void)state;
  parsed *p = parse_example("create-compliant-bucket");
  assert_true(p->ok);
  assert_true(p->event.properties_end > p->event.properties_start);

  json_error_t error;
  json_t *span = json_loadb(p->bytes + p->event.properties_start,
                            p->event.properties_end - p->event.properties_start, 0, &error);
  assert_non_null(span);
  json_t *root = json_loadb(p->bytes, p->size, 0, &error);
  assert_non_null(root);
  json_t *expected = json_object_get(
      json_object_get(json_object_get(root, "requestData"), "targetModel"), "resourceProperties");
  assert_true(json_equal(span, expected));
  json_decref(span);
  json_decref(root);
  release(p);
}

static void update_and_delete_actions(void **state) {
  (void)state;
  parsed *p = parse_example("update-noncompliant-instance");
  assert_true(p->ok);
  assert_int_equal(p->event.action, HOOK_UPDATE);
  release(p);

  p = parse_example("delete-bucket");
  assert_true(p->ok);
  assert_int_equal(p->event.action, HOOK_DELETE);
  release(p);
}

static void cloud_control_has_no_region(void **state) {
  (void)state;
  parsed *p = parse_example("cloud-control-subnet");
  assert_true(p->ok);
  assert_string_equal(p->event.stack_id, "");
  assert_null(p->event.region);
  assert_null(p->event.partition);
  release(p);
}

static void china_stack_partition(void **state) {
  (void)state;
  parsed *p = parse_example("china-partition-bucket");
  assert_true(p->ok);
  assert_string_equal(p->event.region, "cn-north-1");
  assert_string_equal(p->event.partition, "aws-cn");
  release(p);
}

static void stack_targets(void **state) {
  (void)state;
  parsed *p = parse_example("stack-target");
  assert_true(p->ok);
  assert_true(hook_event_is_stack_target(&p->event));
  assert_int_equal(p->event.properties_end, 0);
  release(p);

  p = parse_example("change-set-target");
  assert_true(p->ok);
  assert_true(hook_event_is_stack_target(&p->event));
  release(p);

  p = parse_example("change-set-arn-target");
  assert_true(p->ok);
  assert_string_equal(p->event.logical_id, "arn:aws:cloudformation:us-east-1:123456789012:"
                      "changeSet/app-prod-release/1a2345b6-0000-00a0-a123-00abc0abc000");
  release(p);
}

/* Each malformed example, the message it must produce, and whether the
 * token can still be echoed. */
static void malformed_events(void **state) {
  (void)state;
  static const struct {
    const char *name;
    const char *message;
    int has_token;
  } cases[] = {
    {"malformed-json",
     "malformed event: line 2, column 1: unexpected end of input, expected a property name in "
     "double quotes", 1},
    {"malformed-duplicate-key",
     "malformed event: line 18, column 7: duplicate property name \"resourceProperties\" "
     "(in /requestData/targetModel)", 1},
    {"malformed-missing-account",
     "malformed event: /awsAccountId is missing from the event object at line 1, column 1", 1},
    {"malformed-action",
     "malformed event: /actionInvocationPoint at line 11, column 28: \"CREATE_POST_PROVISION\" "
     "is not CREATE_PRE_PROVISION, UPDATE_PRE_PROVISION or DELETE_PRE_PROVISION", 1},
    {"malformed-stack-id",
     "malformed event: /stackId at line 4, column 14: \"app-prod\" is not a CloudFormation "
     "stack ARN", 1},
    {"malformed-properties",
     "malformed event: /requestData/targetModel/resourceProperties at line 17, column 29: "
     "\"{\\\"BucketName\\\": \\\"x\\\"}\" is a string, not an object", 1},
    {"malformed-missing-target",
     "malformed event: /requestData/targetName is missing from /requestData at line 12, "
     "column 18", 1},
  };

  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    parsed *p = parse_example(cases[i].name);
    assert_false(p->ok);
    assert_string_equal(p->message, cases[i].message);
    if (cases[i].has_token)
      assert_non_null(p->event.client_request_token);
    else
      assert_null(p->event.client_request_token);
    release(p);
  }
}

/* Parses an event written here; the caller releases it. */
static parsed *parse_text(const char *text, size_t size) {
  static parsed p;
  memset(&p, 0, sizeof p);
  p.bytes = malloc(size + 1);
  assert_non_null(p.bytes);
  memcpy(p.bytes, text, size);
  p.size = size;
  p.ok = hook_event_parse(&p.event, p.bytes, p.size, p.message, sizeof p.message);
  return &p;
}

#define EVENT_HEAD "{\"clientRequestToken\": \"tok-9\", \"awsAccountId\": \"123456789012\", " \
                   "\"actionInvocationPoint\": \"CREATE_PRE_PROVISION\", "

#define TEN_R "RRRRRRRRRR"
#define CUT_NAME TEN_R TEN_R TEN_R TEN_R TEN_R TEN_R TEN_R "RRRRR"
#define LONG_NAME CUT_NAME "RRRRR" TEN_R TEN_R TEN_R
#define SEVENTY_A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define ESCAPED_NAME SEVENTY_A "\\u00e9\\u00e9\\u00e9\\u00e9\\u00e9"

/* Every malformed-event message: a field missing, of another type or with
 * a wrong value, a top level that is not an object, and the scan errors.
 * Each names the JSON pointer (a missing field the object that lacks it),
 * the line and column, and the value as written in the event, with
 * whitespace between tokens shown as one space and a control or invisible
 * character escaped. */
static void malformed_messages(void **state) {
  (void)state;
  static const struct {
    const char *text, *message;
  } cases[] = {
    {"{\"clientRequestToken\": \"t\"}",
     "malformed event: /awsAccountId is missing from the event object at line 1, column 1"},
    {"{\"awsAccountId\": \"123456789012\"}",
     "malformed event: /actionInvocationPoint is missing from the event object at line 1, "
     "column 1"},
    {"{\"clientRequestToken\": \"tok-9\", \"awsAccountId\": \"123456789012\", "
     "\"actionInvocationPoint\": \"CREATE_PRE_PROVISION\"}",
     "malformed event: /requestData is missing from the event object at line 1, column 1"},
    {EVENT_HEAD "\"requestData\": {\"targetType\": \"RESOURCE\"}}",
     "malformed event: /requestData/targetName is missing from /requestData at line 1, column "
     "129"},
    {EVENT_HEAD "\"requestData\": {\"targetName\": \"A::B::C\", \"resourceProperties\": {}}}",
     "malformed event: /requestData/targetModel is missing from /requestData at line 1, "
     "column 129"},
    {EVENT_HEAD "\"requestData\": {\"targetName\": 5}}",
     "malformed event: /requestData/targetName at line 1, column 144: 5 is a number, not a "
     "string"},
    {EVENT_HEAD "\"requestData\": {\"targetName\": null}}",
     "malformed event: /requestData/targetName at line 1, column 144: null is not a string"},
    {EVENT_HEAD "\"requestData\": {\"targetName\": \"A::B::C\", \"targetLogicalId\": true}}",
     "malformed event: /requestData/targetLogicalId at line 1, column 174: true is a boolean, "
     "not a string"},
    {EVENT_HEAD "\"requestData\": [1]}",
     "malformed event: /requestData at line 1, column 129: [1] is an array, not an object"},
    {EVENT_HEAD "\"stackId\": null, \"requestData\": {}}",
     "malformed event: /stackId at line 1, column 125: null is not a string"},
    {EVENT_HEAD "\"requestData\": {\"targetName\": \"A::B::C\", \"targetModel\": "
     "{\"resourceProperties\": null}}}",
     "malformed event: /requestData/targetModel/resourceProperties at line 1, column 193: "
     "null is not an object"},
    {EVENT_HEAD "\"requestData\": null}",
     "malformed event: /requestData at line 1, column 129: null is not an object"},
    {" null ", "malformed event: the event at line 1, column 2: null is not an object"},
    {"{\"awsAccountId\": 123456789012}",
     "malformed event: /awsAccountId at line 1, column 18: 123456789012 is a number, not a "
     "string"},
    {"{\"awsAccountId\": \"123456789012\", \"actionInvocationPoint\": {\"a\": [1,\n  2]}}",
     "malformed event: /actionInvocationPoint at line 1, column 59: {\"a\": [1, 2]} is an "
     "object, not a string"},
    {"{\"clientRequestToken\": 7}",
     "malformed event: /clientRequestToken at line 1, column 24: 7 is a number, not a string"},
    {EVENT_HEAD "\"requestData\": {\"targetName\": \"A::B::C\", \"targetModel\": "
     "{\"resourceProperties\": \"x\"}}}",
     "malformed event: /requestData/targetModel/resourceProperties at line 1, column 193: "
     "\"x\" is a string, not an object"},
    {EVENT_HEAD "\"requestData\": {\"targetName\": \"A::B::C\", \"targetModel\": []}}",
     "malformed event: /requestData/targetModel at line 1, column 170: [] is an array, not an "
     "object"},
    {"{\"awsAccountId\": \"1234\"}",
     "malformed event: /awsAccountId at line 1, column 18: \"1234\" is not 12 digits"},
    {"{\"awsAccountId\": \"123456789012\", \"actionInvocationPoint\": "
     "\"create_pre_provision\"}",
     "malformed event: /actionInvocationPoint at line 1, column 59: \"create_pre_provision\" "
     "is not CREATE_PRE_PROVISION, UPDATE_PRE_PROVISION or DELETE_PRE_PROVISION"},
    {EVENT_HEAD "\"stackId\": \"app-prod\", \"requestData\": {}}",
     "malformed event: /stackId at line 1, column 125: \"app-prod\" is not a CloudFormation "
     "stack ARN"},
    {EVENT_HEAD "\"stackId\": \"arn:aws:cloudformation:zz-zz-9:123456789012:stack/s/abc\", "
     "\"requestData\": {}}",
     "malformed event: /stackId at line 1, column 125: "
     "\"arn:aws:cloudformation:zz-zz-9:123456789012:stack/s/abc\" has region 'zz-zz-9', which "
     "is not a region name of a known partition (such as us-east-1)"},
    {EVENT_HEAD "\"stackId\": \"arn:A B*:cloudformation:us-east-1:123456789012:stack/s/abc\""
     ", \"requestData\": {}}",
     "malformed event: /stackId at line 1, column 125: \"arn:A "
     "B*:cloudformation:us-east-1:123456789012:stack/s/abc\" has unknown partition 'A B*'"},
    {EVENT_HEAD "\"stackId\": \"arn:aws-cn:cloudformation:us-east-1:123456789012:stack/s/abc"
     "\", \"requestData\": {}}",
     "malformed event: /stackId at line 1, column 125: "
     "\"arn:aws-cn:cloudformation:us-east-1:123456789012:stack/s/abc\" has partition "
     "'aws-cn', but its region us-east-1 is in partition aws"},
    {EVENT_HEAD "\"stackId\": \"arn:aws:cloudformation:us-east-1:999999999999:stack/s/abc\","
     " \"requestData\": {}}",
     "malformed event: /stackId at line 1, column 125: "
     "\"arn:aws:cloudformation:us-east-1:999999999999:stack/s/abc\" has an account that is "
     "not awsAccountId 123456789012"},
    {EVENT_HEAD "\"requestData\": {\"targetName\": \"\"}}",
     "malformed event: /requestData/targetName at line 1, column 144: \"\" is empty"},
    {EVENT_HEAD "\"requestData\": {\"targetName\": \"A::B::C\", \"targetLogicalId\": \"\"}}",
     "malformed event: /requestData/targetLogicalId at line 1, column 174: \"\" is 0 bytes "
     "long (limit is 1 to 255)"},
    {EVENT_HEAD "\"requestData\": {\"targetName\": \"A::B::C\", \"targetLogicalId\": "
     "\"a\\nb\"}}",
     "malformed event: /requestData/targetLogicalId at line 1, column 174: \"a\\nb\" has byte "
     "0x0a at position 2; expected letters, digits, hyphens and colons only"},
    {EVENT_HEAD "\"requestData\": {\"targetName\": \"A::B::C\", \"targetLogicalId\": "
     "\"a/b\"}}",
     "malformed event: /requestData/targetLogicalId at line 1, column 174: \"a/b\" has byte "
     "0x2f at position 2; expected letters, digits, hyphens and colons only"},
    {EVENT_HEAD "\"requestData\": {\"targetName\": \"STACK\", \"targetLogicalId\": "
     "\"arn:aws:cloudformation:us-east-1:123456789012:stack/s/a\\tb\"}}",
     "malformed event: /requestData/targetLogicalId at line 1, column 172: "
     "\"arn:aws:cloudformation:us-east-1:123456789012:stack/s/a\\tb\" has byte 0x09 at "
     "position 56; expected letters, digits, hyphens, colons and slashes only"},
    {"\n [1,\n 2]",
     "malformed event: the event at line 2, column 2: [1, 2] is an array, not an object"},
    {EVENT_HEAD "\"requestData\": {\"targetName\": \"A::B::C\", \"targetModel\": "
     "{\"resourceProperties\": {}, \"resourceProperties\": {}}}}",
     "malformed event: line 1, column 197: duplicate property name \"resourceProperties\" (in "
     "/requestData/targetModel)"},
    {EVENT_HEAD "\"requestData\": {\"targetName\": \"A::B::C\", \"targetModel\": "
     "{\"ResourceProperties\": {}}}}",
     "malformed event: line 1, column 171: unknown member \"ResourceProperties\": targetModel "
     "holds only resourceProperties and previousResourceProperties (in "
     "/requestData/targetModel)"},
    {EVENT_HEAD "\"requestData\": {\"targetName\": \"A::B::C\", \"targetModel\": "
     "{\"resourceProperties\": {\"a\": tru}}}}",
     "malformed event: line 1, column 199: invalid literal (expected true, false or null) "
     "(value hidden: resourceProperties may hold write-only values) (in "
     "/requestData/targetModel/resourceProperties)"},
    {"{\"clientRequestToken\": \"t\",\n \"a~/b\": 01}",
     "malformed event: line 2, column 10: invalid number '01': leading zeros are not allowed "
     "(in /a~0~1b)"},
    {"{\"a\": \"\\u12x\"}",
     "malformed event: line 1, column 8: invalid escape '\\u12x': '\\u' must be followed by "
     "four hex digits (in /a)"},
    {"{\"a\": \"abc",
     "malformed event: line 1, column 7: unterminated string: the input ends before its "
     "closing quote (in /a)"},
    {"{\"a\": -}",
     "malformed event: line 1, column 7: invalid number '-': expected a digit after '-' (in "
     "/a)"},
    {"{\"a\" 1}",
     "malformed event: line 1, column 6: unexpected '1', expected ':' after the property name"},
    {"{\"requestData\": {\"x\": 1 \"y\": 2}}",
     "malformed event: line 1, column 25: unexpected '\"', expected ',' or '}' after the "
     "object member (in /requestData)"},
    {"{\"requestData\": {\"\\u0001\\u2028\": [}}",
     "malformed event: line 1, column 35: unexpected '}', expected a value (in "
     "/requestData/\\u0001\\u2028)"},
    {EVENT_HEAD "\"requestData\": {\"targetName\": \"A::B::C\", \"targetLogicalId\": "
     "\"a\xe2\x80\xae\xc2\x85" "b\"}}",
     "malformed event: /requestData/targetLogicalId at line 1, column 174: "
     "\"a\\u202e\\u0085b\" has byte 0xe2 at position 2; expected letters, digits, hyphens and "
     "colons only"},
    {EVENT_HEAD "\"requestData\": {\"targetName\": \"A::B::C\", \"targetModel\": {\"" LONG_NAME
     "\": {}}}}",
     "malformed event: line 1, column 171: unknown member \"" CUT_NAME "...\": targetModel "
     "holds only resourceProperties and previousResourceProperties (in /requestData/targetModel)"},
    {EVENT_HEAD "\"requestData\": {\"targetName\": \"A::B::C\", \"targetModel\": {\"" ESCAPED_NAME
     "\": {}}}}",
     "malformed event: line 1, column 171: unknown member \"" SEVENTY_A "...\": targetModel "
     "holds only resourceProperties and previousResourceProperties (in /requestData/targetModel)"},
  };

  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    parsed *p = parse_text(cases[i].text, strlen(cases[i].text));
    assert_false(p->ok);
    assert_string_equal(p->message, cases[i].message);
    release(p);
  }
}

/* A value is quoted up to HOOK_QUOTE_VALUE_BYTES bytes, cut before a
 * character or an escape that does not fit, and the cut is marked. */
static void long_values_cut(void **state) {
  (void)state;
  char text[1024], expected[1024];
  /* "a", then 150 "é": 1 + 99 * 2 bytes fit after the quote, the 100th does not. */
  char value[512] = "a";
  for (int i = 0; i < 150; i++)
    strcat(value, "\xc3\xa9");
  snprintf(text, sizeof text, EVENT_HEAD "\"stackId\": \"%s\", \"requestData\": {}}", value);
  value[1 + 99 * 2] = '\0';
  snprintf(expected, sizeof expected, "malformed event: /stackId at line 1, column 125: \"%s...\" "
           "is not a CloudFormation stack ARN", value);
  parsed *p = parse_text(text, strlen(text));
  assert_false(p->ok);
  assert_string_equal(p->message, expected);
  release(p);

  /* An escape is shown whole or not at all: 194 "x" and \u00e9 need 201 bytes. */
  char xs[200];
  memset(xs, 'x', 194);
  xs[194] = '\0';
  snprintf(text, sizeof text, EVENT_HEAD "\"stackId\": \"%s\\u00e9\", \"requestData\": {}}", xs);
  snprintf(expected, sizeof expected, "malformed event: /stackId at line 1, column 125: \"%s...\" "
           "is not a CloudFormation stack ARN", xs);
  p = parse_text(text, strlen(text));
  assert_false(p->ok);
  assert_string_equal(p->message, expected);
  release(p);
}

/* A byte order mark is skipped, and columns count from the byte after it. */
static void byte_order_mark_skipped(void **state) {
  (void)state;
  static const char text[] = "\xEF\xBB\xBF" EVENT_HEAD
      "\"requestData\": {\"targetName\": \"A::B::C\", \"targetModel\": {}}}";
  parsed *p = parse_text(text, strlen(text));
  assert_true(p->ok);
  assert_string_equal(p->event.target_name, "A::B::C");
  release(p);

  static const char broken[] = "\xEF\xBB\xBF{,}";
  p = parse_text(broken, strlen(broken));
  assert_false(p->ok);
  assert_string_equal(p->message, "malformed event: line 1, column 2: unexpected ',', expected a "
                                  "property name in double quotes");
  release(p);
}

/* Numbers are checked as text of any length, so a 401-digit integer in a
 * field the hook does not read leaves the event readable, and inside
 * resourceProperties it reaches the runtime byte for byte. */
static void long_numbers_kept(void **state) {
  (void)state;
  char digits[402];
  memset(digits, '7', 401);
  digits[401] = '\0';
  char text[4096];
  int len = snprintf(text, sizeof text, EVENT_HEAD "\"pad\": [%s, -%s.%se-%s], \"requestData\": "
                     "{\"targetName\": \"A::B::C\", \"targetModel\": {\"resourceProperties\": "
                     "{\"N\": %s}}}}", digits, digits, digits, digits, digits);
  assert_true(len > 0 && (size_t)len < sizeof text);

  parsed *p = parse_text(text, (size_t)len);
  assert_true(p->ok);
  assert_string_equal(p->event.client_request_token, "tok-9");
  assert_int_equal(p->event.properties_end - p->event.properties_start, strlen(digits) + 7);
  assert_memory_equal(p->bytes + p->event.properties_start + 6, digits, strlen(digits));
  release(p);
}

/* Syntax errors name line, column and the problem; the token is echoed
 * when it was read before the error and is not repeated. */
static void syntax_errors_located(void **state) {
  (void)state;
  static const struct {
    const char *text, *message;
    int has_token;
  } cases[] = {
    {"{\"clientRequestToken\": \"t\",\n \"a\": 01}",
     "malformed event: line 2, column 7: invalid number '01': leading zeros are not allowed "
     "(in /a)", 1},
    {"{\"clientRequestToken\": \"t\", \"a\": [1,]}",
     "malformed event: line 1, column 36: unexpected ',' before ']' (in /a)", 1},
    {"{\"a\": \"\\q\", \"clientRequestToken\": \"t\"}",
     "malformed event: line 1, column 8: invalid escape: 'q' after '\\' (in /a)", 1},
    {"{\"a\": \"\\ud800\", \"clientRequestToken\": \"t\"}",
     "malformed event: line 1, column 8: invalid escape '\\ud800': unpaired UTF-16 surrogate "
     "(in /a)", 1},
    {"{\"clientRequestToken\": \"t\", \"clientRequestToken\": \"u\"}",
     "malformed event: line 1, column 29: duplicate property name \"clientRequestToken\"", 0},
    {"{\"clientRequestToken\": \"t\", \"client\\u0052equestToken\": \"u\"}",
     "malformed event: line 1, column 29: duplicate property name \"client\\u0052equestToken\"", 0},
    {"{\"clientRequestToken\": \"t\", \"a\": tru}",
     "malformed event: line 1, column 34: invalid literal 'tru' (expected true, false or null) "
     "(in /a)", 1},
    {"{\"clientRequestToken\": \"\xff\"}",
     "malformed event: line 1, column 25: invalid UTF-8 in string: byte FF never occurs in UTF-8 "
     "(in /clientRequestToken)", 0},
    {"{\"a\": 1} x", "malformed event: line 1, column 10: unexpected 'x', expected end of input after "
     "the JSON value", 0},
    {"[1]", "malformed event: the event at line 1, column 1: [1] is an array, not an object", 0},
  };

  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    parsed *p = parse_text(cases[i].text, strlen(cases[i].text));
    assert_false(p->ok);
    assert_string_equal(p->message, cases[i].message);
    if (cases[i].has_token)
      assert_string_equal(p->event.client_request_token, "t");
    else
      assert_null(p->event.client_request_token);
    release(p);
  }
}

/* Deep nesting is a limit error, not a crash or a pass. */
static void nesting_limit(void **state) {
  (void)state;
  size_t depth = HOOK_JSON_MAX_DEPTH + 1;
  char *text = malloc(2 * depth + 16);
  assert_non_null(text);
  size_t len = (size_t)sprintf(text, "{\"a\": ");
  memset(text + len, '[', depth);
  memset(text + len + depth, ']', depth);
  strcpy(text + len + 2 * depth, "}");

  parsed *p = parse_text(text, strlen(text));
  assert_false(p->ok);
  assert_string_equal(p->message, "malformed event: line 1, column 1031: too many nested arrays "
                                  "and objects (limit is 1024) (in /a)");
  release(p);
  free(text);
}

static void partitions_from_regions(void **state) {
  (void)state;
  assert_string_equal(hook_partition_for_region("us-east-1"), "aws");
  assert_string_equal(hook_partition_for_region("cn-northwest-1"), "aws-cn");
  assert_string_equal(hook_partition_for_region("us-gov-west-1"), "aws-us-gov");
  assert_string_equal(hook_partition_for_region("us-iso-east-1"), "aws-iso");
  assert_string_equal(hook_partition_for_region("us-isob-east-1"), "aws-iso-b");
  assert_string_equal(hook_url_suffix("aws-cn"), "amazonaws.com.cn");
  assert_string_equal(hook_url_suffix("aws"), "amazonaws.com");
  assert_string_equal(hook_partition_for_region("us-isof-south-1"), "aws-iso-f");
  assert_string_equal(hook_partition_for_region("eu-isoe-west-1"), "aws-iso-e");
  assert_true(hook_region_is_valid("eu-west-1"));
  assert_true(hook_region_is_valid("us-gov-west-1"));
  assert_true(hook_region_is_valid("ap-southeast-5"));
  assert_true(hook_region_is_valid("mx-central-1"));
  assert_false(hook_region_is_valid("eu-west"));
  assert_false(hook_region_is_valid("EU-west-1"));
  assert_false(hook_region_is_valid("eu--1"));
  assert_false(hook_region_is_valid("us-east-1-x"));
  assert_false(hook_region_is_valid("zz-zz-9"));
  assert_false(hook_region_is_valid("us-gov-west"));
  assert_false(hook_region_is_valid("us-east-"));
}

/* A stack ARN ends in stack/NAME/ID: nothing may follow the id. */
static void stack_arn_shape(void **state) {
  (void)state;
  stack_arn arn;
  assert_true(stack_arn_parse("arn:aws:cloudformation:us-east-1:123456789012:stack/app/"
                              "5b2c3e40-8f1a-11ef-9a3c-0affd3c2b1e1", &arn));
  assert_string_equal(arn.stack_name, "app");
  assert_false(stack_arn_parse("arn:aws:cloudformation:us-east-1:123456789012:stack/app/"
                               "5b2c3e40/extra", &arn));
  assert_false(stack_arn_parse("arn:aws:cloudformation:us-east-1:123456789012:stack/1app/abc",
                               &arn));
  assert_false(stack_arn_parse("arn:aws:cloudformation:us-east-1:123456789012:stack/app/", &arn));
  assert_false(stack_arn_parse("arn:aws:cloudformation:us-east-1:123456789012:stack/app/x y",
                               &arn));
}

/* Writes a response with message and returns its "message" (to free). */
static char *response_message(const char *message) {
  FILE *out = tmpfile();
  assert_non_null(out);
  assert_int_equal(hook_response_write(out, HOOK_NON_COMPLIANT, message, NULL, HOOK_MAX_MESSAGE),
                   0);
  rewind(out);
  json_error_t error;
  json_t *response = json_loadf(out, 0, &error);
  assert_non_null(response);
  const char *value = json_string_value(json_object_get(response, "message"));
  assert_non_null(value);
  char *text = malloc(strlen(value) + 1);
  assert_non_null(text);
  memcpy(text, value, strlen(value) + 1);
  json_decref(response);
  fclose(out);
  return text;
}

/* An escape that would cross the limit is left out whole, so the message
 * never ends in part of an escape such as "\u20". */
static void message_cut_keeps_escapes(void **state) {
  (void)state;
  char message[HOOK_MAX_MESSAGE + 8];
  memset(message, 'a', HOOK_MAX_MESSAGE - 5);
  strcpy(message + HOOK_MAX_MESSAGE - 5, "\xe2\x80\x8b" "bbbb"); /* U+200B */

  char *text = response_message(message);
  assert_int_equal(strlen(text), HOOK_MAX_MESSAGE - 2);
  assert_string_equal(text + HOOK_MAX_MESSAGE - 5, "...");
  assert_null(strchr(text, '\\'));
  free(text);

  text = response_message("aaaaaaaaaa\xc3\xa9\xe2\x80\x8b");
  assert_string_equal(text, "aaaaaaaaaa\xc3\xa9\\u200b");
  free(text);
}

/* Writes a 5000-character message cut to max_chars and checks the cut. */
static void check_message_limit(size_t max_chars) {
  size_t len = 10000;
  char *message = malloc(len + 1);
  assert_non_null(message);
  for (size_t i = 0; i < len; i += 2) {
    message[i] = '\xc3';
    message[i + 1] = '\xa9';
  }
  message[len] = '\0';

  FILE *out = tmpfile();
  assert_non_null(out);
  assert_int_equal(hook_response_write(out, HOOK_NON_COMPLIANT, message, "token-1", max_chars), 0);
  rewind(out);
  json_error_t error;
  json_t *response = json_loadf(out, 0, &error);
  assert_non_null(response);
  assert_string_equal(json_string_value(json_object_get(response, "hookStatus")), "FAILED");
  assert_string_equal(json_string_value(json_object_get(response, "errorCode")), "NonCompliant");
  assert_string_equal(json_string_value(json_object_get(response, "clientRequestToken")), "token-1");

  const char *text = json_string_value(json_object_get(response, "message"));
  size_t chars = 0;
  for (const char *p = text; *p; p++)
    chars += ((unsigned char)*p & 0xC0) != 0x80;
  assert_int_equal(chars, max_chars);
  assert_string_equal(text + strlen(text) - 3, "...");
  json_decref(response);
  fclose(out);
  free(message);
}

static void response_message_limit(void **state) {
  (void)state;
  check_message_limit(HOOK_MAX_MESSAGE);
  check_message_limit(HOOK_MAX_CLOUD_CONTROL_MESSAGE);
}

/* Cloud Control API events have an empty or missing stackId. */
static void cloud_control_events_recognised(void **state) {
  (void)state;
  parsed *p = parse_example("cloud-control-subnet");
  assert_true(p->ok);
  assert_true(hook_event_is_cloud_control(&p->event));
  release(p);

  p = parse_example("create-compliant-bucket");
  assert_true(p->ok);
  assert_false(hook_event_is_cloud_control(&p->event));
  release(p);

  static const char no_stack[] = EVENT_HEAD "\"requestData\": {\"targetName\": \"A::B::C\", "
                                 "\"targetModel\": {}}}";
  p = parse_text(no_stack, strlen(no_stack));
  assert_true(p->ok);
  assert_true(hook_event_is_cloud_control(&p->event));
  release(p);
}

static void success_has_no_error_code(void **state) {
  (void)state;
  FILE *out = tmpfile();
  assert_non_null(out);
  assert_int_equal(hook_response_write(out, HOOK_SUCCESS, "ok", NULL, HOOK_MAX_MESSAGE), 0);
  rewind(out);
  json_error_t error;
  json_t *response = json_loadf(out, 0, &error);
  assert_non_null(response);
  assert_int_equal(json_object_size(response), 2);
  assert_null(json_object_get(response, "errorCode"));
  assert_null(json_object_get(response, "clientRequestToken"));
  json_decref(response);
  fclose(out);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(create_event_fields),
    cmocka_unit_test(properties_span_is_exact),
    cmocka_unit_test(update_and_delete_actions),
    cmocka_unit_test(cloud_control_has_no_region),
    cmocka_unit_test(china_stack_partition),
    cmocka_unit_test(stack_targets),
    cmocka_unit_test(malformed_events),
    cmocka_unit_test(malformed_messages),
    cmocka_unit_test(long_values_cut),
    cmocka_unit_test(byte_order_mark_skipped),
    cmocka_unit_test(long_numbers_kept),
    cmocka_unit_test(syntax_errors_located),
    cmocka_unit_test(nesting_limit),
    cmocka_unit_test(stack_arn_shape),
    cmocka_unit_test(partitions_from_regions),
    cmocka_unit_test(message_cut_keeps_escapes),
    cmocka_unit_test(response_message_limit),
    cmocka_unit_test(cloud_control_events_recognised),
    cmocka_unit_test(success_has_no_error_code),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
