/*
 * Streaming RFC 8259 JSON tokenizer. It is fed chunks of any size, down to
 * one byte, and calls the value events of events.h as tokens complete. The
 * event sequence does not depend on the chunk sizes, except for how string
 * and key contents are split into chunks. Its state is this fixed-size
 * struct, so memory use does not depend on the document.
 *
 * It validates UTF-8 (no overlong forms, no encoded surrogates, nothing above
 * U+10FFFF), decodes escapes including surrogate pairs, and rejects whatever
 * RFC 8259 rejects: trailing commas, NaN and Infinity, leading zeros, raw
 * control characters in strings, anything but whitespace after the value.
 * Errors go to ev_syntax_error() with the byte offset, the 1-based line and
 * the 1-based column counted in code points.
 *
 * NDJSON: a raw line feed can only be whitespace in valid JSON, so the
 * caller splits an NDJSON stream at each 0x0A byte, feeds each line to a
 * freshly initialized lexer and calls lexer_finish() at the line's end.
 * lexer_set_origin() makes positions count from the line's place in the
 * stream.
 */
#ifndef CFGATE_LEXER_H
#define CFGATE_LEXER_H

#include <stddef.h>
#include <stdint.h>

#include "cfgate.h"
#include "number.h"

/* Maximum nesting of arrays and objects the lexer tracks. Deeper input is
 * rejected with "too many nested arrays and objects (limit is N)". */
#define CFGATE_MAX_DEPTH 1024

/* Bytes of end-of-input padding behind the last token; at least the longest
 * lookahead of the generated scanners (checked when compiling). */
#define CFGATE_LEXER_PADDING 16

/* Maximum bytes of one token kept across chunks: the longest number plus
 * the lookahead the scanners need to see where it ends. */
#define CFGATE_LEXER_CARRY_SIZE (CFGATE_MAX_NUMBER_LENGTH + 2 * CFGATE_LEXER_PADDING)

/* Tokenizer state. Initialize with lexer_init(); the fields are private. */
typedef struct cfgate_lexer {
  uint64_t offset;                /* byte offset of the next unread byte */
  uint64_t line_start;            /* byte offset where the line of the next unread byte starts */
  uint64_t comma_offset;          /* byte offset of the last ',' for trailing comma errors */
  uint32_t line;                  /* 1-based line of the next unread byte */
  uint32_t line_continuations;    /* UTF-8 continuation bytes since line_start */
  uint32_t comma_line, comma_column; /* its position, saved when a line feed follows it */
  uint32_t depth;                 /* open arrays and objects */
  uint32_t carry_len;             /* bytes of an unfinished token in carry[] */
  uint8_t mode;                   /* what the grammar expects next */
  uint8_t mode_after_value;       /* mode once a value in the innermost container is complete */
  uint8_t in_key;                 /* 1 while the open string is an object key */
  uint8_t state;                  /* running, stopped by an event, failed or finished */
  uint8_t syntax_after_stop;      /* 1: an event's nonzero result does not stop the lexer, so
                                     the rest is still checked for syntax errors; set it after
                                     lexer_init() */
  unsigned char carry[CFGATE_LEXER_CARRY_SIZE + CFGATE_LEXER_PADDING];
  /* mode_after_value of the enclosing containers, outermost first. An entry
   * is written when the container inside it opens, so it needs no
   * initialization and stays last. */
  uint8_t outer_modes[CFGATE_MAX_DEPTH];
} cfgate_lexer;

/* Prepares the lexer for a new document starting at offset 0, line 1,
 * column 1. */
void lexer_init(cfgate_lexer *lexer);

/* Makes positions start at the given byte offset and 1-based line, for a
 * document that begins inside a larger stream. Call right after
 * lexer_init(). */
void lexer_set_origin(cfgate_lexer *lexer, uint64_t offset, uint32_t line);

/* Tokenizes the next size bytes of the document and calls the events for
 * every token that completes. An unfinished token is kept for the next
 * call. Returns 0 while more input is welcome, and nonzero once the input
 * is malformed or, unless syntax_after_stop is set, an event returned
 * nonzero (the verdict is decided). After that the lexer ignores its input
 * and keeps returning nonzero. */
int lexer_feed(cfgate_lexer *lexer, cfgate_session *session, const unsigned char *bytes,
               size_t size);

/* Ends the document: completes a pending token and reports a syntax error
 * when the document is empty or unfinished. Returns 0 when the input was
 * exactly one JSON text and every event returned 0, nonzero otherwise. */
int lexer_finish(cfgate_lexer *lexer, cfgate_session *session);

#endif /* CFGATE_LEXER_H */
