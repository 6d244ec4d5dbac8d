/*
 * One suite instance, six runs: {first error, all errors} x {whole, 7-byte,
 * 1-byte chunks}. The verdict must be the same in all six, and within one
 * error mode the list of errors must not depend on the chunk size.
 */
#include "suite_case.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Chunk sizes each instance is fed in; 0 means the whole text at once. */
static const size_t chunk_sizes[] = {0, 7, 1};
#define CHUNK_SIZE_COUNT (sizeof chunk_sizes / sizeof chunk_sizes[0])

/* The verdict and a summary of the errors of one run. */
typedef struct run_result {
  cfgate_verdict verdict;
  char signature[SUITE_SIGNATURE_SIZE];
  char first_message[256];
} run_result;

static void append(char *buffer, size_t size, const char *text) {
  size_t used = strlen(buffer);

  if (used + 1 < size)
    snprintf(buffer + used, size - used, "%s", text != NULL ? text : "(null)");
}

static void summarize(const cfgate_session *session, cfgate_verdict verdict, run_result *result) {
  size_t count = cfgate_error_count(session);

  result->verdict = verdict;
  snprintf(result->signature, sizeof result->signature, "%d:%zu", (int)verdict, count);
  result->first_message[0] = '\0';

  for (size_t i = 0; i < count; i++) {
    const cfgate_error *error = cfgate_error_at(session, i);
    append(result->signature, sizeof result->signature, "|");
    append(result->signature, sizeof result->signature, error->instance_path);
    append(result->signature, sizeof result->signature, " ");
    append(result->signature, sizeof result->signature, error->keyword);
    append(result->signature, sizeof result->signature, " ");
    append(result->signature, sizeof result->signature, error->schema_path);
    if (i == 0)
      snprintf(result->first_message, sizeof result->first_message, "%s at '%s': %s",
               error->keyword != NULL ? error->keyword : "?",
               error->instance_path != NULL ? error->instance_path : "",
               error->message != NULL ? error->message : "(no message)");
  }
}

static void feed(cfgate_session *session, const char *data, size_t len, size_t chunk) {
  if (chunk == 0) {
    cfgate_feed(session, data, len);
    return;
  }
  for (size_t pos = 0; pos < len; pos += chunk)
    cfgate_feed(session, data + pos, len - pos < chunk ? len - pos : chunk);
}

static int run_once(const cfgate_validator *validator, const cfgate_options *options, const char *data,
                    size_t len, size_t chunk, run_result *result) {
  cfgate_context context = {NULL, NULL, 0};
  size_t size = cfgate_workspace_size(validator, options, &context);
  void *workspace = malloc(size > 0 ? size : 1);
  cfgate_error error;

  memset(&error, 0, sizeof error);
  cfgate_session *session =
      workspace != NULL ? cfgate_session_init(workspace, size, validator, options, &context, &error) : NULL;
  if (session == NULL) {
    snprintf(result->first_message, sizeof result->first_message, "no session: %s",
             error.message != NULL ? error.message : "out of memory");
    free(workspace);
    return -1;
  }

  feed(session, data, len, chunk);
  summarize(session, cfgate_finish(session), result);
  free(workspace);
  return 0;
}

/* Records the first disagreement between two runs of the same instance. */
static void describe_difference(suite_outcome *outcome, int all_errors, size_t chunk, const run_result *run,
                                const run_result *reference) {
  char label[48];

  if (!outcome->consistent)
    return;
  if (chunk == 0)
    snprintf(label, sizeof label, "whole input");
  else
    snprintf(label, sizeof label, "%zu-byte chunks", chunk);

  outcome->consistent = 0;
  snprintf(outcome->detail, sizeof outcome->detail, "%s mode, %s gave '%.180s' but the reference run gave '%.180s'",
           all_errors ? "all-errors" : "first-error", label, run->signature, reference->signature);
}

int suite_case_run(const cfgate_validator *validator, int assert_formats, const char *data, size_t len,
                   suite_outcome *outcome) {
  /* first: first-error mode, whole input; reference: whole input of the current mode. */
  static run_result first, reference, run;
  cfgate_options options;

  memset(outcome, 0, sizeof *outcome);
  outcome->consistent = 1;
  cfgate_options_default(&options);
  options.assert_formats = assert_formats;

  for (int all_errors = 0; all_errors <= 1; all_errors++) {
    options.all_errors = all_errors;
    for (size_t c = 0; c < CHUNK_SIZE_COUNT; c++) {
      run_result *result = c == 0 ? &reference : &run;
      if (run_once(validator, &options, data, len, chunk_sizes[c], result) != 0) {
        snprintf(outcome->detail, sizeof outcome->detail, "%s", result->first_message);
        return -1;
      }

      if (all_errors == 0 && c == 0) {
        first = *result;
        outcome->verdict = result->verdict;
        snprintf(outcome->detail, sizeof outcome->detail, "%s", result->first_message);
      }
      if (result->verdict != first.verdict)
        describe_difference(outcome, all_errors, chunk_sizes[c], result, &first);
      else if (c > 0 && strcmp(run.signature, reference.signature) != 0)
        describe_difference(outcome, all_errors, chunk_sizes[c], &run, &reference);
    }
  }
  return 0;
}
