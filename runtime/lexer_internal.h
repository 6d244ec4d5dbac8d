/*
 * Shared between the parts of the JSON tokenizer: the generated scanners
 * and run loop (json_lexer.re), the grammar state machine
 * (lexer_grammar.c), chunk and carry handling (lexer.c) and error messages
 * (lexer_error.c).
 */
#ifndef CFGATE_LEXER_INTERNAL_H
#define CFGATE_LEXER_INTERNAL_H

#include "events.h"
#include "lexer.h"

/* Maximum length of one syntax error message, NUL included. */
#define LEXER_MESSAGE_SIZE 192

/* Marks an error path so the compiler keeps it out of the hot loop. */
#if defined(__GNUC__)
#define LEXER_COLD __attribute__((cold, noinline))
#else
#define LEXER_COLD
#endif

/* Marks a branch that common input rarely takes, so the compiler lays out
 * the other one as the straight path. */
#if defined(__GNUC__)
#define LEXER_UNLIKELY(condition) __builtin_expect(!!(condition), 0)
#else
#define LEXER_UNLIKELY(condition) (condition)
#endif

/* Grammar states (cfgate_lexer.mode), named by the tokens allowed next. */
enum lexer_mode {
  LEXER_VALUE,          /* a value: at the start, after ':' or after ',' in an array */
  LEXER_VALUE_OR_CLOSE, /* a value or ']' right after '[' */
  LEXER_KEY,            /* a key after ',' in an object */
  LEXER_KEY_OR_CLOSE,   /* a key or '}' right after '{' */
  LEXER_COLON,          /* ':' after a key */
  LEXER_MEMBER_END,     /* ',' or '}' after an object member */
  LEXER_ELEMENT_END,    /* ',' or ']' after an array element */
  LEXER_STRING,         /* inside a string or key */
  LEXER_DONE            /* the top-level value is complete: only whitespace may follow */
};

/* cfgate_lexer.state */
enum lexer_state {
  LEXER_RUNNING,
  LEXER_STOPPED,  /* an event returned nonzero */
  LEXER_FAILED,   /* a syntax error was reported */
  LEXER_FINISHED  /* lexer_finish() accepted the document */
};

/* Tokens outside strings, as the generated scanner classifies them. */
enum lexer_token {
  TOKEN_NEED_MORE, /* the token may continue past the available bytes */
  TOKEN_BEGIN_OBJECT,
  TOKEN_END_OBJECT,
  TOKEN_BEGIN_ARRAY,
  TOKEN_END_ARRAY,
  TOKEN_COMMA,
  TOKEN_COLON,
  TOKEN_QUOTE,
  TOKEN_NUMBER,
  TOKEN_TRUE,
  TOKEN_FALSE,
  TOKEN_NULL,
  TOKEN_BAD_LEADING_ZERO, /* 0123 */
  TOKEN_BAD_FRACTION,     /* 1. */
  TOKEN_BAD_EXPONENT,     /* 1e */
  TOKEN_BAD_MINUS,        /* - not followed by a digit */
  TOKEN_BAD_PLUS,         /* +1 */
  TOKEN_BAD_POINT,        /* .5 */
  TOKEN_BAD_WORD,         /* NaN, Infinity, True, an unquoted key */
  TOKEN_BAD_BYTE          /* any other byte */
};

/* Outcome of running the lexer over a buffer. */
enum lexer_run_result {
  RUN_DONE,      /* every byte up to data_end was consumed */
  RUN_NEED_MORE, /* stopped at cursor, where a token starts that needs more bytes */
  RUN_STOP       /* an event returned nonzero or a syntax error was reported */
};

/* The bytes one run works on. The scanners may read up to limit, the loop
 * only starts tokens before data_end. They differ at the end of the
 * document, where limit includes CFGATE_LEXER_PADDING zero bytes. */
typedef struct lexer_input {
  const unsigned char *cursor;
  const unsigned char *data_end;
  const unsigned char *limit;
  int at_end; /* 1 when data_end is the end of the document */
} lexer_input;

/* Tokenizes in->cursor up to in->data_end (json_lexer.re). */
int lexer_run(cfgate_lexer *lexer, cfgate_session *session, lexer_input *in);

/* Applies one complete token text[0..len) outside strings to the grammar
 * (lexer_grammar.c). Returns nonzero when the lexer must stop. */
int lexer_on_token(cfgate_lexer *lexer, cfgate_session *session, const lexer_input *in,
                   enum lexer_token token, const unsigned char *text, size_t len);

/* Reports a token longer than the carry buffer as the whole-buffer scan
 * would: as a number that is too long, or as an invalid literal
 * (lexer_grammar.c). */
int lexer_fail_long_token(cfgate_lexer *lexer, cfgate_session *session, const lexer_input *in,
                          const unsigned char *text, size_t len);


/* Moves the position over len bytes that span columns code points on one
 * line. Columns are derived from the offset when an error needs one, so
 * only the continuation bytes are counted here. */
static inline void lexer_advance(cfgate_lexer *lexer, size_t len, size_t columns) {
  lexer->offset += len;
  lexer->line_continuations += (uint32_t)(len - columns);
}

