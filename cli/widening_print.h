/*
 * The lines that list what a policy's new templates admit and the
 * templates compiled before reject (policy_widening), as `cfgate compile`
 * and `--baseline` of `cfgate check` and `cfgate hook` print them.
 */
#ifndef CFGATE_CLI_WIDENING_PRINT_H
#define CFGATE_CLI_WIDENING_PRINT_H

#include <stdio.h>

#include "policy.h"

/* Prints "FILE:LINE:COLUMN: SEVERITY: TYPE POINTER: DETAIL [CODE]" to out,
 * with control characters escaped, because property names and values come
 * from the provider schema. */
void widening_print(const policy_widening *widening, const char *severity, FILE *out);

#endif
