/*
 * Group names of "(?<name>", "(?P<name>" and "\k<name>". ECMA-262 requires
 * an identifier name, and the dialect accepts a subset of it. A name starts
 * with a letter, '_' or '$' and continues with letters, ASCII digits, '_' or
 * '$'. A letter is an ASCII letter or a code point of the category L.
 */
#include <stdint.h>
#include <string.h>

#include "re_parse_internal.h"
#include "re_unicode.h"

/* Returns 1 when c is in the general category L (any letter). */
static int is_unicode_letter(uint32_t c) {
  const re_unicode_set *letters = NULL;

  for (size_t i = 0; !letters && i < re_unicode_set_count; i++)
    if (!re_unicode_sets[i].is_script && strcmp(re_unicode_sets[i].name, "L") == 0)
      letters = &re_unicode_sets[i];
  if (!letters) return 0;

  uint32_t lo = 0, hi = letters->count;
  while (lo < hi) {
    uint32_t mid = lo + (hi - lo) / 2;
    const uint32_t *range = &re_unicode_ranges[2 * (letters->first + mid)];
    if (c < range[0]) hi = mid;
    else if (c > range[1]) lo = mid + 1;
    else return 1;
  }
  return 0;
}

static int is_name_char(uint32_t c, int first) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$') return 1;
  if (c >= '0' && c <= '9') return !first;
  return c >= 0x80 && is_unicode_letter(c);
}

/* Records an error at the first character of text[offset, offset + len) that
 * a group name cannot contain there, or at the '<' before an empty name. */
int re_parse_check_name(re_parser *ps, size_t offset, size_t len) {
  size_t saved = ps->pos;

  if (len == 0) return re_parse_fail(ps, offset - 1, "invalid group name: the name is empty");
  for (ps->pos = offset; ps->pos < offset + len;) {
    size_t at = ps->pos;
    uint32_t c;
    if (re_parse_code_point(ps, &c) < 0) return re_parse_fail(ps, at, "invalid UTF-8 in pattern");
    if (at == offset && !is_name_char(c, 1)) {
      return re_parse_fail(ps, at, "a group name cannot start with U+%04X (a name starts with a letter, "
                           "'_' or '$')", c);
    }
    if (!is_name_char(c, 0)) {
      return re_parse_fail(ps, at, "invalid character U+%04X in a group name (a name holds letters, "
                           "ASCII digits, '_' and '$')", c);
    }
  }
  ps->pos = saved;
  return 0;
}
