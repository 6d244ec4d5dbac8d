/*
 * The JSON grammar as a state machine over tokens (RFC 8259, section 2):
 * which token may follow which, the container stack, and the value events
 * each token produces. Modes are listed in lexer_internal.h.
 */
#include <stdio.h>

#include "events.h"
#include "lexer_internal.h"

#define GRAMMAR_STRINGIFY(x) #x
#define GRAMMAR_TO_STRING(x) GRAMMAR_STRINGIFY(x)

static void after_value(cfgate_lexer *lexer) {
  lexer->mode = lexer->mode_after_value;
}

LEXER_COLD static int fail_unexpected(cfgate_lexer *lexer, cfgate_session *session, const lexer_input *in,
                           enum lexer_token token, const unsigned char *text, size_t len,
                           const char *expected) {
  char found[96];

  lexer_describe_token(found, sizeof found, in, token, text, len);
  return lexer_fail(lexer, session, "unexpected %s, expected %s", found, expected);
}

int lexer_fail_too_deep(cfgate_lexer *lexer, cfgate_session *session) {
  return lexer_fail(lexer, session,
                    "too many nested arrays and objects (limit is " GRAMMAR_TO_STRING(CFGATE_MAX_DEPTH) ")");
}

/* A closing bracket right after ',' is a trailing comma, reported at the
 * comma. Only whitespace lies between the two. So the comma is on the
 * current line unless a line feed followed it, and that feed saved its line
 * and column. */
LEXER_COLD static int fail_trailing_comma(cfgate_lexer *lexer, cfgate_session *session, enum lexer_token token) {
  const char *message = token == TOKEN_END_OBJECT ? "unexpected ',' before '}'" : "unexpected ',' before ']'";
  uint32_t line = lexer->comma_line;
  uint32_t column = lexer->comma_column;

  if (lexer->comma_offset >= lexer->line_start) {
    line = lexer->line;
    column = lexer_column_at(lexer, lexer->comma_offset);
  }
  return lexer_fail_at(lexer, session, lexer->comma_offset, line, column, message);
}

/* A number that is valid JSON but past the exact-number limits fails the
 * document (CFGATE_FAILED) at its position, and the tokenizer stops: a
 * number longer than the carry buffer cannot be skipped across chunks. */
LEXER_COLD static int fail_number_limit(cfgate_lexer *lexer, cfgate_session *session,
                                        number_status status, const unsigned char *text,
                                        size_t len) {
  char quoted[64], message[160];

  lexer_quote(quoted, sizeof quoted, text, len);
  snprintf(message, sizeof message, "%s: %s", number_status_message(status), quoted);
  ev_limit_at(session, lexer->offset, lexer->line, lexer_column(lexer), message);
  lexer->state = LEXER_STOPPED;
  return 1;
}

static int on_number(cfgate_lexer *lexer, cfgate_session *session, const unsigned char *text, size_t len) {
  cfgate_number number;
  number_status status = number_parse((const char *)text, len, &number);
  char quoted[64];

  if (status == NUMBER_INVALID) {
    lexer_quote(quoted, sizeof quoted, text, len);
    return lexer_fail(lexer, session, "%s: %s", number_status_message(status), quoted);
  }
  if (status != NUMBER_OK)
    return fail_number_limit(lexer, session, status, text, len);
  lexer_advance(lexer, len, len);
  after_value(lexer);
  return lexer_emit(lexer, ev_number(session, &number, (const char *)text, len));
}

static int on_literal(cfgate_lexer *lexer, cfgate_session *session, enum lexer_token token, size_t len) {
  lexer_advance(lexer, len, len);
  after_value(lexer);
  if (token == TOKEN_NULL)
    return lexer_emit(lexer, ev_null(session));
  return lexer_emit(lexer, ev_bool(session, token == TOKEN_TRUE));
}

LEXER_COLD static int fail_bad_value(cfgate_lexer *lexer, cfgate_session *session, enum lexer_token token,
                          const unsigned char *text, size_t len) {
  char quoted[64];

  lexer_quote(quoted, sizeof quoted, text, len);
  if (len > CFGATE_MAX_NUMBER_LENGTH && token != TOKEN_BAD_WORD)
    return lexer_fail(lexer, session, "%s: %s", number_status_message(NUMBER_TOO_LONG), quoted);

  switch (token) {
  case TOKEN_BAD_LEADING_ZERO:
    return lexer_fail(lexer, session, "invalid number %s: leading zeros are not allowed", quoted);
  case TOKEN_BAD_FRACTION:
    return lexer_fail(lexer, session, "invalid number %s: expected a digit after '.'", quoted);
  case TOKEN_BAD_EXPONENT:
    return lexer_fail(lexer, session, "invalid number %s: expected a digit in the exponent", quoted);
  case TOKEN_BAD_MINUS:
    return lexer_fail(lexer, session, "invalid number %s: expected a digit after '-'", quoted);
  case TOKEN_BAD_PLUS:
    return lexer_fail(lexer, session, "invalid number %s: a leading '+' is not allowed", quoted);
  case TOKEN_BAD_POINT:
    return lexer_fail(lexer, session, "invalid number %s: expected a digit before '.'", quoted);
  default:
    return lexer_fail(lexer, session, "invalid literal %s (expected true, false or null)", quoted);
  }
}

