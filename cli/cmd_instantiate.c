#include <stdio.h>

#include "commands.h"

/* TODO: cfgate instantiate is not implemented yet; it fails closed. */
int cmd_instantiate(int argc, char **argv) {
  (void)argc;
  (void)argv;
  fprintf(stderr, "cfgate instantiate: not implemented in this build\n");
  return EXIT_USAGE;
}
