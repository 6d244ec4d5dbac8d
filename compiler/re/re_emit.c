/*
 * C emitter for compiled patterns. For a pattern named P it writes
 *   static const uint8_t P_byte_classes[256] = {...};     (DFA only)
 *   static const uint32_t P_transitions[] = {...};        (DFA with large tables)
 *   static const uint16_t P_transitions16[] = {...};      (DFA with small tables)
 *   static const uint8_t P_state_flags[] = {...};         (DFA only)
 *   static const uint32_t P_program[] = {...};            (backtracking only)
 *   static const uint32_t P_ranges[] = {...};             (backtracking only)
 *   static const cfgate_re P = {...};
 * The emitted file must include "re/cfgate_re.h" first.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "re_compile.h"

#define RE_EMIT_VALUES_PER_LINE 16

static int append(re_buffer *buffer, const char *format, ...) {
  va_list args;

  va_start(args, format);
  int n = vsnprintf(NULL, 0, format, args);
  va_end(args);
  if (n < 0) return -1;
  if (buffer->len + (size_t)n + 1 > buffer->cap) {
    size_t cap = buffer->cap ? buffer->cap * 2 : 4096;
    while (cap < buffer->len + (size_t)n + 1) cap *= 2;
    char *data = realloc(buffer->data, cap);
    if (!data) return -1;
    buffer->data = data;
    buffer->cap = cap;
  }

  va_start(args, format);
  vsnprintf(buffer->data + buffer->len, buffer->cap - buffer->len, format, args);
  va_end(args);
  buffer->len += (size_t)n;
  return 0;
}

static int emit_u32_array(re_buffer *b, const char *prefix, const char *name, const uint32_t *values, size_t n) {
  if (append(b, "static const uint32_t %s_%s[%zu] = {", prefix, name, n) < 0) return -1;
  for (size_t i = 0; i < n; i++) {
    const char *separator = i % RE_EMIT_VALUES_PER_LINE == 0 ? "\n  " : " ";
    if (append(b, "%s%uu,", separator, values[i]) < 0) return -1;
  }
  return append(b, "\n};\n");
}

static int emit_u16_array(re_buffer *b, const char *prefix, const char *name, const uint16_t *values, size_t n) {
  if (append(b, "static const uint16_t %s_%s[%zu] = {", prefix, name, n) < 0) return -1;
  for (size_t i = 0; i < n; i++) {
    const char *separator = i % RE_EMIT_VALUES_PER_LINE == 0 ? "\n  " : " ";
    if (append(b, "%s%u,", separator, values[i]) < 0) return -1;
  }
  return append(b, "\n};\n");
}

static int emit_u8_array(re_buffer *b, const char *prefix, const char *name, const uint8_t *values, size_t n) {
  if (append(b, "static const uint8_t %s_%s[%zu] = {", prefix, name, n) < 0) return -1;
  for (size_t i = 0; i < n; i++) {
    const char *separator = i % RE_EMIT_VALUES_PER_LINE == 0 ? "\n  " : " ";
    if (append(b, "%s%u,", separator, values[i]) < 0) return -1;
  }
  return append(b, "\n};\n");
}

static int emit_dfa_arrays(const cfgate_re *re, const char *prefix, re_buffer *b) {
  size_t cells = (size_t)re->state_count * re->class_count;

  if (emit_u8_array(b, prefix, "byte_classes", re->byte_classes, 256) < 0) return -1;
  if (re->transitions16 && emit_u16_array(b, prefix, "transitions16", re->transitions16, cells) < 0) return -1;
  if (re->transitions && emit_u32_array(b, prefix, "transitions", re->transitions, cells) < 0) return -1;
  return emit_u8_array(b, prefix, "state_flags", re->state_flags, re->state_count);
}

static int emit_backtrack_arrays(const cfgate_re *re, const char *prefix, re_buffer *b) {
  if (emit_u32_array(b, prefix, "program", re->program, re->program_count) < 0) return -1;
  if (re->range_count == 0) return 0;
  return emit_u32_array(b, prefix, "ranges", re->ranges, 2 * (size_t)re->range_count);
}

/* Writes ".field = prefix_field," or ".field = NULL," for an array field. */
static int emit_pointer(re_buffer *b, const char *field, const char *prefix, const void *array) {
  if (!array) return append(b, "  .%s = NULL,\n", field);
  return append(b, "  .%s = %s_%s,\n", field, prefix, field);
}

static int emit_initializer(const cfgate_re *re, const char *prefix, re_buffer *b) {
  int dfa = re->engine == CFGATE_RE_ENGINE_DFA;

  if (append(b, "static const cfgate_re %s = {\n", prefix) < 0) return -1;
  if (append(b, "  .engine = %u,\n  .reason = %u,\n", re->engine, re->reason) < 0) return -1;
  if (append(b, "  .class_count = %u,\n", re->class_count) < 0) return -1;
  if (emit_pointer(b, "byte_classes", prefix, dfa ? re->byte_classes : NULL) < 0) return -1;
  if (append(b, "  .state_count = %u,\n  .start_state = %u,\n", re->state_count, re->start_state) < 0) return -1;
  if (emit_pointer(b, "transitions", prefix, dfa ? re->transitions : NULL) < 0) return -1;
  if (emit_pointer(b, "transitions16", prefix, dfa ? re->transitions16 : NULL) < 0) return -1;
  if (emit_pointer(b, "state_flags", prefix, dfa ? re->state_flags : NULL) < 0) return -1;
  if (append(b, "  .program_count = %u,\n", re->program_count) < 0) return -1;
  if (emit_pointer(b, "program", prefix, re->program) < 0) return -1;
  if (append(b, "  .range_count = %u,\n", re->range_count) < 0) return -1;
  if (emit_pointer(b, "ranges", prefix, re->range_count ? re->ranges : NULL) < 0) return -1;
  if (append(b, "  .capture_count = %u,\n  .slot_count = %u,\n", re->capture_count, re->slot_count) < 0) return -1;
  if (append(b, "  .placeholder_count = %u,\n  .buffer_limit = %u,\n", re->placeholder_count, re->buffer_limit) < 0) {
    return -1;
  }
  if (append(b, "  .step_limit_per_byte = %u,\n  .stack_limit = %u,\n", re->step_limit_per_byte, re->stack_limit) < 0) {
    return -1;
  }
  if (append(b, "  .buffered = %u,\n", re->buffered) < 0) return -1;
  return append(b, "};\n");
}

int re_emit_c(const cfgate_re *re, const char *prefix, re_buffer *buffer) {
  int dfa = re->engine == CFGATE_RE_ENGINE_DFA;

  if (dfa && emit_dfa_arrays(re, prefix, buffer) < 0) return -1;
  if (!dfa && emit_backtrack_arrays(re, prefix, buffer) < 0) return -1;
  return emit_initializer(re, prefix, buffer);
}

int re_emit_c_file(const cfgate_re *re, const char *prefix, FILE *out) {
  re_buffer buffer = {0};
  int result = re_emit_c(re, prefix, &buffer);

  if (result == 0 && fwrite(buffer.data, 1, buffer.len, out) != buffer.len) result = -1;
  free(buffer.data);
  return result;
}
