/*
 * libyaml's parse errors, worded for the author of a template. libyaml
 * names the token it failed on. For a tab in the indentation and for a flow
 * collection left open at the end of the text, the message names the cause
 * and the fix instead.
 */
#ifndef CFGATE_CLI_TEMPLATE_YAML_ERROR_H
#define CFGATE_CLI_TEMPLATE_YAML_ERROR_H

#include <stddef.h>
#include <yaml.h>

#include "template_load.h"

/* Fills error from parser, whose last call failed. bytes and size are the
 * text the parser read. */
void template_yaml_parser_error(template_error *error, const yaml_parser_t *parser,
                                const unsigned char *bytes, size_t size);

#endif
