/*
 * Escapes and character classes of the pattern dialect: ECMA-262 with the
 * Unicode flag, plus \A \Z \z and lenient Annex B class ranges such as
 * [\w-.] where '-' next to a class escape is a literal.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "re_parse_internal.h"

int re_parse_fail(re_parser *ps, size_t offset, const char *format, ...) {
  va_list args;

  ps->error->offset = offset;
  va_start(args, format);
  vsnprintf(ps->error->message, sizeof ps->error->message, format, args);
  va_end(args);
  return -1;
}

void re_parse_nonstandard(re_parser *ps, size_t offset, size_t len, const char *format, ...) {
  if (!ps->options || !ps->options->nonstandard) return;

  char message[sizeof ps->error->message];
  va_list args;
  va_start(args, format);
  vsnprintf(message, sizeof message, format, args);
  va_end(args);
  ps->options->nonstandard(ps->options->user_data, offset, len, message);
}

/* Returns the length of the UTF-8 sequence that starts with lead, or 0 for an invalid lead byte. */
static size_t utf8_length(uint32_t lead) {
  if (lead < 0x80) return 1;
  if (lead < 0xC2) return 0;
  if (lead < 0xE0) return 2;
  if (lead < 0xF0) return 3;
  if (lead < 0xF5) return 4;
  return 0;
}

int re_parse_code_point(re_parser *ps, uint32_t *code) {
  const unsigned char *s = (const unsigned char *)ps->text + ps->pos;
  size_t left = ps->len - ps->pos;
  uint32_t c = s[0];
  size_t n = utf8_length(c);

  if (n == 0 || n > left) return -1;
  if (n > 1) c &= 0xFFu >> (n + 1);
  for (size_t i = 1; i < n; i++) {
    if ((s[i] & 0xC0) != 0x80) return -1;
    c = (c << 6) | (s[i] & 0x3F);
  }
  if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > RE_MAX_CODE_POINT))) return -1;

  ps->pos += n;
  *code = c;
  return 0;
}

re_node *re_parse_literal_node(re_parser *ps, uint32_t c, size_t offset) {
  re_node *node = re_ast_node(ps->ast, RE_NODE_CLASS, offset);

  if (!node || re_charset_add(&node->set, c, c) < 0) return NULL;
  if (ps->ignore_case && re_charset_fold_case(&node->set) < 0) return NULL;
  re_charset_normalize(&node->set);
  return node;
}

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/* Reads exactly digits hex digits at ps->pos. */
static int read_hex(re_parser *ps, int digits, uint32_t *value) {
  uint32_t v = 0;

  if (ps->pos + (size_t)digits > ps->len) return -1;
  for (int i = 0; i < digits; i++) {
    int h = hex_value(ps->text[ps->pos + (size_t)i]);
    if (h < 0) return -1;
    v = v * 16 + (uint32_t)h;
  }
  ps->pos += (size_t)digits;
  *value = v;
  return 0;
}

/* \uXXXX, a surrogate pair \uXXXX\uXXXX, or \u{X...}; ps->pos is after 'u'. */
static int read_unicode_escape(re_parser *ps, uint32_t *code) {
  if (ps->pos < ps->len && ps->text[ps->pos] == '{') {
    uint32_t v = 0;
    size_t start = ++ps->pos;
    while (ps->pos < ps->len && hex_value(ps->text[ps->pos]) >= 0 && v <= RE_MAX_CODE_POINT) {
      v = v * 16 + (uint32_t)hex_value(ps->text[ps->pos++]);
    }
    if (ps->pos == start || ps->pos >= ps->len || ps->text[ps->pos] != '}' || v > RE_MAX_CODE_POINT) return -1;
    ps->pos++;
    *code = v;
    return 0;
  }

  if (read_hex(ps, 4, code) < 0) return -1;
  size_t after = ps->pos;
  uint32_t low;
  if (*code >= 0xD800 && *code <= 0xDBFF && ps->pos + 6 <= ps->len && ps->text[ps->pos] == '\\' &&
      ps->text[ps->pos + 1] == 'u') {
    ps->pos += 2;
    if (read_hex(ps, 4, &low) == 0 && low >= 0xDC00 && low <= 0xDFFF) {
      *code = 0x10000 + ((*code - 0xD800) << 10) + (low - 0xDC00);
      return 0;
    }
    ps->pos = after;
  }
  return 0;
}

