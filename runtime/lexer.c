/*
 * Chunk handling for the JSON tokenizer. A token that may continue past the
 * end of a chunk is copied to the carry buffer and completed from the next
 * chunks. Everything else is tokenized in place. At the end of the
 * document the carry buffer is padded with zero bytes, which end every
 * token, so the scanners never wait for input that will not come. The
 * padding covers the longest scanner lookahead, which json_lexer.re checks
 * at compile time.
 */
#include <stddef.h>
#include <string.h>

#include "events.h"
#include "lexer_internal.h"

void lexer_init(cfgate_lexer *lexer) {
  memset(lexer, 0, offsetof(cfgate_lexer, outer_modes));
  lexer->line = 1;
  lexer->mode = LEXER_VALUE;
  lexer->mode_after_value = LEXER_DONE;
  lexer->state = LEXER_RUNNING;
}

void lexer_set_origin(cfgate_lexer *lexer, uint64_t offset, uint32_t line) {
  lexer->offset = offset;
  lexer->line_start = offset;
  lexer->line = line;
}

static int lexer_result(const cfgate_lexer *lexer) {
  return lexer->state == LEXER_RUNNING || lexer->state == LEXER_FINISHED ? 0 : 1;
}

/* Reports a token that does not fit the carry buffer. Only numbers and
 * invalid literals can be that long. */
static int fail_carry_full(cfgate_lexer *lexer, cfgate_session *session, const unsigned char *text,
                           size_t len) {
  lexer_input in = {text, text + len, text + len, 0};

  return lexer_fail_long_token(lexer, session, &in, text, len);
}

/* Keeps bytes[0..len), the start of an unfinished token, for the next chunk. */
static int carry_keep(cfgate_lexer *lexer, cfgate_session *session, const unsigned char *bytes, size_t len) {
  if (len > CFGATE_LEXER_CARRY_SIZE)
    return fail_carry_full(lexer, session, bytes, len);
  memmove(lexer->carry, bytes, len);
  lexer->carry_len = (uint32_t)len;
  return 0;
}

/* Tokenizes the carry buffer after appending as much of the chunk as fits.
 * Moves *bytes past the chunk bytes that are consumed or kept in the carry. */
static int feed_carry(cfgate_lexer *lexer, cfgate_session *session, const unsigned char **bytes,
                      const unsigned char *end) {
  size_t old_len = lexer->carry_len;
  size_t room = CFGATE_LEXER_CARRY_SIZE - old_len;
  size_t appended = (size_t)(end - *bytes) < room ? (size_t)(end - *bytes) : room;
  lexer_input in;
  size_t consumed;
  int result;

  memcpy(lexer->carry + old_len, *bytes, appended);
  lexer->carry_len += (uint32_t)appended;
  *bytes += appended;
  in = (lexer_input){lexer->carry, lexer->carry + lexer->carry_len, lexer->carry + lexer->carry_len, 0};

  result = lexer_run(lexer, session, &in);
  ev_input_end(session);
  if (result == RUN_STOP)
    return 1;
  consumed = (size_t)(in.cursor - lexer->carry);
  if (result == RUN_DONE || consumed >= old_len) {
    /* The carried token is complete: tokenize the rest of the chunk in place. */
    *bytes -= lexer->carry_len - consumed;
    lexer->carry_len = 0;
    return 0;
  }
  if (consumed == 0 && *bytes < end)
    return fail_carry_full(lexer, session, lexer->carry, lexer->carry_len);
  return carry_keep(lexer, session, in.cursor, lexer->carry_len - consumed);
}

int lexer_feed(cfgate_lexer *lexer, cfgate_session *session, const unsigned char *bytes, size_t size) {
  const unsigned char *end;
  lexer_input in;
  int result;

  if (lexer->state != LEXER_RUNNING || size == 0)
    return lexer_result(lexer);
  end = bytes + size;

  while (lexer->carry_len > 0 && bytes < end) {
    if (feed_carry(lexer, session, &bytes, end))
      return lexer_result(lexer);
  }
  if (bytes == end)
    return 0;

  in = (lexer_input){bytes, end, end, 0};
  result = lexer_run(lexer, session, &in);
  ev_input_end(session);
  if (result == RUN_STOP)
    return lexer_result(lexer);
  if (result == RUN_NEED_MORE && carry_keep(lexer, session, in.cursor, (size_t)(end - in.cursor)))
    return lexer_result(lexer);
  return 0;
}

/* Names what the unfinished document still needed. */
static const char *missing_part(const cfgate_lexer *lexer) {
  switch (lexer->mode) {
  case LEXER_STRING:
    return lexer->in_key ? "unterminated object key at end of input" : "unterminated string at end of input";
  case LEXER_COLON:
    return "unexpected end of input, expected ':' after the object key";
  case LEXER_KEY:
  case LEXER_KEY_OR_CLOSE:
    return "unexpected end of input, expected a string key";
  case LEXER_MEMBER_END:
  case LEXER_ELEMENT_END:
    return "unexpected end of input, expected ',' or a closing bracket";
  default:
    return lexer->depth == 0 ? "empty input, expected a JSON value" : "unexpected end of input, expected a value";
  }
}

int lexer_finish(cfgate_lexer *lexer, cfgate_session *session) {
  lexer_input in;

  if (lexer->state != LEXER_RUNNING)
    return lexer_result(lexer);

  memset(lexer->carry + lexer->carry_len, 0, CFGATE_LEXER_PADDING);
  in = (lexer_input){lexer->carry, lexer->carry + lexer->carry_len,
                     lexer->carry + lexer->carry_len + CFGATE_LEXER_PADDING, 1};
  int result = lexer_run(lexer, session, &in);
  ev_input_end(session);
  switch (result) {
  case RUN_STOP:
    return lexer_result(lexer);
  case RUN_NEED_MORE:
    return lexer_fail(lexer, session, "unexpected end of input");
  default:
    break;
  }
  lexer->carry_len = 0;

  if (lexer->mode != LEXER_DONE)
    return lexer_fail(lexer, session, "%s", missing_part(lexer));
  lexer->state = LEXER_FINISHED;
  return 0;
}
