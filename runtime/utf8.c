/* UTF-8 decoding and counting (RFC 3629). */
#include "utf8.h"

#include <stdio.h>
#include <string.h>

#include "utf8_invisible_table.h"

/* Sequence length announced by a lead byte, 0 for a byte that cannot lead. */
static size_t sequence_length(unsigned char lead) {
  if (lead < 0x80)
    return 1;
  if (lead >= 0xc2 && lead <= 0xdf)
    return 2;
  if (lead >= 0xe0 && lead <= 0xef)
    return 3;
  if (lead >= 0xf0 && lead <= 0xf4)
    return 4;
  return 0;
}

/* Returns 1 when code is in one of the ranges of utf8_invisible_table.c. */
static int is_invisible(uint32_t code) {
  size_t low = 0, high = utf8_invisible_range_count;

  while (low < high) {
    size_t middle = low + (high - low) / 2;
    if (code < utf8_invisible_ranges[2 * middle])
      high = middle;
    else if (code > utf8_invisible_ranges[2 * middle + 1])
      low = middle + 1;
    else
      return 1;
  }
  return 0;
}

uint32_t utf8_invisible(const char *text, size_t *len) {
  uint32_t code;
  size_t avail = 0;

  while (avail < 4 && text[avail] != '\0')
    avail++;
  size_t n = (unsigned char)text[0] < 0x80 ? 0 : utf8_decode(text, avail, &code);

  if (n == 0 || !is_invisible(code))
    return 0;
  *len = n;
  return code;
}

size_t utf8_escape(uint32_t code, char out[UTF8_ESCAPE_SIZE]) {
  if (code < 0x10000)
    return (size_t)snprintf(out, UTF8_ESCAPE_SIZE, "\\u%04x", (unsigned)code);

  uint32_t offset = code - 0x10000;
  unsigned high = 0xd800 + (unsigned)(offset >> 10), low = 0xdc00 + (unsigned)(offset & 0x3ff);
  return (size_t)snprintf(out, UTF8_ESCAPE_SIZE, "\\u%04x\\u%04x", high, low);
}

size_t utf8_decode(const char *text, size_t len, uint32_t *code_point) {
  const unsigned char *bytes = (const unsigned char *)text;
  size_t n = len > 0 ? sequence_length(bytes[0]) : 0;
  static const uint32_t minimum[] = {0, 0, 0x80, 0x800, 0x10000};
  uint32_t value;

  *code_point = 0xfffd;
  if (n == 0 || n > len)
    return 0;

  value = n == 1 ? bytes[0] : bytes[0] & (0x7fu >> n);
  for (size_t i = 1; i < n; i++) {
    if ((bytes[i] & 0xc0) != 0x80)
      return 0;
    value = value << 6 | (bytes[i] & 0x3fu);
  }
  if (value < minimum[n] || value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff))
    return 0;

  *code_point = value;
  return n;
}

size_t utf8_valid_prefix(const char *text, size_t len) {
  const uint64_t high_bits = 0x8080808080808080u;
  size_t i = 0;

  while (i < len) {
    uint64_t word;
    if (len - i >= sizeof word) {
      memcpy(&word, text + i, sizeof word);
      if ((word & high_bits) == 0) {
        i += sizeof word;
        continue;
      }
    }
    if ((unsigned char)text[i] < 0x80) {
      i++;
      continue;
    }

    uint32_t code;
    size_t n = utf8_decode(text + i, len - i, &code);
    if (n == 0)
      return i;
    i += n;
  }
  return i;
}

int utf8_is_text(const char *text, size_t len) {
  for (size_t i = 0; i < len;) {
    uint32_t code;
    size_t n = utf8_decode(text + i, len - i, &code);
    if (n == 0 || code == 0)
      return 0;
    i += n;
  }
  return 1;
}

/* Length a byte announces when it starts a sequence, valid or not: C0 and
 * C1 start overlong sequences of 2 bytes, F5 to F7 sequences of 4 bytes
 * above U+10FFFF. 0 for a continuation byte and for F8 to FF. */
static size_t announced_length(unsigned char lead) {
  if (lead < 0x80)
    return 1;
  if (lead < 0xc0)
    return 0;
  if (lead < 0xe0)
    return 2;
  if (lead < 0xf0)
    return 3;
  return lead < 0xf8 ? 4 : 0;
}

/* Returns the fault that the lead byte, and the second byte when there is
 * one, decide, or UTF8_VALID when they decide none. */
static utf8_fault lead_fault(unsigned char lead, size_t have, unsigned char second) {
  if (lead == 0xc0 || lead == 0xc1)
    return UTF8_OVERLONG;
  if (lead >= 0xf5)
    return UTF8_ABOVE_MAXIMUM;
  if (have < 2)
    return UTF8_VALID;
  if ((lead == 0xe0 && second < 0xa0) || (lead == 0xf0 && second < 0x90))
    return UTF8_OVERLONG;
  if (lead == 0xed && second >= 0xa0)
    return UTF8_SURROGATE;
  if (lead == 0xf4 && second >= 0x90)
    return UTF8_ABOVE_MAXIMUM;
  return UTF8_VALID;
}

