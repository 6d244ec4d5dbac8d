/*
 * Text output of the C emitter: formatted appends to a growable buffer that
 * remembers an allocation failure, and wrapped lists of array elements.
 */
#ifndef CFGATE_EMIT_C_WRITER_H
#define CFGATE_EMIT_C_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "re/re_compile.h"

/* Column after which a list of array elements continues on a new line. */
#define EMIT_C_LINE_WIDTH 96

typedef struct emit_writer {
  re_buffer *out;
  int failed;       /* memory ran out; later appends do nothing */
  size_t line_used; /* bytes on the current line of an element list */
} emit_writer;

/* Appends formatted text. */
void emit_printf(emit_writer *writer, const char *format, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Appends n raw bytes. */
void emit_bytes(emit_writer *writer, const char *bytes, size_t n);

/* Starts a list of array elements: a new line and indentation follow. */
void emit_list_begin(emit_writer *writer);

/* Appends one element of a list, breaking the line when it is full. */
void emit_list_item(emit_writer *writer, const char *text);

/* Ends a list of array elements with a newline. */
void emit_list_end(emit_writer *writer);

/* Formats a uint32 table value: CFGATE_IR_NONE as the macro NONE, which the
 * emitted file defines, others in decimal. */
void emit_format_u32(char *text, size_t size, uint32_t value);

#endif
