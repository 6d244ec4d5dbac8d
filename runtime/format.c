/* Dispatch of format assertions to their checkers. */
#include "format.h"

int format_check(cfgate_ir_format format, const char *text, size_t len) {
  switch (format) {
  case CFGATE_IR_FORMAT_DATE_TIME:
    return format_is_date_time(text, len);
  case CFGATE_IR_FORMAT_DATE:
    return format_is_date(text, len);
  case CFGATE_IR_FORMAT_TIME:
    return format_is_time(text, len);
  case CFGATE_IR_FORMAT_EMAIL:
    return format_is_email(text, len);
  case CFGATE_IR_FORMAT_HOSTNAME:
    return format_is_hostname(text, len);
  case CFGATE_IR_FORMAT_IPV4:
    return format_is_ipv4(text, len);
  case CFGATE_IR_FORMAT_IPV6:
    return format_is_ipv6(text, len);
  case CFGATE_IR_FORMAT_URI:
    return format_is_uri(text, len);
  case CFGATE_IR_FORMAT_UUID:
    return format_is_uuid(text, len);
  case CFGATE_IR_FORMAT_REGEX:
    return format_is_regex(text, len);
  default:
    return -1;
  }
}
