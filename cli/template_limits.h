/*
 * Limits on the findings of a template, so that a small template cannot
 * produce an unbounded report: one finding per tag and per combination of
 * parameter values adds up to millions. A limit only shortens the list.
 * It keeps a failing finding of each resource that has one, so a resource
 * keeps its verdict, and a notice names the limit and what was left out.
 */
#ifndef CFGATE_CLI_TEMPLATE_LIMITS_H
#define CFGATE_CLI_TEMPLATE_LIMITS_H

#include <stddef.h>

#include "report.h"

enum {
  TEMPLATE_MAX_RESOURCE_FINDINGS = 100, /* findings listed per resource */
  TEMPLATE_MAX_FINDINGS = 1000          /* findings listed per template, in its resources too */
};

/* Returns 1 when resource has TEMPLATE_MAX_RESOURCE_FINDINGS or more
 * findings from first on. */
int template_limits_resource_full(const report_resource *resource, size_t first);

/* Returns 1 when resource has a finding from first on that fails without
 * --strict, so that no further finding can change its verdict. */
int template_limits_resource_fails(const report_resource *resource, size_t first);

/* Cuts the findings of resource to TEMPLATE_MAX_RESOURCE_FINDINGS, keeping
 * failing findings before unverified ones and each group in its order,
 * and adds a notice when it cut any or the enumeration left findings or
 * combinations out (resource->findings_left_out, combinations_left_out). */
void template_limits_apply_resource(report_resource *resource);

/* Cuts the findings of tmpl to TEMPLATE_MAX_FINDINGS in resource order.
 * A resource after the limit keeps one finding, its first failing one or
 * else its first unverified one, so that its verdict stays. Adds a
 * template-level notice when it cut any. */
void template_limits_apply_template(report_template *tmpl);

#endif
