/*
 * Hook response writer.
 */
#include "hook_response.h"

#include <jansson.h>
#include <string.h>

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

int hook_response_write(FILE *out, hook_status status, const char *message, const char *token) {
  size_t keep = hook_message_cut(message, HOOK_MAX_MESSAGE);
  json_t *text;
  if (message[keep] == '\0') {
    text = json_string(message);
  } else {
    keep = hook_message_cut(message, HOOK_MAX_MESSAGE - (sizeof truncation_mark - 1));
    char cut[HOOK_MAX_MESSAGE * 4 + sizeof truncation_mark];
    memcpy(cut, message, keep);
    memcpy(cut + keep, truncation_mark, sizeof truncation_mark);
    text = json_string(cut);
  }

  json_t *response = json_object();
  json_object_set_new(response, "hookStatus",
                      json_string(status == HOOK_SUCCESS ? "SUCCESS" : "FAILED"));
  if (status != HOOK_SUCCESS)
    json_object_set_new(response, "errorCode",
                        json_string(status == HOOK_NON_COMPLIANT ? "NonCompliant"
                                                                 : "InternalFailure"));
  json_object_set_new(response, "message", text ? text : json_string("invalid UTF-8 in message"));
  if (token)
    json_object_set_new(response, "clientRequestToken", json_string(token));

  int result = json_dumpf(response, out, JSON_PRESERVE_ORDER | JSON_COMPACT);
  fputc('\n', out);
  json_decref(response);
  return result == 0 && !ferror(out) ? 0 : -1;
}
