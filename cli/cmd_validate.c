#include <stdio.h>

#include "commands.h"

/* TODO: cfgate validate is not implemented yet; it fails closed. */
int cmd_validate(int argc, char **argv) {
  (void)argc;
  (void)argv;
  fprintf(stderr, "cfgate validate: not implemented in this build\n");
  return EXIT_USAGE;
}
