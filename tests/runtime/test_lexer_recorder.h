/*
 * A recording implementation of the value events for tokenizer tests. Each
 * event appends one line to a text log: "{", "}", "[", "]", "key <text>",
 * "string <text>", "number <text> = <exact value>", "true", "false", "null", and
 * "error <line>:<column> @<offset> <message>". Chunks of one string or key
 * are joined, so logs of different chunkings compare equal, and a NUL
 * byte in them is written as "<NUL>".
 */
#ifndef TEST_LEXER_RECORDER_H
#define TEST_LEXER_RECORDER_H

#include <stddef.h>

#include "lexer.h"

struct cfgate_session {
  char *log;
  size_t len, cap;
  size_t events;      /* events recorded so far */
  size_t stop_after;  /* when nonzero, the event with this number returns 1 */
  int in_text;        /* 1 between a string or key begin and its end */
};

/* Starts an empty log. */
void recorder_init(cfgate_session *recorder);

/* Frees the log. */
void recorder_free(cfgate_session *recorder);

/* Tokenizes text[0..len) fed in chunks of chunk bytes (0: one chunk) and
 * returns the log, which the caller frees. */
char *recorder_tokenize(const unsigned char *text, size_t len, size_t chunk);

#endif /* TEST_LEXER_RECORDER_H */
