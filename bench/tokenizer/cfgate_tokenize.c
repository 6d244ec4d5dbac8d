/*
 * cfgate-tokenize: the tokenizer-only floor of the validation benchmarks.
 * It reads each file into memory, then runs the JSON tokenizer over it with
 * value events that only count, so its throughput bounds what
 * `cfgate validate` can reach on the same input.
 *
 *   cfgate-tokenize [--document] [--repeat N] FILE...
 *
 * By default every line of a file is one JSON text (NDJSON), split at 0x0A
 * bytes the way `cfgate validate --ndjson` splits them; empty lines are
 * skipped. With --document each file is one JSON text. Prints documents,
 * malformed documents, bytes, seconds and MB/s (10^6 bytes per second of
 * wall time) on stdout. The clock covers tokenizing only: reading the files
 * comes before it, and splitting the lines is inside it, as in cfgate-bench.
 * Exits 0 when every file was read, even if documents were malformed, and 2
 * on bad usage or a read error.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "build_version.h"
#include "events.h"
#include "lexer.h"
#include "read_whole.h"

/* Event counters; the sums keep the compiler from dropping any event. */
struct cfgate_session {
  uint64_t events;
  uint64_t text_bytes;
  uint64_t syntax_errors;
};

int ev_begin_object(cfgate_session *s) { s->events++; return 0; }
int ev_end_object(cfgate_session *s) { s->events++; return 0; }
int ev_begin_array(cfgate_session *s) { s->events++; return 0; }
int ev_end_array(cfgate_session *s) { s->events++; return 0; }
int ev_key_begin(cfgate_session *s) { s->events++; return 0; }
int ev_key_chunk(cfgate_session *s, const char *utf8, size_t n) { (void)utf8; s->text_bytes += n; return 0; }
int ev_key_text(cfgate_session *s, const char *utf8, size_t n) { (void)utf8; s->text_bytes += n; return 0; }
void ev_input_end(cfgate_session *s) { (void)s; }
int ev_key_end(cfgate_session *s) { s->events++; return 0; }
int ev_string_begin(cfgate_session *s) { s->events++; return 0; }
int ev_string_chunk(cfgate_session *s, const char *utf8, size_t n) { (void)utf8; s->text_bytes += n; return 0; }
int ev_string_text(cfgate_session *s, const char *utf8, size_t n) { (void)utf8; s->text_bytes += n; return 0; }
int ev_string_end(cfgate_session *s) { s->events++; return 0; }
int ev_bool(cfgate_session *s, int value) { s->events += (unsigned)value + 1u; return 0; }
int ev_null(cfgate_session *s) { s->events++; return 0; }
int ev_unknown(cfgate_session *s) { s->events++; return 0; }

int ev_number(cfgate_session *s, const cfgate_number *n, const char *text, size_t len) {
  (void)text;
  s->events += n->count;
  s->text_bytes += len;
  return 0;
}

void ev_syntax_error(cfgate_session *s, uint64_t offset, uint32_t line, uint32_t column, const char *message) {
  (void)offset, (void)line, (void)column, (void)message;
  s->syntax_errors++;
}

/* A number past the exact-number limits ends the document like a syntax
 * error, so the floor counts it among the malformed documents. */
void ev_limit_at(cfgate_session *s, uint64_t offset, uint32_t line, uint32_t column, const char *message) {
  ev_syntax_error(s, offset, line, column, message);
}

typedef struct tokenize_totals {
  uint64_t documents;
  uint64_t malformed;
  uint64_t bytes;
} tokenize_totals;

/* One document in progress: the lexer and whether it has seen a byte. */
typedef struct tokenize_document {
  cfgate_lexer lexer;
  int started;
} tokenize_document;

static void document_end(tokenize_document *doc, cfgate_session *session, tokenize_totals *totals) {
  if (!doc->started)
    return;
  totals->documents++;
  if (lexer_finish(&doc->lexer, session) != 0)
    totals->malformed++;
  lexer_init(&doc->lexer);
  doc->started = 0;
}

