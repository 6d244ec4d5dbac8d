/*
 * IR builder tests: build errors with their schema paths, remote $ref
 * through the loader, $id resolution, the table invariant checker, the
 * name index, format assertion and the registry.
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

#include "cfgate_ir.h"
#include "vm_harness.h"

static void build_fails(const char *schema_text, const ir_build_options *options,
                        const char *schema_path, const char *message) {
  json_t *schema = json_loads(schema_text, JSON_DECODE_ANY, NULL);
  assert_non_null(schema);
  ir_error error;
  cfgate_validator *v = ir_build(schema, options, &error);
  json_decref(schema);

  assert_null(v);
  assert_string_equal(error.schema_path, schema_path);
  assert_string_equal(error.message, message);
}

static void build_errors_located(void **state) {
  (void)state;
  build_fails("{\"properties\":{\"a\":{\"type\":\"strin\"}}}", NULL, "/properties/a/type",
              "invalid type: expected one of null, boolean, object, array, number, integer, "
              "string, or an array of them");
  build_fails("{\"items\":{\"minLength\":-1}}", NULL, "/items/minLength",
              "invalid minLength: expected a non-negative integer");
  build_fails("{\"$ref\":\"#\"}", NULL, "/$ref",
              "too many chained $ref (limit is 256); is the reference circular?");
  build_fails("{\"$ref\":\"#/definitions/missing\"}", NULL, "/$ref",
              "cannot resolve $ref \"#/definitions/missing\" (resolved to \"#/definitions/missing\")");
  build_fails("{\"$ref\":\"http://example.com/other.json\"}", NULL, "/$ref",
              "cannot resolve $ref to \"http://example.com/other.json\": references to other "
              "files or URLs are not followed; copy the schema into this file's "
              "\"definitions\" and refer to it as \"#/definitions/NAME\"");
  build_fails("{\"multipleOf\":0}", NULL, "/multipleOf",
              "invalid multipleOf: expected a number greater than 0");
  build_fails("7", NULL, "", "invalid schema: expected an object or a boolean");
  build_fails("{\"patternProperties\":[]}", NULL, "/patternProperties",
              "invalid patternProperties: expected an object of schemas");
}

/* Builds a node with count patternProperties entries. */
static json_t *pattern_properties_schema(int count) {
  json_t *patterns = json_object();
  for (int i = 0; i < count; i++) {
    char key[16];
    snprintf(key, sizeof key, "^p%d$", i);
    json_object_set_new(patterns, key, json_object());
  }
  json_t *schema = json_object();
  json_object_set_new(schema, "patternProperties", patterns);
  return schema;
}

static void pattern_properties_limit(void **state) {
  (void)state;
  ir_error error;
  json_t *schema = pattern_properties_schema(64);
  cfgate_validator *v = ir_build(schema, NULL, &error);
  assert_non_null(v);
  ir_free(v);
  json_decref(schema);

  schema = pattern_properties_schema(65);
  v = ir_build(schema, NULL, &error);
  json_decref(schema);
  assert_null(v);
  assert_string_equal(error.schema_path, "/patternProperties");
  assert_string_equal(error.message, "too many patternProperties (limit is 64)");
}

static void dependencies_limit(void **state) {
  (void)state;
  for (int count = 64; count <= 65; count++) {
    json_t *dependencies = json_object();
    for (int i = 0; i < count; i++) {
      char key[16];
      snprintf(key, sizeof key, "p%d", i);
      json_object_set_new(dependencies, key, json_pack("[s]", "q"));
    }
    json_t *schema = json_pack("{s:o}", "dependencies", dependencies);
    ir_error error;
    cfgate_validator *v = ir_build(schema, NULL, &error);
    json_decref(schema);

    if (count == 64) {
      assert_non_null(v);
      ir_free(v);
      continue;
    }
    assert_null(v);
    assert_string_equal(error.schema_path, "/dependencies");
    assert_string_equal(error.message, "too many dependencies (limit is 64)");
  }
}

