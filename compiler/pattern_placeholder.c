/*
 * Checks where placeholders stand in a pattern. A site is what
 * `cfgate instantiate` replaces: `${NAME}` for a known NAME, or the escape
 * `${!`, found left to right without regard to regex syntax. The scan below
 * tokenizes the pattern the way compiler/re/re_parse.c does, and checks the
 * regex context at each site.
 */
#include "pattern_placeholder.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "placeholder.h"
#include "re/re_compile.h"

/* Marks an offset that no token state refers to. */
#define PATTERN_NO_OFFSET SIZE_MAX

typedef struct placeholder_scan {
  pattern_placeholder_known known;
  pattern_placeholder_report report;
  void *data;
  const char *text;
  size_t len;
  int in_class;
  size_t brace_open;  /* offset of a literal '{' followed only by digits and commas */
  size_t decimal_start, decimal_end; /* the last decimal escape, such as \1 */
  int ignore_case;    /* 1 while (?i) is in effect */
  int saved_case[RE_MAX_NESTING + 1]; /* ignore_case at each open group */
  size_t depth;
  size_t errors;
} placeholder_scan;

/* Returns the length of the site at text[i], or 0 when there is none. The
 * test is the one placeholder_substitute() applies. */
static size_t scan_site_length(const placeholder_scan *scan, size_t i) {
  const char *text = scan->text;
  if (i + 2 >= scan->len || text[i] != '$' || text[i + 1] != '{')
    return 0;
  if (text[i + 2] == '!')
    return 3;

  size_t name_len = memchr(text + i + 2, '}', scan->len - i - 2) ? placeholder_name_length(text + i + 2) : 0;
  if (name_len == 0 || !scan->known(scan->data, text + i + 2, name_len))
    return 0;
  return name_len + 3;
}

static void scan_report(placeholder_scan *scan, size_t offset, size_t site_len, const char *message) {
  scan->report(scan->data, offset, site_len, message);
  scan->errors++;
}

/* Returns the length of a quantifier body "m}", "m,}" or "m,n}" at text[i],
 * or 0, as scan_braces() in re_parse.c reads it after a '{'. */
static size_t quantifier_body_length(const placeholder_scan *scan, size_t i) {
  size_t at = i;
  size_t digits = strspn(scan->text + at, "0123456789");
  if (digits == 0)
    return 0;
  at += digits;
  if (at < scan->len && scan->text[at] == ',') {
    at++;
    at += strspn(scan->text + at, "0123456789");
  }
  return at < scan->len && scan->text[at] == '}' ? at + 1 - i : 0;
}

/* Returns the length of the quantifier at text[i] ("*", "+", "?" or
 * "{m,n}"), or 0. */
static size_t quantifier_length(const placeholder_scan *scan, size_t i) {
  if (i >= scan->len)
    return 0;
  if (scan->text[i] == '*' || scan->text[i] == '+' || scan->text[i] == '?')
    return 1;
  if (scan->text[i] != '{')
    return 0;
  size_t body = quantifier_body_length(scan, i + 1);
  return body ? body + 1 : 0;
}

/* Checks the escape `${!`: the pattern engine reads `$`, a literal `{` and
 * drops the `!`, while instantiation writes `${` and lets the text after it
 * complete a quantifier such as `${1,128}`. */
static void check_escape_site(placeholder_scan *scan, size_t i) {
  if (scan->in_class) {
    scan_report(scan, i, 3, "'${!' inside a character class: the pattern engine reads '!' as a "
                "class member, but instantiation drops it; write '[${]' for '$' and '{'");
    return;
  }
  if (quantifier_body_length(scan, i + 3))
    scan_report(scan, i, 3, "'${!' before a repeat count: the pattern engine reads a literal "
                "'{', but instantiation writes a quantifier on '$'; write '\\$\\{' for the "
                "literal text '${'");
}

static void check_name_site(placeholder_scan *scan, size_t i, size_t site_len) {
  const char *site = scan->text + i;
  int len = (int)site_len;
  size_t quantifier = quantifier_length(scan, i + site_len);
  char message[1024];

  if (scan->in_class) {
    snprintf(message, sizeof message, "placeholder '%.*s' inside a character class: its value "
             "would be read as a set of characters; move it out of the brackets, as in "
             "'(?:%.*s|[a-z])'", len, site, len, site);
  } else if (scan->brace_open != PATTERN_NO_OFFSET) {
    snprintf(message, sizeof message, "placeholder '%.*s' inside '{...}': a value of digits and "
             "commas would turn the braces into a repeat count; write '\\{' and '\\}' for "
             "literal braces", len, site);
  } else if (scan->decimal_end == i) {
    int escape_len = (int)(i - scan->decimal_start);
    const char *escape = scan->text + scan->decimal_start;
    snprintf(message, sizeof message, "placeholder '%.*s' right after '%.*s': a value that starts "
             "with a digit would extend the escape; put the escape in a group, as in "
             "'(?:%.*s)%.*s'", len, site, escape_len, escape, escape_len, escape, len, site);
  } else if (scan->ignore_case) {
    snprintf(message, sizeof message, "placeholder '%.*s' under '(?i)': the pattern engine "
             "matches a value case-sensitively, but an instantiated pattern ignores case; end the "
             "flag before it, as in '(?i:abc)%.*s'", len, site, len, site);
  } else if (quantifier) {
    snprintf(message, sizeof message, "quantifier '%.*s' on placeholder '%.*s': after "
             "instantiation it would repeat the last character of the value only; put the "
             "placeholder in a group, as in '(%.*s)%.*s'", (int)quantifier, site + site_len, len,
             site, len, site, (int)quantifier, site + site_len);
  } else {
    return;
  }
  scan_report(scan, i, site_len, message);
}

