/*
 * cfgate: entry point. Dispatches to one subcommand; each subcommand parses
 * its own options and prints its own diagnostics.
 */
#include <stdio.h>
#include <string.h>

#include "cfgate.h"
#include "commands.h"

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
  fprintf(out, "usage: cfgate COMMAND [OPTIONS]\n\ncommands:\n");
  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    fprintf(out, "  %-12s %s\n", commands[i].name, commands[i].summary);
  fprintf(out,
          "\nRun 'cfgate COMMAND --help' for the options of one command.\n"
          "Exit status: 0 compliant or valid, 1 violation or denial, 2 usage or input error.\n");
}

int main(int argc, char **argv) {
  if (argc < 2) {
    print_usage(stderr);
    return EXIT_USAGE;
  }

  const char *name = argv[1];
  if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
    print_usage(stdout);
    return EXIT_PASS;
  }
  if (strcmp(name, "--version") == 0) {
    printf("cfgate %s\n", cfgate_version());
    return EXIT_PASS;
  }

  for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
    if (strcmp(name, commands[i].name) == 0)
      return commands[i].run(argc - 1, argv + 1);

  fprintf(stderr, "cfgate: unknown command '%s'\n", name);
  print_usage(stderr);
  return EXIT_USAGE;
}
