/*
 * Code point sets: insertion, normalization, complement, case closure and
 * the ECMA-262 class escapes.
 */
#include "re_charset.h"

#include <stdlib.h>
#include <string.h>

#include "re_unicode.h"

int re_charset_add(re_charset *set, uint32_t low, uint32_t high) {
  if (set->count == set->capacity) {
    size_t capacity = set->capacity ? set->capacity * 2 : 8;
    uint32_t *ranges = realloc(set->ranges, capacity * 2 * sizeof *ranges);
    if (!ranges) return -1;
    set->ranges = ranges;
    set->capacity = capacity;
  }

  set->ranges[2 * set->count] = low;
  set->ranges[2 * set->count + 1] = high;
  set->count++;
  set->normalized = 0;
  return 0;
}

int re_charset_add_set(re_charset *set, const re_charset *other) {
  for (size_t i = 0; i < other->count; i++) {
    if (re_charset_add(set, other->ranges[2 * i], other->ranges[2 * i + 1]) < 0) return -1;
  }
  return 0;
}

int re_charset_contains(const re_charset *outer, const re_charset *inner) {
  size_t o = 0;

  if (!outer->normalized || !inner->normalized) return 0;
  for (size_t i = 0; i < inner->count; i++) {
    uint32_t low = inner->ranges[2 * i], high = inner->ranges[2 * i + 1];
    while (o < outer->count && outer->ranges[2 * o + 1] < low) o++;
    if (o == outer->count || outer->ranges[2 * o] > low || outer->ranges[2 * o + 1] < high) return 0;
  }
  return 1;
}

static int compare_ranges(const void *a, const void *b) {
  const uint32_t *x = a, *y = b;
  if (x[0] != y[0]) return x[0] < y[0] ? -1 : 1;
  return (x[1] > y[1]) - (x[1] < y[1]);
}

void re_charset_normalize(re_charset *set) {
  if (set->normalized) return;
  set->normalized = 1;
  if (set->count == 0) return;
  qsort(set->ranges, set->count, 2 * sizeof *set->ranges, compare_ranges);

  size_t out = 0;
  for (size_t i = 0; i < set->count; i++) {
    uint32_t low = set->ranges[2 * i], high = set->ranges[2 * i + 1];
    if (out > 0 && low <= set->ranges[2 * out - 1] + 1) {
      if (high > set->ranges[2 * out - 1]) set->ranges[2 * out - 1] = high;
      continue;
    }
    set->ranges[2 * out] = low;
    set->ranges[2 * out + 1] = high;
    out++;
  }
  set->count = out;
  set->normalized = 1;
}

int re_charset_negate(re_charset *set) {
  re_charset result = {0};
  uint32_t next = 0;

  re_charset_normalize(set);
  for (size_t i = 0; i < set->count; i++) {
    uint32_t low = set->ranges[2 * i], high = set->ranges[2 * i + 1];
    if (low > next && re_charset_add(&result, next, low - 1) < 0) goto fail;
    next = high + 1;
  }
  if (next <= RE_MAX_CODE_POINT && re_charset_add(&result, next, RE_MAX_CODE_POINT) < 0) goto fail;

  re_charset_free(set);
  *set = result;
  set->normalized = 1;
  return 0;

fail:
  re_charset_free(&result);
  return -1;
}

static int charset_contains(const re_charset *set, uint32_t c) {
  size_t low = 0, high = set->count;
  while (low < high) {
    size_t mid = (low + high) / 2;
    if (c < set->ranges[2 * mid]) {
      high = mid;
    } else if (c > set->ranges[2 * mid + 1]) {
      low = mid + 1;
    } else {
      return 1;
    }
  }
  return 0;
}

/* Case closure: a code point joins when it or its folding is in the set, and
 * then every code point with the same folding joins too. */
int re_charset_fold_case(re_charset *set) {
  const uint32_t *pairs = re_unicode_case_folding;
  size_t count = re_unicode_case_folding_count;
  re_charset folded = {0};

  re_charset_normalize(set);
  for (size_t i = 0; i < count; i++) {
    uint32_t c = pairs[2 * i], f = pairs[2 * i + 1];
    if ((charset_contains(set, c) || charset_contains(set, f)) && re_charset_add(&folded, f, f) < 0) goto fail;
  }
  re_charset_normalize(&folded);
  for (size_t i = 0; i < count; i++) {
    uint32_t c = pairs[2 * i], f = pairs[2 * i + 1];
    if (charset_contains(&folded, f) && re_charset_add(set, c, c) < 0) goto fail;
  }
  if (re_charset_add_set(set, &folded) < 0) goto fail;
  re_charset_free(&folded);
  re_charset_normalize(set);
  return 0;

fail:
  re_charset_free(&folded);
  return -1;
}

/* ECMA-262 WhiteSpace and LineTerminator code points, the members of \s. */
static const uint32_t space_ranges[] = {
    0x09, 0x0D, 0x20, 0x20, 0xA0, 0xA0, 0x1680, 0x1680, 0x2000, 0x200A, 0x2028, 0x2029,
    0x202F, 0x202F, 0x205F, 0x205F, 0x3000, 0x3000, 0xFEFF, 0xFEFF};

int re_charset_add_escape(re_charset *set, char letter) {
  switch (letter) {
  case 'd':
    return re_charset_add(set, '0', '9');
  case 'w':
    if (re_charset_add(set, '0', '9') < 0 || re_charset_add(set, 'A', 'Z') < 0) return -1;
    if (re_charset_add(set, '_', '_') < 0) return -1;
    return re_charset_add(set, 'a', 'z');
  default:
    for (size_t i = 0; i < sizeof space_ranges / sizeof *space_ranges; i += 2) {
      if (re_charset_add(set, space_ranges[i], space_ranges[i + 1]) < 0) return -1;
    }
    return 0;
  }
}

