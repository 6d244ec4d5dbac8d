#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "dsl_limits.h"

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
  memset(sink, 0, sizeof *sink);
}

static int diag_add(diag_sink *sink, diag_severity severity, diag_code code, const src_span *span,
                    const char *format, va_list args) {
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

  char buffer[1024];
  vsnprintf(buffer, sizeof buffer, format, args);
  diag *d = &sink->items[sink->count++];
  d->severity = severity;
  d->code = code;
  d->has_span = span != NULL;
  d->span = span ? *span : (src_span){0, 0, 0};
  d->message = arena_strndup(sink->arena, buffer, strlen(buffer));

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

/* Prints the source line of the span and a caret under its bytes (the
 * underline stops at the end of the line). */
static void diag_print_excerpt(const src_file *file, const src_span *span, uint32_t line,
                               FILE *out) {
  const char *start = file->text + file->line_starts[line - 1];
  const char *end = strchr(start, '\n');
  size_t width = end ? (size_t)(end - start) : strlen(start);
  fprintf(out, "  %.*s\n  ", (int)width, start);

  size_t column = span->start - file->line_starts[line - 1];
  for (size_t i = 0; i < column && i < width; i++)
    fputc(start[i] == '\t' ? '\t' : ' ', out);

  size_t carets = span->end > span->start ? span->end - span->start : 1;
  if (column + carets > width && width > column)
    carets = width - column;
  fputc('^', out);
  for (size_t i = 1; i < carets; i++)
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
