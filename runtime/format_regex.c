/*
 * "regex": ECMA-262 regular expression syntax without flags, with the web
 * compatibility grammar of its Annex B.1.2: a '{', '}' or ']' that starts no
 * quantifier or class is a literal, and an escaped character that is not an
 * ASCII letter stands for itself. It rejects what that grammar rejects (a
 * quantifier with nothing to repeat, {n,m} with n > m, unbalanced groups,
 * unterminated classes, class ranges out of order, unknown group syntax, a
 * trailing backslash) and escapes of letters that ECMA-262 does not define.
 * Only the syntax is checked, never a match.
 */
#include "format.h"
#include "utf8.h"

#include <stdint.h>
#include <string.h>

/* Maximum nesting of groups the checker follows; deeper patterns are invalid. */
#define FORMAT_REGEX_MAX_DEPTH 256

typedef struct regex_reader {
  const char *text;
  size_t len;
  size_t at;
  int depth;
} regex_reader;

static int is_digit(char c) {
  return c >= '0' && c <= '9';
}

static int peek(const regex_reader *r, size_t ahead, char c) {
  return r->at + ahead < r->len && r->text[r->at + ahead] == c;
}

/* Reads decimal digits into *value (saturating); returns how many it read. */
static size_t read_number(regex_reader *r, uint32_t *value) {
  size_t start = r->at;

  for (*value = 0; r->at < r->len && is_digit(r->text[r->at]); r->at++)
    *value = *value > 100000000u ? *value : *value * 10 + (uint32_t)(r->text[r->at] - '0');
  return r->at - start;
}

/* Braced quantifier {n}, {n,} or {n,m} at r->at. Returns 1 and moves past
 * it, 0 when the brace is a literal, -1 when n > m. */
static int read_braces(regex_reader *r) {
  size_t start = r->at;
  uint32_t low, high;

  r->at++;
  if (read_number(r, &low) == 0)
    goto literal;
  high = low;
  if (peek(r, 0, ',')) {
    r->at++;
    if (read_number(r, &high) == 0)
      high = UINT32_MAX;
  }
  if (!peek(r, 0, '}'))
    goto literal;
  r->at++;
  return low <= high ? 1 : -1;

literal:
  r->at = start;
  return 0;
}

/* Quantifier after an atom, with its optional lazy '?'. Returns 0 on
 * n > m. */
static int read_quantifier(regex_reader *r) {
  char c = r->at < r->len ? r->text[r->at] : '\0';

  if (c == '*' || c == '+' || c == '?') {
    r->at++;
  } else if (c == '{') {
    int braces = read_braces(r);

    if (braces <= 0)
      return braces == 0;
  } else {
    return 1;
  }
  if (peek(r, 0, '?'))
    r->at++;
  return 1;
}

static int hex_digit(char c) {
  if (is_digit(c))
    return c - '0';
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
    return (c | 0x20) - 'a' + 10;
  return -1;
}

/* Reads count hex digits after r->at into *value, moving past them, or
 * leaves r->at alone and returns 0 when they are not all there. */
static int read_hex(regex_reader *r, int count, int64_t *value) {
  int64_t v = 0;

  if (r->at + (size_t)count > r->len)
    return 0;
  for (int i = 0; i < count; i++) {
    int digit = hex_digit(r->text[r->at + (size_t)i]);

    if (digit < 0)
      return 0;
    v = v * 16 + digit;
  }
  r->at += (size_t)count;
  *value = v;
  return 1;
}

/* Reads the code point at r->at, which must be valid UTF-8. */
static int read_code_point(regex_reader *r, int64_t *value) {
  uint32_t cp;
  size_t n = utf8_decode(r->text + r->at, r->len - r->at, &cp);

  if (n == 0)
    return 0;
  r->at += n;
  *value = cp;
  return 1;
}

/* An ASCII letter that is no escape of ECMA-262. Annex B reads \a as "a",
 * but the JSON Schema Test Suite expects "format": "regex" to reject it, so
 * this checker rejects it. */
static int is_reserved_letter(char c) {
  int letter = (c | 0x20) >= 'a' && (c | 0x20) <= 'z';

  return letter && strchr("bBdDsSwWtnvfrcxukpP", c) == NULL;
}

/* The escape after a backslash inside a class; -1 for \d \D \s \S \w \W,
 * which stand for sets and cannot bound a range. */
static int read_class_escape(regex_reader *r, int64_t *value) {
  char c = r->text[r->at];

  switch (c) {
  case 'd': case 'D': case 's': case 'S': case 'w': case 'W':
    r->at++;
    *value = -1;
    return 1;
  case 'b': r->at++; *value = 0x08; return 1;
  case 't': r->at++; *value = '\t'; return 1;
  case 'n': r->at++; *value = '\n'; return 1;
  case 'v': r->at++; *value = '\v'; return 1;
  case 'f': r->at++; *value = '\f'; return 1;
  case 'r': r->at++; *value = '\r'; return 1;
  case '0': r->at++; *value = 0; return 1;
  case 'x':
    r->at++;
    if (read_hex(r, 2, value))
      return 1;
    *value = 'x';
    return 1;
  case 'u':
    r->at++;
    if (read_hex(r, 4, value))
      return 1;
    *value = 'u';
    return 1;
  default:
    if (is_reserved_letter(c))
      return 0;
    return read_code_point(r, value);
  }
}