/* Writes the loose form of name (lower case, without space, '_' and '-'). */
static size_t loose_name(const char *name, size_t len, char *out, size_t size) {
  size_t n = 0;
  for (size_t i = 0; i < len && n + 1 < size; i++) {
    char c = name[i];
    if (c == ' ' || c == '_' || c == '-') continue;
    out[n++] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
  }
  out[n] = '\0';
  return n;
}

static const re_unicode_name *find_name(const char *loose, int kind) {
  for (size_t i = 0; i < re_unicode_name_count; i++) {
    const re_unicode_name *entry = &re_unicode_names[i];
    if ((kind < 0 || entry->is_script == kind) && strcmp(entry->name, loose) == 0) return entry;
  }
  return NULL;
}

/* Splits "sc=Latin" style names into a kind (-1 any, 0 category, 1 script) and a value. */
static const char *split_property(const char *loose, int *kind) {
  static const struct { const char *prefix; int kind; } prefixes[] = {
      {"generalcategory=", 0}, {"gc=", 0}, {"script=", 1}, {"sc=", 1}};

  *kind = -1;
  for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++) {
    size_t n = strlen(prefixes[i].prefix);
    if (strncmp(loose, prefixes[i].prefix, n) == 0) {
      *kind = prefixes[i].kind;
      return loose + n;
    }
  }
  return loose;
}

/* POSIX classes in Java's \p{Name} form, ASCII only as in java.util.regex. */
static const struct {
  const char *name;
  const char *ranges; /* pairs of inclusive bytes */
} posix_classes[] = {
    {"lower", "az"}, {"upper", "AZ"}, {"ascii", "\x01\x7f"}, {"alpha", "azAZ"}, {"digit", "09"},
    {"alnum", "az" "AZ" "09"}, {"punct", "!/:@[`{~"}, {"graph", "!~"}, {"print", " ~"},
    {"blank", "  \t\t"}, {"cntrl", "\x01\x1f\x7f\x7f"}, {"xdigit", "09afAF"}, {"space", "\t\r  "}};

static int add_posix_class(re_charset *set, const char *loose) {
  for (size_t i = 0; i < sizeof posix_classes / sizeof *posix_classes; i++) {
    if (strcmp(loose, posix_classes[i].name) != 0) continue;
    const char *r = posix_classes[i].ranges;
    for (; r[0] && r[1]; r += 2) {
      if (re_charset_add(set, (unsigned char)r[0], (unsigned char)r[1]) < 0) return -1;
    }
    if (strcmp(loose, "ascii") == 0 && re_charset_add(set, 0, 0) < 0) return -1;
    return 1;
  }
  return 0;
}

/* Names that ECMA-262 reads as a Unicode binary property and Java as an
 * ASCII POSIX class, with what to write instead. Either reading would let
 * some strings through that the other rejects, so both are rejected. */
static const struct {
  const char *name;
  const char *reason;
} ambiguous_names[] = {
    {"alpha", "ECMA-262 reads it as Unicode Alphabetic and Java as [A-Za-z]; write \\p{L} or "
              "[A-Za-z]"},
    {"lower", "ECMA-262 reads it as Unicode Lowercase and Java as [a-z]; write \\p{Ll} or [a-z]"},
    {"upper", "ECMA-262 reads it as Unicode Uppercase and Java as [A-Z]; write \\p{Lu} or [A-Z]"},
    {"space", "ECMA-262 reads it as Unicode White_Space and Java as [\\t\\n\\x0B\\f\\r ]; "
              "write \\s or the class"},
    {"scriptextensions", "Script_Extensions is not supported; write Script=NAME"},
    {"scx", "Script_Extensions is not supported; write Script=NAME"}};

static const char *ambiguous_reason(const char *loose) {
  const char *equals = strchr(loose, '=');
  size_t n = equals ? (size_t)(equals - loose) : strlen(loose);
  for (size_t i = 0; i < sizeof ambiguous_names / sizeof *ambiguous_names; i++)
    if (strlen(ambiguous_names[i].name) == n && strncmp(loose, ambiguous_names[i].name, n) == 0)
      return ambiguous_names[i].reason;
  return NULL;
}

int re_charset_add_property(re_charset *set, const char *name, size_t len, const char **rejected) {
  char loose[96];
  int kind;

  *rejected = NULL;
  if (len >= sizeof loose) return 0;
  loose_name(name, len, loose, sizeof loose);
  *rejected = ambiguous_reason(loose);
  if (*rejected) return 0;
  const char *value = split_property(loose, &kind);
  const re_unicode_name *entry = find_name(value, kind);
  if (!entry && kind < 0 && strncmp(value, "is", 2) == 0) entry = find_name(value + 2, -1);
  if (!entry && strcmp(value, "any") == 0) return re_charset_add(set, 0, RE_MAX_CODE_POINT) < 0 ? -1 : 1;
  if (!entry && kind < 0 && strcmp(value, "digit") != 0) return add_posix_class(set, value);
  if (!entry) return 0;

  const re_unicode_set *found = &re_unicode_sets[entry->set];
  for (uint32_t i = 0; i < found->count; i++) {
    const uint32_t *range = &re_unicode_ranges[2 * (found->first + i)];
    if (re_charset_add(set, range[0], range[1]) < 0) return -1;
  }
  return 1;
}

void re_charset_free(re_charset *set) {
  free(set->ranges);
  set->ranges = NULL;
  set->count = set->capacity = 0;
}
