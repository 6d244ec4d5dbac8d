#include <stdio.h>

#include "commands.h"

/* TODO: cfgate check is not implemented yet; it fails closed. */
int cmd_check(int argc, char **argv) {
  (void)argc;
  (void)argv;
  fprintf(stderr, "cfgate check: not implemented in this build\n");
  return EXIT_USAGE;
}