static void bad_pattern_names_offset(void **state) {
  (void)state;
  json_t *schema = json_loads("{\"properties\":{\"a\":{\"pattern\":\"[a-\"}}}", 0, NULL);
  ir_error error;
  cfgate_validator *v = ir_build(schema, NULL, &error);
  json_decref(schema);

  assert_null(v);
  assert_string_equal(error.schema_path, "/properties/a/pattern");
  assert_non_null(strstr(error.message, "invalid pattern \"[a-\" at offset"));
}

static json_t *load_remote(void *user_data, const char *uri, const char **message) {
  int *calls = user_data;
  (*calls)++;
  if (strcmp(uri, "http://example.com/defs.json") == 0)
    return json_loads("{\"$id\":\"http://example.com/defs.json\",\"definitions\":{\"port\":"
                      "{\"type\":\"integer\",\"maximum\":65535},\"ports\":{\"type\":\"array\","
                      "\"items\":{\"$ref\":\"#/definitions/port\"}}}}",
                      0, NULL);
  *message = "no such document";
  return NULL;
}

static void remote_ref_loaded(void **state) {
  (void)state;
  int calls = 0;
  ir_build_options options;
  ir_build_options_default(&options);
  options.load = load_remote;
  options.load_user_data = &calls;
  json_t *schema = json_loads("{\"properties\":{\"a\":{\"$ref\":\"http://example.com/defs.json#/"
                              "definitions/ports\"},\"b\":{\"$ref\":\"http://example.com/"
                              "defs.json#/definitions/port\"}}}",
                              0, NULL);
  ir_error error;
  cfgate_validator *v = ir_build(schema, &options, &error);
  json_decref(schema);

  assert_non_null(v);
  assert_int_equal(calls, 1);
  assert_int_equal(harness_verdict(v, "{\"a\":[80,443],\"b\":22}"), CFGATE_VALID);
  assert_int_equal(harness_verdict(v, "{\"a\":[80,70000]}"), CFGATE_INVALID);
  ir_free(v);

  build_fails("{\"$ref\":\"http://example.com/none.json\"}", &options, "/$ref",
              "cannot load \"http://example.com/none.json\": no such document");
}

static void id_plain_name_resolved(void **state) {
  (void)state;
  cfgate_validator *v = harness_build(
      "{\"$id\":\"http://example.com/root.json\",\"items\":{\"$ref\":\"#item\"},"
      "\"definitions\":{\"a\":{\"$id\":\"#item\",\"type\":\"string\"},"
      "\"b\":{\"$id\":\"sub/\",\"definitions\":{\"c\":{\"$ref\":\"x.json\"}}},"
      "\"x\":{\"$id\":\"sub/x.json\",\"type\":\"integer\"}},"
      "\"properties\":{\"n\":{\"$ref\":\"#/definitions/b/definitions/c\"}}}");

  assert_int_equal(harness_verdict(v, "[\"a\",\"b\"]"), CFGATE_VALID);
  assert_int_equal(harness_verdict(v, "[\"a\",1]"), CFGATE_INVALID);
  assert_int_equal(harness_verdict(v, "{\"n\":1}"), CFGATE_VALID);
  assert_int_equal(harness_verdict(v, "{\"n\":\"1\"}"), CFGATE_INVALID);
  ir_free(v);
}

static void invariant_checker_detects(void **state) {
  (void)state;
  cfgate_validator *v = harness_build("{\"properties\":{\"a\":{\"minimum\":1},\"b\":true}}");
  assert_null(cfgate_ir_check(v));

  cfgate_validator broken = *v;
  broken.root = v->node_count;
  assert_string_equal(cfgate_ir_check(&broken), "root node out of range");

  broken = *v;
  broken.pool_size = v->pool_size - 1;
  assert_string_equal(cfgate_ir_check(&broken), "string pool is not NUL-terminated");

  broken = *v;
  broken.number_count = 0;
  assert_string_equal(cfgate_ir_check(&broken), "numeric keyword out of range");
  ir_free(v);
}

