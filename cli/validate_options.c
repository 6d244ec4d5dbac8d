/*
 * Option parsing for `cfgate validate`. Options take their value either as
 * the next argument or after '=' (--schema=FILE); "--" ends the options.
 */
#include "validate_options.h"

#include "cli_args.h"
#include "placeholder_values.h"

#include <stdlib.h>
#include <string.h>

void validate_options_usage(FILE *out) {
  fprintf(out,
          "usage: cfgate validate --schema SCHEMA.json [--context NAME=VALUE...] [--ndjson]\n"
          "                       [--all-errors] [--format text|json] [--assert-formats] [FILE...]\n"
          "\n"
          "Validates JSON instances against a draft-07 JSON Schema or a restricted schema\n"
          "template. Reads standard input when no FILE is given or FILE is '-'.\n"
          "Findings name it <stdin>. '-' may be given once.\n"
          "\n"
          "  --schema FILE        the schema to validate against (required)\n"
          "  --context NAME=VALUE value of the placeholder ${NAME} in a template, for\n"
          "                       example --context AWS::AccountId=123456789012; repeatable.\n"
          "                       Values of AWS::AccountId, AWS::Region, AWS::Partition\n"
          "                       and AWS::URLSuffix are checked as instantiate checks them\n"
          "  --ndjson             each line of the input is one instance; a malformed line\n"
          "                       is reported and validation goes on with the next line\n"
          "  --all-errors         report every error of an instance (up to the runtime's\n"
          "                       error limit) instead of stopping at the first\n"
          "  --format text|json   text (default): one verdict line per instance, then its\n"
          "                       errors; json: one JSON object per instance and line, as\n"
          "                       described by schemas/validate-output.schema.json\n"
          "  --assert-formats     treat \"format\" as an assertion (date-time, date, time,\n"
          "                       email, hostname, ipv4, ipv6, uri, uuid, regex); other\n"
          "                       format names stay annotations and pass\n"
          "  --help               print this help\n"
          "--context may be repeated; any other option may be given once. A value may\n"
          "follow the option or an '=' (--schema=FILE), and '--' ends the options.\n"
          "A UTF-8 byte order mark at the start of the schema or an input is skipped.\n"
          "A $ref must point into the schema file (#/definitions/NAME); references to\n"
          "other files or URLs are not followed.\n"
          "\n"
          "Input is streamed in fixed-size chunks, so memory use does not grow with it.\n"
          "Exit status: 0 every instance is valid, 1 an instance is invalid or\n"
          "exceeded a limit, 2 bad usage, an unreadable schema or file, a placeholder\n"
          "without a --context value or with a malformed built-in value, or malformed JSON (the message names the file,\n"
          "line and column).\n");
}

/* Returns the value of option NAME at argv[*index] (either "--name=value" or
 * "--name value"), advancing *index past it; NULL when NAME does not match.
 * *missing is set when the option matches but has no value. */
static const char *option_value(const char *name, int argc, char **argv, int *index, int *missing) {
  const char *arg = argv[*index];
  size_t len = strlen(name);

  if (strncmp(arg, name, len) != 0)
    return NULL;
  if (arg[len] == '=')
    return arg + len + 1;
  if (arg[len] != '\0')
    return NULL;

  if (*index + 1 >= argc) {
    *missing = 1;
    return NULL;
  }
  *index += 1;
  return argv[*index];
}

static int add_context(validate_options *options, const char *binding) {
  const char *equals = strchr(binding, '=');

  if (equals == NULL || equals == binding) {
    fprintf(stderr, "cfgate validate: invalid --context '%s': expected NAME=VALUE\n", binding);
    return -1;
  }
  if (equals[1] == '\0') {
    fprintf(stderr, "cfgate validate: empty --context value for '%.*s': a placeholder needs a "
            "value\n", (int)(equals - binding), binding);
    return -1;
  }

  size_t name_len = (size_t)(equals - binding);
  for (size_t i = 0; i < options->context_count; i++) {
    const cfgate_str *name = &options->context_names[i];
    if (name->len == name_len && memcmp(name->data, binding, name_len) == 0) {
      fprintf(stderr, "cfgate validate: duplicate --context %.*s: give each placeholder one value\n",
              (int)name_len, binding);
      return -1;
    }
  }

  size_t i = options->context_count++;
  options->context_names[i] = (cfgate_str){binding, (size_t)(equals - binding)};
  options->context_values[i] = (cfgate_str){equals + 1, strlen(equals + 1)};
  return 0;
}

static int set_format(validate_options *options, const char *format) {
  if (strcmp(format, "text") == 0) {
    options->format = VALIDATE_FORMAT_TEXT;
    return 0;
  }
  if (strcmp(format, "json") == 0) {
    options->format = VALIDATE_FORMAT_JSON;
    return 0;
  }
  fprintf(stderr, "cfgate validate: invalid --format '%s': expected text or json\n", format);
  return -1;
}

static int parse_flag(validate_options *options, const char *arg) {
  if (strcmp(arg, "--ndjson") == 0)
    options->ndjson = 1;
  else if (strcmp(arg, "--all-errors") == 0)
    options->all_errors = 1;
  else if (strcmp(arg, "--assert-formats") == 0)
    options->assert_formats = 1;
  else if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0)
    options->help = 1;
  else
    return 0;
  return 1;
}