/* Escapes that stand for one code point; ps->pos is at the letter. Returns
 * 1 when handled, 0 when the letter is not such an escape, -1 on error. */
static int read_char_escape(re_parser *ps, int in_class, uint32_t *code) {
  size_t start = ps->pos - 1;
  char c = ps->text[ps->pos];

  switch (c) {
  case 'n': ps->pos++; *code = '\n'; return 1;
  case 'r': ps->pos++; *code = '\r'; return 1;
  case 't': ps->pos++; *code = '\t'; return 1;
  case 'v': ps->pos++; *code = '\v'; return 1;
  case 'f': ps->pos++; *code = '\f'; return 1;
  case 'b':
    if (!in_class) return 0;
    ps->pos++;
    *code = '\b';
    return 1;
  case '0':
    if (ps->pos + 1 < ps->len && ps->text[ps->pos + 1] >= '0' && ps->text[ps->pos + 1] <= '9') {
      return re_parse_fail(ps, start, "invalid escape '\\0' followed by a digit (octal escapes are not supported)");
    }
    ps->pos++;
    *code = 0;
    return 1;
  case 'c': {
    char letter = ps->pos + 1 < ps->len ? ps->text[ps->pos + 1] : 0;
    if (!((letter >= 'a' && letter <= 'z') || (letter >= 'A' && letter <= 'Z'))) {
      return re_parse_fail(ps, start, "invalid control escape: '\\c' must be followed by a letter");
    }
    ps->pos += 2;
    *code = (uint32_t)letter % 32;
    return 1;
  }
  case 'x':
    ps->pos++;
    if (ps->pos < ps->len && ps->text[ps->pos] == '{') {
      /* \x{h...} as in PCRE and Java. */
      if (read_unicode_escape(ps, code) < 0) return re_parse_fail(ps, start, "invalid escape '\\x{': expected hex digits and '}'");
      return 1;
    }
    if (read_hex(ps, 2, code) < 0) return re_parse_fail(ps, start, "invalid escape '\\x': expected two hex digits");
    return 1;
  case 'u':
    ps->pos++;
    if (read_unicode_escape(ps, code) < 0) {
      return re_parse_fail(ps, start, "invalid escape '\\u': expected four hex digits or {hex}");
    }
    return 1;
  default:
    return 0;
  }
}

/* Adds the set of \d \D \w \W \s \S \p{..} \P{..}; ps->pos is at the letter.
 * Returns 1 when handled, 0 when the letter is not a class escape, -1 on error. */
static int read_class_escape(re_parser *ps, re_charset *set) {
  size_t start = ps->pos - 1;
  char c = ps->text[ps->pos];
  re_charset part = {0};
  int negate = (c == 'D' || c == 'W' || c == 'S' || c == 'P');

  if (c == 'd' || c == 'D' || c == 'w' || c == 'W' || c == 's' || c == 'S') {
    ps->pos++;
    if (re_charset_add_escape(&part, (char)(c | 0x20)) < 0) goto memory;
    /* Under (?i) ECMA-262 counts U+017F and U+212A as word characters,
     * because they fold to 's' and 'k'. */
    if (ps->ignore_case && (c == 'w' || c == 'W') &&
        (re_charset_add(&part, 0x17F, 0x17F) < 0 || re_charset_add(&part, 0x212A, 0x212A) < 0))
      goto memory;
  } else if (c == 'p' || c == 'P') {
    ps->pos++;
    if (ps->pos >= ps->len || ps->text[ps->pos] != '{') {
      return re_parse_fail(ps, start, "invalid property escape: expected '{' after '\\%c'", c);
    }
    const char *name = ps->text + ps->pos + 1;
    const char *end = memchr(name, '}', ps->len - ps->pos - 1);
    if (!end) return re_parse_fail(ps, start, "invalid property escape: missing '}'");
    const char *rejected;
    int found = re_charset_add_property(&part, name, (size_t)(end - name), &rejected);
    if (found < 0) goto memory;
    if (found == 0) {
      re_charset_free(&part);
      if (rejected)
        return re_parse_fail(ps, start, "ambiguous Unicode property '%.*s': %s",
                             (int)(end - name), name, rejected);
      return re_parse_fail(ps, start, "unknown Unicode property '%.*s'", (int)(end - name), name);
    }
    ps->pos = (size_t)(end - ps->text) + 1;
  } else {
    return 0;
  }

  /* ECMA-262 complements \P{..} before case folding applies to it, so
   * (?i)\P{Lu} matches "A" through its lower-case form. */
  if (negate && re_charset_negate(&part) < 0) goto memory;
  if (ps->ignore_case && (c == 'p' || c == 'P') && re_charset_fold_case(&part) < 0) goto memory;
  if (re_charset_add_set(set, &part) < 0) goto memory;
  re_charset_free(&part);
  return 1;

memory:
  re_charset_free(&part);
  return re_parse_fail(ps, start, "out of memory");
}

