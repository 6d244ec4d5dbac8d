/*
 * Feeds instance files to the runtime chunk by chunk. Whole files are one
 * instance. NDJSON input is split at '\n': each non-blank line is one
 * instance, and a malformed line is reported without stopping the stream.
 */
#include "validate_stream.h"

#include <errno.h>
#include <string.h>

#include "commands.h"
#include "validate_report.h"

/* State of the NDJSON line being read. */
typedef struct ndjson_line {
  uint64_t number;  /* 1-based line number in the file */
  int started;      /* a non-blank byte of this line was fed */
  uint32_t skipped; /* leading blanks not fed to the session */
  uint64_t instances; /* non-blank lines validated so far */
} ndjson_line;

static int status_of(cfgate_verdict verdict) {
  switch (verdict) {
  case CFGATE_VALID:
    return EXIT_PASS;
  case CFGATE_MALFORMED:
    return EXIT_USAGE;
  case CFGATE_INVALID:
  case CFGATE_UNVERIFIED:
  case CFGATE_FAILED:
    return EXIT_VIOLATION;
  }
  return EXIT_VIOLATION;
}

static int max_status(int a, int b) {
  return a > b ? a : b;
}

static int finish_instance(validate_stream *stream, const validate_source *source) {
  cfgate_verdict verdict = cfgate_finish(stream->session);

  validate_report(stream->out, stream->options->format, source, verdict, stream->session);
  return status_of(verdict);
}

/* Reads the next chunk of in into stream->chunk and points *bytes at it.
 * A UTF-8 byte order mark at the start of the file is skipped, as cfgate
 * check skips it. Returns the number of bytes at *bytes. */
static size_t read_chunk(validate_stream *stream, FILE *in, int *at_start,
                         const unsigned char **bytes) {
  static const unsigned char bom[3] = {0xEF, 0xBB, 0xBF};
  size_t n = fread(stream->chunk, 1, VALIDATE_CHUNK_SIZE, in);

  *bytes = stream->chunk;
  if (*at_start && n >= sizeof bom && memcmp(stream->chunk, bom, sizeof bom) == 0) {
    *bytes += sizeof bom;
    n -= sizeof bom;
  }
  *at_start = 0;
  return n;
}

/* Validates the whole file as one JSON text. The rest of the file is fed even
 * after the verdict is decided, so that malformed JSON after the first
 * violation is still reported as malformed (exit status 2). Reading stops
 * once the text is malformed, which no later byte can change, so an endless
 * input such as /dev/zero gets its verdict. */
static int validate_document(validate_stream *stream, FILE *in, const char *name) {
  const unsigned char *bytes;
  int at_start = 1;
  size_t n;

  cfgate_session_reset(stream->session);
  while ((n = read_chunk(stream, in, &at_start, &bytes)) > 0)
    if (cfgate_feed(stream->session, bytes, n) != 0)
      break;
  if (ferror(in))
    return -1;

  validate_source source = {name, 0, 0};
  return finish_instance(stream, &source);
}

static int is_blank(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\r';
}

/* Feeds one piece of the current line. Leading blanks are held back so that a
 * blank line is skipped rather than reported as an empty instance. As for
 * whole files, the line is fed to its end even after the verdict is decided. */
static void ndjson_feed(validate_stream *stream, ndjson_line *line, const unsigned char *bytes, size_t n) {
  if (!line->started) {
    while (n > 0 && is_blank(*bytes)) {
      bytes++;
      n--;
      line->skipped++;
    }
    if (n == 0)
      return;
    line->started = 1;
    cfgate_session_reset(stream->session);
  }
  cfgate_feed(stream->session, bytes, n);
}

static int ndjson_end_line(validate_stream *stream, ndjson_line *line, const char *name) {
  int status = EXIT_PASS;

  if (line->started) {
    validate_source source = {name, line->number, line->skipped};
    status = finish_instance(stream, &source);
    line->instances++;
  }
  line->number++;
  line->started = 0;
  line->skipped = 0;
  return status;
}

/* Reports NDJSON input without a single instance, which would otherwise
 * pass with nothing checked. */
static int report_no_instance(validate_stream *stream, const char *name) {
  char message[VALIDATE_MESSAGE_SIZE];

  snprintf(message, sizeof message, "no JSON value: the NDJSON input has no instance");
  fprintf(stderr, "cfgate validate: %s: %s\n", name, message);
  validate_report_no_instance(stream->out, stream->options->format, name, message);
  return EXIT_USAGE;
}

/* Validates each line of the file as one instance. */
static int validate_ndjson(validate_stream *stream, FILE *in, const char *name) {
  ndjson_line line = {1, 0, 0, 0};
  int status = EXIT_PASS;
  const unsigned char *bytes;
  int at_start = 1;
  size_t n;

  while ((n = read_chunk(stream, in, &at_start, &bytes)) > 0) {
    const unsigned char *p = bytes, *end = bytes + n;

    while (p < end) {
      const unsigned char *newline = memchr(p, '\n', (size_t)(end - p));
      const unsigned char *stop = newline != NULL ? newline : end;

      ndjson_feed(stream, &line, p, (size_t)(stop - p));
      if (newline != NULL)
        status = max_status(status, ndjson_end_line(stream, &line, name));
      p = newline != NULL ? newline + 1 : end;
    }
  }
  if (ferror(in))
    return -1;

  status = max_status(status, ndjson_end_line(stream, &line, name));
  if (line.instances == 0)
    return report_no_instance(stream, name);
  return status;
}

/* Reports a file that cannot be opened or read, on stderr and, in the JSON
 * format, as a failed verdict of its own. */
static int report_unreadable(validate_stream *stream, const char *action, const char *path, int error) {
  char message[VALIDATE_MESSAGE_SIZE];

  snprintf(message, sizeof message, "cannot %s %s: %s", action, path, strerror(error));
  fprintf(stderr, "cfgate validate: %s\n", message);
  validate_report_failure(stream->out, stream->options->format, path, "file", message);
  return EXIT_USAGE;
}

const char *validate_display_name(const char *path) {
  return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

int validate_stream_file(validate_stream *stream, const char *path) {
  int is_stdin = strcmp(path, "-") == 0;
  const char *name = validate_display_name(path);
  FILE *in = is_stdin ? stdin : fopen(path, "rb");

  if (in == NULL)
    return report_unreadable(stream, "open", name, errno);

  int status = stream->options->ndjson ? validate_ndjson(stream, in, name)
                                       : validate_document(stream, in, name);
  if (status < 0)
    status = report_unreadable(stream, "read", name, errno);

  if (!is_stdin)
    fclose(in);
  return status;
}