static void document_feed(tokenize_document *doc, cfgate_session *session, const unsigned char *bytes,
                          size_t len) {
  if (len == 0)
    return;
  doc->started = 1;
  lexer_feed(&doc->lexer, session, bytes, len);
}

/* Feeds bytes of a file, ending a document at every line feed in NDJSON mode. */
static void feed_block(tokenize_document *doc, cfgate_session *session, tokenize_totals *totals,
                       const unsigned char *block, size_t len, int ndjson) {
  const unsigned char *end = block + len;

  while (ndjson && block < end) {
    const unsigned char *newline = memchr(block, '\n', (size_t)(end - block));

    if (newline == NULL)
      break;
    document_feed(doc, session, block, (size_t)(newline - block));
    document_end(doc, session, totals);
    block = newline + 1;
  }
  document_feed(doc, session, block, (size_t)(end - block));
}

/* One input file, read into memory before the clock starts. */
typedef struct tokenize_input {
  unsigned char *data;
  size_t size;
} tokenize_input;

/* Reads the whole file into input->data. Returns 0, or 2 after printing
 * the error. */
static int read_input(const char *path, tokenize_input *input) {
  bench_read_status status = bench_read_whole(path, &input->data, &input->size);
  if (status == BENCH_READ_OK)
    return 0;

  const char *reason = errno == 0 ? "out of memory" : strerror(errno);
  fprintf(stderr, "cfgate-tokenize: cannot %s %s: %s\n",
          status == BENCH_READ_OPEN_FAILED ? "open" : "read", path, reason);
  return 2;
}

static void tokenize_input_bytes(const tokenize_input *input, int ndjson, cfgate_session *session,
                                 tokenize_totals *totals) {
  tokenize_document doc;

  lexer_init(&doc.lexer);
  doc.started = 0;
  feed_block(&doc, session, totals, input->data, input->size, ndjson);
  document_end(&doc, session, totals);
  totals->bytes += input->size;
}

static double now_seconds(void) {
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int usage(void) {
  fprintf(stderr, "usage: cfgate-tokenize [--document] [--repeat N] FILE... | --version\n"
                  "  --document  each file is one JSON text (default: one JSON text per line)\n"
                  "  --repeat N  tokenize the files N times (default 1)\n"
                  "  --version   print the source commit of the build\n");
  return 2;
}

int main(int argc, char **argv) {
  cfgate_session session = {0, 0, 0};
  tokenize_totals totals = {0, 0, 0};
  int ndjson = 1, first = 1, status = 0;
  long repeat = 1;
  tokenize_input *inputs;
  double start, seconds;

  if (argc == 2 && strcmp(argv[1], "--version") == 0)
    return bench_print_version("cfgate-tokenize");
  for (; first < argc && strncmp(argv[first], "--", 2) == 0; first++) {
    if (strcmp(argv[first], "--document") == 0)
      ndjson = 0;
    else if (strcmp(argv[first], "--repeat") == 0 && first + 1 < argc && (repeat = atol(argv[first + 1])) > 0)
      first++;
    else
      return usage();
  }
  if (first == argc)
    return usage();

  int count = argc - first;
  inputs = calloc((size_t)count, sizeof *inputs);
  if (inputs == NULL)
    return 2;
  for (int i = 0; i < count && status == 0; i++)
    status = read_input(argv[first + i], &inputs[i]);

  start = now_seconds();
  for (long r = 0; r < repeat && status == 0; r++) {
    for (int i = 0; i < count; i++)
      tokenize_input_bytes(&inputs[i], ndjson, &session, &totals);
  }
  seconds = now_seconds() - start;

  for (int i = 0; i < count; i++)
    free(inputs[i].data);
  free(inputs);

  printf("documents %llu malformed %llu bytes %llu seconds %.6f MB/s %.1f events %llu\n",
         (unsigned long long)totals.documents, (unsigned long long)totals.malformed,
         (unsigned long long)totals.bytes, seconds, seconds > 0 ? (double)totals.bytes / seconds / 1e6 : 0.0,
         (unsigned long long)(session.events + session.text_bytes));
  return status;
}
