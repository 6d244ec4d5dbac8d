/* Pattern rewriting for the PCRE2 oracle of the differential test. */
#include "pcre2_dialect.h"

#include <stdio.h>
#include <string.h>

#define WORD_SET "A-Za-z0-9_"
#define SPACE_SET "\\t-\\r \\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}\\x{feff}"
#define NOT_DIGIT_SET "\\x{0}-/:-\\x{10ffff}"
#define NOT_WORD_SET "\\x{0}-/:-@\\[-\\^`{-\\x{10ffff}"
#define NOT_SPACE_SET "\\x{0}-\\x{8}\\x{e}-\\x{1f}!-\\x{9f}\\x{a1}-\\x{167f}\\x{1681}-\\x{1fff}\\x{200b}-\\x{2027}" \
                      "\\x{202a}-\\x{202e}\\x{2030}-\\x{205e}\\x{2060}-\\x{2fff}\\x{3001}-\\x{fefe}\\x{ff00}-\\x{10ffff}"
#define WORD_BOUNDARY "(?:(?<=[" WORD_SET "])(?![" WORD_SET "])|(?<![" WORD_SET "])(?=[" WORD_SET "]))"
#define NOT_WORD_BOUNDARY "(?:(?<=[" WORD_SET "])(?=[" WORD_SET "])|(?<![" WORD_SET "])(?![" WORD_SET "]))"

static int put(re_text *out, const char *s) {
  return re_text_append(out, s, strlen(s));
}

static int put_byte(re_text *out, char c) {
  return re_text_append(out, &c, 1);
}

/* The set text of a class escape letter, for use inside brackets. */
static const char *escape_set(char letter) {
  switch (letter) {
  case 'd': return "0-9";
  case 'D': return NOT_DIGIT_SET;
  case 'w': return WORD_SET;
  case 'W': return NOT_WORD_SET;
  case 's': return SPACE_SET;
  case 'S': return NOT_SPACE_SET;
  default: return NULL;
  }
}

static int hex4(const char *p, size_t len, size_t at, unsigned *value) {
  char digits[5] = {0};
  if (at + 4 > len) return 0;
  memcpy(digits, p + at, 4);
  return sscanf(digits, "%4x", value) == 1;
}

static int is_surrogate_escape(const char *p, size_t len, size_t at) {
  unsigned value;
  return at + 1 < len && p[at] == '\\' && p[at + 1] == 'u' && hex4(p, len, at + 2, &value) && value >= 0xD800 &&
         value <= 0xDFFF;
}

/* A '-' after a class escape inside brackets is a literal in the dialect; PCRE2 needs it escaped. */
static int escape_following_hyphen(const char *p, size_t len, size_t *i, int in_class, re_text *out) {
  if (!in_class || *i + 1 >= len || p[*i] != '-' || p[*i + 1] == ']') return 0;
  (*i)++;
  return put(out, "\\-");
}

/* Surrogate code points never occur in UTF-8 text, and PCRE2 rejects them:
 * a surrogate member or a surrogate-to-surrogate range is dropped. */
static int skip_surrogates(const char *p, size_t len, size_t *i, re_text *out) {
  if (!is_surrogate_escape(p, len, *i)) return 0;
  *i += 6;
  int range = *i + 1 < len && p[*i] == '-' && is_surrogate_escape(p, len, *i + 1);
  unsigned high = 0, low = 0;
  int to_pair = range && hex4(p, len, *i + 3, &high) && high >= 0xD800 && high <= 0xDBFF && *i + 8 < len &&
                p[*i + 7] == '\\' && p[*i + 8] == 'u' && hex4(p, len, *i + 9, &low) && low >= 0xDC00 && low <= 0xDFFF;
  if (to_pair) {
    /* A range from a surrogate to an astral pair starts, in UTF-8 terms, at U+E000. */
    return put(out, "\\x{e000}") < 0 ? -1 : 1;
  }
  if (range) *i += 7;
  return 1;
}