/* Returns the first node of v with at least min_names names. */
static const cfgate_ir_node *node_with_names(const cfgate_validator *v, uint32_t min_names) {
  for (uint32_t i = 0; i < v->node_count; i++)
    if (v->nodes[i].names_count >= min_names)
      return &v->nodes[i];
  return NULL;
}

static void name_index_checked(void **state) {
  (void)state;
  cfgate_validator *v = harness_build(
      "{\"properties\":{\"a\":true,\"b\":true,\"c\":true,\"d\":true},\"required\":[\"e\"]}");
  assert_null(cfgate_ir_check(v));
  const cfgate_ir_node *node = node_with_names(v, 5);
  assert_non_null(node);
  assert_int_equal(node->name_bucket_shift, 64 - 4);

  cfgate_ir_node *nodes = malloc(v->node_count * sizeof *nodes);
  uint32_t *lists = malloc(v->list_count * sizeof *lists);
  assert_non_null(nodes);
  assert_non_null(lists);
  const char *index_problem = "property name index out of range or not matching the name hashes";
  uint32_t index = (uint32_t)(node - v->nodes), buckets = 16;
  cfgate_validator broken = *v;
  broken.nodes = nodes;
  broken.lists = lists;

  memcpy(nodes, v->nodes, v->node_count * sizeof *nodes);
  memcpy(lists, v->lists, v->list_count * sizeof *lists);
  nodes[index].name_bucket_shift = 64 - CFGATE_IR_NAME_BUCKET_BITS_MAX - 1;
  assert_string_equal(cfgate_ir_check(&broken), index_problem);
  nodes[index].name_bucket_shift = 64;
  assert_string_equal(cfgate_ir_check(&broken), index_problem);

  memcpy(nodes, v->nodes, v->node_count * sizeof *nodes);
  nodes[index].name_buckets_first = v->list_count - buckets;
  assert_string_equal(cfgate_ir_check(&broken), index_problem);

  /* The first name left out of the index. */
  memcpy(nodes, v->nodes, v->node_count * sizeof *nodes);
  for (uint32_t k = 0; k < buckets; k++)
    lists[node->name_buckets_first + k] = node->names_first + 1;
  assert_string_equal(cfgate_ir_check(&broken), index_problem);

  /* A name moved into the bucket before its own. */
  memcpy(lists, v->lists, v->list_count * sizeof *lists);
  const uint32_t *starts = v->lists + node->name_buckets_first;
  uint32_t k = 1;
  while (k < buckets && starts[k] == starts[k + 1])
    k++;
  assert_true(k < buckets);
  lists[node->name_buckets_first + k] = starts[k] + 1;
  assert_string_equal(cfgate_ir_check(&broken), index_problem);

  free(nodes);
  free(lists);
  ir_free(v);
}

/* An object node without names gets two empty buckets, which the runtime
 * reads without testing for names, so the checker requires them. */
static void name_index_without_names(void **state) {
  (void)state;
  cfgate_validator *v =
      harness_build("{\"minProperties\":1,\"additionalProperties\":{\"type\":\"string\"}}");
  assert_null(cfgate_ir_check(v));
  const cfgate_ir_node *root = &v->nodes[v->root];
  assert_int_equal(root->names_count, 0);
  assert_int_equal(root->name_bucket_shift, 63);
  assert_int_equal(harness_verdict(v, "{\"a\":\"x\"}"), CFGATE_VALID);
  assert_int_equal(harness_verdict(v, "{\"a\":1}"), CFGATE_INVALID);
  assert_int_equal(harness_verdict(v, "{}"), CFGATE_INVALID);

  const char *index_problem = "property name index out of range or not matching the name hashes";
  cfgate_ir_node *nodes = malloc(v->node_count * sizeof *nodes);
  uint32_t *lists = malloc(v->list_count * sizeof *lists);
  assert_non_null(nodes);
  assert_non_null(lists);
  cfgate_validator broken = *v;
  broken.nodes = nodes;
  broken.lists = lists;

  memcpy(nodes, v->nodes, v->node_count * sizeof *nodes);
  memcpy(lists, v->lists, v->list_count * sizeof *lists);
  nodes[v->root].name_buckets_first = CFGATE_IR_NONE;
  assert_string_equal(cfgate_ir_check(&broken), index_problem);

  memcpy(nodes, v->nodes, v->node_count * sizeof *nodes);
  lists[root->name_buckets_first + 2] = lists[root->name_buckets_first] + 1;
  assert_string_equal(cfgate_ir_check(&broken), index_problem);

  free(nodes);
  free(lists);
  ir_free(v);
}

