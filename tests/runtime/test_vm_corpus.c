/*
 * Interpreter tests on real data. The Properties of every resource in the
 * corpus's JSON templates are validated against their provider schemas in
 * whole, 7-byte and 1-byte chunks, which must agree finding by finding. A
 * hand-written S3 bucket must be valid and each of its mutations invalid.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "vm_harness.h"

#define SCHEMA_DIR CFGATE_CORPUS_DIR "/cfn-schemas/us-east-1"
#define TEMPLATE_DIR CFGATE_CORPUS_DIR "/templates"
#define MAX_TYPES 256

typedef struct type_cache {
  char name[128];
  cfgate_validator *validator; /* NULL: no provider schema */
} type_cache;

static type_cache cache[MAX_TYPES];
static size_t cache_count;
static size_t resources_checked;

/* "AWS::S3::Bucket" -> ".../aws-s3-bucket.json" */
static void schema_path(const char *type, char *out, size_t size) {
  size_t n = (size_t)snprintf(out, size, "%s/", SCHEMA_DIR);
  for (const char *c = type; *c && n + 6 < size; c++) {
    if (c[0] == ':' && c[1] == ':') {
      out[n++] = '-';
      c++;
    } else {
      out[n++] = (char)(*c >= 'A' && *c <= 'Z' ? *c - 'A' + 'a' : *c);
    }
  }
  snprintf(out + n, size - n, ".json");
}

static cfgate_validator *validator_for(const char *type) {
  for (size_t i = 0; i < cache_count; i++)
    if (strcmp(cache[i].name, type) == 0)
      return cache[i].validator;
  if (cache_count == MAX_TYPES)
    return NULL;

  char path[1024];
  schema_path(type, path, sizeof path);
  FILE *exists = fopen(path, "r");
  type_cache *slot = &cache[cache_count++];
  snprintf(slot->name, sizeof slot->name, "%s", type);
  slot->validator = NULL;
  if (exists) {
    fclose(exists);
    slot->validator = harness_build_file(path);
    assert_non_null(slot->validator);
  }
  return slot->validator;
}

static void assert_same(const harness_result *a, const harness_result *b, const char *what) {
  if (a->verdict != b->verdict || a->error_count != b->error_count)
    fail_msg("%s: verdict %d/%d, errors %zu/%zu", what, a->verdict, b->verdict, a->error_count,
             b->error_count);
  for (size_t i = 0; i < a->error_count && i < HARNESS_MAX_ERRORS; i++) {
    assert_string_equal(a->errors[i].instance_path, b->errors[i].instance_path);
    assert_string_equal(a->errors[i].schema_path, b->errors[i].schema_path);
    assert_string_equal(a->errors[i].message, b->errors[i].message);
    assert_int_equal(a->errors[i].line, b->errors[i].line);
    assert_int_equal(a->errors[i].column, b->errors[i].column);
  }
}

static void check_resource(const char *file, const char *name, json_t *resource) {
  const char *type = json_string_value(json_object_get(resource, "Type"));
  json_t *properties = json_object_get(resource, "Properties");
  cfgate_validator *v = type && properties ? validator_for(type) : NULL;
  if (!v)
    return;

  char *text = json_dumps(properties, JSON_COMPACT | JSON_ENCODE_ANY);
  cfgate_options options;
  cfgate_options_default(&options);
  options.all_errors = 1;
  options.coerce = 1;
  harness_result whole, seven, single;
  char what[512];
  snprintf(what, sizeof what, "%s: %s (%s)", file, name, type);

  harness_run(v, &options, NULL, text, strlen(text), 0, &whole);
  harness_run(v, &options, NULL, text, strlen(text), 7, &seven);
  harness_run(v, &options, NULL, text, strlen(text), 1, &single);
  assert_true(whole.verdict == CFGATE_VALID || whole.verdict == CFGATE_INVALID);
  assert_same(&whole, &seven, what);
  assert_same(&whole, &single, what);
  resources_checked++;
  free(text);
}

