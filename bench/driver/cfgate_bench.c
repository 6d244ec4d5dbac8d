/*
 * cfgate-bench: runs cfgate in process the way the peer runners run their
 * validators, so the figures compare like with like. It compiles the schema
 * (timed) and reads the NDJSON file into memory (not timed). Then it splits
 * the input at '\n', feeds each line to a session and takes its verdict
 * (timed; the peer runners split their input before their timer starts).
 *
 *   cfgate-bench SCHEMA INPUT VERDICTS
 *
 * VERDICTS gets one line per instance: 1 valid, 0 invalid, E malformed,
 * F failed (a limit was exceeded) and U unverified. The bench counts F and U
 * as disagreements, because neither is a valid or invalid verdict.
 * Prints {"compile_ms": ..., "validate_s": ..., "lines": ..., "bytes": ...}.
 * Exits 0 after a complete run, 2 when a file cannot be read or the schema
 * cannot be compiled.
 */
#define _POSIX_C_SOURCE 200809L

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cfgate.h"
#include "build_version.h"
#include "ir/ir_build.h"
#include "read_whole.h"

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static cfgate_validator *compile_schema(const char *path) {
  json_error_t parse_error;
  json_t *schema = json_load_file(path, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &parse_error);

  if (schema == NULL) {
    fprintf(stderr, "%s:%d:%d: error: %s\n", path, parse_error.line, parse_error.column, parse_error.text);
    return NULL;
  }

  ir_build_options options;
  ir_error error;
  ir_build_options_default(&options);
  cfgate_validator *validator = ir_build(schema, &options, &error);
  json_decref(schema);

  if (validator == NULL)
    fprintf(stderr, "%s: error: schema location '%s': %s\n", path, error.schema_path, error.message);
  return validator;
}

/* Reads the whole file into memory; returns NULL after printing the error. */
static unsigned char *read_file(const char *path, size_t *size) {
  unsigned char *data;
  bench_read_status status = bench_read_whole(path, &data, size);
  if (status == BENCH_READ_OPEN_FAILED)
    perror(path);
  else if (status == BENCH_READ_FAILED)
    fprintf(stderr, "%s: cannot read the file\n", path);
  return data;
}

static cfgate_session *start_session(const cfgate_validator *validator, void **workspace) {
  cfgate_options options;
  cfgate_options_default(&options);
  cfgate_context context = {NULL, NULL, 0};
  size_t size = cfgate_workspace_size(validator, &options, &context);

  cfgate_error error;
  *workspace = malloc(size > 0 ? size : 1);
  cfgate_session *session =
      *workspace == NULL ? NULL : cfgate_session_init(*workspace, size, validator, &options, &context, &error);
  if (session == NULL)
    fprintf(stderr, "cfgate-bench: cannot start a session (workspace of %zu bytes)\n", size);
  return session;
}

static char verdict_char(cfgate_verdict verdict) {
  switch (verdict) {
  case CFGATE_VALID:
    return '1';
  case CFGATE_INVALID:
    return '0';
  case CFGATE_MALFORMED:
    return 'E';
  case CFGATE_UNVERIFIED:
    return 'U';
  case CFGATE_FAILED:
    return 'F';
  }
  return '?';
}

/* Validates each line of data; writes one verdict byte and '\n' per line
 * into verdicts (2 bytes per line of room). Returns the number of lines.
 * Kept out of line so a profiler can count this loop alone
 * (callgrind --toggle-collect=validate_lines). */
__attribute__((noinline)) static size_t validate_lines(cfgate_session *session, const unsigned char *data, size_t size, char *verdicts) {
  size_t lines = 0;
  const unsigned char *p = data, *end = data + size;

  while (p < end) {
    const unsigned char *newline = memchr(p, '\n', (size_t)(end - p));
    const unsigned char *stop = newline != NULL ? newline : end;

    cfgate_session_reset(session);
    cfgate_feed(session, p, (size_t)(stop - p));
    verdicts[2 * lines] = verdict_char(cfgate_finish(session));
    verdicts[2 * lines + 1] = '\n';
    lines++;
    p = stop + 1;
  }
  return lines;
}

static size_t count_lines(const unsigned char *data, size_t size) {
  size_t lines = 0;
  for (size_t i = 0; i < size; i++)
    lines += data[i] == '\n';
  return lines + (size > 0 && data[size - 1] != '\n');
}

int main(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "--version") == 0)
    return bench_print_version("cfgate-bench");
  if (argc != 4) {
    fprintf(stderr, "usage: cfgate-bench SCHEMA INPUT VERDICTS | --version\n");
    return 2;
  }

  double start = now_seconds();
  cfgate_validator *validator = compile_schema(argv[1]);
  double compile_ms = (now_seconds() - start) * 1000;
  size_t size = 0;
  unsigned char *data = validator != NULL ? read_file(argv[2], &size) : NULL;
  void *workspace = NULL;
  cfgate_session *session = data != NULL ? start_session(validator, &workspace) : NULL;
  char *verdicts = session != NULL ? malloc(2 * count_lines(data, size) + 1) : NULL;
  if (verdicts == NULL)
    return 2;

  start = now_seconds();
  size_t lines = validate_lines(session, data, size, verdicts);
  double validate_s = now_seconds() - start;

  FILE *out = fopen(argv[3], "wb");
  if (out == NULL || fwrite(verdicts, 1, 2 * lines, out) != 2 * lines || fclose(out) != 0) {
    perror(argv[3]);
    return 2;
  }
  printf("{\"compile_ms\": %.3f, \"build_ms\": 0, \"validate_s\": %.6f, \"lines\": %zu, \"bytes\": %zu}\n",
         compile_ms, validate_s, lines, size);
  free(verdicts);
  free(workspace);
  free(data);
  ir_free(validator);
  return 0;
}
