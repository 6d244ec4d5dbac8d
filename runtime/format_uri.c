/*
 * "uri": an absolute URI of RFC 3986 (section 3):
 *   URI = scheme ":" hier-part [ "?" query ] [ "#" fragment ]
 *   hier-part = "//" authority path-abempty / path-absolute / path-rootless / path-empty
 * with every character and percent-encoding checked, and "uuid": the
 * 8-4-4-4-12 hex digit form of RFC 4122 (section 3).
 */
#include "format.h"

#include <string.h>

static int is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(char c) {
  return c >= '0' && c <= '9';
}

static int is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int is_unreserved(char c) {
  return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

static int is_sub_delim(char c) {
  return c != '\0' && strchr("!$&'()*+,;=", c) != NULL;
}

/* Moves *at over characters that are unreserved, sub-delims, in extra, or
 * percent-encoded; returns 0 at a malformed percent-encoding. */
static int skip_chars(const char *text, size_t end, size_t *at, const char *extra) {
  while (*at < end) {
    char c = text[*at];

    if (c == '%') {
      if (*at + 2 >= end || !is_hex(text[*at + 1]) || !is_hex(text[*at + 2]))
        return 0;
      *at += 3;
    } else if (is_unreserved(c) || is_sub_delim(c) || (c != '\0' && strchr(extra, c) != NULL)) {
      (*at)++;
    } else {
      break;
    }
  }
  return 1;
}

/* IP-literal = "[" ( IPv6address / IPvFuture ) "]", given without brackets;
 * IPvFuture = "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" ) */
static int is_ip_literal(const char *text, size_t len) {
  size_t at = 1, start;

  if (len == 0 || (text[0] != 'v' && text[0] != 'V'))
    return format_is_ipv6(text, len);
  while (at < len && is_hex(text[at]))
    at++;
  if (at == 1 || at >= len || text[at] != '.')
    return 0;

  start = ++at;
  while (at < len && (is_unreserved(text[at]) || is_sub_delim(text[at]) || text[at] == ':'))
    at++;
  return at == len && at > start;
}

/* authority = [ userinfo "@" ] host [ ":" port ], ending at end */
static int is_authority(const char *text, size_t end) {
  const char *at_sign = memchr(text, '@', end);
  size_t at = 0;

  if (at_sign != NULL) {
    size_t userinfo_end = (size_t)(at_sign - text);

    if (!skip_chars(text, userinfo_end, &at, ":") || at != userinfo_end)
      return 0;
    at++;
  }

  if (at < end && text[at] == '[') {
    const char *close = memchr(text + at, ']', end - at);

    if (close == NULL || !is_ip_literal(text + at + 1, (size_t)(close - text) - at - 1))
      return 0;
    at = (size_t)(close - text) + 1;
  } else if (!skip_chars(text, end, &at, "")) {
    return 0;
  }

  if (at < end && text[at] == ':') {
    for (at++; at < end && is_digit(text[at]); at++)
      ;
  }
  return at == end;
}

int format_is_uri(const char *text, size_t len) {
  size_t at = 0;

  if (len == 0 || !is_alpha(text[0]))
    return 0;
  while (at < len && (is_alpha(text[at]) || is_digit(text[at]) || text[at] == '+' || text[at] == '-' || text[at] == '.'))
    at++;
  if (at >= len || text[at] != ':')
    return 0;
  at++;

  if (len - at >= 2 && text[at] == '/' && text[at + 1] == '/') {
    size_t start = at + 2, end = start;

    while (end < len && text[end] != '/' && text[end] != '?' && text[end] != '#')
      end++;
    if (!is_authority(text + start, end - start))
      return 0;
    at = end;
  }

  if (!skip_chars(text, len, &at, ":@/"))
    return 0;
  if (at < len && text[at] == '?') {
    at++;
    if (!skip_chars(text, len, &at, ":@/?"))
      return 0;
  }
  if (at < len && text[at] == '#') {
    at++;
    if (!skip_chars(text, len, &at, ":@/?"))
      return 0;
  }
  return at == len;
}

int format_is_uuid(const char *text, size_t len) {
  static const size_t dashes[] = {8, 13, 18, 23};

  if (len != 36)
    return 0;
  for (size_t i = 0, d = 0; i < len; i++) {
    if (d < 4 && i == dashes[d]) {
      if (text[i] != '-')
        return 0;
      d++;
    } else if (!is_hex(text[i])) {
      return 0;
    }
  }
  return 1;
}