/* Translates the escape at pattern[*i] == '\\'; in_class selects the bracket form. */
static int translate_escape(const char *p, size_t len, size_t *i, int in_class, re_text *out) {
  char letter = *i + 1 < len ? p[*i + 1] : 0;
  const char *set = escape_set(letter);
  char buffer[32];

  unsigned high, low;
  if (letter == 'u' && hex4(p, len, *i + 2, &high) && high >= 0xD800 && high <= 0xDBFF && *i + 7 < len &&
      p[*i + 6] == '\\' && p[*i + 7] == 'u' && hex4(p, len, *i + 8, &low) && low >= 0xDC00 && low <= 0xDFFF) {
    /* A surrogate pair escape is one astral code point, as with the ECMA-262 u flag. */
    snprintf(buffer, sizeof buffer, "\\x{%x}", 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00));
    *i += 12;
    return put(out, buffer);
  }
  int skipped = in_class ? skip_surrogates(p, len, i, out) : 0;
  if (skipped != 0) return skipped < 0 ? -1 : 0;
  if (len - *i >= 9 && memcmp(p + *i, "\\p{Graph}", 9) == 0) {
    set = "!-~"; /* java.util.regex POSIX class, ASCII only */
    *i += 7;
  }
  if (set) {
    *i += 2;
    if (in_class) return put(out, set) || escape_following_hyphen(p, len, i, in_class, out);
    return put(out, "[") || put(out, set) || put(out, "]");
  }
  if ((letter == 'p' || letter == 'P') && in_class) {
    const char *close = memchr(p + *i, '}', len - *i);
    size_t end = close ? (size_t)(close - p) + 1 : len;
    if (re_text_append(out, p + *i, end - *i) < 0) return -1;
    *i = end;
    return escape_following_hyphen(p, len, i, in_class, out);
  }
  if (!in_class && (letter == 'b' || letter == 'B')) {
    *i += 2;
    return put(out, letter == 'b' ? WORD_BOUNDARY : NOT_WORD_BOUNDARY);
  }
  if (letter == 'u' && *i + 5 < len && p[*i + 2] != '{') {
    snprintf(buffer, sizeof buffer, "\\x{%.4s}", p + *i + 2);
    *i += 6;
    return put(out, buffer);
  }
  if (put_byte(out, p[(*i)++]) < 0) return -1;
  if (*i < len) return put_byte(out, p[(*i)++]);
  return 0;
}

/* Returns the end of a stacked quantifier "{m,n}" with m <= 1 at p[i] that
 * follows '*', '+' or '$' (a no-op in the dialect, an error in PCRE2), or i. */
static size_t skip_stacked_quantifier(const char *p, size_t len, size_t i) {
  unsigned min, max;
  int end = 0;

  if (i == 0 || i + 1 >= len || p[i] != '{' || (p[i - 1] != '*' && p[i - 1] != '+' && p[i - 1] != '$')) return i;
  if (i >= 2 && p[i - 2] == '\\') return i;
  if (sscanf(p + i, "{%u,%u}%n", &min, &max, &end) < 2 || end == 0 || min > 1) return i;
  return i + (size_t)end;
}

int pcre2_dialect_translate(const char *p, size_t len, re_text *out) {
  int in_class = 0, dot_all = len >= 4 && memcmp(p, "(?s)", 4) == 0;

  if (put(out, "") < 0) return -1;
  for (size_t i = 0; i < len;) {
    char c = p[i];
    if (c == '\\') {
      if (translate_escape(p, len, &i, in_class, out) < 0) return -1;
      continue;
    }
    size_t after = in_class ? i : skip_stacked_quantifier(p, len, i);
    if (after != i) {
      i = after;
      continue;
    }
    if (!in_class && c == '.' && !dot_all) {
      if (put(out, "[^\\n\\r\\x{2028}\\x{2029}]") < 0) return -1;
      i++;
      continue;
    }
    if (!in_class && c == '[') {
      in_class = 1;
      if (put_byte(out, p[i++]) < 0) return -1;
      if (i < len && p[i] == '^' && put_byte(out, p[i++]) < 0) return -1;
      continue;
    }
    if (in_class && c == ']') in_class = 0;
    if (put_byte(out, p[i++]) < 0) return -1;
  }
  return 0;
}
