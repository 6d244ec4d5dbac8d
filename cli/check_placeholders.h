/*
 * Placeholders the policy needs but the command line does not give. The
 * sessions of such resources cannot start, so `cfgate check` reports one
 * usage error per placeholder instead of a failure per resource.
 */
#ifndef CFGATE_CLI_CHECK_PLACEHOLDERS_H
#define CFGATE_CLI_CHECK_PLACEHOLDERS_H

#include <stdio.h>

#include "cfgate.h"
#include "check_policy.h"
#include "report.h"

/* Writes one error line per distinct placeholder that had no value in
 * some resource of report, naming the option that sets it. The runtime
 * names only the first missing placeholder of a resource, so the others
 * come from the placeholders its type's template lists and context lacks.
 * Returns the number of placeholders written. */
size_t check_placeholders_report_missing(FILE *out, const check_report *report,
                                         check_policy *policy, const cfgate_context *context);

#endif
