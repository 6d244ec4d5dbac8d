/*
 * Checks one CloudFormation template against a policy and records the
 * result in a report: parsing, Transform and resource type handling,
 * intrinsic resolution (each undecidable Fn::If branch validated), and
 * validation of each resource's Properties with CloudFormation coercion.
 */
#ifndef CFGATE_CLI_TEMPLATE_CHECK_H
#define CFGATE_CLI_TEMPLATE_CHECK_H

#include <stddef.h>

#include "cfgate.h"
#include "check_policy.h"
#include "intrinsic.h"
#include "report.h"

typedef struct check_settings {
  /* Pseudo parameter values; NULL when not given. */
  const char *account_id, *region, *partition, *url_suffix, *stack_name, *stack_id;
  const intrinsic_binding *parameters; /* --parameter KEY=VALUE */
  size_t parameter_count;
  unsigned char *parameter_used;       /* per --parameter: set once a template declares it */
  cfgate_context context;              /* placeholder values for the sessions */
} check_settings;

/* Checks the template in bytes (named path in findings) and appends the
 * result to report. */
void template_check(check_report *report, check_policy *policy, const check_settings *settings,
                    const char *path, const unsigned char *bytes, size_t size);

#endif
