/*
 * RFC 3339 (section 5.6) date and time formats:
 *   full-date = 4DIGIT "-" 2DIGIT "-" 2DIGIT
 *   full-time = 2DIGIT ":" 2DIGIT ":" 2DIGIT ["." 1*DIGIT] ("Z" / ("+" / "-") 2DIGIT ":" 2DIGIT)
 *   date-time = full-date "T" full-time
 * "T" and "Z" may be lowercase. A leap second (:60) is valid only where the
 * time is 23:59 in UTC once the offset is applied.
 */
#include "format.h"

/* Reads count ASCII digits at text[*at] into *value. */
static int read_digits(const char *text, size_t len, size_t *at, int count, int *value) {
  *value = 0;
  for (int i = 0; i < count; i++, (*at)++) {
    if (*at >= len || text[*at] < '0' || text[*at] > '9')
      return 0;
    *value = *value * 10 + (text[*at] - '0');
  }
  return 1;
}

static int expect(const char *text, size_t len, size_t *at, char c) {
  if (*at >= len || text[*at] != c)
    return 0;
  (*at)++;
  return 1;
}

static int is_leap_year(int year) {
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int days_in_month(int year, int month) {
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

  if (month == 2 && is_leap_year(year))
    return 29;
  return days[month - 1];
}

static int parse_date(const char *text, size_t len, size_t *at) {
  int year, month, day;

  if (!read_digits(text, len, at, 4, &year) || !expect(text, len, at, '-') ||
      !read_digits(text, len, at, 2, &month) || !expect(text, len, at, '-') ||
      !read_digits(text, len, at, 2, &day))
    return 0;
  return month >= 1 && month <= 12 && day >= 1 && day <= days_in_month(year, month);
}

/* time-offset: "Z" or a sign and hh:mm; stores the offset in minutes east of UTC. */
static int parse_offset(const char *text, size_t len, size_t *at, int *minutes) {
  int sign, hours, mins;

  if (*at < len && (text[*at] == 'Z' || text[*at] == 'z')) {
    (*at)++;
    *minutes = 0;
    return 1;
  }
  if (*at >= len || (text[*at] != '+' && text[*at] != '-'))
    return 0;
  sign = text[(*at)++] == '-' ? -1 : 1;

  if (!read_digits(text, len, at, 2, &hours) || !expect(text, len, at, ':') ||
      !read_digits(text, len, at, 2, &mins) || hours > 23 || mins > 59)
    return 0;
  *minutes = sign * (hours * 60 + mins);
  return 1;
}

static int parse_time(const char *text, size_t len, size_t *at) {
  int hour, minute, second, offset, fraction_digits = 0;

  if (!read_digits(text, len, at, 2, &hour) || !expect(text, len, at, ':') ||
      !read_digits(text, len, at, 2, &minute) || !expect(text, len, at, ':') ||
      !read_digits(text, len, at, 2, &second))
    return 0;
  if (*at < len && text[*at] == '.') {
    for ((*at)++; *at < len && text[*at] >= '0' && text[*at] <= '9'; (*at)++)
      fraction_digits++;
    if (fraction_digits == 0)
      return 0;
  }
  if (!parse_offset(text, len, at, &offset) || hour > 23 || minute > 59 || second > 60)
    return 0;

  if (second == 60) {
    int utc = ((hour * 60 + minute - offset) % 1440 + 1440) % 1440;

    return utc == 23 * 60 + 59;
  }
  return 1;
}

int format_is_date(const char *text, size_t len) {
  size_t at = 0;

  return parse_date(text, len, &at) && at == len;
}

int format_is_time(const char *text, size_t len) {
  size_t at = 0;

  return parse_time(text, len, &at) && at == len;
}

int format_is_date_time(const char *text, size_t len) {
  size_t at = 0;

  if (!parse_date(text, len, &at))
    return 0;
  if (at >= len || (text[at] != 'T' && text[at] != 't'))
    return 0;
  at++;
  return parse_time(text, len, &at) && at == len;
}
