/*
 * Syntax error reporting for the JSON tokenizer: positions, quoting of the
 * offending bytes and names of tokens in messages.
 */
#include <stdarg.h>
#include <stdio.h>

#include "events.h"
#include "lexer_internal.h"

/* Maximum bytes of a token quoted in a message. */
#define LEXER_QUOTE_BYTES 40

int lexer_fail_at(cfgate_lexer *lexer, cfgate_session *session, uint64_t offset, uint32_t line,
                  uint32_t column, const char *message) {
  lexer->state = LEXER_FAILED;
  ev_syntax_error(session, offset, line, column, message);
  return 1;
}

int lexer_fail(cfgate_lexer *lexer, cfgate_session *session, const char *format, ...) {
  char message[LEXER_MESSAGE_SIZE];
  va_list args;

  va_start(args, format);
  vsnprintf(message, sizeof message, format, args);
  va_end(args);
  return lexer_fail_at(lexer, session, lexer->offset, lexer->line, lexer_column(lexer), message);
}

void lexer_quote(char *out, size_t size, const unsigned char *text, size_t len) {
  size_t used = 0;
  size_t quoted_len = len < LEXER_QUOTE_BYTES ? len : LEXER_QUOTE_BYTES;

  used += (size_t)snprintf(out + used, size - used, "'");
  for (size_t i = 0; i < quoted_len && used < size; i++) {
    unsigned char c = text[i];

    if (c >= 0x20 && c < 0x7f && c != '\'')
      used += (size_t)snprintf(out + used, size - used, "%c", c);
    else
      used += (size_t)snprintf(out + used, size - used, "\\x%02X", c);
  }
  if (used < size)
    snprintf(out + used, size - used, quoted_len < len ? "...'" : "'");
}

void lexer_describe_token(char *out, size_t size, const lexer_input *in, enum lexer_token token,
                          const unsigned char *text, size_t len) {
  char quoted[64];

  if (in->at_end && text >= in->data_end) {
    snprintf(out, size, "end of input");
    return;
  }
  lexer_quote(quoted, sizeof quoted, text, len);

  switch (token) {
  case TOKEN_QUOTE:
    snprintf(out, size, "string");
    break;
  case TOKEN_NUMBER:
  case TOKEN_BAD_LEADING_ZERO:
  case TOKEN_BAD_FRACTION:
  case TOKEN_BAD_EXPONENT:
    snprintf(out, size, "number %s", quoted);
    break;
  case TOKEN_BAD_BYTE:
    if (text[0] >= 0x20 && text[0] < 0x7f)
      snprintf(out, size, "%s", quoted);
    else
      snprintf(out, size, "byte 0x%02X", text[0]);
    break;
  default:
    snprintf(out, size, "%s", quoted);
    break;
  }
}
