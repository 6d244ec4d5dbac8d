/*
 * A strict RFC 8259 scanner for hook events held in memory. It checks and
 * skips values without building them, so its memory does not depend on the
 * event, and it reads numbers as text of any length. The hook reads the few
 * fields it needs with it and hands the bytes of resourceProperties to the
 * runtime unchanged.
 */
#ifndef CFGATE_CLI_HOOK_JSON_H
#define CFGATE_CLI_HOOK_JSON_H

#include <stddef.h>
#include <stdint.h>

enum {
  HOOK_JSON_MAX_DEPTH = 1024,   /* nested arrays and objects in one skipped value */
  HOOK_JSON_ERROR_SIZE = 256    /* bytes of the first error's text */
};

typedef enum hook_json_kind {
  HOOK_JSON_NONE, /* end of input or a byte that starts no value */
  HOOK_JSON_OBJECT,
  HOOK_JSON_ARRAY,
  HOOK_JSON_STRING,
  HOOK_JSON_NUMBER,
  HOOK_JSON_BOOLEAN,
  HOOK_JSON_NULL
} hook_json_kind;

/* Scanner state over text[0..size). A UTF-8 byte order mark at the start is
 * skipped, and positions count from the byte after it. */
typedef struct hook_json {
  const char *text;
  size_t size, at, origin;
  size_t error_at;                 /* byte offset of the first error */
  char error[HOOK_JSON_ERROR_SIZE]; /* the first error; "" while there is none */
  unsigned errors;                 /* errors seen, the first one kept */
  int stopped;                     /* 1 once an error leaves the structure unknown */
  int hide_values;                 /* 1 where a value may be write-only: errors quote no text */
  uint8_t containers[HOOK_JSON_MAX_DEPTH / 8]; /* bit per open level: 1 object, 0 array */
} hook_json;

/* One decoded string: the bytes that fit in the caller's capacity
 * (NUL-terminated), its whole decoded length and a 64-bit hash of all of
 * its bytes. */
typedef struct hook_json_string {
  char *data;
  size_t capacity, len;
  uint64_t hash;
  size_t start, end; /* byte offsets of the opening quote and past the closing one */
} hook_json_string;

void hook_json_init(hook_json *json, const char *text, size_t size);

/* Skips whitespace and returns the kind of the value that starts there. */
hook_json_kind hook_json_peek(hook_json *json);

/* Returns "a string", "a number", "an object", "an array", "a boolean",
 * "null", or "nothing" for HOOK_JSON_NONE. */
const char *hook_json_kind_name(hook_json_kind kind);

/* Checks and skips one value. Returns 1, or 0 once the scan stopped. */
int hook_json_skip(hook_json *json);

/* Checks and decodes the string at the cursor into *out (out->data may be
 * NULL to only check it). Invalid UTF-8, a bad escape, a control character
 * or \u0000 is recorded as an error while the scan goes on to the closing
 * quote, so later fields can still be read. Returns 1 when the string
 * ended, 0 once the scan stopped. */
int hook_json_read_string(hook_json *json, hook_json_string *out);

/* Object members: call hook_json_object_begin() at '{', then
 * hook_json_object_next() before each member. next returns 1 with the
 * member name decoded into *name and the cursor at its value, 0 after the
 * closing '}', and -1 once the scan stopped. */
int hook_json_object_begin(hook_json *json);
int hook_json_object_next(hook_json *json, int first, hook_json_string *name);

/* Checks that only whitespace follows the top-level value. */
int hook_json_finish(hook_json *json);

/* Records an error at byte offset at. Only the first error is kept, and
 * stop = 1 ends the scan. */
void hook_json_error(hook_json *json, size_t at, int stop, const char *format, ...)
    __attribute__((format(printf, 4, 5)));

/* Records "unexpected X, expected EXPECTED" for the byte at the cursor and
 * stops the scan. */
void hook_json_unexpected(hook_json *json, const char *expected);

/* Sets the 1-based line and column (counted in code points from the byte
 * after a byte order mark) of byte offset at. */
void hook_json_position(const hook_json *json, size_t at, size_t *line, size_t *column);

/* Writes "line L, column C: TEXT" for the first error (hook_json_position). */
void hook_json_describe(const hook_json *json, char *out, size_t size);

#endif
