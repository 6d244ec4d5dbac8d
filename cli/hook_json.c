/*
 * Strict JSON scanning for hook events: grammar, UTF-8, escapes and nesting
 * are checked as RFC 8259 states them, numbers are checked as text, and
 * nothing is allocated.
 */
#include "hook_json.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "hook_quote.h"
#include "utf8.h"

enum { SHOWN_TOKEN_BYTES = 40 }; /* bytes of a bad number, literal or string start in a message */

static const uint64_t hash_offset = 1469598103934665603ULL; /* FNV-1a, 64 bits */
static const uint64_t hash_prime = 1099511628211ULL;

void hook_json_init(hook_json *json, const char *text, size_t size) {
  memset(json, 0, sizeof *json);
  json->text = text;
  json->size = size;
  if (size >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
    json->origin = json->at = 3;
}

void hook_json_error(hook_json *json, size_t at, int stop, const char *format, ...) {
  if (json->errors++ == 0) {
    va_list args;
    va_start(args, format);
    vsnprintf(json->error, sizeof json->error, format, args);
    va_end(args);
    json->error_at = at;
  }
  if (stop)
    json->stopped = 1;
}

void hook_json_position(const hook_json *json, size_t at, size_t *line, size_t *column) {
  *line = *column = 1;
  for (size_t i = json->origin; i < at && i < json->size; i++) {
    unsigned char c = (unsigned char)json->text[i];
    if (c == '\n') {
      (*line)++;
      *column = 1;
    } else if ((c & 0xC0) != 0x80) {
      (*column)++;
    }
  }
}

void hook_json_describe(const hook_json *json, char *out, size_t size) {
  size_t line, column;
  hook_json_position(json, json->error_at, &line, &column);
  snprintf(out, size, "line %zu, column %zu: %s", line, column, json->error);
}

/* Names the byte at offset at for a message: 'x', end of input, or its
 * value in hex when it is not printable ASCII. */
static const char *byte_name(const hook_json *json, size_t at, char *out, size_t size) {
  unsigned char c = at < json->size ? (unsigned char)json->text[at] : 0;
  if (at >= json->size)
    snprintf(out, size, "end of input");
  else if (c >= 0x20 && c < 0x7F)
    snprintf(out, size, "'%c'", c);
  else
    snprintf(out, size, "byte 0x%02X", c);
  return out;
}

void hook_json_unexpected(hook_json *json, const char *expected) {
  char name[32];
  hook_json_error(json, json->at, 1, "unexpected %s, expected %s",
                  byte_name(json, json->at, name, sizeof name), expected);
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

static int is_digit(const hook_json *json, size_t at) {
  return at < json->size && json->text[at] >= '0' && json->text[at] <= '9';
}

static void skip_space(hook_json *json) {
  while (json->at < json->size && is_space(json->text[json->at]))
    json->at++;
}

hook_json_kind hook_json_peek(hook_json *json) {
  skip_space(json);
  if (json->at >= json->size)
    return HOOK_JSON_NONE;

  char c = json->text[json->at];
  switch (c) {
  case '{': return HOOK_JSON_OBJECT;
  case '[': return HOOK_JSON_ARRAY;
  case '"': return HOOK_JSON_STRING;
  case 't': case 'f': return HOOK_JSON_BOOLEAN;
  case 'n': return HOOK_JSON_NULL;
  default: return c == '-' || (c >= '0' && c <= '9') ? HOOK_JSON_NUMBER : HOOK_JSON_NONE;
  }
}

const char *hook_json_kind_name(hook_json_kind kind) {
  switch (kind) {
  case HOOK_JSON_OBJECT: return "an object";
  case HOOK_JSON_ARRAY: return "an array";
  case HOOK_JSON_STRING: return "a string";
  case HOOK_JSON_NUMBER: return "a number";
  case HOOK_JSON_BOOLEAN: return "a boolean";
  case HOOK_JSON_NULL: return "null";
  case HOOK_JSON_NONE: break;
  }
  return "nothing";
}

static void skip_digits(hook_json *json) {
  while (is_digit(json, json->at))
    json->at++;
}

/* Suffix of a token error whose text is hidden (json->hide_values). */
#define HIDDEN_VALUE_NOTE "(value hidden: resourceProperties may hold write-only values)"

/* Writes the token text[start..end) quoted for a message, cut after
 * SHOWN_TOKEN_BYTES bytes, or nothing where values are hidden. */
static void quote_token(const hook_json *json, size_t start, size_t end, char *out, size_t size) {
  size_t len = end - start;
  if (json->hide_values) {
    out[0] = '\0';
    return;
  }
  snprintf(out, size, " '%.*s%s'", (int)(len > SHOWN_TOKEN_BYTES ? SHOWN_TOKEN_BYTES : len),
           json->text + start, len > SHOWN_TOKEN_BYTES ? "..." : "");
}

/* Records a bad number or literal: "invalid KIND 'TEXT'" and the problem,
 * or without the text and with HIDDEN_VALUE_NOTE where values are hidden. */
static void token_error(hook_json *json, size_t start, size_t end, const char *kind,
                        const char *problem) {
  char quoted[SHOWN_TOKEN_BYTES + 8];
  quote_token(json, start, end, quoted, sizeof quoted);
  hook_json_error(json, start, 1, "invalid %s%s%s%s%s", kind, quoted, problem,
                  json->hide_values ? " " : "", json->hide_values ? HIDDEN_VALUE_NOTE : "");
}

/* Checks that a digit follows, for the parts of a number that need one. */
static int need_digit(hook_json *json, size_t start, const char *after) {
  if (is_digit(json, json->at))
    return 1;
  char problem[64];
  snprintf(problem, sizeof problem, ": expected a digit after %s", after);
  token_error(json, start, json->at, "number", problem);
  return 0;
}

/* Scans number = [ "-" ] int [ frac ] [ exp ] of any length. The hook
 * reads no number itself, and the runtime reads resourceProperties exactly. */
static int scan_number(hook_json *json) {
  size_t start = json->at;
  if (json->text[json->at] == '-')
    json->at++;
  if (!need_digit(json, start, "'-'"))
    return 0;
  if (json->text[json->at++] == '0' && is_digit(json, json->at)) {
    skip_digits(json);
    token_error(json, start, json->at, "number", ": leading zeros are not allowed");
    return 0;
  }
  skip_digits(json);

  if (json->at < json->size && json->text[json->at] == '.') {
    json->at++;
    if (!need_digit(json, start, "'.'"))
      return 0;
    skip_digits(json);
  }
  if (json->at < json->size && (json->text[json->at] == 'e' || json->text[json->at] == 'E')) {
    json->at++;
    if (json->at < json->size && (json->text[json->at] == '+' || json->text[json->at] == '-'))
      json->at++;
    if (!need_digit(json, start, "the exponent"))
      return 0;
    skip_digits(json);
  }
  return 1;
}

static int scan_literal(hook_json *json) {
  static const char *const words[] = {"true", "false", "null"};
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
    size_t len = strlen(words[i]);
    if (json->size - json->at >= len && memcmp(json->text + json->at, words[i], len) == 0) {
      json->at += len;
      return 1;
    }
  }
  static const char letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  size_t len = 0;
  while (json->at + len < json->size && len <= SHOWN_TOKEN_BYTES &&
         strchr(letters, json->text[json->at + len]) && json->text[json->at + len])
    len++;
  token_error(json, json->at, json->at + len, "literal", " (expected true, false or null)");
  return 0;
}

static void append(hook_json_string *out, const char *bytes, size_t len) {
  for (size_t i = 0; i < len; i++)
    out->hash = (out->hash ^ (unsigned char)bytes[i]) * hash_prime;
  if (out->data && out->len + len < out->capacity)
    memcpy(out->data + out->len, bytes, len);
  else if (out->data && out->len < out->capacity)
    out->capacity = out->len + 1; /* cut here, so no later piece is copied */
  out->len += len;
}

static size_t encode_utf8(uint32_t cp, char *out) {
  if (cp < 0x80) {
    out[0] = (char)cp;
    return 1;
  }
  if (cp < 0x800) {
    out[0] = (char)(0xC0 | (cp >> 6));
    out[1] = (char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp < 0x10000) {
    out[0] = (char)(0xE0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
  }
  out[0] = (char)(0xF0 | (cp >> 18));
  out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
  out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
  out[3] = (char)(0x80 | (cp & 0x3F));
  return 4;
}

/* Returns the value of the four hex digits at text[at], or -1 when they
 * are not four hex digits. */
static long hex4(const hook_json *json, size_t at) {
  long value = 0;
  for (size_t i = at; i < at + 4; i++) {
    char c = i < json->size ? json->text[i] : 0;
    int digit = c >= '0' && c <= '9' ? c - '0'
              : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    if (digit < 0)
      return -1;
    value = value * 16 + digit;
  }
  return value;
}

/* Decodes \uXXXX at text[at] (the backslash), with the low half of a
 * surrogate pair after it. Returns the bytes consumed, and sets *cp to 0
 * after an error. */
static size_t unicode_escape(hook_json *json, size_t at, uint32_t *cp) {
  long high = hex4(json, at + 2), low;
  *cp = 0;
  if (high < 0) {
    size_t shown = 0; /* the printable ASCII bytes of the four after \u */
    while (shown < 4 && at + 2 + shown < json->size && json->text[at + 2 + shown] > 0x20 &&
           json->text[at + 2 + shown] < 0x7F && json->text[at + 2 + shown] != '"')
      shown++;
    hook_json_error(json, at, 0, "invalid escape '\\u%.*s': '\\u' must be followed by four hex "
                    "digits", (int)shown, json->text + at + 2);
    return 2;
  }
  if (high >= 0xD800 && high <= 0xDBFF && json->size - at >= 12 && json->text[at + 6] == '\\' &&
      json->text[at + 7] == 'u' && (low = hex4(json, at + 8)) >= 0xDC00 && low <= 0xDFFF) {
    *cp = 0x10000 + (((uint32_t)high - 0xD800) << 10) + ((uint32_t)low - 0xDC00);
    return 12;
  }
  if (high >= 0xD800 && high <= 0xDFFF)
    hook_json_error(json, at, 0, "invalid escape '\\u%04lx': unpaired UTF-16 surrogate", high);
  else if (high == 0)
    hook_json_error(json, at, 0, "the text contains a NUL character (\\u0000), which "
                    "CloudFormation rejects");
  else
    *cp = (uint32_t)high;
  return 6;
}

/* Decodes the escape at text[at] (the backslash) into out. Returns the
 * bytes consumed. */
static size_t read_escape(hook_json *json, size_t at, hook_json_string *out) {
  static const char simple[] = "\"\"\\\\//b\bf\fn\nr\rt\t";
  char c = at + 1 < json->size ? json->text[at + 1] : 0;
  char bytes[4];
  uint32_t cp;

  if (c == 'u') {
    size_t used = unicode_escape(json, at, &cp);
    if (cp)
      append(out, bytes, encode_utf8(cp, bytes));
    return used;
  }
  for (size_t i = 0; c && simple[i]; i += 2) {
    if (simple[i] == c) {
      append(out, &simple[i + 1], 1);
      return 2;
    }
  }
  char name[32];
  hook_json_error(json, at, 0, "invalid escape: %s after '\\'", byte_name(json, at + 1, name, sizeof name));
  return at + 1 < json->size ? 2 : 1;
}

/* Checks one raw byte or UTF-8 sequence of string content at text[at].
 * Returns the bytes consumed. */
static size_t read_raw(hook_json *json, size_t at, hook_json_string *out) {
  unsigned char c = (unsigned char)json->text[at];
  uint32_t cp;
  if (c < 0x20) {
    hook_json_error(json, at, 0, "invalid control character U+%04X in string (escape it)", c);
    return 1;
  }
  size_t len = c < 0x80 ? 1 : utf8_decode(json->text + at, json->size - at, &cp);
  if (len == 0) {
    char message[160];
    utf8_describe(json->text + at, json->size - at, "invalid UTF-8 in string: ", message,
                  sizeof message);
    hook_json_error(json, at, 0, "%s", message);
    return 1;
  }
  append(out, json->text + at, len);
  return len;
}

int hook_json_read_string(hook_json *json, hook_json_string *out) {
  hook_json_string ignored = {NULL, 0, 0, 0, 0, 0};
  out = out ? out : &ignored;
  out->len = 0;
  out->hash = hash_offset;
  out->start = json->at;

  size_t at = json->at + 1;
  while (at < json->size && json->text[at] != '"')
    at += json->text[at] == '\\' ? read_escape(json, at, out) : read_raw(json, at, out);
  if (at >= json->size) {
    /* The position names the string, so no text of it is shown: a cut
     * preview could look closed, and the string may be a write-only value. */
    hook_json_error(json, out->start, 1,
                    "unterminated string: the input ends before its closing quote");
    return 0;
  }
  if (out->data && out->capacity > 0)
    out->data[out->len < out->capacity ? out->len : out->capacity - 1] = '\0';
  json->at = out->end = at + 1;
  return 1;
}

static int is_object_level(const hook_json *json, size_t level) {
  return (json->containers[level / 8] >> (level % 8)) & 1;
}

static int open_level(hook_json *json, size_t *depth, int object) {
  if (*depth >= HOOK_JSON_MAX_DEPTH) {
    hook_json_error(json, json->at, 1, "too many nested arrays and objects (limit is %d)",
                    HOOK_JSON_MAX_DEPTH);
    return 0;
  }
  uint8_t bit = (uint8_t)(1u << (*depth % 8));
  json->containers[*depth / 8] = object ? json->containers[*depth / 8] | bit
                                        : json->containers[*depth / 8] & (uint8_t)~bit;
  (*depth)++;
  json->at++;
  return 1;
}

/* Reads "NAME" : at the cursor. */
static int read_member_name(hook_json *json, hook_json_string *name) {
  skip_space(json);
  if (json->at >= json->size || json->text[json->at] != '"') {
    hook_json_unexpected(json, "a property name in double quotes");
    return 0;
  }
  if (!hook_json_read_string(json, name))
    return 0;
  skip_space(json);
  if (json->at >= json->size || json->text[json->at] != ':') {
    hook_json_unexpected(json, "':' after the property name");
    return 0;
  }
  json->at++;
  return 1;
}

/* Opens an array or object, or scans a scalar. *more is 1 when a value
 * must follow: the first element of an open array or the first member
 * value of an open object. */
static int scan_start(hook_json *json, size_t *depth, int *more) {
  hook_json_kind kind = hook_json_peek(json);
  *more = 0;
  switch (kind) {
  case HOOK_JSON_OBJECT:
  case HOOK_JSON_ARRAY:
    if (!open_level(json, depth, kind == HOOK_JSON_OBJECT))
      return 0;
    skip_space(json);
    if (json->at < json->size && json->text[json->at] == (kind == HOOK_JSON_OBJECT ? '}' : ']')) {
      json->at++;
      (*depth)--;
      return 1;
    }
    *more = 1;
    return kind == HOOK_JSON_ARRAY || read_member_name(json, NULL);
  case HOOK_JSON_STRING: return hook_json_read_string(json, NULL);
  case HOOK_JSON_NUMBER: return scan_number(json);
  case HOOK_JSON_BOOLEAN:
  case HOOK_JSON_NULL: return scan_literal(json);
  case HOOK_JSON_NONE: break;
  }
  hook_json_unexpected(json, "a value");
  return 0;
}

/* After a value inside an open container: a ',' and the next member or
 * element (*more = 1), or the closing bracket. */
static int scan_next(hook_json *json, size_t *depth, int *more) {
  int object = is_object_level(json, *depth - 1);
  char close = object ? '}' : ']';
  skip_space(json);
  char c = json->at < json->size ? json->text[json->at] : 0;
  *more = 0;
  if (c == close) {
    json->at++;
    (*depth)--;
    return 1;
  }
  if (c != ',') {
    hook_json_unexpected(json, object ? "',' or '}' after the object member"
                            : "',' or ']' after the array element");
    return 0;
  }

  size_t comma = json->at++;
  skip_space(json);
  if (json->at < json->size && json->text[json->at] == close) {
    hook_json_error(json, comma, 1, "unexpected ',' before '%c'", close);
    return 0;
  }
  *more = 1;
  return !object || read_member_name(json, NULL);
}

int hook_json_skip(hook_json *json) {
  size_t depth = 0;
  int more = 1;
  while (!json->stopped) {
    int ok = more ? scan_start(json, &depth, &more) : scan_next(json, &depth, &more);
    if (!ok)
      return 0;
    if (depth == 0 && !more)
      return 1;
  }
  return 0;
}

int hook_json_object_begin(hook_json *json) {
  hook_json_peek(json);
  json->at++;
  return 1;
}

int hook_json_object_next(hook_json *json, int first, hook_json_string *name) {
  skip_space(json);
  char c = json->at < json->size ? json->text[json->at] : 0;
  if (c == '}') {
    json->at++;
    return 0;
  }
  if (!first && c != ',') {
    hook_json_unexpected(json, "',' or '}' after the object member");
    return -1;
  }

  if (!first) {
    size_t comma = json->at++;
    skip_space(json);
    if (json->at < json->size && json->text[json->at] == '}') {
      hook_json_error(json, comma, 1, "unexpected ',' before '}'");
      return -1;
    }
  }
  return read_member_name(json, name) ? 1 : -1;
}

int hook_json_finish(hook_json *json) {
  skip_space(json);
  if (json->at < json->size) {
    hook_json_unexpected(json, "end of input after the JSON value");
    return 0;
  }
  return 1;
}