static int read_class_atom(regex_reader *r, int64_t *value) {
  if (r->text[r->at] != '\\')
    return read_code_point(r, value);
  r->at++;
  if (r->at >= r->len)
    return 0;
  return read_class_escape(r, value);
}

/* CharacterClass: "[" "^"? ranges "]", with r->at after the "[". */
static int read_class(regex_reader *r) {
  if (peek(r, 0, '^'))
    r->at++;

  while (r->at < r->len && r->text[r->at] != ']') {
    int64_t low, high;

    if (!read_class_atom(r, &low))
      return 0;
    if (!peek(r, 0, '-') || peek(r, 1, ']') || r->at + 1 >= r->len)
      continue;
    r->at++;
    if (!read_class_atom(r, &high))
      return 0;
    if (low >= 0 && high >= 0 && low > high)
      return 0;
  }
  if (r->at >= r->len)
    return 0;
  r->at++;
  return 1;
}

static int read_disjunction(regex_reader *r);

/* Group after "(": "?:", "?=", "?!", "?<=", "?<!", "?<name>" or a plain
 * capturing group, then a disjunction and ")". Sets *quantifiable to 0 for
 * lookbehinds. */
static int read_group(regex_reader *r, int *quantifiable) {
  *quantifiable = 1;
  if (peek(r, 0, '?')) {
    r->at++;
    if (peek(r, 0, ':') || peek(r, 0, '=') || peek(r, 0, '!')) {
      r->at++;
    } else if (peek(r, 0, '<') && (peek(r, 1, '=') || peek(r, 1, '!'))) {
      r->at += 2;
      *quantifiable = 0;
    } else if (peek(r, 0, '<')) {
      size_t start = ++r->at;

      while (r->at < r->len && r->text[r->at] != '>' && (r->text[r->at] == '_' || r->text[r->at] == '$' ||
             ((r->text[r->at] | 0x20) >= 'a' && (r->text[r->at] | 0x20) <= 'z') ||
             (r->at > start && is_digit(r->text[r->at]))))
        r->at++;
      if (r->at == start || !peek(r, 0, '>'))
        return 0;
      r->at++;
    } else {
      return 0;
    }
  }

  if (++r->depth > FORMAT_REGEX_MAX_DEPTH || !read_disjunction(r) || !peek(r, 0, ')'))
    return 0;
  r->depth--;
  r->at++;
  return 1;
}

/* Escape outside a class, after the backslash. \b and \B are assertions. */
static int read_atom_escape(regex_reader *r, int *quantifiable) {
  int64_t value;

  if (r->at >= r->len)
    return 0;
  *quantifiable = !(r->text[r->at] == 'b' || r->text[r->at] == 'B');
  if (!*quantifiable) {
    r->at++;
    return 1;
  }
  return read_class_escape(r, &value);
}

/* One term: an assertion, or an atom and its optional quantifier. */
static int read_term(regex_reader *r) {
  char c = r->text[r->at];
  int quantifiable = 1;

  r->at++;
  switch (c) {
  case '^':
  case '$':
    quantifiable = 0;
    break;
  case '*':
  case '+':
  case '?':
    return 0;
  case '{':
    r->at--;
    if (read_braces(r) != 0)
      return 0;
    r->at++;
    break;
  case '\\':
    if (!read_atom_escape(r, &quantifiable))
      return 0;
    break;
  case '[':
    if (!read_class(r))
      return 0;
    break;
  case '(':
    if (!read_group(r, &quantifiable))
      return 0;
    break;
  default:
    r->at--;
    {
      int64_t value;

      if (!read_code_point(r, &value))
        return 0;
    }
    break;
  }

  if (!quantifiable) {
    char next = r->at < r->len ? r->text[r->at] : '\0';

    return !(next == '*' || next == '+' || next == '?' || (next == '{' && read_braces(r) != 0));
  }
  return read_quantifier(r);
}

/* Disjunction: alternatives separated by "|", up to ")" or the end. */
static int read_disjunction(regex_reader *r) {
  while (r->at < r->len && r->text[r->at] != ')') {
    if (r->text[r->at] == '|') {
      r->at++;
      continue;
    }
    if (!read_term(r))
      return 0;
  }
  return 1;
}

int format_is_regex(const char *text, size_t len) {
  regex_reader r = {text, len, 0, 0};

  return read_disjunction(&r) && r.at == len;
}