/* Returns the 1-based column, in code points, of the byte at offset on the
 * current line. Valid only when no UTF-8 continuation byte lies between that
 * byte and the next unread one. */
static inline uint32_t lexer_column_at(const cfgate_lexer *lexer, uint64_t offset) {
  return (uint32_t)(offset - lexer->line_start - lexer->line_continuations + 1);
}

/* Returns the 1-based column, in code points, of the next unread byte. */
static inline uint32_t lexer_column(const cfgate_lexer *lexer) {
  return lexer_column_at(lexer, lexer->offset);
}

/* Reports nesting beyond CFGATE_MAX_DEPTH and returns 1 (lexer_grammar.c). */
int lexer_fail_too_deep(cfgate_lexer *lexer, cfgate_session *session);

/* Records an event's result and returns 1 when the lexer must stop: the
 * event returned nonzero and syntax_after_stop is off. With it on, the
 * lexer goes on tokenizing and the events keep returning nonzero. */
static inline int lexer_emit(cfgate_lexer *lexer, int event_result) {
  if (event_result != 0 && !lexer->syntax_after_stop) {
    lexer->state = LEXER_STOPPED;
    return 1;
  }
  return 0;
}

/* The opening quote of a key or string value. */
static inline int lexer_begin_text(cfgate_lexer *lexer, cfgate_session *session, int is_key) {
  lexer_advance(lexer, 1, 1);
  lexer->mode = LEXER_STRING;
  lexer->in_key = (uint8_t)is_key;
  return lexer_emit(lexer, is_key ? ev_key_begin(session) : ev_string_begin(session));
}

/* '{' or '[': pushes the container and emits its begin event. */
static inline int lexer_open_container(cfgate_lexer *lexer, cfgate_session *session, int is_object) {
  if (lexer->depth >= CFGATE_MAX_DEPTH)
    return lexer_fail_too_deep(lexer, session);

  lexer->outer_modes[lexer->depth] = lexer->mode_after_value;
  lexer->depth++;
  lexer_advance(lexer, 1, 1);

  lexer->mode = is_object ? LEXER_KEY_OR_CLOSE : LEXER_VALUE_OR_CLOSE;
  lexer->mode_after_value = is_object ? LEXER_MEMBER_END : LEXER_ELEMENT_END;
  return lexer_emit(lexer, is_object ? ev_begin_object(session) : ev_begin_array(session));
}

/* '}' or ']' matching the innermost container, an object when is_object
 * is 1. The closed container is a complete value of the one around it. */
static inline int lexer_close_container(cfgate_lexer *lexer, cfgate_session *session, int is_object) {
  lexer->depth--;
  lexer_advance(lexer, 1, 1);
  lexer->mode_after_value = lexer->outer_modes[lexer->depth];
  lexer->mode = lexer->mode_after_value;
  return lexer_emit(lexer, is_object ? ev_end_object(session) : ev_end_array(session));
}

/* The ':' after a key. */
static inline void lexer_accept_colon(cfgate_lexer *lexer) {
  lexer_advance(lexer, 1, 1);
  lexer->mode = LEXER_VALUE;
}

/* The ',' between members or elements; its offset is kept for a trailing
 * comma error. Its line and column are derived from the offset when the
 * error is reported, or saved by lexer_keep_comma_position() when a line
 * feed comes first. */
static inline void lexer_accept_comma(cfgate_lexer *lexer, int in_object) {
  lexer->comma_offset = lexer->offset;
  lexer_advance(lexer, 1, 1);
  lexer->mode = in_object ? LEXER_KEY : LEXER_VALUE;
}

/* Saves the line and column of the last ',' while it is on the current
 * line. Call before a line feed moves the position to the next line. */
static inline void lexer_keep_comma_position(cfgate_lexer *lexer) {
  if (lexer->comma_offset >= lexer->line_start) {
    lexer->comma_line = lexer->line;
    lexer->comma_column = lexer_column_at(lexer, lexer->comma_offset);
  }
}

/* Reports a syntax error at the current position, marks the lexer failed
 * and returns 1 (lexer_error.c). */
int lexer_fail(cfgate_lexer *lexer, cfgate_session *session, const char *format, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4), cold))
#endif
    ;

/* Reports a syntax error at a saved position (lexer_error.c). */
int lexer_fail_at(cfgate_lexer *lexer, cfgate_session *session, uint64_t offset, uint32_t line,
                  uint32_t column, const char *message);

/* Writes text[0..len) quoted for a message, with bytes outside printable
 * ASCII as \xNN and at most 40 bytes shown (lexer_error.c). */
void lexer_quote(char *out, size_t size, const unsigned char *text, size_t len);

/* Describes a token for "unexpected X" messages: "'}'", "number '12'",
 * "end of input" (lexer_error.c). */
void lexer_describe_token(char *out, size_t size, const lexer_input *in, enum lexer_token token,
                          const unsigned char *text, size_t len);

#endif /* CFGATE_LEXER_INTERNAL_H */
