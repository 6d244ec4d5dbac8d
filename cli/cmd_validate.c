/*
 * cfgate validate: validates JSON instances (files, standard input, or NDJSON
 * streams) against a JSON Schema or restricted schema template. The schema is
 * compiled once into validator tables; each instance is streamed through a
 * session in a workspace allocated once, so memory use is constant.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "validate_options.h"
#include "validate_report.h"
#include "validate_schema.h"
#include "validate_stream.h"

static void options_to_runtime(const validate_options *options, cfgate_options *runtime) {
  cfgate_options_default(runtime);
  runtime->all_errors = options->all_errors;
  runtime->assert_formats = options->assert_formats;
  runtime->coerce = 0;
}

/* Writes a failed verdict per input file when no session can start, so
 * that JSON output has one line per instance even then. */
static void report_session_failure(const validate_options *options, const char *message) {
  if (options->file_count == 0)
    validate_report_failure(stdout, options->format, "<stdin>", "session", message);
  for (int i = 0; i < options->file_count; i++)
    validate_report_failure(stdout, options->format, validate_display_name(options->files[i]),
                            "session", message);
}

/* Returns 1 for the session error of a placeholder without a value, which
 * validate_schema_load() already reported with the --context to pass. */
static int reported_on_load(const char *message) {
  static const char prefix[] = "missing value for placeholder ${";
  return strncmp(message, prefix, sizeof prefix - 1) == 0;
}

/* Starts a session in a newly allocated workspace; prints the error and
 * returns NULL when a placeholder has no value. */
static cfgate_session *start_session(const validate_options *options, const cfgate_validator *validator,
                                     const cfgate_options *runtime, const cfgate_context *context,
                                     void **workspace) {
  size_t size = cfgate_workspace_size(validator, runtime, context);
  cfgate_error error = {0};

  *workspace = malloc(size > 0 ? size : 1);
  if (*workspace == NULL) {
    fprintf(stderr, "cfgate validate: out of memory (workspace of %zu bytes)\n", size);
    return NULL;
  }

  cfgate_session *session = cfgate_session_init(*workspace, size, validator, runtime, context, &error);
  if (session == NULL) {
    const char *message = error.message != NULL ? error.message : "cannot start a validation session";
    if (!reported_on_load(message))
      fprintf(stderr, "cfgate validate: %s\n", message);
    report_session_failure(options, message);
  }
  return session;
}

static int validate_files(const validate_options *options, cfgate_session *session) {
  unsigned char *chunk = malloc(VALIDATE_CHUNK_SIZE);
  int status = EXIT_PASS;

  if (chunk == NULL) {
    fprintf(stderr, "cfgate validate: out of memory\n");
    return EXIT_USAGE;
  }

  validate_stream stream = {options, session, chunk, stdout};
  if (options->file_count == 0)
    status = validate_stream_file(&stream, "-");
  for (int i = 0; i < options->file_count; i++) {
    int file_status = validate_stream_file(&stream, options->files[i]);
    status = file_status > status ? file_status : status;
  }

  free(chunk);
  return status;
}

static int run(const validate_options *options) {
  cfgate_context context = {options->context_names, options->context_values, options->context_count};
  cfgate_validator *validator = validate_schema_load(options->schema_path, &context);
  if (validator == NULL)
    return EXIT_USAGE;

  cfgate_options runtime;
  void *workspace = NULL;
  int status = EXIT_USAGE;

  options_to_runtime(options, &runtime);
  cfgate_session *session = start_session(options, validator, &runtime, &context, &workspace);
  if (session != NULL)
    status = validate_files(options, session);

  errno = 0;
  if (fflush(stdout) != 0) {
    fprintf(stderr, "cfgate validate: writing the output failed%s%s\n", errno ? ": " : "",
            errno ? strerror(errno) : "");
    status = EXIT_USAGE;
  }
  free(workspace);
  validate_schema_free(validator);
  return status;
}

int cmd_validate(int argc, char **argv) {
  validate_options options;
  int status;

  if (validate_options_parse(&options, argc, argv) != 0) {
    status = EXIT_USAGE;
  } else if (options.help) {
    validate_options_usage(stdout);
    status = EXIT_PASS;
  } else {
    status = run(&options);
  }

  validate_options_fini(&options);
  return status;
}