/* LEXER_VALUE and LEXER_VALUE_OR_CLOSE */
static int on_value(cfgate_lexer *lexer, cfgate_session *session, const lexer_input *in,
                    enum lexer_token token, const unsigned char *text, size_t len) {
  switch (token) {
  case TOKEN_BEGIN_OBJECT:
    return lexer_open_container(lexer, session, 1);
  case TOKEN_BEGIN_ARRAY:
    return lexer_open_container(lexer, session, 0);
  case TOKEN_QUOTE:
    return lexer_begin_text(lexer, session, 0);
  case TOKEN_NUMBER:
    if (len > CFGATE_MAX_NUMBER_LENGTH)
      return fail_number_limit(lexer, session, NUMBER_TOO_LONG, text, len);
    return on_number(lexer, session, text, len);
  case TOKEN_TRUE:
  case TOKEN_FALSE:
  case TOKEN_NULL:
    return on_literal(lexer, session, token, len);
  case TOKEN_END_ARRAY:
    if (lexer->mode == LEXER_VALUE_OR_CLOSE)
      return lexer_close_container(lexer, session, 0);
    if (lexer->mode_after_value == LEXER_ELEMENT_END)
      return fail_trailing_comma(lexer, session, token);
    return fail_unexpected(lexer, session, in, token, text, len, "a value");
  case TOKEN_BAD_LEADING_ZERO:
  case TOKEN_BAD_FRACTION:
  case TOKEN_BAD_EXPONENT:
  case TOKEN_BAD_MINUS:
  case TOKEN_BAD_PLUS:
  case TOKEN_BAD_POINT:
  case TOKEN_BAD_WORD:
    return fail_bad_value(lexer, session, token, text, len);
  default:
    return fail_unexpected(lexer, session, in, token, text, len,
                           lexer->mode == LEXER_VALUE_OR_CLOSE ? "a value or ']'" : "a value");
  }
}

/* LEXER_KEY and LEXER_KEY_OR_CLOSE */
static int on_key(cfgate_lexer *lexer, cfgate_session *session, const lexer_input *in,
                  enum lexer_token token, const unsigned char *text, size_t len) {
  if (token == TOKEN_QUOTE)
    return lexer_begin_text(lexer, session, 1);
  if (token == TOKEN_END_OBJECT && lexer->mode == LEXER_KEY_OR_CLOSE)
    return lexer_close_container(lexer, session, 1);
  if (token == TOKEN_END_OBJECT)
    return fail_trailing_comma(lexer, session, token);

  return fail_unexpected(lexer, session, in, token, text, len,
                         lexer->mode == LEXER_KEY_OR_CLOSE ? "a string key or '}'" : "a string key");
}

/* LEXER_COLON */
static int on_colon(cfgate_lexer *lexer, cfgate_session *session, const lexer_input *in,
                    enum lexer_token token, const unsigned char *text, size_t len) {
  if (token != TOKEN_COLON)
    return fail_unexpected(lexer, session, in, token, text, len, "':' after the object key");

  lexer_accept_colon(lexer);
  return 0;
}

/* LEXER_MEMBER_END and LEXER_ELEMENT_END */
static int on_separator(cfgate_lexer *lexer, cfgate_session *session, const lexer_input *in,
                        enum lexer_token token, const unsigned char *text, size_t len) {
  int is_object = lexer->mode == LEXER_MEMBER_END;
  enum lexer_token close = is_object ? TOKEN_END_OBJECT : TOKEN_END_ARRAY;

  if (token == close)
    return lexer_close_container(lexer, session, is_object);
  if (token != TOKEN_COMMA)
    return fail_unexpected(lexer, session, in, token, text, len,
                           is_object ? "',' or '}' after the object member" : "',' or ']' after the array element");

  lexer_accept_comma(lexer, is_object);
  return 0;
}

int lexer_fail_long_token(cfgate_lexer *lexer, cfgate_session *session, const lexer_input *in,
                          const unsigned char *text, size_t len) {
  int letter = (text[0] | 0x20) >= 'a' && (text[0] | 0x20) <= 'z';
  int word = letter || text[0] == '_' || (text[0] == '-' && len > 1 && !(text[1] >= '0' && text[1] <= '9'));

  return lexer_on_token(lexer, session, in, word ? TOKEN_BAD_WORD : TOKEN_NUMBER, text, len);
}

int lexer_on_token(cfgate_lexer *lexer, cfgate_session *session, const lexer_input *in,
                   enum lexer_token token, const unsigned char *text, size_t len) {
  switch (lexer->mode) {
  case LEXER_VALUE:
  case LEXER_VALUE_OR_CLOSE:
    return on_value(lexer, session, in, token, text, len);
  case LEXER_KEY:
  case LEXER_KEY_OR_CLOSE:
    return on_key(lexer, session, in, token, text, len);
  case LEXER_COLON:
    return on_colon(lexer, session, in, token, text, len);
  case LEXER_MEMBER_END:
  case LEXER_ELEMENT_END:
    return on_separator(lexer, session, in, token, text, len);
  default:
    return fail_unexpected(lexer, session, in, token, text, len, "end of input after the JSON value");
  }
}
