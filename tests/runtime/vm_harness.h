/*
 * Test helpers: build a validator from JSON text, validate a document in
 * chunks of a given size, and keep the findings for assertions.
 */
#ifndef VM_HARNESS_H
#define VM_HARNESS_H

#include <stddef.h>

#include "cfgate.h"
#include "ir/ir_build.h"

#define HARNESS_MAX_ERRORS 64

/* One finding copied out of the session. */
typedef struct harness_error {
  char instance_path[256];
  size_t instance_path_len; /* may contain NUL bytes before its end */
  char schema_path[256];
  char keyword[32];
  char message[384];
  char because[128];
  int unverified;
  unsigned line, column;
} harness_error;

typedef struct harness_result {
  cfgate_verdict verdict;
  size_t error_count;
  harness_error errors[HARNESS_MAX_ERRORS];
} harness_result;

/* Builds a validator from schema JSON text; fails the test when it does not build. */
cfgate_validator *harness_build(const char *schema_text);

/* Builds from a JSON file; NULL with a printed reason when it does not build. */
cfgate_validator *harness_build_file(const char *path);

/* Validates document[0..len) fed in chunks of chunk bytes (0: one chunk). */
void harness_run(const cfgate_validator *v, const cfgate_options *options,
                 const cfgate_context *context, const char *document, size_t len, size_t chunk,
                 harness_result *result);

/* Validates a NUL-terminated document in one chunk with default options. */
cfgate_verdict harness_verdict(const cfgate_validator *v, const char *document);

/* A session in its own workspace, for tests that feed events or bytes
 * themselves. */
typedef struct harness_session {
  cfgate_validator *validator;
  void *workspace;
  cfgate_session *session;
} harness_session;

/* Builds schema_text and starts a session with default options, reporting
 * every finding when all_errors is set; fails the test when it cannot. */
harness_session *harness_session_open(const char *schema_text, int all_errors);

/* Frees the session, its workspace and its validator. */
void harness_session_close(harness_session *h);

/* Copies the session's findings into result. */
void harness_collect(const cfgate_session *session, cfgate_verdict verdict, harness_result *result);

#endif /* VM_HARNESS_H */