utf8_fault utf8_diagnose(const char *text, size_t len, size_t *length, uint32_t *code_point) {
  const unsigned char *bytes = (const unsigned char *)text;
  size_t n = announced_length(bytes[0]);

  *code_point = 0xfffd;
  *length = 1;
  if (n == 0)
    return bytes[0] < 0xc0 ? UTF8_CONTINUATION : UTF8_NEVER;

  size_t have = 1;
  uint32_t value = n == 1 ? bytes[0] : bytes[0] & (0x7fu >> n);
  while (have < n && have < len && (bytes[have] & 0xc0) == 0x80)
    value = value << 6 | (bytes[have++] & 0x3fu);
  *length = have;

  utf8_fault fault = lead_fault(bytes[0], have, have > 1 ? bytes[1] : 0);
  if (have < n)
    return fault != UTF8_VALID ? fault : UTF8_TRUNCATED;
  *code_point = value;
  return fault;
}

void utf8_name_bytes(const unsigned char *bytes, size_t count, char *out, size_t out_size) {
  size_t used = (size_t)snprintf(out, out_size, "%s", count == 1 ? "byte" : "bytes");
  for (size_t i = 0; i < count && used < out_size; i++)
    used += (size_t)snprintf(out + used, out_size - used, " %02X", (unsigned)bytes[i]);
}

/* The words for a fault that the first two bytes decide: around the code
 * point of a complete sequence, and what a cut sequence starts. */
typedef struct fault_words {
  const char *before_code, *after_code, *started;
} fault_words;

static const fault_words *words_for(utf8_fault fault) {
  static const fault_words overlong = {"are an overlong encoding of", "", "an overlong encoding"};
  static const fault_words surrogate = {"encode", ", a UTF-16 surrogate", "a UTF-16 surrogate"};
  static const fault_words above = {"encode", ", above U+10FFFF", "a code point above U+10FFFF"};
  if (fault == UTF8_OVERLONG)
    return &overlong;
  if (fault == UTF8_SURROGATE)
    return &surrogate;
  return fault == UTF8_ABOVE_MAXIMUM ? &above : NULL;
}

void utf8_describe(const char *text, size_t size, const char *prefix, char *message,
                   size_t message_size) {
  const unsigned char *bytes = (const unsigned char *)text;
  size_t length;
  uint32_t code;
  utf8_fault fault = utf8_diagnose(text, size, &length, &code);
  size_t announced = 2;
  if (bytes[0] >= 0xf0)
    announced = 4;
  else if (bytes[0] >= 0xe0)
    announced = 3;
  int complete = length == announced;
  const char *verb = length == 1 ? "starts" : "start";
  char shown[32];
  utf8_name_bytes(bytes, length, shown, sizeof shown);

  const fault_words *words = words_for(fault);
  if (words) {
    if (complete)
      snprintf(message, message_size, "%s%s %s U+%04X%s", prefix, shown, words->before_code,
               (unsigned)code, words->after_code);
    else
      snprintf(message, message_size, "%s%s %s %s", prefix, shown, verb, words->started);
    return;
  }

  switch (fault) {
  case UTF8_TRUNCATED:
    snprintf(message, message_size,
             "%s%s %s a truncated sequence: %02X starts a sequence of %u bytes",
             prefix, shown, length == 1 ? "is" : "are", (unsigned)bytes[0], (unsigned)announced);
    return;
  case UTF8_CONTINUATION:
    snprintf(message, message_size,
             "%s%s is a continuation byte without a lead byte", prefix, shown);
    return;
  case UTF8_NEVER:
    snprintf(message, message_size, "%s%s never occurs in UTF-8", prefix, shown);
    return;
  default:
    break;
  }
  snprintf(message, message_size, "%s%s", prefix, shown);
}

size_t utf8_count(const char *text, size_t len) {
  size_t count = 0;

  for (size_t i = 0; i < len; i++)
    count += ((unsigned char)text[i] & 0xc0) != 0x80;
  return count;
}

size_t utf8_cut(const char *text, size_t len, size_t max) {
  const unsigned char *bytes = (const unsigned char *)text;
  size_t end = len < max ? len : max;
  size_t lead = end;

  /* A sequence is at most 4 bytes, so its lead byte is among the last 4. */
  while (lead > 0 && end - lead < 4 && (bytes[lead - 1] & 0xc0) == 0x80)
    lead--;
  if (lead == 0 || end - lead >= 4)
    return end;

  lead--;
  if (lead + sequence_length(bytes[lead]) > end)
    return lead;
  return end;
}

const char *utf8_wide_byte_order_mark(const void *bytes, size_t len) {
  if (len >= 4 && memcmp(bytes, "\xff\xfe\0\0", 4) == 0)
    return "UTF-32LE";
  if (len >= 4 && memcmp(bytes, "\0\0\xfe\xff", 4) == 0)
    return "UTF-32BE";
  if (len >= 2 && memcmp(bytes, "\xff\xfe", 2) == 0)
    return "UTF-16LE";
  if (len >= 2 && memcmp(bytes, "\xfe\xff", 2) == 0)
    return "UTF-16BE";
  return NULL;
}
