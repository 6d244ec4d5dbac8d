/*
 * Encoding checks of template text. The whole text is checked before a
 * parser reads it, so libyaml's reader messages, which call a code point a
 * byte, are not shown.
 */
#include "template_encoding.h"

#include <stdio.h>

#include "utf8.h"

/* Writes bytes[0..count) as "byte C0" or "bytes C0 AF" into out. */
static void name_bytes(const unsigned char *bytes, size_t count, char *out, size_t out_size) {
  size_t used = (size_t)snprintf(out, out_size, "%s", count == 1 ? "byte" : "bytes");
  for (size_t i = 0; i < count && used < out_size; i++)
    used += (size_t)snprintf(out + used, out_size - used, " %02X", (unsigned)bytes[i]);
}

void template_encoding_describe(const unsigned char *bytes, size_t size, char *message,
                                size_t message_size) {
  size_t length;
  uint32_t code;
  utf8_fault fault = utf8_diagnose((const char *)bytes, size, &length, &code);
  size_t announced = 2;
  if (bytes[0] >= 0xf0)
    announced = 4;
  else if (bytes[0] >= 0xe0)
    announced = 3;
  int complete = length == announced;
  const char *verb = length == 1 ? "starts" : "start";
  char shown[32];
  name_bytes(bytes, length, shown, sizeof shown);

  switch (fault) {
  case UTF8_OVERLONG:
    if (complete)
      snprintf(message, message_size, "invalid UTF-8: %s are an overlong encoding of U+%04X",
               shown, (unsigned)code);
    else
      snprintf(message, message_size, "invalid UTF-8: %s %s an overlong encoding", shown, verb);
    return;
  case UTF8_SURROGATE:
    if (complete)
      snprintf(message, message_size, "invalid UTF-8: %s encode U+%04X, a UTF-16 surrogate",
               shown, (unsigned)code);
    else
      snprintf(message, message_size, "invalid UTF-8: %s %s a UTF-16 surrogate", shown, verb);
    return;
  case UTF8_ABOVE_MAXIMUM:
    if (complete)
      snprintf(message, message_size, "invalid UTF-8: %s encode U+%04X, above U+10FFFF", shown,
               (unsigned)code);
    else
      snprintf(message, message_size, "invalid UTF-8: %s %s a code point above U+10FFFF",
               shown, verb);
    return;
  case UTF8_TRUNCATED:
    snprintf(message, message_size,
             "invalid UTF-8: %s %s a truncated sequence: %02X starts a sequence of %u bytes",
             shown, length == 1 ? "is" : "are", (unsigned)bytes[0], (unsigned)announced);
    return;
  case UTF8_CONTINUATION:
    snprintf(message, message_size,
             "invalid UTF-8: %s is a continuation byte without a lead byte", shown);
    return;
  case UTF8_NEVER:
    snprintf(message, message_size, "invalid UTF-8: %s never occurs in UTF-8", shown);
    return;
  case UTF8_VALID:
    break;
  }
  snprintf(message, message_size, "invalid UTF-8: %s", shown);
}

/* Returns the kind of a character that YAML does not allow, or NULL when
 * YAML allows it. The allowed ones are YAML 1.1's printable characters,
 * which libyaml's reader also accepts: tab, LF, CR, U+0020 to U+007E,
 * U+0085, U+00A0 to U+D7FF, U+E000 to U+FFFD and U+10000 to U+10FFFF. */
static const char *yaml_disallowed(uint32_t code) {
  if (code == 0x09 || code == 0x0a || code == 0x0d || (code >= 0x20 && code <= 0x7e) ||
      code == 0x85 || (code >= 0xa0 && code <= 0xfffd) || code >= 0x10000)
    return NULL;
  if (code == 0x7f)
    return "the control character DEL";
  if (code == 0xfffe || code == 0xffff)
    return "a noncharacter";
  return code < 0x20 ? "a C0 control character" : "a C1 control character";
}

/* Returns the offset of the first invalid UTF-8 sequence or U+0000, which
 * neither JSON nor YAML allows unescaped. When yaml is 1, a character YAML
 * does not allow counts too. Returns size when there is none. */
static size_t find_bad(const unsigned char *bytes, size_t size, int yaml) {
  for (size_t i = 0; i < size;) {
    uint32_t code = bytes[i];
    size_t n = 1;
    if (code >= 0x80) {
      n = utf8_decode((const char *)bytes + i, size - i, &code);
      if (n == 0)
        return i;
    }
    if (code == 0 || (yaml && yaml_disallowed(code)))
      return i;
    i += n;
  }
  return size;
}

/* Returns the length of the line break at bytes[at], or 0. */
static size_t line_break(const unsigned char *bytes, size_t size, size_t at, int yaml) {
  const unsigned char *p = bytes + at;
  size_t left = size - at;

  if (p[0] == '\r' && left >= 2 && p[1] == '\n')
    return 2;
  if (p[0] == '\r' || p[0] == '\n')
    return 1;
  if (yaml && left >= 2 && p[0] == 0xc2 && p[1] == 0x85)
    return 2;
  if (yaml && left >= 3 && p[0] == 0xe2 && p[1] == 0x80 && (p[2] == 0xa8 || p[2] == 0xa9))
    return 3;
  return 0;
}

/* Sets the line and column of error to those of the byte offset end. */
static void set_position(const unsigned char *bytes, size_t size, size_t end, int yaml,
                         template_error *error) {
  uint32_t line = 1, column = 1;
  for (size_t i = 0; i < end;) {
    size_t n = line_break(bytes, size, i, yaml);
    if (n) {
      line++;
      column = 1;
      i += n;
      continue;
    }
    column++;
    i++;
    while (i < end && (bytes[i] & 0xc0) == 0x80)
      i++;
  }
  error->line = line;
  error->column = column;
}

int template_encoding_check(const unsigned char *bytes, size_t size, int yaml,
                            template_error *error) {
  size_t at = find_bad(bytes, size, yaml);
  if (at == size)
    return 1;

  set_position(bytes, size, at, yaml, error);
  uint32_t code;
  size_t n = utf8_decode((const char *)bytes + at, size - at, &code);
  if (n == 0) {
    template_encoding_describe(bytes + at, size - at, error->message, sizeof error->message);
    return 0;
  }

  if (code == 0) {
    snprintf(error->message, sizeof error->message,
             "byte 00 (U+0000) is not allowed in a template: text with NUL bytes may be UTF-16 "
             "or UTF-32 without a byte order mark, convert it to UTF-8");
    return 0;
  }
  char shown[32];
  name_bytes(bytes + at, n, shown, sizeof shown);
  snprintf(error->message, sizeof error->message, "YAML does not allow U+%04X (%s), %s",
           (unsigned)code, shown, yaml_disallowed(code));
  return 0;
}