static int is_ascii_alnum(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* An identity escape: any character except ASCII letters and digits stands for itself. */
static int read_identity_escape(re_parser *ps, uint32_t *code) {
  size_t start = ps->pos - 1;

  if (is_ascii_alnum(ps->text[ps->pos])) {
    return re_parse_fail(ps, start, "invalid escape '\\%c'", ps->text[ps->pos]);
  }
  if (re_parse_code_point(ps, code) < 0) return re_parse_fail(ps, start, "invalid UTF-8 in pattern");
  return 0;
}

static re_node *assert_node(re_parser *ps, int assertion, size_t offset) {
  re_node *node = re_ast_node(ps->ast, RE_NODE_ASSERT, offset);
  if (node) node->assertion = assertion;
  return node;
}

/* \1..\99 refers to a group when that many groups exist in the pattern. */
static re_node *read_backreference(re_parser *ps, size_t start) {
  uint32_t number = 0;

  while (ps->pos < ps->len && ps->text[ps->pos] >= '0' && ps->text[ps->pos] <= '9' && number < RE_MAX_CAPTURES) {
    number = number * 10 + (uint32_t)(ps->text[ps->pos++] - '0');
  }
  if (number == 0 || number > ps->group_total) {
    re_parse_fail(ps, start, "invalid backreference '\\%u': the pattern has %u group%s", number,
                  ps->group_total, ps->group_total == 1 ? "" : "s");
    return NULL;
  }

  if (ps->ignore_case) {
    /* The runtime compares captured bytes exactly and has no case folding tables. */
    re_parse_fail(ps, start, "backreference '\\%u' in case-insensitive mode is not supported", number);
    return NULL;
  }
  re_node *node = re_ast_node(ps->ast, RE_NODE_BACKREF, start);
  if (!node) return NULL;
  node->capture = number;
  node->ignore_case = ps->ignore_case;
  ps->ast->has_backref = 1;
  return node;
}

/* \k<name> is checked like a group name, then rejected: backreferences are
 * by number only. */
static re_node *read_named_backreference(re_parser *ps, size_t start) {
  size_t name_offset = ps->pos + 2;
  const char *close = memchr(ps->text + name_offset, '>', ps->len - name_offset);

  if (!close) {
    re_parse_fail(ps, start, "invalid group name: missing '>'");
    return NULL;
  }
  size_t name_len = (size_t)(close - ps->text) - name_offset;
  if (re_parse_check_name(ps, name_offset, name_len) < 0) return NULL;

  re_parse_fail(ps, start, "named backreference '\\k<%.*s>' is not supported; refer to the "
                "group by number", (int)name_len, ps->text + name_offset);
  return NULL;
}

re_node *re_parse_escape(re_parser *ps) {
  size_t start = ps->pos;
  uint32_t code;

  ps->pos++;
  if (ps->pos >= ps->len) {
    re_parse_fail(ps, start, "pattern ends with a backslash");
    return NULL;
  }

  char c = ps->text[ps->pos];
  switch (c) {
  /* Under (?i) ECMA-262 counts U+017F and U+212A as word characters for
   * \b and \B too, as for \w. */
  case 'b':
    ps->pos++;
    return assert_node(ps, ps->ignore_case ? CFGATE_RE_ASSERT_WORD_IGNORE_CASE : CFGATE_RE_ASSERT_WORD, start);
  case 'B':
    ps->pos++;
    return assert_node(ps, ps->ignore_case ? CFGATE_RE_ASSERT_NOT_WORD_IGNORE_CASE : CFGATE_RE_ASSERT_NOT_WORD,
                       start);
  case 'A': ps->pos++; return assert_node(ps, CFGATE_RE_ASSERT_BEGIN, start);
  case 'z': ps->pos++; return assert_node(ps, CFGATE_RE_ASSERT_END, start);
  case 'Z': ps->pos++; return assert_node(ps, CFGATE_RE_ASSERT_END_NEWLINE, start);
  default: break;
  }

  if (c >= '1' && c <= '9') return read_backreference(ps, start);
  if (c == 'k' && ps->pos + 1 < ps->len && ps->text[ps->pos + 1] == '<') {
    return read_named_backreference(ps, start);
  }

  re_node *node = re_ast_node(ps->ast, RE_NODE_CLASS, start);
  if (!node) return NULL;
  int handled = read_class_escape(ps, &node->set);
  if (handled < 0) return NULL;
  if (handled > 0) {
    re_charset_normalize(&node->set);
    return node;
  }

  handled = read_char_escape(ps, 0, &code);
  if (handled < 0) return NULL;
  if (handled == 0 && read_identity_escape(ps, &code) < 0) return NULL;
  return re_parse_literal_node(ps, code, start);
}

/* One class member: a code point (returns 1) or a set added to *set (returns 2). */
static int read_class_atom(re_parser *ps, re_charset *set, uint32_t *code) {
  size_t start = ps->pos;

  if (ps->text[ps->pos] != '\\') {
    /* In a template pattern "${!" is the text "${" in a class too: the '!'
     * is dropped below. */
    if (ps->options->placeholder_id && ps->pos + 2 < ps->len &&
        memcmp(ps->text + ps->pos, "${!", 3) == 0)
      ps->skip_bang = ps->pos + 2;
    if (re_parse_code_point(ps, code) < 0) return re_parse_fail(ps, start, "invalid UTF-8 in pattern");
    return 1;
  }

  ps->pos++;
  if (ps->pos >= ps->len) return re_parse_fail(ps, start, "pattern ends with a backslash");
  int handled = read_class_escape(ps, set);
  if (handled != 0) return handled < 0 ? -1 : 2;
  handled = read_char_escape(ps, 1, code);
  if (handled != 0) return handled < 0 ? -1 : 1;
  if (ps->text[ps->pos] == '-') {
    ps->pos++;
    *code = '-';
    return 1;
  }
  if (read_identity_escape(ps, code) < 0) return -1;
  return 1;
}

/* Adds one member or range of a class; ps->pos is at the member. */
static int read_class_range(re_parser *ps, re_charset *set) {
  size_t start = ps->pos;
  uint32_t low = 0, high = 0;

  int first = read_class_atom(ps, set, &low);
  if (first < 0) return -1;
  int is_range = ps->pos + 1 < ps->len && ps->text[ps->pos] == '-' && ps->text[ps->pos + 1] != ']';
  if (!is_range) return first == 1 ? re_charset_add(set, low, low) : 0;

  ps->pos++;
  int second = read_class_atom(ps, set, &high);
  if (second < 0) return -1;
  if (first == 2 || second == 2) {
    /* A class escape on either side makes the '-' a literal, as in Annex B. */
    re_parse_nonstandard(ps, start, ps->pos - start,
                         "'%.*s' is a range with a class escape, which ECMA-262 rejects with the "
                         "u flag; cfgate reads the '-' as a literal: write '\\-' for it",
                         (int)(ps->pos - start), ps->text + start);
    if (first == 1 && re_charset_add(set, low, low) < 0) return -1;
    if (second == 1 && re_charset_add(set, high, high) < 0) return -1;
    return re_charset_add(set, '-', '-');
  }
  if (low > high) return re_parse_fail(ps, start, "invalid class range: U+%04X is above U+%04X", low, high);
  return re_charset_add(set, low, high);
}

re_node *re_parse_class(re_parser *ps) {
  size_t start = ps->pos;
  re_node *node = re_ast_node(ps->ast, RE_NODE_CLASS, start);
  int negate = 0;

  if (!node) return NULL;
  ps->pos++;
  if (ps->pos < ps->len && ps->text[ps->pos] == '^') {
    negate = 1;
    ps->pos++;
  }

  while (ps->pos < ps->len && ps->text[ps->pos] != ']') {
    if (ps->pos == ps->skip_bang && ps->text[ps->pos] == '!') {
      ps->pos++;
      continue;
    }
    if (read_class_range(ps, &node->set) < 0) return NULL;
  }
  if (ps->pos >= ps->len) {
    re_parse_fail(ps, start, "unterminated character class: missing ']'");
    return NULL;
  }
  ps->pos++;

  if (ps->ignore_case && re_charset_fold_case(&node->set) < 0) return NULL;
  if (negate && re_charset_negate(&node->set) < 0) return NULL;
  re_charset_normalize(&node->set);
  return node;
}
