/*
 * cfgate: entry point. Dispatches to one subcommand; each subcommand parses
 * its own options and prints its own diagnostics.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "build_commit.h"
#include "cfgate.h"
#include "commands.h"
#include "suggest.h"

typedef struct command {
  const char *name;
  int (*run)(int argc, char **argv);
  const char *summary;
} command;

static const command commands[] = {
  {"compile", cmd_compile, "compile .gate policies into restricted schema templates"},
  {"instantiate", cmd_instantiate, "fill a template's placeholders and print the JSON Schema"},
  {"validate", cmd_validate, "validate JSON instances against a JSON Schema"},
  {"check", cmd_check, "check CloudFormation templates against a policy"},
  {"hook", cmd_hook, "answer one CloudFormation Hook invocation"},
};

static void print_usage(FILE *out) {
  fprintf(out, "usage: cfgate COMMAND [OPTIONS]\n"
               "       cfgate help [COMMAND]\n"
               "       cfgate --version\n\ncommands:\n");
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    fprintf(out, "  %-12s %s\n", commands[i].name, commands[i].summary);
  fprintf(out,
          "\noptions:\n"
          "  -h, --help     print this help\n"
          "  --version      print the version and the source commit of the build\n"
          "\nRun 'cfgate COMMAND --help' or 'cfgate help COMMAND' for the options of one command.\n"
          "Exit status: 0 compliant or valid, 1 violation or denial, 2 usage or input error,\n"
          "3 (compile only) the new templates admit properties or values that the ones in\n"
          "the output folder reject, so nothing was written.\n");
}

static const command *find_command(const char *name) {
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (strcmp(name, commands[i].name) == 0)
      return &commands[i];
  return NULL;
}

/* Prints that name is no command, with the closest command or top-level
 * option as a hint, then the usage. */
static void report_unknown_command(const char *name) {
  suggest hint;
  suggest_init(&hint, name);
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    suggest_offer(&hint, commands[i].name);
  suggest_offer(&hint, "help");
  suggest_offer(&hint, "--help");
  suggest_offer(&hint, "--version");

  if (hint.count > 0)
    fprintf(stderr, "cfgate: unknown command '%s': did you mean '%s'?\n", name, hint.best[0]);
  else
    fprintf(stderr, "cfgate: unknown command '%s'\n", name);
  print_usage(stderr);
}

/* Runs "cfgate help [COMMAND]": the command's own --help, or this help. */
static int run_help(int argc, char **argv) {
  if (argc < 3) {
    print_usage(stdout);
    return EXIT_PASS;
  }

  const command *found = find_command(argv[2]);
  if (!found) {
    report_unknown_command(argv[2]);
    return EXIT_USAGE;
  }
  char *help_argv[] = {argv[2], "--help", NULL};
  return found->run(2, help_argv);
}

/* Flushes and closes standard output, so that a failed write (a full disk,
 * a closed pipe) is an error instead of a silent pass. Returns the exit
 * status to use. A command that already failed with EXIT_USAGE has printed
 * its own message, so none is added. */
static int finish_output(int status) {
  int failed = ferror(stdout) != 0;
  errno = 0;
  failed |= fflush(stdout) != 0;
  failed |= fclose(stdout) != 0;
  if (!failed)
    return status;

  if (status != EXIT_USAGE)
    fprintf(stderr, "cfgate: writing to standard output failed%s%s\n", errno ? ": " : "",
            errno ? strerror(errno) : "");
  return EXIT_USAGE;
}

/* Prints the version and the source commit the binary was built from, so
 * a report or a benchmark can name the exact code it ran. */
static int print_version(void) {
  printf("cfgate %s (commit %s%s)\n", cfgate_version(), CFGATE_BUILD_COMMIT, CFGATE_BUILD_TREE_NOTE);
  return EXIT_PASS;
}

static int run_command(int argc, char **argv) {
  if (argc < 2) {
    print_usage(stderr);
    return EXIT_USAGE;
  }

  const char *name = argv[1];
  if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
    print_usage(stdout);
    return EXIT_PASS;
  }
  if (strcmp(name, "help") == 0)
    return run_help(argc, argv);
  if (strcmp(name, "--version") == 0)
    return print_version();

  const command *found = find_command(name);
  if (found)
    return found->run(argc - 1, argv + 1);

  report_unknown_command(name);
  return EXIT_USAGE;
}

int main(int argc, char **argv) {
  /* A write to a closed pipe fails with EPIPE instead of ending the
   * process, so it is reported like any failed write (exit status 2). */
  signal(SIGPIPE, SIG_IGN);
  return finish_output(run_command(argc, argv));
}
