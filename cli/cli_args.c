/*
 * Command-line normalization shared by the subcommands: "--name=VALUE"
 * splitting, aliases, missing values, repeated options and misspelt names.
 */
#include "cli_args.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suggest.h"

enum { CLI_NAME_MAX = 64 }; /* maximum length of an option name quoted in a message */

static const cli_option *cli_find(const cli_option *options, size_t count, const char *name,
                                  size_t len) {
  for (size_t i = 0; i < count; i++) {
    const char *alias = options[i].alias;
    if (strlen(options[i].name) == len && strncmp(options[i].name, name, len) == 0)
      return &options[i];
    if (alias && strlen(alias) == len && strncmp(alias, name, len) == 0)
      return &options[i];
  }
  return NULL;
}

static void cli_report_unknown(const cli_option *options, size_t count, const char *arg,
                               size_t len, char *error, size_t size) {
  char name[CLI_NAME_MAX + 1];
  suggest hint;

  snprintf(name, sizeof name, "%.*s", (int)(len < CLI_NAME_MAX ? len : CLI_NAME_MAX), arg);
  suggest_init(&hint, name);
  for (size_t i = 0; i < count; i++)
    suggest_offer(&hint, options[i].name);

  if (hint.count > 0)
    snprintf(error, size, "unknown option '%.*s': did you mean '%s'?", (int)len, arg, hint.best[0]);
  else
    snprintf(error, size, "unknown option '%.*s'", (int)len, arg);
}

/* Marks option as given in seen[], which is indexed like options[], and
 * rejects a second use of a non-repeatable option. */
static int cli_note_seen(const cli_option *options, const cli_option *option, unsigned char *seen,
                         char *error, size_t size) {
  size_t index = (size_t)(option - options);
  if (seen[index] && !option->repeatable) {
    snprintf(error, size, "option %s is given more than once%s", option->name,
             option->takes_value ? "; it takes one value" : "");
    return -1;
  }
  seen[index] = 1;
  return 0;
}

/* Appends the value of option: the text after '=' (equals), or the next
 * argument, which must not be another option. An empty value is missing. */
static int cli_take_value(const cli_option *option, char *equals, int argc, char **argv,
                          int *index, cli_args *out, char *error, size_t size) {
  if (!option->takes_value) {
    if (equals)
      snprintf(error, size, "option %s takes no value, got '%s'", option->name, equals + 1);
    return equals ? -1 : 0;
  }

  if (equals && equals[1] == '\0') {
    snprintf(error, size, "%s needs a value", option->name);
    return -1;
  }
  if (equals) {
    *equals = '\0';
    out->argv[out->argc++] = equals + 1;
    return 0;
  }
  const char *next = *index + 1 < argc ? argv[*index + 1] : NULL;
  if (!next || next[0] == '\0' || strncmp(next, "--", 2) == 0) {
    snprintf(error, size, "%s needs a value", option->name);
    return -1;
  }
  *index += 1;
  out->argv[out->argc++] = argv[*index];
  return 0;
}

/* Appends the option at argv[*index], under its long name, and its value.
 * The long name and the alias both accept "=VALUE" ("-o=DIR"). */
static int cli_take_option(const cli_option *options, size_t count, unsigned char *seen,
                           int argc, char **argv, int *index, cli_args *out, char *error,
                           size_t size) {
  char *arg = argv[*index];
  char *equals = strchr(arg, '=');
  size_t len = equals ? (size_t)(equals - arg) : strlen(arg);
  const cli_option *option = cli_find(options, count, arg, len);

  if (!option) {
    cli_report_unknown(options, count, arg, len, error, size);
    return -1;
  }
  if (cli_note_seen(options, option, seen, error, size) != 0)
    return -1;

  out->argv[out->argc++] = (char *)option->name;
  return cli_take_value(option, equals, argc, argv, index, out, error, size);
}

static int cli_is_option(const char *arg) {
  return arg[0] == '-' && arg[1] != '\0';
}

int cli_args_normalize(const cli_option *options, size_t count, int argc, char **argv,
                       cli_args *out, char *error, size_t size) {
  out->argc = 0;
  /* "--name=VALUE" becomes two entries, so at most 2 * argc of them. */
  out->argv = calloc(2 * (size_t)argc + 1, sizeof out->argv[0]);
  unsigned char *seen = calloc(count + 1, 1);
  int status = out->argv && seen ? 0 : -1;
  if (status != 0)
    snprintf(error, size, "out of memory");

  int options_ended = 0;
  if (status == 0 && argc > 0)
    out->argv[out->argc++] = argv[0];
  for (int i = 1; status == 0 && i < argc; i++) {
    options_ended |= strcmp(argv[i], "--") == 0;
    if (options_ended || !cli_is_option(argv[i]))
      out->argv[out->argc++] = argv[i];
    else
      status = cli_take_option(options, count, seen, argc, argv, &i, out, error, size);
  }

  free(seen);
  return status;
}

int cli_args_wants_help(const cli_option *options, size_t count, int argc, char **argv) {
  for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
      return 1;

    const cli_option *option = cli_find(options, count, argv[i], strlen(argv[i]));
    if (option && option->takes_value)
      i++;
  }
  return 0;
}

void cli_args_fini(cli_args *args) {
  free(args->argv);
  args->argv = NULL;
  args->argc = 0;
}
