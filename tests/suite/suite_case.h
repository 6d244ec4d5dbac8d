/*
 * Running one JSON-Schema-Test-Suite instance through the runtime in every
 * error mode and chunk size, and checking that all runs agree.
 */
#ifndef CFGATE_TESTS_SUITE_CASE_H
#define CFGATE_TESTS_SUITE_CASE_H

#include <stddef.h>

#include "cfgate.h"

/* Bytes of the error summary compared between runs of one instance. */
#define SUITE_SIGNATURE_SIZE 4096

/* The result of all runs of one instance. */
typedef struct suite_outcome {
  cfgate_verdict verdict;   /* verdict of the first run (first error, whole text) */
  int consistent;           /* 1 when every run gave the same verdict and errors */
  char detail[1024];        /* first error message, or what differed between runs */
} suite_outcome;

/* Validates data[0..len) against validator in first-error and all-errors
 * mode, fed whole, in 7-byte and in 1-byte chunks. Returns 0 and fills
 * *outcome, or -1 when no session could start (message in outcome->detail). */
int suite_case_run(const cfgate_validator *validator, int assert_formats, const char *data, size_t len,
                   suite_outcome *outcome);

#endif