/* Checks the site at text[i] and returns its length. */
static size_t check_site(placeholder_scan *scan, size_t i, size_t site_len) {
  if (site_len == 3 && scan->text[i + 2] == '!')
    check_escape_site(scan, i);
  else
    check_name_site(scan, i, site_len);
  return site_len;
}

/* A backslash: a site right after it is escaped on one path only. Returns
 * the length of the escape. */
static size_t scan_escape(placeholder_scan *scan, size_t i) {
  size_t site_len = scan_site_length(scan, i + 1);
  if (site_len) {
    char message[512];
    snprintf(message, sizeof message, "'%.*s' after a backslash: the pattern engine reads it as "
             "literal text, but instantiation replaces it; remove the backslash, or write "
             "'\\$\\{' for the literal text '${'", (int)site_len,
             scan->text + i + 1);
    scan_report(scan, i + 1, site_len, message);
    return 1 + site_len;
  }
  if (i + 1 >= scan->len)
    return 1;

  size_t digits = scan->in_class ? 0 : strspn(scan->text + i + 1, "0123456789");
  if (digits) {
    scan->decimal_start = i;
    scan->decimal_end = i + 1 + digits;
    return 1 + digits;
  }
  return 2;
}

/* An opening parenthesis: saves the case flag for its group, or applies a
 * flag group "(?i)" to the rest of the enclosing group. */
static size_t scan_group_open(placeholder_scan *scan, size_t i) {
  const char *text = scan->text;
  int flags = i + 2 < scan->len && text[i + 1] == '?' && strchr("ism-", text[i + 2]);
  if (!flags) {
    if (scan->depth <= RE_MAX_NESTING)
      scan->saved_case[scan->depth] = scan->ignore_case;
    scan->depth++;
    return 1;
  }

  size_t at = i + 2;
  int on = 1, ignore_case = scan->ignore_case;
  for (; at < scan->len && text[at] != ')' && text[at] != ':'; at++) {
    if (text[at] == '-')
      on = 0;
    else if (text[at] == 'i')
      ignore_case = on;
  }
  if (at < scan->len && text[at] == ':') {
    if (scan->depth <= RE_MAX_NESTING)
      scan->saved_case[scan->depth] = scan->ignore_case;
    scan->depth++;
  }
  scan->ignore_case = ignore_case;
  return at + 1 - i;
}

static size_t scan_group_close(placeholder_scan *scan) {
  if (scan->depth > 0 && --scan->depth <= RE_MAX_NESTING)
    scan->ignore_case = scan->saved_case[scan->depth];
  return 1;
}

/* A '{' that is a quantifier is skipped whole; any other one is a literal
 * brace that a value could complete into a quantifier. */
static size_t scan_brace(placeholder_scan *scan, size_t i) {
  size_t quantifier = quantifier_length(scan, i);
  if (quantifier)
    return quantifier;
  scan->brace_open = i;
  return 1;
}

static size_t scan_class_token(placeholder_scan *scan, size_t i) {
  char c = scan->text[i];
  if (c == '\\')
    return scan_escape(scan, i);
  if (c == ']')
    scan->in_class = 0;
  return 1;
}

/* Scans one token outside classes and returns its length. */
static size_t scan_token(placeholder_scan *scan, size_t i) {
  switch (scan->text[i]) {
  case '\\':
    return scan_escape(scan, i);
  case '[':
    scan->in_class = 1;
    return i + 1 < scan->len && scan->text[i + 1] == '^' ? 2 : 1;
  case '{':
    return scan_brace(scan, i);
  case '(':
    return scan_group_open(scan, i);
  case ')':
    return scan_group_close(scan);
  default:
    return 1;
  }
}

size_t pattern_placeholder_scan(const char *text, size_t len, pattern_placeholder_known known,
                                pattern_placeholder_report report, void *data) {
  placeholder_scan scan = {.known = known, .report = report, .data = data, .text = text,
                           .len = len, .brace_open = PATTERN_NO_OFFSET,
                           .decimal_end = PATTERN_NO_OFFSET};

  for (size_t i = 0; i < scan.len;) {
    size_t site_len = scan_site_length(&scan, i);
    if (site_len) {
      i += check_site(&scan, i, site_len);
      scan.brace_open = PATTERN_NO_OFFSET;
      continue;
    }

    char c = scan.text[i];
    if (scan.brace_open != PATTERN_NO_OFFSET && c != ',' && (c < '0' || c > '9'))
      scan.brace_open = PATTERN_NO_OFFSET;
    i += scan.in_class ? scan_class_token(&scan, i) : scan_token(&scan, i);
  }
  return scan.errors;
}
