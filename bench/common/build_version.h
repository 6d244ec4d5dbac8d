/*
 * `--version` of the bench programs: the source commit they were built
 * from, as `cfgate --version` prints it, so a results file can tell
 * whether every measured program comes from the same source.
 */
#ifndef CFGATE_BENCH_BUILD_VERSION_H
#define CFGATE_BENCH_BUILD_VERSION_H

#include <stdio.h>

#include "build_commit.h"

/* Prints "PROGRAM (commit C)" with ", with uncommitted changes" when the
 * checkout had them, and returns the exit status 0. */
static inline int bench_print_version(const char *program) {
  printf("%s (commit %s%s)\n", program, CFGATE_BUILD_COMMIT, CFGATE_BUILD_TREE_NOTE);
  return 0;
}

#endif