/* Parses the option at argv[*index]. Returns 1 when it was an option, 0 when
 * it is not one, -1 on error. */
static int parse_option(validate_options *options, int argc, char **argv, int *index) {
  int missing = 0;
  const char *value;

  if (parse_flag(options, argv[*index]))
    return 1;

  if ((value = option_value("--schema", argc, argv, index, &missing)) != NULL) {
    options->schema_path = value;
    return 1;
  }
  if ((value = option_value("--context", argc, argv, index, &missing)) != NULL)
    return add_context(options, value) == 0 ? 1 : -1;
  if ((value = option_value("--format", argc, argv, index, &missing)) != NULL)
    return set_format(options, value) == 0 ? 1 : -1;

  if (missing) {
    fprintf(stderr, "cfgate validate: option %s needs a value\n", argv[*index]);
    return -1;
  }
  return 0;
}

/* Returns -1 after printing an error when '-' is given more than once: standard
 * input can be read only once, so the second file would be empty. */
static int check_stdin_once(const validate_options *options) {
  int stdin_count = 0;
  for (int i = 0; i < options->file_count; i++)
    stdin_count += strcmp(options->files[i], "-") == 0;
  if (stdin_count < 2)
    return 0;

  fprintf(stderr, "cfgate validate: '-' (standard input) given %d times; it can be read only "
          "once (see cfgate validate --help)\n", stdin_count);
  return -1;
}

static int parse_arguments(validate_options *options, int argc, char **argv) {
  int options_ended = 0;

  for (int i = 1; i < argc; i++) {
    const char *arg = argv[i];

    if (!options_ended && strcmp(arg, "--") == 0) {
      options_ended = 1;
      continue;
    }
    if (!options_ended && arg[0] == '-' && arg[1] != '\0') {
      int parsed = parse_option(options, argc, argv, &i);
      if (parsed < 0)
        return -1;
      if (parsed == 0) {
        fprintf(stderr, "cfgate validate: unknown option '%s' (see cfgate validate --help)\n", arg);
        return -1;
      }
      continue;
    }
    options->files[options->file_count++] = argv[i];
  }
  return check_stdin_once(options);
}

/* Every option of cfgate validate. Only --context may be repeated. */
static const cli_option validate_option_table[] = {
  {"--schema", NULL, 1, 0},   {"--context", NULL, 1, 1},     {"--format", NULL, 1, 0},
  {"--ndjson", NULL, 0, 0},   {"--all-errors", NULL, 0, 0},  {"--assert-formats", NULL, 0, 0},
  {"--help", "-h", 0, 1},
};

static int parse_normalized(validate_options *options, int argc, char **argv) {
  char error[512];
  cli_args normalized;
  int status = cli_args_normalize(validate_option_table,
                                  sizeof validate_option_table / sizeof validate_option_table[0],
                                  argc, argv, &normalized, error, sizeof error);
  if (status != 0)
    fprintf(stderr, "cfgate validate: %s (see cfgate validate --help)\n", error);
  else
    status = parse_arguments(options, normalized.argc, normalized.argv);

  cli_args_fini(&normalized);
  return status;
}

/* Checks the values of the built-in placeholders with the rules of
 * `cfgate instantiate`, so both commands accept the same --context values.
 * Returns 0, or -1 after printing each wrong value. */
static int check_builtin_values(const validate_options *options) {
  static const char *const builtins[] = {"AWS::AccountId", "AWS::Region", "AWS::Partition",
                                         "AWS::URLSuffix"};
  instantiate_value values[sizeof builtins / sizeof builtins[0]];
  size_t count = 0;

  for (size_t b = 0; b < sizeof builtins / sizeof builtins[0]; b++) {
    size_t len = strlen(builtins[b]);
    for (size_t i = 0; i < options->context_count; i++) {
      const cfgate_str *name = &options->context_names[i];
      if (name->len == len && memcmp(name->data, builtins[b], len) == 0)
        values[count++] = (instantiate_value){builtins[b], options->context_values[i].data};
    }
  }
  return placeholder_values_check("cfgate validate", values, count) > 0 ? -1 : 0;
}

int validate_options_parse(validate_options *options, int argc, char **argv) {
  memset(options, 0, sizeof *options);
  options->format = VALIDATE_FORMAT_TEXT;

  /* No list can be longer than argc, so one allocation each suffices. */
  size_t slots = (size_t)(argc > 0 ? argc : 1);
  options->context_names = calloc(slots, sizeof *options->context_names);
  options->context_values = calloc(slots, sizeof *options->context_values);
  options->files = calloc(slots, sizeof *options->files);
  if (options->context_names == NULL || options->context_values == NULL || options->files == NULL) {
    fprintf(stderr, "cfgate validate: out of memory\n");
    return -1;
  }

  if (parse_normalized(options, argc, argv) != 0)
    return -1;
  if (options->help)
    return 0;

  if (options->schema_path == NULL) {
    fprintf(stderr, "cfgate validate: missing --schema SCHEMA.json (see cfgate validate --help)\n");
    return -1;
  }
  return check_builtin_values(options);
}

void validate_options_fini(validate_options *options) {
  free(options->context_names);
  free(options->context_values);
  free(options->files);
  memset(options, 0, sizeof *options);
}