/* A node of many names, some sharing a bucket, finds every one of them and
 * no other name. */
static void name_index_finds_every_name(void **state) {
  (void)state;
  enum { NAMES = 3000 };
  size_t size = 64 + (size_t)NAMES * 40;
  char *schema = malloc(size), *doc = malloc(size);
  assert_non_null(schema);
  assert_non_null(doc);
  size_t used = (size_t)snprintf(schema, size, "{\"additionalProperties\":false,\"properties\":{");
  for (int i = 0; i < NAMES; i++)
    used += (size_t)snprintf(schema + used, size - used, "%s\"name%d\":{\"const\":%d}", i ? "," : "",
                             i, i);
  snprintf(schema + used, size - used, "}}");
  cfgate_validator *v = harness_build(schema);
  assert_null(cfgate_ir_check(v));
  const cfgate_ir_node *node = node_with_names(v, NAMES);
  assert_non_null(node);
  assert_int_equal(node->name_bucket_shift, 64 - 13);

  used = (size_t)snprintf(doc, size, "{");
  for (int i = 0; i < NAMES; i++)
    used += (size_t)snprintf(doc + used, size - used, "%s\"name%d\":%d", i ? "," : "", i, i);
  snprintf(doc + used, size - used, "}");
  assert_int_equal(harness_verdict(v, doc), CFGATE_VALID);

  assert_int_equal(harness_verdict(v, "{\"name2999\":2998}"), CFGATE_INVALID);
  assert_int_equal(harness_verdict(v, "{\"name3000\":3000}"), CFGATE_INVALID);
  assert_int_equal(harness_verdict(v, "{\"name\":0}"), CFGATE_INVALID);
  free(schema);
  free(doc);
  ir_free(v);
}

/* Past 2^15 names the index keeps 2^16 buckets, so they hold more names. */
static void name_index_bits_capped(void **state) {
  (void)state;
  enum { NAMES = 40000 };
  size_t size = 64 + (size_t)NAMES * 16;
  char *schema = malloc(size);
  assert_non_null(schema);
  size_t used = (size_t)snprintf(schema, size, "{\"additionalProperties\":false,\"properties\":{");
  for (int i = 0; i < NAMES; i++)
    used += (size_t)snprintf(schema + used, size - used, "%s\"n%d\":true", i ? "," : "", i);
  snprintf(schema + used, size - used, "}}");
  cfgate_validator *v = harness_build(schema);
  assert_null(cfgate_ir_check(v));
  const cfgate_ir_node *node = node_with_names(v, NAMES);
  assert_non_null(node);
  assert_int_equal(node->name_bucket_shift, 64 - CFGATE_IR_NAME_BUCKET_BITS_MAX);

  assert_int_equal(harness_verdict(v, "{\"n0\":1,\"n20000\":2,\"n39999\":3}"), CFGATE_VALID);
  assert_int_equal(harness_verdict(v, "{\"n40000\":1}"), CFGATE_INVALID);
  assert_int_equal(harness_verdict(v, "{\"n\":1}"), CFGATE_INVALID);
  free(schema);
  ir_free(v);
}

static void const_object_names_indexed(void **state) {
  (void)state;
  cfgate_validator *v = harness_build("{\"const\":{\"k\":{\"a\":1,\"b\":[2]},\"m\":null}}");
  assert_null(cfgate_ir_check(v));
  assert_int_equal(harness_verdict(v, "{\"m\":null,\"k\":{\"b\":[2],\"a\":1}}"), CFGATE_VALID);
  assert_int_equal(harness_verdict(v, "{\"m\":null,\"k\":{\"b\":[2],\"a\":2}}"), CFGATE_INVALID);
  assert_int_equal(harness_verdict(v, "{\"m\":null,\"k\":{\"b\":[2],\"c\":1}}"), CFGATE_INVALID);
  assert_int_equal(harness_verdict(v, "{\"m\":null,\"k\":{}}"), CFGATE_INVALID);
  ir_free(v);
}

