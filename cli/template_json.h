/*
 * JSON-specific steps before libyaml reads a template: the strict RFC 8259
 * check, and the rewrite of escaped UTF-16 surrogate pairs, which YAML
 * double-quoted strings do not accept.
 */
#ifndef CFGATE_CLI_TEMPLATE_JSON_H
#define CFGATE_CLI_TEMPLATE_JSON_H

#include <stddef.h>

#include "template_load.h"

/* Returns 1 when the first non-blank byte (after a UTF-8 byte order mark)
 * is '{' or '[', so the text is read as JSON. */
int template_json_detect(const unsigned char *bytes, size_t size);

/* Checks bytes against the JSON grammar with jansson. Returns 1, or 0 with
 * *error set to jansson's position and message. */
int template_json_check(const unsigned char *bytes, size_t size, template_error *error);

/* Returns a copy of valid JSON text in which each escaped surrogate pair
 * (\uD83D\uDE00) is written as the YAML escape \U0001F600, or NULL when the
 * text has none (or memory runs out, with *failed set). The caller frees
 * the copy. */
unsigned char *template_json_rewrite_surrogates(const unsigned char *bytes, size_t size,
                                                size_t *new_size, int *failed);

#endif
