/*
 * The forms follow the bool, int and float types of the YAML 1.1 type
 * repository, read broadly. A text that some YAML 1.1 reader resolves to a
 * boolean or a number counts as one: 08 is a float for some readers and a
 * string for others, and some compare yes or true in any letter case.
 * Timestamps are left out: AWS's own template examples write an IAM
 * policy's Version: 2012-10-17 unquoted, and IAM accepts only that string.
 */
#include "template_yaml11.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

typedef struct cursor {
  const char *p, *end;
} cursor;

static int at_end(const cursor *c) { return c->p == c->end; }

static int next_is(const cursor *c, char ch) { return c->p < c->end && *c->p == ch; }

static int is_digit(char ch) { return ch >= '0' && ch <= '9'; }

static int is_hex(char ch) {
  return is_digit(ch) || (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F');
}

/* Skips the characters digit() accepts, and '_' when underscores is set.
 * Returns how many it skipped. */
static size_t skip_digits(cursor *c, int (*digit)(char), int underscores) {
  const char *start = c->p;
  while (c->p < c->end && (digit(*c->p) || (underscores && *c->p == '_')))
    c->p++;
  return (size_t)(c->p - start);
}

static void skip_sign(cursor *c) {
  if (next_is(c, '-') || next_is(c, '+'))
    c->p++;
}

static int is_binary_digit(char ch) { return ch == '0' || ch == '1'; }

static int is_octal_digit(char ch) { return ch >= '0' && ch <= '7'; }

static int is_one_of(const char *text, size_t len, const char *const *words) {
  for (; *words; words++)
    if (strlen(*words) == len && memcmp(*words, text, len) == 0)
      return 1;
  return 0;
}

static char lower(char ch) { return ch >= 'A' && ch <= 'Z' ? (char)(ch - 'A' + 'a') : ch; }

/* Compares text with a lower-case word in any letter case. */
static int is_word(const char *text, size_t len, const char *word) {
  if (strlen(word) != len)
    return 0;
  for (size_t i = 0; i < len; i++)
    if (lower(text[i]) != word[i])
      return 0;
  return 1;
}

/* Skips ":ss" groups of a base 60 number (1:30, 190:20:30). Returns 1 when
 * at least one was there, else 0 with the cursor where it was. */
static int skip_base60(cursor *c) {
  const char *start = c->p;
  int groups = 0;
  while (next_is(c, ':')) {
    c->p++;
    if (c->p < c->end && *c->p >= '0' && *c->p <= '5' && c->p + 1 < c->end && is_digit(c->p[1]))
      c->p++;
    if (!(c->p < c->end && is_digit(*c->p))) {
      c->p = start;
      return 0;
    }
    c->p++;
    groups++;
  }
  return groups > 0;
}

/* 0b1010, 0x1F, 0777 (octal), 1_000, 190:20:30 (base 60). */
static int is_yaml11_int(const char *text, size_t len) {
  cursor c = {text, text + len};
  skip_sign(&c);
  if (c.end - c.p > 2 && c.p[0] == '0' && (c.p[1] == 'b' || c.p[1] == 'x')) {
    int hex = c.p[1] == 'x';
    c.p += 2;
    return skip_digits(&c, hex ? is_hex : is_binary_digit, 1) > 0 && at_end(&c);
  }
  if (next_is(&c, '0')) {
    skip_digits(&c, is_octal_digit, 1);
    return at_end(&c);
  }
  if (!(c.p < c.end && is_digit(*c.p)))
    return 0;
  skip_digits(&c, is_digit, 1);
  return at_end(&c) || (skip_base60(&c) && at_end(&c));
}

static void skip_exponent(cursor *c) {
  const char *start = c->p;
  if (!(next_is(c, 'e') || next_is(c, 'E')))
    return;
  c->p++;
  skip_sign(c);
  if (skip_digits(c, is_digit, 0) == 0)
    c->p = start;
}

/* 1.5, .5, 1., 08, 1_000.5, 6.8523015e+5, 190:20:30.15, .inf, .NaN. */
static int is_yaml11_float(const char *text, size_t len) {
  static const char *const specials[] = {".inf", ".Inf", ".INF", ".nan", ".NaN", ".NAN", NULL};
  cursor c = {text, text + len};
  skip_sign(&c);
  if (is_one_of(c.p, (size_t)(c.end - c.p), specials))
    return 1;

  const char *mantissa = c.p;
  skip_digits(&c, is_digit, 1);
  if (c.p > mantissa && skip_base60(&c) && !next_is(&c, '.'))
    return 0;
  if (next_is(&c, '.')) {
    c.p++;
    skip_digits(&c, is_digit, 1);
  }
  int has_digit = 0;
  for (const char *p = mantissa; p < c.p; p++)
    has_digit |= is_digit(*p);
  skip_exponent(&c);
  return has_digit && at_end(&c);
}

int template_yaml11_boolean(const char *text, size_t len, int *value) {
  static const char *const trues[] = {"y", "yes", "on", "true"};
  static const char *const falses[] = {"n", "no", "off", "false"};

  for (size_t i = 0; i < sizeof trues / sizeof trues[0]; i++) {
    if (is_word(text, len, trues[i]) || is_word(text, len, falses[i])) {
      *value = is_word(text, len, trues[i]);
      return 1;
    }
  }
  return 0;
}

int template_yaml11_boolean_agreed(const char *text, size_t len) {
  static const char *const words[] = {"yes", "Yes", "YES", "no",  "No",  "NO",
                                      "on",  "On",  "ON",  "off", "Off", "OFF", NULL};
  return is_one_of(text, len, words);
}

const char *template_yaml11_kind(const char *text, size_t len) {
  int value;
  if (template_yaml11_boolean(text, len, &value))
    return "boolean";
  if (is_yaml11_int(text, len) || is_yaml11_float(text, len))
    return "number";
  return NULL;
}

/* Digits a double keeps exactly; a decimal with more may be rounded. */
enum { YAML11_EXACT_DIGITS = 15 };

/* Java writes a double below 10^-3 or from 10^7 on in E notation. */
#define YAML11_PLAIN_MIN 1e-3
#define YAML11_PLAIN_MAX 1e7

int template_yaml11_number_rewritten(const char *text, size_t len) {
  const char *dot = memchr(text, '.', len);
  char copy[64];

  if (memchr(text, 'e', len) || memchr(text, 'E', len) || len >= sizeof copy)
    return 1;
  memcpy(copy, text, len);
  copy[len] = '\0';
  double value = fabs(strtod(copy, NULL));
  if (text[0] == '-' && value == 0)
    return 1; /* -0: readers drop the sign of a zero */
  if (!dot)
    return 0;

  size_t digits = 0;
  for (size_t i = 0; i < len; i++)
    digits += is_digit(text[i]) && (digits > 0 || text[i] != '0');
  size_t fraction = len - (size_t)(dot + 1 - text);
  if (digits > YAML11_EXACT_DIGITS || (fraction > 1 && text[len - 1] == '0'))
    return 1;
  return value != 0 && (value < YAML11_PLAIN_MIN || value >= YAML11_PLAIN_MAX);
}
