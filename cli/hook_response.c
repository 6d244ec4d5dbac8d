/*
 * Hook response writer.
 */
#include "hook_response.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

static const char truncation_mark[] = "...";

size_t hook_message_cut(const char *text, size_t max_chars) {
  size_t bytes = 0, chars = 0;
  while (text[bytes] && chars < max_chars) {
    bytes++;
    while ((text[bytes] & 0xC0) == 0x80)
      bytes++;
    chars++;
  }
  return bytes;
}

/* Returns a copy of text with each character of utf8_invisible() written
 * as its JSON escape, or NULL when memory runs out. A character of at
 * least 2 bytes becomes at most 3 times as long (U+0085 is \u0085). */
static char *escape_invisible(const char *text) {
  size_t len = strlen(text), used = 0;
  char *out = malloc(3 * len + 1);
  if (!out)
    return NULL;

  for (size_t at = 0; at < len;) {
    size_t n = 1;
    uint32_t code = (unsigned char)text[at] >= 0x80 ? utf8_invisible(text + at, &n) : 0;
    if (code) {
      used += utf8_escape(code, out + used);
    } else {
      memcpy(out + used, text + at, n);
      used += n;
    }
    at += n;
  }
  out[used] = '\0';
  return out;
}

int hook_response_write(FILE *out, hook_status status, const char *text, const char *token) {
  char *escaped = escape_invisible(text);
  const char *message = escaped ? escaped : "out of memory while writing the message";
  /* NOTE: the cut counts the escaped text, so it may fall inside an escape. */
  size_t keep = hook_message_cut(message, HOOK_MAX_MESSAGE);
  json_t *value;
  if (message[keep] == '\0') {
    value = json_string(message);
  } else {
    keep = hook_message_cut(message, HOOK_MAX_MESSAGE - (sizeof truncation_mark - 1));
    char cut[HOOK_MAX_MESSAGE * 4 + sizeof truncation_mark];
    memcpy(cut, message, keep);
    memcpy(cut + keep, truncation_mark, sizeof truncation_mark);
    value = json_string(cut);
  }
  free(escaped);

  json_t *response = json_object();
  json_object_set_new(response, "hookStatus",
                      json_string(status == HOOK_SUCCESS ? "SUCCESS" : "FAILED"));
  if (status != HOOK_SUCCESS)
    json_object_set_new(response, "errorCode",
                        json_string(status == HOOK_NON_COMPLIANT ? "NonCompliant"
                                                                 : "InternalFailure"));
  json_object_set_new(response, "message", value ? value : json_string("invalid UTF-8 in message"));
  if (token)
    json_object_set_new(response, "clientRequestToken", json_string(token));

  int result = json_dumpf(response, out, JSON_PRESERVE_ORDER | JSON_COMPACT);
  fputc('\n', out);
  json_decref(response);
  return result == 0 && !ferror(out) ? 0 : -1;
}
