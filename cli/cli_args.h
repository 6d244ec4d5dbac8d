/*
 * Command-line normalization shared by the subcommands. It checks every
 * option against the command's table before the command parses them.
 */
#ifndef CFGATE_CLI_ARGS_H
#define CFGATE_CLI_ARGS_H

#include <stddef.h>

/* One option of a command. */
typedef struct cli_option {
  const char *name;  /* long form, such as "--region" */
  const char *alias; /* short form, such as "-o", or NULL */
  int takes_value;   /* 1: needs a value, given as "--name VALUE" or "--name=VALUE" */
  int repeatable;    /* 1: may be given more than once */
} cli_option;

/* The arguments after normalization: "--name=VALUE" is split into "--name"
 * and "VALUE", and an alias is replaced by its long name. */
typedef struct cli_args {
  int argc;
  char **argv; /* owned array; the strings point into the original argv */
} cli_args;

/*
 * Checks argv (argv[0] is the command name) against options[0..count) and
 * fills *out. Returns 0, or -1 with a message in error[0..size) for an
 * unknown option (with a "did you mean" hint), a missing value, a value
 * given to a flag, or a non-repeatable option given twice. An empty value
 * ("--policy=") and a value that starts with "--" count as missing. The
 * arguments from a bare "--" on, "--" included, are copied as they are; the
 * command reads "--" as the end of its options. Rewrites the '=' of
 * "--name=VALUE" or "-o=VALUE" in argv to '\0'. Call cli_args_fini() either
 * way.
 */
int cli_args_normalize(const cli_option *options, size_t count, int argc, char **argv,
                       cli_args *out, char *error, size_t size);

/*
 * Returns 1 when "--help" or "-h" is given as an option: before a bare "--"
 * and not as the value of an option that takes one. Lets a command print its
 * help before it complains about the other arguments.
 */
int cli_args_wants_help(const cli_option *options, size_t count, int argc, char **argv);

void cli_args_fini(cli_args *args);

#endif
