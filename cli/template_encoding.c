/*
 * Encoding checks of template text. The whole text is checked before a
 * parser reads it, so libyaml's reader messages, which call a code point a
 * byte, are not shown.
 */
#include "template_encoding.h"

#include <stdio.h>

#include "utf8.h"

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
    utf8_describe((const char *)bytes + at, size - at, "invalid UTF-8: ", error->message,
                  sizeof error->message);
    return 0;
  }

  if (code == 0) {
    snprintf(error->message, sizeof error->message,
             "byte 00 (U+0000) is not allowed in a template: text with NUL bytes may be UTF-16 "
             "or UTF-32 without a byte order mark, convert it to UTF-8");
    return 0;
  }
  char shown[32];
  utf8_name_bytes(bytes + at, n, shown, sizeof shown);
  snprintf(error->message, sizeof error->message, "YAML does not allow U+%04X (%s), %s",
           (unsigned)code, shown, yaml_disallowed(code));
  return 0;
}
