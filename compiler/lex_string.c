/*
 * Decoding of .gate string literals. Escapes are those of JSON (RFC 8259):
 * \" \\ \/ \b \f \n \r \t and \uXXXX with surrogate pairs. Any other escape
 * is an error, so a regex such as \d is written "\\d". Strings must be valid
 * UTF-8 and may not contain NUL (\u0000) or, as in JSON, another raw control
 * character.
 */
#include <stdio.h>
#include <string.h>

#include "parse.h"

static int lex_hex4(const unsigned char *p, unsigned *value) {
  *value = 0;
  for (int i = 0; i < 4; i++) {
    unsigned char c = p[i];
    unsigned digit = c >= '0' && c <= '9'   ? c - '0'
                     : c >= 'a' && c <= 'f' ? c - 'a' + 10
                     : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                            : 16;
    if (digit == 16)
      return 0;
    *value = *value * 16 + digit;
  }
  return 1;
}

static size_t lex_put_utf8(unsigned code, char *out) {
  if (code < 0x80) {
    out[0] = (char)code;
    return 1;
  }
  if (code < 0x800) {
    out[0] = (char)(0xc0 | code >> 6);
    out[1] = (char)(0x80 | (code & 0x3f));
    return 2;
  }
  if (code < 0x10000) {
    out[0] = (char)(0xe0 | code >> 12);
    out[1] = (char)(0x80 | ((code >> 6) & 0x3f));
    out[2] = (char)(0x80 | (code & 0x3f));
    return 3;
  }
  out[0] = (char)(0xf0 | code >> 18);
  out[1] = (char)(0x80 | ((code >> 12) & 0x3f));
  out[2] = (char)(0x80 | ((code >> 6) & 0x3f));
  out[3] = (char)(0x80 | (code & 0x3f));
  return 4;
}

/* Decodes \uXXXX at p (p points at the backslash), joining a surrogate
 * pair. Returns the bytes consumed, or 0 when the escape is invalid. */
static size_t lex_unicode_escape(const unsigned char *p, const unsigned char *end, unsigned *code) {
  if (end - p < 6 || !lex_hex4(p + 2, code))
    return 0;
  if (*code < 0xd800 || *code > 0xdfff)
    return 6;

  unsigned low;
  if (*code > 0xdbff || end - p < 12 || p[6] != '\\' || p[7] != 'u' || !lex_hex4(p + 8, &low) ||
      low < 0xdc00 || low > 0xdfff)
    return 0;
  *code = 0x10000 + ((*code - 0xd800) << 10) + (low - 0xdc00);
  return 12;
}

static int lex_simple_escape(unsigned char c, char *out) {
  static const char from[] = "\"\\/bfnrt";
  static const char to[] = "\"\\/\b\f\n\r\t";
  const char *hit = c ? strchr(from, c) : NULL;
  if (!hit)
    return 0;
  *out = to[hit - from];
  return 1;
}

size_t lex_utf8_length(const unsigned char *p, const unsigned char *end) {
  unsigned char c = p[0];
  size_t len = c < 0x80                 ? 1
               : c >= 0xc2 && c <= 0xdf ? 2
               : c >= 0xe0 && c <= 0xef ? 3
               : c >= 0xf0 && c <= 0xf4 ? 4
                                        : 0;
  if (len == 0 || (size_t)(end - p) < len)
    return 0;
  for (size_t i = 1; i < len; i++)
    if ((p[i] & 0xc0) != 0x80)
      return 0;

  if ((c == 0xe0 && p[1] < 0xa0) || (c == 0xed && p[1] > 0x9f) || (c == 0xf0 && p[1] < 0x90) ||
      (c == 0xf4 && p[1] > 0x8f))
    return 0;
  return len;
}

unsigned lex_utf8_code(const unsigned char *p, size_t len) {
  static const unsigned char lead_mask[] = {0x7f, 0x1f, 0x0f, 0x07};
  unsigned code = p[0] & lead_mask[len - 1];
  for (size_t i = 1; i < len; i++)
    code = code << 6 | (p[i] & 0x3f);
  return code;
}

/* Returns 1 when p starts a \uXXXX escape of a UTF-16 surrogate. */
static int lex_is_surrogate_escape(const unsigned char *p, const unsigned char *end) {
  unsigned code;
  return end - p >= 6 && p[1] == 'u' && lex_hex4(p + 2, &code) && code >= 0xd800 &&
         code <= 0xdfff;
}

static void lex_report_escape(parse_ctx *ctx, const unsigned char *p, const unsigned char *end,
                              size_t len) {
  src_span span = {ctx->file, (uint32_t)(p - ctx->text), (uint32_t)(p - ctx->text + len)};
  if (lex_is_surrogate_escape(p, end)) {
    diag_report(ctx->diags, DIAG_ERROR, DIAG_INVALID_ESCAPE, span,
                "unpaired surrogate '%.*s' in string (a high surrogate \\uD800-\\uDBFF must be "
                "followed by a low one \\uDC00-\\uDFFF; or write the character itself)",
                (int)len, (const char *)p);
    return;
  }
  diag_report(ctx->diags, DIAG_ERROR, DIAG_INVALID_ESCAPE, span,
              "invalid escape '%.*s' in string (write '\\\\' for a backslash)", (int)len,
              (const char *)p);
}

