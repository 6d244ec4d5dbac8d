#include <stdio.h>

#include "commands.h"

/* TODO: cfgate hook is not implemented yet; it fails closed. */
int cmd_hook(int argc, char **argv) {
  (void)argc;
  (void)argv;
  fprintf(stderr, "cfgate hook: not implemented in this build\n");
  return EXIT_USAGE;
}