static void format_asserted_on_request(void **state) {
  (void)state;
  cfgate_validator *v = harness_build("{\"format\":\"ipv4\"}");
  cfgate_options options;
  cfgate_options_default(&options);
  const char *doc = "\"1.2.3.999\"";
  harness_result r;

  harness_run(v, &options, NULL, doc, strlen(doc), 0, &r);
  assert_int_equal(r.verdict, CFGATE_VALID);
  options.assert_formats = 1;
  harness_run(v, &options, NULL, doc, strlen(doc), 0, &r);
  assert_int_equal(r.verdict, CFGATE_INVALID);
  assert_string_equal(r.errors[0].keyword, "format");
  assert_string_equal(r.errors[0].message, "\"1.2.3.999\" is not a valid ipv4");
  const char *good = "\"10.0.0.1\"";
  harness_run(v, &options, NULL, good, strlen(good), 0, &r);
  assert_int_equal(r.verdict, CFGATE_VALID);
  ir_free(v);
}

static void registry_lookup(void **state) {
  (void)state;
  cfgate_validator *a = harness_build("{\"type\":\"object\"}");
  cfgate_validator *b = harness_build("{\"type\":\"array\"}");
  cfgate_registry_entry entries[] = {{"AWS::EC2::VPC", a}, {"AWS::S3::Bucket", b}};
  cfgate_registry registry = {entries, 2};

  assert_ptr_equal(cfgate_registry_find(&registry, "AWS::S3::Bucket"), b);
  assert_ptr_equal(cfgate_registry_find(&registry, "AWS::EC2::VPC"), a);
  assert_null(cfgate_registry_find(&registry, "AWS::S3::BucketPolicy"));
  assert_null(cfgate_registry_find(&registry, ""));
  ir_free(a);
  ir_free(b);
}

static void unique_items_unknown_item(void **state) {
  (void)state;
  cfgate_validator *v = harness_build("{\"uniqueItems\":true}");
  cfgate_options options;
  cfgate_options_default(&options);
  size_t size = cfgate_workspace_size(v, &options, NULL);
  void *workspace = aligned_alloc(16, (size + 15) & ~(size_t)15);
  cfgate_error error;
  cfgate_session *s = cfgate_session_init(workspace, size, v, &options, NULL, &error);

  cfgate_event_begin_array(s);
  cfgate_event_string(s, "a", 1);
  cfgate_event_unknown(s);
  cfgate_event_end_array(s);
  assert_int_equal(cfgate_finish(s), CFGATE_UNVERIFIED);

  cfgate_session_reset(s);
  cfgate_event_begin_array(s);
  cfgate_event_string(s, "a", 1);
  cfgate_event_unknown(s);
  cfgate_event_string(s, "a", 1);
  cfgate_event_end_array(s);
  assert_int_equal(cfgate_finish(s), CFGATE_INVALID);
  assert_string_equal(cfgate_error_at(s, 0)->message, "items 0 and 2 are equal");
  free(workspace);
  ir_free(v);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(build_errors_located),     cmocka_unit_test(bad_pattern_names_offset),
      cmocka_unit_test(pattern_properties_limit), cmocka_unit_test(dependencies_limit),
      cmocka_unit_test(remote_ref_loaded),        cmocka_unit_test(id_plain_name_resolved),
      cmocka_unit_test(invariant_checker_detects), cmocka_unit_test(name_index_checked),
      cmocka_unit_test(name_index_without_names),
      cmocka_unit_test(name_index_finds_every_name), cmocka_unit_test(name_index_bits_capped),
      cmocka_unit_test(const_object_names_indexed),
      cmocka_unit_test(format_asserted_on_request),
      cmocka_unit_test(registry_lookup),          cmocka_unit_test(unique_items_unknown_item),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
