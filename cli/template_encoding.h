/*
 * Encoding errors of template text: invalid UTF-8 in any template, and in
 * YAML text the characters YAML does not allow. Each message names the
 * bytes as they are in the file, in hex, and what is wrong with them, the
 * same way for the YAML and the JSON reader.
 */
#ifndef CFGATE_CLI_TEMPLATE_ENCODING_H
#define CFGATE_CLI_TEMPLATE_ENCODING_H

#include <stddef.h>

#include "template_load.h"

/* Checks that bytes[0..size) is UTF-8 without NUL bytes and, when yaml is
 * 1, that it has only characters YAML allows. Returns 1, or 0 with *error at the first bad
 * character. Lines end at CR, LF and CR LF, and in YAML also at U+0085,
 * U+2028 and U+2029, as libyaml counts them; columns count code points. */
int template_encoding_check(const unsigned char *bytes, size_t size, int yaml,
                            template_error *error);

#endif
