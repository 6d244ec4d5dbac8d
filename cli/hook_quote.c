/*
 * Quoting of event text for messages. The event has been scanned before a
 * message quotes it, but a quote may still hold the invalid bytes that the
 * scan reported, so every byte is checked here again.
 */
#include "hook_quote.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

/* Bytes of the longest piece a character or an escape shows as. */
#define QUOTE_PIECE_SIZE UTF8_ESCAPE_SIZE

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* Writes the character at text[0..len) into piece (QUOTE_PIECE_SIZE bytes),
 * escaped when it is a control character, an invisible character or not
 * UTF-8. Returns the bytes of piece and sets *used to the bytes read. */
static size_t escape_char(const char *text, size_t len, char *piece, size_t *used) {
  unsigned char c = (unsigned char)text[0];
  *used = 1;
  if (c < 0x20 || c == 0x7F)
    return utf8_escape(c, piece);
  if (c < 0x80) {
    piece[0] = (char)c;
    return 1;
  }

  uint32_t code;
  size_t n = utf8_decode(text, len, &code);
  if (n == 0)
    return (size_t)snprintf(piece, QUOTE_PIECE_SIZE, "\\x%02x", c);

  char sequence[5] = {0};
  size_t invisible_len = 0;
  memcpy(sequence, text, n);
  *used = n;
  if (utf8_invisible(sequence, &invisible_len))
    return utf8_escape(code, piece);
  memcpy(piece, text, n);
  return n;
}

/* Returns the bytes of the escape at text[0] (a backslash) in a JSON string,
 * which is shown whole or not at all. */
static size_t escape_len(const char *text, size_t len) {
  size_t n = len > 1 && text[1] == 'u' ? 6 : 2;
  return n < len ? n : len;
}

void hook_quote_json(const char *text, size_t len, size_t max, char *out, size_t size) {
  size_t used = 0, at = 0;
  int in_string = 0, cut = 0;

  while (at < len) {
    char piece[QUOTE_PIECE_SIZE];
    size_t n, read;
    if (!in_string && is_space(text[at])) {
      for (read = 0; at + read < len && is_space(text[at + read]); read++)
        continue;
      n = used > 0 && at + read < len ? 1 : 0;
      piece[0] = ' ';
    } else if (in_string && text[at] == '\\') {
      n = read = escape_len(text + at, len - at);
      memcpy(piece, text + at, n);
    } else {
      in_string ^= text[at] == '"';
      n = escape_char(text + at, len - at, piece, &read);
    }
    if (used + n > max || used + n >= size) {
      cut = 1;
      in_string ^= text[at] == '"'; /* the quote was not shown */
      break;
    }
    memcpy(out + used, piece, n);
    used += n;
    at += read;
  }
  snprintf(out + used, size - used, "%s%s", cut ? "..." : "", cut && in_string ? "\"" : "");
}

void hook_pointer_append(char *out, size_t size, const char *name, size_t len) {
  size_t used = strlen(out), stored = strlen(name);
  static const char more[] = "...";
  if (used + sizeof more + 1 > size)
    return;

  size_t room = size - used - sizeof more; /* bytes before the cut mark and the NUL */
  out[used++] = '/';
  size_t at = 0;
  while (at < stored) {
    char piece[QUOTE_PIECE_SIZE];
    size_t n, read = 1;
    if (name[at] == '~' || name[at] == '/')
      n = (size_t)snprintf(piece, sizeof piece, "~%c", name[at] == '~' ? '0' : '1');
    else
      n = escape_char(name + at, stored - at, piece, &read);
    if (used + n > room)
      break;
    memcpy(out + used, piece, n);
    used += n;
    at += read;
  }
  snprintf(out + used, size - used, "%s", at < stored || stored < len ? more : "");
}

char *hook_pointer_escape(const char *pointer, size_t len) {
  /* No character or byte grows beyond the 12 bytes of a surrogate pair. */
  char *out = malloc(len * (QUOTE_PIECE_SIZE - 1) + 1);
  if (!out)
    return NULL;

  size_t used = 0, at = 0;
  while (at < len) {
    size_t read;
    used += escape_char(pointer + at, len - at, out + used, &read);
    at += read;
  }
  out[used] = '\0';
  return out;
}
