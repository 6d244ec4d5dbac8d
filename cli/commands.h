/*
 * Subcommands of the cfgate executable. Each takes the arguments after its
 * name (argv[0] is the subcommand) and returns the process exit status.
 */
#ifndef CFGATE_CLI_COMMANDS_H
#define CFGATE_CLI_COMMANDS_H

/* Exit statuses shared by every subcommand. */
enum {
  EXIT_PASS = 0,      /* everything checked is compliant or valid */
  EXIT_VIOLATION = 1, /* at least one violation, invalid instance or denial */
  EXIT_USAGE = 2,     /* bad usage, or input that cannot be read or parsed */
  /* cfgate compile only: the new templates admit properties or values that
   * the templates in the output folder reject, and nothing was written */
  EXIT_NEW_PROPERTIES = 3
};

int cmd_compile(int argc, char **argv);
int cmd_instantiate(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_hook(int argc, char **argv);

#endif
