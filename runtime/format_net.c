/*
 * Network formats: ipv4 (dotted decimal without leading zeros), ipv6
 * (RFC 4291 section 2.2, no zone index), hostname (RFC 1123 section 2.1)
 * and email (RFC 5321 section 4.1.2 Mailbox with a dot-atom local part).
 */
#include "format.h"

#include <string.h>

/* Maximum length of a hostname and of one of its labels (RFC 1035, 2.3.4). */
#define FORMAT_MAX_HOSTNAME 253
#define FORMAT_MAX_LABEL 63

static int is_digit(char c) {
  return c >= '0' && c <= '9';
}

static int is_alpha(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

int format_is_ipv4(const char *text, size_t len) {
  size_t at = 0;

  for (int part = 0; part < 4; part++) {
    size_t start = at;
    int value = 0;

    if (part > 0 && (at >= len || text[at++] != '.'))
      return 0;
    start = at;
    for (; at < len && is_digit(text[at]) && at - start < 3; at++)
      value = value * 10 + (text[at] - '0');
    if (at == start || value > 255 || (text[start] == '0' && at - start > 1))
      return 0;
  }
  return at == len;
}

/* Reads one group of 1 to 4 hex digits at text[*at]. */
static int read_hex_group(const char *text, size_t len, size_t *at) {
  size_t start = *at;

  while (*at < len && is_hex(text[*at]) && *at - start < 4)
    (*at)++;
  return *at > start && (*at >= len || !is_hex(text[*at]));
}

/* True when the rest of text from at is an embedded IPv4 address. */
static int rest_is_ipv4(const char *text, size_t len, size_t at) {
  return memchr(text + at, '.', len - at) != NULL && format_is_ipv4(text + at, len - at);
}

int format_is_ipv6(const char *text, size_t len) {
  size_t at = 0;
  int groups = 0, compressed = 0;

  if (len >= 2 && text[0] == ':' && text[1] == ':') {
    compressed = 1;
    at = 2;
  } else if (len > 0 && text[0] == ':') {
    return 0;
  }

  while (at < len) {
    if (rest_is_ipv4(text, len, at)) {
      groups += 2;
      at = len;
      break;
    }
    if (!read_hex_group(text, len, &at))
      return 0;
    groups++;
    if (at == len)
      break;
    if (text[at++] != ':' || at == len)
      return 0;
    if (text[at] == ':') {
      if (compressed)
        return 0;
      compressed = 1;
      at++;
    }
  }
  return compressed ? groups <= 7 : groups == 8;
}

/* One label: letters, digits and inner hyphens. A hyphen pair at
 * positions 3 and 4 is reserved for IDNA "xn--" labels. */
static int is_label(const char *label, size_t len) {
  if (len == 0 || len > FORMAT_MAX_LABEL || label[0] == '-' || label[len - 1] == '-')
    return 0;
  for (size_t i = 0; i < len; i++) {
    if (!is_alpha(label[i]) && !is_digit(label[i]) && label[i] != '-')
      return 0;
  }
  if (len >= 4 && label[2] == '-' && label[3] == '-')
    return (label[0] == 'x' || label[0] == 'X') && (label[1] == 'n' || label[1] == 'N');
  return 1;
}

/* NOTE: "xn--" labels are checked as ASCII only; their Punycode and IDNA
 * 2008 rules are not verified, so some invalid A-labels are accepted. */
int format_is_hostname(const char *text, size_t len) {
  size_t start = 0;

  if (len == 0 || len > FORMAT_MAX_HOSTNAME)
    return 0;
  for (size_t i = 0; i <= len; i++) {
    if (i < len && text[i] != '.')
      continue;
    if (!is_label(text + start, i - start))
      return 0;
    start = i + 1;
  }
  return 1;
}

/* atext of RFC 5322 section 3.2.3 */
static int is_atext(char c) {
  return is_alpha(c) || is_digit(c) || (c != '\0' && strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL);
}

static int is_dot_atom(const char *text, size_t len) {
  if (len == 0 || text[0] == '.' || text[len - 1] == '.')
    return 0;
  for (size_t i = 0; i < len; i++) {
    if (text[i] == '.' ? text[i + 1] == '.' : !is_atext(text[i]))
      return 0;
  }
  return 1;
}

/* domain: a hostname, "[" IPv4 "]" or "[IPv6:" IPv6 "]" */
static int is_mail_domain(const char *text, size_t len) {
  if (len < 2 || text[0] != '[')
    return format_is_hostname(text, len);
  if (text[len - 1] != ']')
    return 0;
  if (len > 6 && strncmp(text, "[IPv6:", 6) == 0)
    return format_is_ipv6(text + 6, len - 7);
  return format_is_ipv4(text + 1, len - 2);
}

int format_is_email(const char *text, size_t len) {
  const char *at = len > 0 ? memchr(text, '@', len) : NULL;
  size_t local;

  if (at == NULL)
    return 0;
  local = (size_t)(at - text);
  return is_dot_atom(text, local) && is_mail_domain(at + 1, len - local - 1);
}
