#include "vm_harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

cfgate_validator *harness_build(const char *schema_text) {
  json_error_t json_error;
  json_t *schema = json_loads(schema_text, JSON_DECODE_ANY, &json_error);
  if (!schema)
    fail_msg("schema JSON does not parse: %s", json_error.text);

  ir_error error;
  cfgate_validator *v = ir_build(schema, NULL, &error);
  json_decref(schema);
  if (!v)
    fail_msg("schema does not build: %s: %s", error.schema_path, error.message);
  return v;
}

cfgate_validator *harness_build_file(const char *path) {
  json_error_t json_error;
  json_t *schema = json_load_file(path, 0, &json_error);
  if (!schema) {
    print_message("%s: %s\n", path, json_error.text);
    return NULL;
  }

  ir_error error;
  cfgate_validator *v = ir_build(schema, NULL, &error);
  json_decref(schema);
  if (!v)
    print_message("%s: %s: %s\n", path, error.schema_path, error.message);
  return v;
}

static void copy(char *out, size_t size, const char *text) {
  snprintf(out, size, "%s", text ? text : "");
}

void harness_collect(const cfgate_session *session, cfgate_verdict verdict, harness_result *result) {
  memset(result, 0, sizeof *result);
  result->verdict = verdict;
  result->error_count = cfgate_error_count(session);
  for (size_t i = 0; i < result->error_count && i < HARNESS_MAX_ERRORS; i++) {
    const cfgate_error *e = cfgate_error_at(session, i);
    harness_error *out = &result->errors[i];
    out->instance_path_len = e->instance_path_len < sizeof out->instance_path ? e->instance_path_len
                                                                             : sizeof out->instance_path - 1;
    memcpy(out->instance_path, e->instance_path, out->instance_path_len);
    copy(out->schema_path, sizeof out->schema_path, e->schema_path);
    copy(out->keyword, sizeof out->keyword, e->keyword);
    copy(out->message, sizeof out->message, e->message);
    copy(out->because, sizeof out->because, e->because);
    out->unverified = e->unverified;
    out->line = e->line;
    out->column = e->column;
  }
}

void harness_run(const cfgate_validator *v, const cfgate_options *options,
                 const cfgate_context *context, const char *document, size_t len, size_t chunk,
                 harness_result *result) {
  cfgate_options defaults;
  if (!options) {
    cfgate_options_default(&defaults);
    options = &defaults;
  }

  size_t size = cfgate_workspace_size(v, options, context);
  assert_true(size > 0);
  void *workspace = aligned_alloc(16, (size + 15) & ~(size_t)15);
  assert_non_null(workspace);
  cfgate_error error;
  cfgate_session *s = cfgate_session_init(workspace, size, v, options, context, &error);
  if (!s)
    fail_msg("session init failed: %s", error.message);

  size_t step = chunk ? chunk : (len ? len : 1);
  for (size_t at = 0; at < len; at += step) {
    size_t n = len - at < step ? len - at : step;
    if (cfgate_feed(s, document + at, n))
      break;
  }
  cfgate_verdict verdict = cfgate_finish(s);
  harness_collect(s, verdict, result);
  free(workspace);
}

cfgate_verdict harness_verdict(const cfgate_validator *v, const char *document) {
  harness_result result;
  harness_run(v, NULL, NULL, document, strlen(document), 0, &result);
  return result.verdict;
}

harness_session *harness_session_open(const char *schema_text, int all_errors) {
  harness_session *h = calloc(1, sizeof *h);
  assert_non_null(h);
  h->validator = harness_build(schema_text);

  cfgate_options options;
  cfgate_options_default(&options);
  options.all_errors = all_errors;
  size_t size = cfgate_workspace_size(h->validator, &options, NULL);
  assert_true(size > 0);
  h->workspace = aligned_alloc(16, (size + 15) & ~(size_t)15);
  assert_non_null(h->workspace);

  cfgate_error error;
  h->session = cfgate_session_init(h->workspace, size, h->validator, &options, NULL, &error);
  assert_non_null(h->session);
  return h;
}

void harness_session_close(harness_session *h) {
  free(h->workspace);
  ir_free(h->validator);
  free(h);
}
