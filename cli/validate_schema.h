/*
 * Loading of the --schema file of `cfgate validate` into validator tables.
 */
#ifndef CFGATE_CLI_VALIDATE_SCHEMA_H
#define CFGATE_CLI_VALIDATE_SCHEMA_H

#include <jansson.h>
#include <stdio.h>

#include "cfgate.h"

/* Reads the JSON Schema at path and compiles it. Returns NULL after printing
 * "path:line:column: error: ..." to stderr when the file cannot be read,
 * is not JSON, or is not a schema cfgate can compile. Warns on stderr about
 * each name of context that the schema does not list as a placeholder, and
 * prints an error for each listed placeholder that context does not give
 * (the validation session then fails to start).
 * Free the result with validate_schema_free(). */
cfgate_validator *validate_schema_load(const char *path, const cfgate_context *context);

void validate_schema_free(cfgate_validator *validator);

/* Prints the first syntax error of the JSON file at path, at the start of
 * the offending token, and returns 1. Returns 0 without output when the
 * file cannot be read or the runtime's tokenizer finds no syntax error. */
int validate_schema_syntax_error(const char *path);

/* Returns 0 when the root "$schema" of the schema loaded from path is
 * absent, a draft-07 URI (http or https, with or without '#') or an https
 * URL of the CloudFormation provider definition meta-schema, which extends
 * draft-07. Returns -1
 * after printing "path:line:column: error: unsupported $schema ..." to
 * stderr otherwise. */
int validate_schema_check_version(const char *path, const json_t *schema);

/* Returns 0 when every number in the schema file at path keeps its exact
 * value as jansson reads it. Returns -1 after printing "path:line:column:
 * error: schema number ..." for the first one a double would round. */
int validate_schema_check_numbers(const char *path);

/* Prints "path:line:column: error: schema location 'POINTER': MESSAGE; got
 * VALUE" for the keyword at the JSON pointer of the schema file at path, or
 * the same without position and value when the pointer is not found. */
void validate_schema_report_location(const char *path, const char *pointer, const char *message);

/* Moves in past a UTF-8 byte order mark at its start, or back to the
 * start when there is none. Returns 1 when it skipped one. */
int validate_schema_skip_bom(FILE *in);

#endif