static src_span lex_span_at(const parse_ctx *ctx, const unsigned char *p, size_t len) {
  return (src_span){ctx->file, (uint32_t)(p - ctx->text), (uint32_t)(p - ctx->text + len)};
}

/* Copies one UTF-8 character from p to out. Returns the bytes read. On a
 * byte that starts no valid sequence it reports the run of such bytes once,
 * as the lexer does outside strings, writes nothing and reads the run. */
static size_t lex_copy_char(parse_ctx *ctx, const unsigned char *p, const unsigned char *end,
                            char *out, size_t *written) {
  if (*p == '\0') {
    *written = 0;
    diag_report(ctx->diags, DIAG_ERROR, DIAG_INVALID_UTF8, lex_span_at(ctx, p, 1),
                "NUL byte in string: strings cannot contain NUL characters");
    return 1;
  }

  size_t bytes = lex_utf8_length(p, end);
  *written = bytes;
  if (bytes) {
    memcpy(out, p, bytes);
    return bytes;
  }

  const unsigned char *q = p + 1;
  while (q < end && *q >= 0x80 && lex_utf8_length(q, end) == 0)
    q++;
  size_t count = (size_t)(q - p);
  char more[64] = "";
  if (count > 1)
    snprintf(more, sizeof more, ", the first of %zu invalid bytes", count);
  diag_report(ctx->diags, DIAG_ERROR, DIAG_INVALID_UTF8, lex_span_at(ctx, p, count),
              "invalid UTF-8 byte 0x%02x in string%s (save the file as UTF-8)", *p, more);
  return count;
}

/* Writes the JSON escape of control character c (below U+0020): \b \f \n \r \t
 * or \u00XX. */
static void lex_control_escape(unsigned char c, char *out, size_t size) {
  static const char from[] = "\b\f\n\r\t";
  static const char to[] = "bfnrt";
  const char *hit = strchr(from, c);
  if (hit)
    snprintf(out, size, "\\%c", to[hit - from]);
  else
    snprintf(out, size, "\\u%04X", c);
}

/* Reports a run of raw control characters U+0001 to U+001F at p once, at
 * its first character with the escape to write. JSON strings cannot hold
 * them raw, and a raw tab or form feed would look like a space. Copies the
 * run to out and returns its length. */
static size_t lex_copy_controls(parse_ctx *ctx, const unsigned char *p, const unsigned char *end,
                                char *out, size_t *written) {
  const unsigned char *q = p;
  while (q < end && *q != '\0' && *q < 0x20)
    q++;

  size_t count = (size_t)(q - p);
  char escape[8];
  char more[64] = "";
  lex_control_escape(*p, escape, sizeof escape);
  if (count > 1)
    snprintf(more, sizeof more, ", the first of %zu control characters", count);
  diag_report(ctx->diags, DIAG_ERROR, DIAG_UNEXPECTED_CHARACTER, lex_span_at(ctx, p, count),
              "raw control character U+%04X in string%s: write the escape '%s' instead "
              "(strings use JSON escapes)",
              *p, more, escape);
  memcpy(out, p, count);
  *written = count;
  return count;
}

/* Decodes the escape at p (the backslash) into out. Returns the bytes read;
 * on an invalid escape reports it and writes nothing. */
static size_t lex_decode_escape(parse_ctx *ctx, const unsigned char *p, const unsigned char *end,
                                char *out, size_t *written) {
  unsigned code;
  size_t used = p[1] == 'u' ? lex_unicode_escape(p, end, &code) : 0;
  *written = 0;
  if (used && code == 0) {
    diag_report(ctx->diags, DIAG_ERROR, DIAG_INVALID_ESCAPE, lex_span_at(ctx, p, used),
                "'\\u0000' is not allowed: strings cannot contain NUL characters");
    return used;
  }
  if (used) {
    *written = lex_put_utf8(code, out);
    return used;
  }
  if (p[1] != 'u' && lex_simple_escape(p[1], out)) {
    *written = 1;
    return 2;
  }

  size_t escape_len = 2;
  if (p[1] == 'u')
    escape_len = end - p < 6 ? (size_t)(end - p) : 6;
  lex_report_escape(ctx, p, end, escape_len);
  return 2;
}

ast_string lex_decode_string(parse_ctx *ctx, const src_span *span, int closed) {
  const unsigned char *p = ctx->text + span->start + 1;
  const unsigned char *end = ctx->text + span->end - (closed ? 1 : 0);
  char *out = arena_alloc(ctx->arena, (size_t)(end - p) + 1);
  size_t len = 0;

  while (p < end) {
    size_t written;
    if (*p == '\\')
      p += lex_decode_escape(ctx, p, end, out + len, &written);
    else if (*p != '\0' && *p < 0x20)
      p += lex_copy_controls(ctx, p, end, out + len, &written);
    else
      p += lex_copy_char(ctx, p, end, out + len, &written);
    len += written;
  }

  out[len] = '\0';
  return (ast_string){out, len, *span};
}
