/*
 * Detection and strict syntax check of JSON templates.
 */
#include "template_json.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

int template_json_detect(const unsigned char *bytes, size_t size) {
  size_t i = 0;
  if (size >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF)
    i = 3;
  while (i < size && (bytes[i] == ' ' || bytes[i] == '\t' || bytes[i] == '\r' || bytes[i] == '\n'))
    i++;
  return i < size && (bytes[i] == '{' || bytes[i] == '[');
}

/* Sets the line and column of byte offset end the way the template reader
 * counts them: CR, LF and CR LF end a line, and columns count code points.
 * jansson ends lines at LF only, so a file with CR line ends needs this. */
static void count_position(const unsigned char *bytes, size_t size, size_t end,
                           template_error *error) {
  uint32_t line = 1, column = 0;

  for (size_t i = 0; i < end && i < size; i++) {
    if (bytes[i] == '\r' || bytes[i] == '\n') {
      if (bytes[i] == '\r' && i + 1 < end && bytes[i + 1] == '\n')
        i++;
      line++;
      column = 0;
    } else if ((bytes[i] & 0xc0) != 0x80) {
      column++;
    }
  }
  error->line = line;
  error->column = column > 0 ? column : 1;
}

int template_json_check(const unsigned char *bytes, size_t size, template_error *error) {
  json_error_t json_error;
  json_t *value = json_loadb((const char *)bytes, size, JSON_DECODE_ANY | JSON_ALLOW_NUL,
                             &json_error);
  if (value) {
    json_decref(value);
    return 1;
  }
  if (json_error_code(&json_error) == json_error_numeric_overflow ||
      json_error_code(&json_error) == json_error_stack_overflow)
    return 1;

  error->line = json_error.line > 0 ? (uint32_t)json_error.line : 1;
  error->column = json_error.column > 0 ? (uint32_t)json_error.column : 1;
  if (memchr(bytes, '\r', size))
    count_position(bytes, size, (size_t)json_error.position, error);
  snprintf(error->message, sizeof error->message, "invalid JSON: %s", json_error.text);
  return 0;
}
