/* Value events that record what the tokenizer delivers (see the header). */
#include "test_lexer_recorder.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "events.h"

static void append(cfgate_session *r, const char *text, size_t len) {
  if (r->len + len + 1 > r->cap) {
    size_t cap = (r->cap + len + 1) * 2;
    char *grown = realloc(r->log, cap);

    if (grown == NULL)
      abort();
    r->log = grown;
    r->cap = cap;
  }
  memcpy(r->log + r->len, text, len);
  r->len += len;
  r->log[r->len] = '\0';
}

static void append_str(cfgate_session *r, const char *text) {
  append(r, text, strlen(text));
}

static int record(cfgate_session *r, const char *line) {
  append_str(r, line);
  r->events++;
  return r->stop_after != 0 && r->events == r->stop_after;
}

void recorder_init(cfgate_session *recorder) {
  memset(recorder, 0, sizeof *recorder);
  append(recorder, "", 0);
}

void recorder_free(cfgate_session *recorder) {
  free(recorder->log);
  memset(recorder, 0, sizeof *recorder);
}

int ev_begin_object(cfgate_session *s) { return record(s, "{\n"); }
int ev_end_object(cfgate_session *s) { return record(s, "}\n"); }
int ev_begin_array(cfgate_session *s) { return record(s, "[\n"); }
int ev_end_array(cfgate_session *s) { return record(s, "]\n"); }
int ev_key_begin(cfgate_session *s) { append_str(s, "key "); s->in_text = 1; return 0; }
int ev_string_begin(cfgate_session *s) { append_str(s, "string "); s->in_text = 1; return 0; }

/* Appends a chunk, writing NUL bytes as "<NUL>" so the log stays a C string. */
static int text_chunk(cfgate_session *s, const char *utf8, size_t n) {
  const char *end = utf8 + n;

  if (!s->in_text || n == 0)
    append_str(s, "<bad chunk>");
  while (utf8 < end) {
    const char *nul = memchr(utf8, '\0', (size_t)(end - utf8));
    size_t run = nul != NULL ? (size_t)(nul - utf8) : (size_t)(end - utf8);

    append(s, utf8, run);
    utf8 += run;
    if (utf8 < end) {
      append_str(s, "<NUL>");
      utf8++;
    }
  }
  return 0;
}

int ev_key_chunk(cfgate_session *s, const char *utf8, size_t n) { return text_chunk(s, utf8, n); }
int ev_key_text(cfgate_session *s, const char *utf8, size_t n) { return text_chunk(s, utf8, n); }
void ev_input_end(cfgate_session *s) { (void)s; }
int ev_string_chunk(cfgate_session *s, const char *utf8, size_t n) { return text_chunk(s, utf8, n); }
int ev_string_text(cfgate_session *s, const char *utf8, size_t n) { return text_chunk(s, utf8, n); }

static int text_end(cfgate_session *s) {
  s->in_text = 0;
  return record(s, "\n");
}

int ev_key_end(cfgate_session *s) { return text_end(s); }
int ev_string_end(cfgate_session *s) { return text_end(s); }

int ev_number(cfgate_session *s, const cfgate_number *n, const char *text, size_t len) {
  char formatted[CFGATE_NUMBER_FORMAT_SIZE];

  number_format(n, formatted, sizeof formatted);
  append_str(s, "number ");
  append(s, text, len);
  append_str(s, " = ");
  append_str(s, formatted);
  return record(s, "\n");
}

int ev_bool(cfgate_session *s, int value) { return record(s, value ? "true\n" : "false\n"); }
int ev_null(cfgate_session *s) { return record(s, "null\n"); }
int ev_unknown(cfgate_session *s) { return record(s, "unknown\n"); }

/* Records "KIND LINE:COLUMN @OFFSET MESSAGE" on a line of its own. */
static void record_problem(cfgate_session *s, const char *kind, uint64_t offset, uint32_t line,
                           uint32_t column, const char *message) {
  char head[96];

  if (s->in_text)
    append_str(s, "\n");
  s->in_text = 0;
  snprintf(head, sizeof head, "%s %" PRIu32 ":%" PRIu32 " @%" PRIu64 " ", kind, line, column,
           offset);
  append_str(s, head);
  append_str(s, message);
  append_str(s, "\n");
}

void ev_syntax_error(cfgate_session *s, uint64_t offset, uint32_t line, uint32_t column,
                     const char *message) {
  record_problem(s, "error", offset, line, column, message);
}

void ev_limit_at(cfgate_session *s, uint64_t offset, uint32_t line, uint32_t column,
                 const char *message) {
  record_problem(s, "limit", offset, line, column, message);
}

char *recorder_tokenize(const unsigned char *text, size_t len, size_t chunk) {
  cfgate_session recorder;
  cfgate_lexer lexer;
  size_t step = chunk;
  char *log;

  if (step == 0)
    step = len > 0 ? len : 1;

  recorder_init(&recorder);
  lexer_init(&lexer);
  for (size_t at = 0; at < len; at += step) {
    size_t n = len - at < step ? len - at : step;

    if (lexer_feed(&lexer, &recorder, text + at, n) != 0)
      break;
  }
  append_str(&recorder, lexer_finish(&lexer, &recorder) == 0 ? "ok\n" : "rejected\n");

  log = recorder.log;
  recorder.log = NULL;
  return log;
}
