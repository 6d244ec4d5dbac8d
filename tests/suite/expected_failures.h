/*
 * The committed list of optional JSON-Schema-Test-Suite cases that are known
 * not to pass, each with its reason. Lines read
 *   FILE <TAB> GROUP DESCRIPTION <TAB> TEST DESCRIPTION <TAB> REASON
 * where FILE is relative to tests/draft7 (e.g. optional/bignum.json); '#'
 * starts a comment line. A GROUP or TEST of "*" matches every group or test
 * of the file, and then covers the failing cases only: the passing cases of
 * a wildcard entry are not reported.
 */
#ifndef CFGATE_TESTS_EXPECTED_FAILURES_H
#define CFGATE_TESTS_EXPECTED_FAILURES_H

#include <stddef.h>

/* Maximum entries in the list. */
#define SUITE_MAX_EXPECTED_FAILURES 512

typedef struct expected_failure {
  char *file, *group, *test, *reason;
  int seen; /* the case ran and failed as listed */
} expected_failure;

typedef struct expected_failures {
  expected_failure entries[SUITE_MAX_EXPECTED_FAILURES];
  size_t count;
  char *text; /* the file contents the entries point into */
} expected_failures;

/* Reads the list at path. Returns 0, or -1 after printing
 * "path:line: error: ..." to stderr. */
int expected_failures_load(expected_failures *list, const char *path);

/* Returns the entry for the case, or NULL when it is not listed. */
expected_failure *expected_failures_find(expected_failures *list, const char *file, const char *group,
                                         const char *test);

/* Returns 1 when the entry's group or test is "*". */
int expected_failure_is_wildcard(const expected_failure *entry);

void expected_failures_free(expected_failures *list);

#endif
