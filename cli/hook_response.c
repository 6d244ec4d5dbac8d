/*
 * Hook response writer.
 */
#include "hook_response.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

static const char truncation_mark[] = "...";

/* Writes text to out (room for 3 * strlen(text) + 1 bytes) with each
 * character of utf8_invisible() as its JSON escape, keeping at most
 * max_chars characters of the result. A character or an escape is kept
 * whole or left out. Returns 1 when all of text fits. An invisible
 * character of at least 2 bytes becomes at most 3 times as long (U+0085 is
 * \u0085). */
static int escape_within(const char *text, size_t max_chars, char *out) {
  size_t len = strlen(text), used = 0, chars = 0, at = 0;
  while (at < len) {
    size_t n = 1;
    uint32_t code = (unsigned char)text[at] >= 0x80 ? utf8_invisible(text + at, &n) : 0;
    if (code) {
      char escape[UTF8_ESCAPE_SIZE];
      size_t escape_len = utf8_escape(code, escape);
      if (chars + escape_len > max_chars)
        break;
      memcpy(out + used, escape, escape_len);
      used += escape_len;
      chars += escape_len;
      at += n;
      continue;
    }

    if (chars == max_chars)
      break;
    do
      out[used++] = text[at++];
    while (at < len && ((unsigned char)text[at] & 0xC0) == 0x80);
    chars++;
  }
  out[used] = '\0';
  return at == len;
}

size_t hook_message_prefix(const char *text, size_t len, size_t max_chars) {
  size_t chars = 0, at = 0;
  while (at < len) {
    size_t n = 1, width = 1;
    uint32_t code = (unsigned char)text[at] >= 0x80 ? utf8_invisible(text + at, &n) : 0;
    if (code) {
      char escape[UTF8_ESCAPE_SIZE];
      width = utf8_escape(code, escape);
    } else {
      n = 1;
      while (at + n < len && ((unsigned char)text[at + n] & 0xC0) == 0x80)
        n++;
    }
    if (chars + width > max_chars)
      break;
    chars += width;
    at += n;
  }
  return at;
}

size_t hook_message_chars(const char *text, size_t len) {
  size_t chars = 0, at = 0;
  while (at < len) {
    size_t n = 1;
    uint32_t code = (unsigned char)text[at] >= 0x80 ? utf8_invisible(text + at, &n) : 0;
    if (code) {
      char escape[UTF8_ESCAPE_SIZE];
      chars += utf8_escape(code, escape);
      at += n;
      continue;
    }

    do
      at++;
    while (at < len && ((unsigned char)text[at] & 0xC0) == 0x80);
    chars++;
  }
  return chars;
}

/* Returns the message as a JSON string: escaped, and cut to max_chars
 * characters with a "..." mark when it is longer. */
static json_t *message_value(const char *text, size_t max_chars) {
  char *message = malloc(3 * strlen(text) + sizeof truncation_mark);
  if (!message)
    return json_string("out of memory while writing the message");

  if (!escape_within(text, max_chars, message)) {
    escape_within(text, max_chars - (sizeof truncation_mark - 1), message);
    strcat(message, truncation_mark);
  }
  json_t *value = json_string(message);
  free(message);
  return value ? value : json_string("invalid UTF-8 in message");
}

int hook_response_write(FILE *out, hook_status status, const char *text, const char *token,
                        size_t max_chars) {
  json_t *value = message_value(text, max_chars);
  json_t *response = json_object();
  json_object_set_new(response, "hookStatus",
                      json_string(status == HOOK_SUCCESS ? "SUCCESS" : "FAILED"));
  if (status != HOOK_SUCCESS)
    json_object_set_new(response, "errorCode",
                        json_string(status == HOOK_NON_COMPLIANT ? "NonCompliant"
                                                                 : "InternalFailure"));
  json_object_set_new(response, "message", value);
  if (token)
    json_object_set_new(response, "clientRequestToken", json_string(token));

  int result = json_dumpf(response, out, JSON_PRESERVE_ORDER | JSON_COMPACT);
  fputc('\n', out);
  json_decref(response);
  return result == 0 && !ferror(out) ? 0 : -1;
}
