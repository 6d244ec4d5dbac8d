#include "diag.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dsl_limits.h"
#include "utf8.h"

static const char *const diag_code_names[] = {
#define DIAG_NAME(name, text) text,
    DIAG_CODES(DIAG_NAME)
#undef DIAG_NAME
};

const char *diag_code_name(diag_code code) {
  return (unsigned)code < DIAG_CODE_COUNT ? diag_code_names[code] : "unknown";
}

void diag_sink_init(diag_sink *sink, arena *a, const src_set *sources, size_t max_errors) {
  memset(sink, 0, sizeof *sink);
  sink->arena = a;
  sink->sources = sources;
  sink->max_errors = max_errors ? max_errors : DSL_MAX_ERRORS;
}

void diag_sink_fini(diag_sink *sink) {
  free(sink->items);
  free(sink->slots);
  memset(sink, 0, sizeof *sink);
}

void diag_escape(const char *text, char *out, size_t size) {
  size_t used = 0;

  for (const unsigned char *p = (const unsigned char *)text; *p && used + UTF8_ESCAPE_SIZE < size;
       p++) {
    size_t len = 0;
    uint32_t code = *p >= 0x80 ? utf8_invisible((const char *)p, &len) : 0;

    if (code) {
      used += utf8_escape(code, out + used);
      p += len - 1;
    } else if (*p < 0x20 || *p == 0x7f) {
      used += (size_t)snprintf(out + used, size - used, "\\x%02x", *p);
    } else {
      out[used++] = (char)*p;
    }
  }
  out[used] = '\0';
}

/* Returns the FNV-1a hash of a diagnostic's severity, code, span and message. */
static uint64_t diag_hash(diag_severity severity, diag_code code, const src_span *span,
                          const char *message) {
  uint32_t fields[5] = {severity, code, span != NULL, 0, 0};
  uint64_t hash = 14695981039346656037ull;
  if (span) {
    fields[3] = span->file ^ (span->end << 16);
    fields[4] = span->start;
  }
  for (size_t i = 0; i < sizeof fields; i++)
    hash = (hash ^ ((const unsigned char *)fields)[i]) * 1099511628211ull;
  for (const unsigned char *p = (const unsigned char *)message; *p; p++)
    hash = (hash ^ *p) * 1099511628211ull;
  return hash;
}

static int diag_equal(const diag *d, diag_severity severity, diag_code code, const src_span *span,
                      const char *message) {
  if (d->severity != severity || d->code != code || d->has_span != (span != NULL))
    return 0;
  if (span && (d->span.file != span->file || d->span.start != span->start ||
               d->span.end != span->end))
    return 0;
  return strcmp(d->message, message) == 0;
}

/* Returns 1 when the sink already contains a diagnostic with the same
 * severity, code, span and message. */
static int diag_seen(const diag_sink *sink, diag_severity severity, diag_code code,
                     const src_span *span, const char *message) {
  if (!sink->slot_count)
    return 0;

  size_t mask = sink->slot_count - 1;
  for (size_t i = (size_t)diag_hash(severity, code, span, message) & mask; sink->slots[i];
       i = (i + 1) & mask) {
    if (diag_equal(&sink->items[sink->slots[i] - 1], severity, code, span, message))
      return 1;
  }
  return 0;
}

static void diag_slot_add(diag_sink *sink, size_t index) {
  const diag *d = &sink->items[index];
  size_t mask = sink->slot_count - 1;
  size_t i = (size_t)diag_hash(d->severity, d->code, d->has_span ? &d->span : NULL, d->message);
  for (i &= mask; sink->slots[i]; i = (i + 1) & mask)
    ;
  sink->slots[i] = index + 1;
}

/* Adds the last item to the hash set of diagnostics, which is kept at
 * most half full. Notes are left out, because a note may repeat. */
static void diag_remember(diag_sink *sink) {
  if (2 * sink->count > sink->slot_count) {
    free(sink->slots);
    sink->slot_count = sink->slot_count ? 2 * sink->slot_count : 64;
    sink->slots = calloc(sink->slot_count, sizeof *sink->slots);
    if (!sink->slots)
      abort();
    for (size_t i = 0; i + 1 < sink->count; i++)
      if (sink->items[i].severity != DIAG_NOTE)
        diag_slot_add(sink, i);
  }
  if (sink->items[sink->count - 1].severity != DIAG_NOTE)
    diag_slot_add(sink, sink->count - 1);
}

