/*
 * Streaming of instance files through a validation session in fixed-size
 * chunks: memory use is the same for a kilobyte and for a terabyte of input.
 */
#ifndef CFGATE_CLI_VALIDATE_STREAM_H
#define CFGATE_CLI_VALIDATE_STREAM_H

#include <stdio.h>

#include "cfgate.h"
#include "validate_options.h"

/* Bytes of a message about an unreadable file, path included; a longer
 * message is cut. */
#define VALIDATE_MESSAGE_SIZE 4352

/* Bytes read and fed to the session at a time. */
#define VALIDATE_CHUNK_SIZE (64 * 1024)

typedef struct validate_stream {
  const validate_options *options;
  cfgate_session *session;
  unsigned char *chunk; /* VALIDATE_CHUNK_SIZE bytes, owned by the caller */
  FILE *out;            /* where verdicts go */
} validate_stream;

/* Validates the file at path ("-" for standard input): one instance, or one
 * per line with --ndjson. Writes a verdict per instance and returns the exit
 * status for the file (0 all valid, 1 an instance invalid, 2 unreadable or
 * malformed). */
int validate_stream_file(validate_stream *stream, const char *path);

/* Returns the name reports give path: "<stdin>" for "-", as cfgate check
 * does, else path itself. */
const char *validate_display_name(const char *path);

#endif
