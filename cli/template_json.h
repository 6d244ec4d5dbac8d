/*
 * JSON templates: detection, the strict RFC 8259 check with jansson (whose
 * messages name the problem and its line and column), and the reader that
 * builds the template tree with positions.
 */
#ifndef CFGATE_CLI_TEMPLATE_JSON_H
#define CFGATE_CLI_TEMPLATE_JSON_H

#include <stddef.h>

#include "template_load.h"

/* Returns 1 when the first non-blank byte (after a UTF-8 byte order mark)
 * is '{' or '[', so the text is read as JSON. */
int template_json_detect(const unsigned char *bytes, size_t size);

/* Checks bytes against the JSON grammar with jansson. Returns 1, or 0 with
 * *error set to jansson's position and message. A number too large for
 * jansson (1e400, or an integer beyond 64 bits) is not an error here, and
 * neither is nesting past jansson's depth limit (2048), far past the
 * loader's: that text gets the loader's message and limit. The check then
 * returns 1 without reading further, and template_json_read() checks the
 * rest of the grammar while it keeps the number's text. */
int template_json_check(const unsigned char *bytes, size_t size, template_error *error);

/* Reads the JSON text bytes[0..size) into a tree allocated in arena, with
 * the limits of template_load() (TEMPLATE_MAX_DEPTH, TEMPLATE_MAX_NODES,
 * and arena->max_bytes) and its errors for NUL characters and duplicate
 * keys. Returns the root node, or NULL with *error filled. Strings keep
 * every character JSON allows, including U+0085, U+2028 and U+2029. */
tnode *template_json_read(tnode_arena *arena, const unsigned char *bytes, size_t size,
                          template_error *error);

/* Reads the text that template_json_check() rejected with the reader of
 * template_json_read(). When the reader's first error is a character or an
 * escape inside a string (a control character, an invalid escape, a lone
 * surrogate), sets *error to it and returns 1. jansson reports those at
 * the character before, or at the end of the string, in other words than
 * the YAML reader uses. Returns 0 and leaves *error alone otherwise. */
int template_json_string_error(tnode_arena *arena, const unsigned char *bytes, size_t size,
                               template_error *error);

#endif
