/*
 * Verdict output of `cfgate validate`. Text lines read
 *   FILE[:LINE]: valid | invalid | unverified | malformed | failed
 *   FILE:LINE:COLUMN: error: INSTANCE_PATH: MESSAGE (KEYWORD at SCHEMA_PATH)
 *     because: MESSAGE
 *   FILE[:LINE]: N more errors not shown
 * where LINE:COLUMN is the start of the offending value in the file, and
 * malformed JSON reads FILE:LINE:COLUMN: invalid JSON: MESSAGE after its
 * verdict line. An exceeded
 * limit has no schema location, so its line ends after the message. Text
 * taken from the instance or the command line is written with control
 * characters escaped (\n, \r, \t, \xNN) and the code points of
 * utf8_invisible() (line separators, direction marks) as \uXXXX, so it
 * cannot move the cursor, recolor a terminal or reorder a line. JSON output
 * escapes the same code points as \uXXXX.
 */
#include "validate_report.h"

#include <inttypes.h>
#include <string.h>

#include "utf8.h"

static const char *verdict_name(cfgate_verdict verdict) {
  switch (verdict) {
  case CFGATE_VALID:
    return "valid";
  case CFGATE_INVALID:
    return "invalid";
  case CFGATE_UNVERIFIED:
    return "unverified";
  case CFGATE_MALFORMED:
    return "malformed";
  case CFGATE_FAILED:
    return "failed";
  }
  return "failed";
}

/* Returns the code point of utf8_invisible() that starts at p, reading no
 * byte at or past end, or 0. Stores its length in *len. */
static uint32_t invisible_at(const unsigned char *p, const unsigned char *end, size_t *len) {
  char sequence[5] = {0};
  size_t available = (size_t)(end - p) < 4 ? (size_t)(end - p) : 4;

  if (*p < 0x80)
    return 0;
  memcpy(sequence, p, available);
  return utf8_invisible(sequence, len);
}

void validate_write_escaped(FILE *out, const char *text, size_t len) {
  const unsigned char *end = (const unsigned char *)text + len;

  for (const unsigned char *p = (const unsigned char *)text; p < end; p++) {
    size_t sequence_len = 0;
    uint32_t code = invisible_at(p, end, &sequence_len);
    if (code) {
      char escape[UTF8_ESCAPE_SIZE];
      utf8_escape(code, escape);
      fputs(escape, out);
      p += sequence_len - 1;
      continue;
    }
    if (*p >= 0x20 && *p != 0x7f) {
      fputc(*p, out);
      continue;
    }
    switch (*p) {
    case '\n':
      fputs("\\n", out);
      break;
    case '\r':
      fputs("\\r", out);
      break;
    case '\t':
      fputs("\\t", out);
      break;
    default:
      fprintf(out, "\\x%02X", *p);
      break;
    }
  }
}

static void text_escaped(FILE *out, const char *text) {
  validate_write_escaped(out, text, strlen(text));
}

/* Returns 0 for an exceeded limit, which has no schema location, else 1. */
static int has_schema_location(const cfgate_error *error) {
  return error->keyword == NULL || strcmp(error->keyword, "limit") != 0;
}

static const char *text_or(const char *text, const char *fallback) {
  return text != NULL && text[0] != '\0' ? text : fallback;
}

/* Returns the syntax error of a malformed document, which the runtime
 * records with the keyword "syntax" as its only finding. */
static const cfgate_error *syntax_error(const cfgate_session *session) {
  size_t count = cfgate_error_count(session);

  for (size_t i = count; i > 0; i--) {
    const cfgate_error *error = cfgate_error_at(session, i - 1);
    if (error->keyword != NULL && strcmp(error->keyword, "syntax") == 0)
      return error;
  }
  return count > 0 ? cfgate_error_at(session, count - 1) : NULL;
}

/* The line of an error in the file: NDJSON instances sit on one line, whole
 * files report the runtime's own line. */
static uint64_t error_line(const validate_source *source, const cfgate_error *error) {
  uint32_t line = error != NULL && error->line > 0 ? error->line : 1;
  return source->line > 0 ? source->line + line - 1 : line;
}

