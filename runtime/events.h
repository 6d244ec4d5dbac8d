/*
 * Value events: the interface between a tokenizer (the runtime's own JSON
 * lexer, or a caller's template loader through cfgate_event_*) and the table
 * interpreter. Each function returns nonzero once the verdict is decided, so
 * the producer may stop work on the document.
 *
 * Order: a value is one of begin_object ... end_object, begin_array ...
 * end_array, string_begin chunk* string_end, number, bool, null. Inside an
 * object every member is key_begin key_chunk* key_end followed by its value.
 * Chunks of a key or string are decoded UTF-8 that never splits a code point.
 */
#ifndef CFGATE_EVENTS_H
#define CFGATE_EVENTS_H

#include <stddef.h>
#include <stdint.h>

#include "cfgate.h"
#include "number.h"

int ev_begin_object(cfgate_session *s);
int ev_end_object(cfgate_session *s);
int ev_begin_array(cfgate_session *s);
int ev_end_array(cfgate_session *s);
int ev_key_begin(cfgate_session *s);
int ev_key_chunk(cfgate_session *s, const char *utf8, size_t n);
/* Like ev_key_chunk for bytes that stay in place until the lexer pass
 * ends: the first chunk of a name is used where it is, not copied. */
int ev_key_text(cfgate_session *s, const char *utf8, size_t n);
/* Copies the current property name into the session's key buffer, and the
 * current string's preview into its buffer, when they are still read from
 * the input. The lexer calls it after each pass. */
void ev_input_end(cfgate_session *s);
int ev_key_end(cfgate_session *s);
int ev_string_begin(cfgate_session *s);
int ev_string_chunk(cfgate_session *s, const char *utf8, size_t n);
/* Like ev_string_chunk for bytes that stay in place until the lexer pass
 * ends: the preview of a string's first chunk points to them. */
int ev_string_text(cfgate_session *s, const char *utf8, size_t n);
int ev_string_end(cfgate_session *s);

/* n is the exact value of the JSON number text[0..len). */
int ev_number(cfgate_session *s, const cfgate_number *n, const char *text, size_t len);
int ev_bool(cfgate_session *s, int value);
int ev_null(cfgate_session *s);

/* A value that cannot be known (an unresolved template intrinsic): structure
 * is checked, value constraints on it become unverified findings. */
int ev_unknown(cfgate_session *s);

/* Reports malformed input at a 1-based line and column; the verdict becomes
 * CFGATE_MALFORMED and later events are ignored. message is copied. */
void ev_syntax_error(cfgate_session *s, uint64_t offset, uint32_t line, uint32_t column,
                     const char *message);

/* Reports valid input past one of the runtime's limits at a 1-based line
 * and column; the verdict becomes CFGATE_FAILED. message is copied. */
void ev_limit_at(cfgate_session *s, uint64_t offset, uint32_t line, uint32_t column,
                 const char *message);

#endif /* CFGATE_EVENTS_H */
