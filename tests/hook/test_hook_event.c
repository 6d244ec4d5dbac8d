/*
 * Hook event field rules on the example events, the resourceProperties
 * byte span, region and partition derivation, and the response message cut.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "hook_event.h"
#include "hook_region.h"
#include "hook_response.h"
#include "hook_span.h"

typedef struct parsed {
  char *bytes;
  size_t size;
  hook_event event;
  int ok;
  char message[512];
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
  json_t *expected = json_object_get(
      json_object_get(json_object_get(p->event.root, "requestData"), "targetModel"),
      "resourceProperties");
  assert_true(json_equal(span, expected));
  json_decref(span);
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
    {"malformed-json", "malformed event: line 2, column 1: string or '}' expected near end of file", 0},
    {"malformed-duplicate-key", "malformed event: line 18, column 26: duplicate object key near '\"resourceProperties\"'", 1},
    {"malformed-missing-account", "malformed event: awsAccountId is missing or not 12 digits", 1},
    {"malformed-action",
     "malformed event: actionInvocationPoint must be CREATE_PRE_PROVISION, UPDATE_PRE_PROVISION "
     "or DELETE_PRE_PROVISION", 1},
    {"malformed-stack-id", "malformed event: stackId 'app-prod' is not a CloudFormation stack ARN", 1},
    {"malformed-properties",
     "malformed event: requestData.targetModel.resourceProperties is not an object", 1},
    {"malformed-missing-target", "malformed event: requestData.targetName is missing", 1},
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

static void span_skips_nested_values(void **state) {
  (void)state;
  static const char json[] =
      "{\"a\": [1, {\"b\": \"}\"}], \"s\": \"x\\\"y\", \"n\": -1.5e3, \"t\": {\"k\": {\"v\": [true, null]}}}";
  static const char *const path[] = {"t", "k"};
  size_t start = 0, end = 0;
  assert_true(hook_span_find(json, strlen(json), path, 2, &start, &end));
  assert_int_equal(end - start, strlen("{\"v\": [true, null]}"));
  assert_memory_equal(json + start, "{\"v\": [true, null]}", end - start);

  static const char *const missing[] = {"t", "nope"};
  assert_false(hook_span_find(json, strlen(json), missing, 2, &start, &end));
  static const char *const number[] = {"n"};
  assert_true(hook_span_find(json, strlen(json), number, 1, &start, &end));
  assert_memory_equal(json + start, "-1.5e3", end - start);
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
  assert_true(hook_region_is_valid("eu-west-1"));
  assert_false(hook_region_is_valid("eu-west"));
  assert_false(hook_region_is_valid("EU-west-1"));
  assert_false(hook_region_is_valid("eu--1"));
}

static void message_cut_keeps_code_points(void **state) {
  (void)state;
  assert_int_equal(hook_message_cut("abc", 2), 2);
  assert_int_equal(hook_message_cut("\xc3\xa9\xc3\xa9", 1), 2);
  assert_int_equal(hook_message_cut("a\xe2\x82\xac", 2), 4);
  assert_int_equal(hook_message_cut("ab", 10), 2);
}

static void response_message_limit(void **state) {
  (void)state;
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
  assert_int_equal(hook_response_write(out, HOOK_NON_COMPLIANT, message, "token-1"), 0);
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
  assert_int_equal(chars, HOOK_MAX_MESSAGE);
  assert_string_equal(text + strlen(text) - 3, "...");
  json_decref(response);
  fclose(out);
  free(message);
}

static void success_has_no_error_code(void **state) {
  (void)state;
  FILE *out = tmpfile();
  assert_non_null(out);
  assert_int_equal(hook_response_write(out, HOOK_SUCCESS, "ok", NULL), 0);
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
    cmocka_unit_test(span_skips_nested_values),
    cmocka_unit_test(partitions_from_regions),
    cmocka_unit_test(message_cut_keeps_code_points),
    cmocka_unit_test(response_message_limit),
    cmocka_unit_test(success_has_no_error_code),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