static int diag_add(diag_sink *sink, diag_severity severity, diag_code code, const src_span *span,
                    const char *format, va_list args) {
  char buffer[1024], escaped[4 * sizeof buffer];
  vsnprintf(buffer, sizeof buffer, format, args);
  diag_escape(buffer, escaped, sizeof escaped);

  /* A template part emitted twice (a property of an object level and of
   * its oneOf branch) checks the same rule twice: its diagnostics, and
   * the notes that follow them, are kept once. */
  if (severity == DIAG_NOTE && sink->repeating)
    return sink->errors < sink->max_errors;
  sink->repeating = severity != DIAG_NOTE && diag_seen(sink, severity, code, span, escaped);
  if (sink->repeating)
    return sink->errors < sink->max_errors;

  if (severity == DIAG_ERROR && sink->errors >= sink->max_errors) {
    sink->errors++;
    sink->overflowed = 1;
    return 0;
  }

  if (sink->count == sink->capacity) {
    sink->capacity = sink->capacity ? 2 * sink->capacity : 16;
    sink->items = realloc(sink->items, sink->capacity * sizeof sink->items[0]);
    if (!sink->items)
      abort();
  }

  diag *d = &sink->items[sink->count++];
  d->severity = severity;
  d->code = code;
  d->has_span = span != NULL;
  d->span = span ? *span : (src_span){0, 0, 0};
  d->message = arena_strndup(sink->arena, escaped, strlen(escaped));

  diag_remember(sink);

  sink->errors += severity == DIAG_ERROR;
  sink->warnings += severity == DIAG_WARNING;
  return sink->errors < sink->max_errors;
}

int diag_report(diag_sink *sink, diag_severity severity, diag_code code, src_span span,
                const char *format, ...) {
  va_list args;
  va_start(args, format);
  int more = diag_add(sink, severity, code, &span, format, args);
  va_end(args);
  return more;
}

void diag_report_global(diag_sink *sink, diag_severity severity, diag_code code, const char *format,
                        ...) {
  va_list args;
  va_start(args, format);
  diag_add(sink, severity, code, NULL, format, args);
  va_end(args);
}

/* Sort key of one diagnostic: the position of the error or warning it
 * belongs to (a note belongs to the one before it), then its index. */
typedef struct diag_order {
  int has_span;
  src_span span;
  size_t index;
  diag item;
} diag_order;