static uint64_t error_column(const validate_source *source, const cfgate_error *error) {
  uint32_t column = error != NULL && error->column > 0 ? error->column : 1;
  uint32_t line = error != NULL && error->line > 0 ? error->line : 1;
  return line == 1 ? (uint64_t)column + source->column_offset : column;
}

static void text_location(FILE *out, const validate_source *source) {
  text_escaped(out, source->file);
  if (source->line > 0)
    fprintf(out, ":%" PRIu64, source->line);
}

static void text_malformed(FILE *out, const validate_source *source, const cfgate_session *session) {
  const cfgate_error *error = syntax_error(session);

  text_escaped(out, source->file);
  fprintf(out, ":%" PRIu64 ":%" PRIu64 ": invalid JSON: ", error_line(source, error),
          error_column(source, error));
  text_escaped(out, error != NULL ? text_or(error->message, "malformed input") : "malformed input");
  fputc('\n', out);
}

static void text_error(FILE *out, const validate_source *source, const cfgate_error *error) {
  text_escaped(out, source->file);
  if (error->line > 0)
    fprintf(out, ":%" PRIu64 ":%" PRIu64, error_line(source, error), error_column(source, error));
  fputs(": error: ", out);

  if (error->instance_path != NULL && error->instance_path_len > 0)
    validate_write_escaped(out, error->instance_path, error->instance_path_len);
  else
    fputs("(root)", out);
  fputs(": ", out);
  text_escaped(out, text_or(error->message, "constraint violated"));
  if (has_schema_location(error)) {
    fprintf(out, " (%s at ", text_or(error->keyword, "?"));
    text_escaped(out, text_or(error->schema_path, "#"));
    fputc(')', out);
  }
  fputc('\n', out);

  if (error->because != NULL) {
    fputs("  because: ", out);
    text_escaped(out, error->because);
    fputc('\n', out);
  }
}

static void text_report(FILE *out, const validate_source *source, cfgate_verdict verdict,
                        const cfgate_session *session) {
  text_location(out, source);
  fprintf(out, ": %s\n", verdict_name(verdict));
  if (verdict == CFGATE_MALFORMED) {
    text_malformed(out, source, session);
    return;
  }

  size_t count = verdict == CFGATE_VALID ? 0 : cfgate_error_count(session);
  for (size_t i = 0; i < count; i++)
    text_error(out, source, cfgate_error_at(session, i));

  size_t omitted = cfgate_errors_omitted(session);
  if (omitted > 0) {
    text_location(out, source);
    fprintf(out, ": %zu more error%s not shown\n", omitted, omitted == 1 ? "" : "s");
  }
}

/* Writes len bytes of text as a JSON string literal. Control characters,
 * DEL and the invisible code points become \uXXXX escapes. JSON allows
 * U+2028 and U+202E raw, but a terminal that shows the output would break
 * the line or reverse the text there. */
static void json_string_bytes(FILE *out, const char *text, size_t len) {
  const unsigned char *end = (const unsigned char *)text + len;

  fputc('"', out);
  for (const unsigned char *p = (const unsigned char *)text; p < end; p++) {
    size_t sequence_len = 0;
    uint32_t code = invisible_at(p, end, &sequence_len);
    if (code) {
      char escape[UTF8_ESCAPE_SIZE];
      utf8_escape(code, escape);
      fputs(escape, out);
      p += sequence_len - 1;
    } else if (*p == '"' || *p == '\\') {
      fputc('\\', out);
      fputc(*p, out);
    } else if (*p < 0x20 || *p == 0x7f) {
      fprintf(out, "\\u%04x", (unsigned)*p);
    } else {
      fputc(*p, out);
    }
  }
  fputc('"', out);
}

/* Writes text, or "" for NULL, as a JSON string literal. */
static void json_string(FILE *out, const char *text) {
  text = text != NULL ? text : "";
  json_string_bytes(out, text, strlen(text));
}

static void json_error(FILE *out, const validate_source *source, const cfgate_error *error) {
  fputs("{\"instancePath\":", out);
  json_string_bytes(out, error->instance_path != NULL ? error->instance_path : "", error->instance_path_len);
  fputs(",\"schemaPath\":", out);
  if (has_schema_location(error))
    json_string(out, error->schema_path);
  else
    fputs("null", out);
  fputs(",\"keyword\":", out);
  json_string(out, text_or(error->keyword, "?"));
  fputs(",\"message\":", out);
  json_string(out, text_or(error->message, "constraint violated"));
  if (error->because != NULL) {
    fputs(",\"because\":", out);
    json_string(out, error->because);
  }
  if (error->line > 0)
    fprintf(out, ",\"line\":%" PRIu64 ",\"column\":%" PRIu64, error_line(source, error),
            error_column(source, error));
  fputc('}', out);
}

