/*
 * Format assertions for JSON Schema draft 7 "format". Dates and times
 * follow RFC 3339, email RFC 5321 (without quoted local parts), hostname
 * RFC 1123, ipv4 and ipv6 the RFC 4291 text forms, uri RFC 3986 (absolute
 * only), uuid RFC 4122 and regex the ECMA-262 syntax. The checkers read
 * the whole string and allocate nothing.
 */
#ifndef CFGATE_FORMAT_H
#define CFGATE_FORMAT_H

#include <stddef.h>

#include "cfgate_ir.h"

/* Returns 1 when text[0..len) is valid for format, 0 when it is not, and -1
 * when format is CFGATE_IR_FORMAT_NONE or unknown to this runtime. */
int format_check(cfgate_ir_format format, const char *text, size_t len);

/* The checkers behind format_check(), each returning 1 or 0. */
int format_is_date_time(const char *text, size_t len);
int format_is_date(const char *text, size_t len);
int format_is_time(const char *text, size_t len);
int format_is_email(const char *text, size_t len);
int format_is_hostname(const char *text, size_t len);
int format_is_ipv4(const char *text, size_t len);
int format_is_ipv6(const char *text, size_t len);
int format_is_uri(const char *text, size_t len);
int format_is_uuid(const char *text, size_t len);
int format_is_regex(const char *text, size_t len);

#endif /* CFGATE_FORMAT_H */
