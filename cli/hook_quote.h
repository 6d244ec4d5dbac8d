/*
 * Event text quoted in hook messages: a value as it is written in the
 * event, and a member name as a JSON pointer token, both escaped so that a
 * message stays one line of valid UTF-8 that shows every character.
 */
#ifndef CFGATE_CLI_HOOK_QUOTE_H
#define CFGATE_CLI_HOOK_QUOTE_H

#include <stddef.h>

enum {
  HOOK_QUOTE_NAME_BYTES = 76,   /* bytes of a quoted member name before the cut mark */
  HOOK_QUOTE_VALUE_BYTES = 200, /* bytes of a quoted value before the cut mark */
  HOOK_QUOTE_SIZE = HOOK_QUOTE_VALUE_BYTES + 8 /* buffer for a quote and its cut mark */
};

/* Writes the JSON text[0..len) as it is written in the event. Each run of
 * whitespace outside strings shows as one space. Bytes below 0x20 and 0x7F
 * show as \u00XX, the characters utf8_invisible() names as JSON escapes
 * (\u200b, and a surrogate pair such as \ud834\udd73 above U+FFFF), and a
 * byte that is not UTF-8 as \xNN. At most max bytes are shown: a longer
 * text is cut before a character or an escape that does not fit, and ends
 * in "..." (and '"' when the cut falls inside a string). out has at least
 * max + 5 bytes. */
void hook_quote_json(const char *text, size_t len, size_t max, char *out, size_t size);

/* Appends "/" and a decoded member name to the JSON pointer in out, with
 * "~" as "~0" and "/" as "~1" (RFC 6901), and the escapes of
 * hook_quote_json(). len is the whole length of the name. name may hold
 * only its start (NUL-terminated), and the token then ends in "...". A
 * pointer that does not fit in size ends in "..." too. */
void hook_pointer_append(char *out, size_t size, const char *name, size_t len);

/* Returns pointer[0..len) in a new string (NULL when out of memory), with
 * the escapes of hook_quote_json() for control characters, invisible
 * characters and bytes that are not UTF-8. The pointer's "~0" and "~1"
 * stay as they are, and a NUL byte shows as \u0000. */
char *hook_pointer_escape(const char *pointer, size_t len);

#endif
