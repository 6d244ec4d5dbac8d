/*
 * Growable text output for the C emitter.
 */
#include "emit_c_writer.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfgate_ir.h"

static int reserve(emit_writer *writer, size_t extra) {
  re_buffer *out = writer->out;

  if (writer->failed)
    return -1;
  if (out->len + extra + 1 <= out->cap)
    return 0;

  size_t cap = out->cap > 0 ? out->cap : 4096;
  while (cap < out->len + extra + 1)
    cap *= 2;
  char *data = realloc(out->data, cap);
  if (data == NULL) {
    writer->failed = 1;
    return -1;
  }
  out->data = data;
  out->cap = cap;
  return 0;
}

void emit_bytes(emit_writer *writer, const char *bytes, size_t n) {
  if (reserve(writer, n) != 0)
    return;

  memcpy(writer->out->data + writer->out->len, bytes, n);
  writer->out->len += n;
  writer->out->data[writer->out->len] = '\0';
}

void emit_printf(emit_writer *writer, const char *format, ...) {
  va_list args;

  va_start(args, format);
  int n = vsnprintf(NULL, 0, format, args);
  va_end(args);
  if (n < 0) {
    writer->failed = 1;
    return;
  }
  if (reserve(writer, (size_t)n) != 0)
    return;

  va_start(args, format);
  vsnprintf(writer->out->data + writer->out->len, (size_t)n + 1, format, args);
  va_end(args);
  writer->out->len += (size_t)n;
}

void emit_list_begin(emit_writer *writer) {
  emit_printf(writer, "\n ");
  writer->line_used = 1;
}

void emit_list_item(emit_writer *writer, const char *text) {
  size_t len = strlen(text);

  /* A row wider than the line still starts on the current line when that
   * line is empty, so no line is left with only indentation. */
  if (writer->line_used > 1 && writer->line_used + len + 2 > EMIT_C_LINE_WIDTH) {
    emit_printf(writer, "\n ");
    writer->line_used = 1;
  }
  emit_printf(writer, " %s,", text);
  writer->line_used += len + 2;
}

void emit_list_end(emit_writer *writer) {
  emit_printf(writer, "\n");
  writer->line_used = 0;
}

void emit_format_u32(char *text, size_t size, uint32_t value) {
  if (value == CFGATE_IR_NONE)
    snprintf(text, size, "NONE");
  else
    snprintf(text, size, "%" PRIu32, value);
}
