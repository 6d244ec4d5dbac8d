#include <stdio.h>

#include "commands.h"

/* TODO: cfgate compile is not implemented yet; it fails closed. */
int cmd_compile(int argc, char **argv) {
  (void)argc;
  (void)argv;
  fprintf(stderr, "cfgate compile: not implemented in this build\n");
  return EXIT_USAGE;
}
