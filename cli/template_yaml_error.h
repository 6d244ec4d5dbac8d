/*
 * libyaml's parse errors, worded for the author of a template. libyaml
 * names the token it failed on. For a tab in the indentation and for a flow
 * collection left open at the end of the text, the message names the cause
 * and the fix instead.
 */
#ifndef CFGATE_CLI_TEMPLATE_YAML_ERROR_H
#define CFGATE_CLI_TEMPLATE_YAML_ERROR_H

#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

#include "template_load.h"

/* Sets error's position and its message from format. */
void template_error_set(template_error *error, uint32_t line, uint32_t column, const char *format,
                        ...) __attribute__((format(printf, 4, 5)));

/* Records text[0..len) as the template text that error's message quotes
 * ("" for none), and clears where it sits. */
void template_error_quote(template_error *error, const char *text, size_t len);

/* libyaml counts lines and columns from 0; messages count from 1. */
static inline uint32_t mark_line(yaml_mark_t mark) { return (uint32_t)mark.line + 1; }
static inline uint32_t mark_column(yaml_mark_t mark) { return (uint32_t)mark.column + 1; }

/* Fills error from parser, whose last call failed. bytes and size are the
 * text the parser read. */
void template_yaml_parser_error(template_error *error, const yaml_parser_t *parser,
                                const unsigned char *bytes, size_t size);

#endif