/* Writes the session's errors; a denial without any recorded error still
 * gets one entry, so the output never shows an invalid instance without a reason. */
static void json_errors(FILE *out, const validate_source *source, cfgate_verdict verdict,
                        const cfgate_session *session) {
  size_t count = cfgate_error_count(session);

  if (count == 0) {
    fprintf(out, "{\"instancePath\":\"\",\"schemaPath\":null,\"keyword\":\"%s\","
                 "\"message\":\"the instance was denied without a recorded error\"}",
            verdict_name(verdict));
    return;
  }
  for (size_t i = 0; i < count; i++) {
    if (i > 0)
      fputc(',', out);
    json_error(out, source, cfgate_error_at(session, i));
  }
}

static void json_syntax_error(FILE *out, const validate_source *source, const cfgate_session *session) {
  const cfgate_error *error = syntax_error(session);

  fputs("{\"instancePath\":\"\",\"schemaPath\":null,\"keyword\":\"syntax\",\"message\":", out);
  json_string(out, error != NULL ? text_or(error->message, "malformed input") : "malformed input");
  fprintf(out, ",\"line\":%" PRIu64 ",\"column\":%" PRIu64 "}", error_line(source, error),
          error_column(source, error));
}

static void json_report(FILE *out, const validate_source *source, cfgate_verdict verdict,
                        const cfgate_session *session) {
  fputs("{\"file\":", out);
  json_string(out, source->file);
  if (source->line > 0)
    fprintf(out, ",\"line\":%" PRIu64, source->line);
  fprintf(out, ",\"valid\":%s,\"verdict\":\"%s\"", verdict == CFGATE_VALID ? "true" : "false",
          verdict_name(verdict));
  if (verdict == CFGATE_MALFORMED)
    fputs(",\"malformed\":true", out);
  if (cfgate_errors_omitted(session) > 0)
    fprintf(out, ",\"errorsOmitted\":%zu", cfgate_errors_omitted(session));

  fputs(",\"errors\":[", out);
  if (verdict == CFGATE_MALFORMED) {
    json_syntax_error(out, source, session);
  } else if (verdict != CFGATE_VALID) {
    json_errors(out, source, verdict, session);
  }
  fputs("]}\n", out);
}

void validate_report(FILE *out, validate_format format, const validate_source *source,
                     cfgate_verdict verdict, const cfgate_session *session) {
  if (format == VALIDATE_FORMAT_JSON)
    json_report(out, source, verdict, session);
  else
    text_report(out, source, verdict, session);
}

void validate_report_no_instance(FILE *out, validate_format format, const char *file,
                                 const char *message) {
  if (format == VALIDATE_FORMAT_JSON) {
    fputs("{\"file\":", out);
    json_string(out, file);
    fputs(",\"valid\":false,\"verdict\":\"malformed\",\"malformed\":true,\"errors\":[{"
          "\"instancePath\":\"\",\"schemaPath\":null,\"keyword\":\"syntax\",\"message\":", out);
    json_string(out, message);
    fputs(",\"line\":1,\"column\":1}]}\n", out);
    return;
  }
  text_escaped(out, file);
  fputs(": malformed\n", out);
  text_escaped(out, file);
  fputs(":1:1: invalid JSON: ", out);
  text_escaped(out, message);
  fputc('\n', out);
}

void validate_report_failure(FILE *out, validate_format format, const char *file, const char *keyword,
                             const char *message) {
  if (format != VALIDATE_FORMAT_JSON)
    return;

  fputs("{\"file\":", out);
  json_string(out, file);
  fputs(",\"valid\":false,\"verdict\":\"failed\",\"errors\":[{\"instancePath\":\"\","
        "\"schemaPath\":null,\"keyword\":", out);
  json_string(out, keyword);
  fputs(",\"message\":", out);
  json_string(out, message);
  fputs("}]}\n", out);
}