static void check_template(const char *path) {
  json_t *root = json_load_file(path, 0, NULL);
  const char *name;
  json_t *resource;
  json_object_foreach(json_object_get(root, "Resources"), name, resource)
      check_resource(path, name, resource);
  json_decref(root);
}

static void walk(const char *dir) {
  DIR *d = opendir(dir);
  struct dirent *entry;
  while (d && (entry = readdir(d))) {
    if (entry->d_name[0] == '.')
      continue;
    char path[2048];
    snprintf(path, sizeof path, "%s/%s", dir, entry->d_name);
    size_t len = strlen(entry->d_name);
    if (len > 5 && strcmp(entry->d_name + len - 5, ".json") == 0)
      check_template(path);
    else if (!strchr(entry->d_name, '.'))
      walk(path);
  }
  if (d)
    closedir(d);
}

static void corpus_chunkings_agree(void **state) {
  (void)state;
  walk(TEMPLATE_DIR);
  print_message("%zu resources checked, %zu resource types\n", resources_checked, cache_count);
  assert_true(resources_checked >= 50);
}

static const char *const bucket =
    "{\"BucketName\":\"my-logs-bucket\",\"VersioningConfiguration\":{\"Status\":\"Enabled\"},"
    "\"BucketEncryption\":{\"ServerSideEncryptionConfiguration\":[{\"ServerSideEncryptionByDefault\":"
    "{\"SSEAlgorithm\":\"aws:kms\",\"KMSMasterKeyID\":\"alias/logs\"},\"BucketKeyEnabled\":true}]},"
    "\"PublicAccessBlockConfiguration\":{\"BlockPublicAcls\":true,\"BlockPublicPolicy\":true,"
    "\"IgnorePublicAcls\":true,\"RestrictPublicBuckets\":true},"
    "\"LifecycleConfiguration\":{\"Rules\":[{\"Id\":\"expire\",\"Status\":\"Enabled\","
    "\"ExpirationInDays\":365}]},\"Tags\":[{\"Key\":\"team\",\"Value\":\"security\"}]}";

typedef struct mutation {
  const char *from, *to;
  const char *keyword;
} mutation;

static void s3_bucket_mutations(void **state) {
  (void)state;
  cfgate_validator *v = validator_for("AWS::S3::Bucket");
  assert_non_null(v);
  assert_int_equal(harness_verdict(v, bucket), CFGATE_VALID);

  static const mutation mutations[] = {
      {"\"Status\":\"Enabled\"}", "\"Status\":\"On\"}", "enum"},
      {"\"BucketName\"", "\"BucketNames\"", "additionalProperties"},
      {"365", "\"365\"", "type"},
      {"\"BucketKeyEnabled\":true", "\"BucketKeyEnabled\":1", "type"},
      {"\"Key\":\"team\",", "", "required"},
  };
  for (size_t i = 0; i < sizeof mutations / sizeof *mutations; i++) {
    char doc[2048];
    const char *at = strstr(bucket, mutations[i].from);
    assert_non_null(at);
    snprintf(doc, sizeof doc, "%.*s%s%s", (int)(at - bucket), bucket, mutations[i].to,
             at + strlen(mutations[i].from));
    harness_result r;
    harness_run(v, NULL, NULL, doc, strlen(doc), 0, &r);
    assert_int_equal(r.verdict, CFGATE_INVALID);
    assert_string_equal(r.errors[0].keyword, mutations[i].keyword);
  }
}

static int free_cache(void **state) {
  (void)state;
  for (size_t i = 0; i < cache_count; i++)
    ir_free(cache[i].validator);
  return 0;
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(s3_bucket_mutations),
      cmocka_unit_test(corpus_chunkings_agree),
  };
  return cmocka_run_group_tests(tests, NULL, free_cache);
}