static int diag_compare(const void *a, const void *b) {
  const diag_order *x = a, *y = b;
  if (x->has_span != y->has_span)
    return x->has_span - y->has_span;
  if (x->has_span && x->span.file != y->span.file)
    return x->span.file < y->span.file ? -1 : 1;
  if (x->has_span && x->span.start != y->span.start)
    return x->span.start < y->span.start ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

void diag_sort(diag_sink *sink) {
  diag_order *order = calloc(sink->count ? sink->count : 1, sizeof *order);
  if (!order)
    abort();

  const diag *lead = NULL;
  for (size_t i = 0; i < sink->count; i++) {
    if (sink->items[i].severity != DIAG_NOTE || !lead)
      lead = &sink->items[i];
    order[i] = (diag_order){lead->has_span, lead->span, i, sink->items[i]};
  }

  qsort(order, sink->count, sizeof *order, diag_compare);
  for (size_t i = 0; i < sink->count; i++)
    sink->items[i] = order[i].item;
  free(order);

  /* The hash set names items by index, so it is rebuilt on the next add. */
  free(sink->slots);
  sink->slots = NULL;
  sink->slot_count = 0;
}

void diag_position(const diag_sink *sink, const diag *d, uint32_t *line, uint32_t *column) {
  *line = *column = 0;
  if (d->has_span && d->span.file < sink->sources->count)
    src_position(&sink->sources->files[d->span.file], d->span.start, line, column);
}

const char *diag_severity_name(diag_severity severity) {
  switch (severity) {
  case DIAG_ERROR:
    return "error";
  case DIAG_WARNING:
    return "warning";
  case DIAG_NOTE:
    return "note";
  }
  return "error";
}

/* Maximum length of a source line printed whole under a diagnostic, and the
 * bytes of a longer line shown before the span. */
#define DIAG_EXCERPT_MAX_BYTES 160
#define DIAG_EXCERPT_CONTEXT_BYTES 60

/* Moves back from p to the first byte of its UTF-8 character, not before floor. */
static const char *diag_char_start(const char *p, const char *floor) {
  while (p > floor && ((unsigned char)*p & 0xc0) == 0x80)
    p--;
  return p;
}

/* Prints text[start, end) of a source line with each control character
 * (but tab) and each character of utf8_invisible() as one '?', so a policy
 * line cannot move the cursor or hide text, and the caret keeps its
 * column. */
static void diag_print_visible(const char *start, const char *end, FILE *out) {
  for (const char *c = start; c < end; c++) {
    size_t len = 0;
    unsigned char byte = (unsigned char)*c;
    if (byte >= 0x80 && utf8_invisible(c, &len) && c + len <= end) {
      fputc('?', out);
      c += len - 1;
    } else if ((byte < 0x20 && byte != '\t') || byte == 0x7f) {
      fputc('?', out);
    } else {
      fputc(*c, out);
    }
  }
}

/* Prints the source line of the span and a caret under its bytes (the
 * underline stops at the end of the line). A line longer than
 * DIAG_EXCERPT_MAX_BYTES is shown as a window around the span, marked with
 * "..." where it was cut, so one huge literal cannot flood the terminal. */
static void diag_print_excerpt(const src_file *file, const src_span *span, uint32_t line,
                               FILE *out) {
  const char *line_start = file->text + file->line_starts[line - 1];
  const char *line_end = strchr(line_start, '\n');
  if (!line_end)
    line_end = line_start + strlen(line_start);
  if (line_end > line_start && line_end[-1] == '\r')
    line_end--; /* a CRLF line ends before its '\r' */

  const char *at = line_start + (span->start - file->line_starts[line - 1]);
  if (at > line_end)
    at = line_end;
  const char *start = line_start;
  const char *end = line_end;
  if (end - start > DIAG_EXCERPT_MAX_BYTES) {
    if (at - start > DIAG_EXCERPT_CONTEXT_BYTES)
      start = diag_char_start(at - DIAG_EXCERPT_CONTEXT_BYTES, line_start);
    if (end - start > DIAG_EXCERPT_MAX_BYTES)
      end = diag_char_start(start + DIAG_EXCERPT_MAX_BYTES, start);
  }

  const char *before = start > line_start ? "..." : "";
  const char *after = end < line_end ? "..." : "";
  fprintf(out, "  %s", before);
  diag_print_visible(start, end, out);
  fprintf(out, "%s\n  %s", after, *before ? "   " : "");

  /* One padding column and one underline mark per column that
   * src_position counts: a code point, or a byte of invalid UTF-8. */
  for (const char *c = start; c < at && c < end; c += src_char_length(c, (size_t)(end - c)))
    fputc(*c == '\t' ? '\t' : ' ', out);

  const char *span_end = at + (span->end > span->start ? span->end - span->start : 1);
  if (span_end > end && end > at)
    span_end = end;
  fputc('^', out);
  const char *c = at < span_end ? at + src_char_length(at, (size_t)(span_end - at)) : span_end;
  for (; c < span_end; c += src_char_length(c, (size_t)(span_end - c)))
    fputc('~', out);
  fputc('\n', out);
}

static void diag_print_one(const diag_sink *sink, const diag *d, FILE *out) {
  const char *severity = diag_severity_name(d->severity);
  const char *dash = d->severity == DIAG_WARNING ? "-W" : "";
  if (!d->has_span) {
    fprintf(out, "cfgate: %s: %s [%s%s]\n", severity, d->message, dash, diag_code_name(d->code));
    return;
  }

  const src_file *file = &sink->sources->files[d->span.file];
  uint32_t line, column;
  diag_position(sink, d, &line, &column);
  fprintf(out, "%s:%u:%u: %s: %s [%s%s]\n", file->path, line, column, severity, d->message, dash,
          diag_code_name(d->code));
  diag_print_excerpt(file, &d->span, line, out);
}

void diag_print(const diag_sink *sink, FILE *out) {
  for (size_t i = 0; i < sink->count; i++)
    diag_print_one(sink, &sink->items[i], out);

  if (sink->overflowed)
    fprintf(out, "cfgate: error: too many errors (limit is %zu), %zu errors in total\n",
            sink->max_errors, sink->errors);
}
