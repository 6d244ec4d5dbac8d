/*
 * Output of `cfgate validate`: one verdict per instance, in text or as one
 * JSON object per line (schemas/validate-output.schema.json).
 */
#ifndef CFGATE_CLI_VALIDATE_REPORT_H
#define CFGATE_CLI_VALIDATE_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "cfgate.h"
#include "validate_options.h"

/* Where an instance came from: the file name ("-" for standard input) and,
 * for NDJSON, its 1-based line (0 for a whole file). */
typedef struct validate_source {
  const char *file;
  uint64_t line;
  uint32_t column_offset; /* columns skipped before the instance on its line */
} validate_source;

/* Writes the verdict of the session's current document with its errors. */
void validate_report(FILE *out, validate_format format, const validate_source *source,
                     cfgate_verdict verdict, const cfgate_session *session);

/* Writes a malformed verdict for NDJSON input without a single instance,
 * with the syntax error at line 1, column 1 as for an empty JSON file. */
void validate_report_no_instance(FILE *out, validate_format format, const char *file,
                                 const char *message);

/* Writes a failed verdict for a file that was not validated because it
 * cannot be read or no session could start (keyword "file" or "session").
 * Only the JSON format writes it, because text output has the message on
 * stderr. */
void validate_report_failure(FILE *out, validate_format format, const char *file, const char *keyword,
                             const char *message);

/* Writes len bytes of text with the bytes below 0x20 and 0x7F escaped
 * (\n, \r, \t, \xNN) and the code points of utf8_invisible() as \uXXXX.
 * Text from an input then cannot move the cursor or reorder a line. */
void validate_write_escaped(FILE *out, const char *text, size_t len);

#endif
