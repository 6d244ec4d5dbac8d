/*
 * Command-line options of `cfgate validate`.
 */
#ifndef CFGATE_CLI_VALIDATE_OPTIONS_H
#define CFGATE_CLI_VALIDATE_OPTIONS_H

#include <stdio.h>

#include "cfgate.h"

typedef enum validate_format { VALIDATE_FORMAT_TEXT, VALIDATE_FORMAT_JSON } validate_format;

/* Parsed options. Strings point into argv; the context arrays are owned. */
typedef struct validate_options {
  const char *schema_path;
  cfgate_str *context_names;  /* placeholder names from --context NAME=VALUE */
  cfgate_str *context_values; /* their values, same index */
  size_t context_count;
  int ndjson;
  int all_errors;
  int assert_formats;
  int help;
  validate_format format;
  char **files; /* instance files; none means standard input */
  int file_count;
} validate_options;

/* Parses argv (argv[0] is "validate") into *options. Returns 0, or -1 after
 * printing the problem to stderr. Call validate_options_fini() either way. */
int validate_options_parse(validate_options *options, int argc, char **argv);

void validate_options_fini(validate_options *options);

/* Writes the --help text. */
void validate_options_usage(FILE *out);

#endif
