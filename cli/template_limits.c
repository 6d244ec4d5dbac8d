/*
 * Limits on the findings listed per resource and per template.
 */
#include "template_limits.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int template_limits_resource_full(const report_resource *resource, size_t first) {
  return resource->finding_count >= first &&
         resource->finding_count - first >= TEMPLATE_MAX_RESOURCE_FINDINGS;
}

int template_limits_resource_fails(const report_resource *resource, size_t first) {
  for (size_t i = first; i < resource->finding_count; i++)
    if (report_kind_fails(resource->findings[i].kind, 0))
      return 1;
  return 0;
}

/* Keeps keep findings of resource: the failing ones first, then the
 * unverified ones, each group in its order, and the kept ones in their
 * order. Returns how many it dropped. */
static size_t keep_findings(report_resource *resource, size_t keep) {
  size_t count = resource->finding_count;
  if (count <= keep)
    return 0;
  unsigned char *kept = calloc(count, 1);
  if (!kept) {
    fputs("cfgate: out of memory\n", stderr);
    exit(2);
  }

  size_t chosen = 0;
  for (int pass = 0; pass < 2; pass++)
    for (size_t i = 0; i < count && chosen < keep; i++) {
      int fails = report_kind_fails(resource->findings[i].kind, 0);
      if (!kept[i] && fails == (pass == 0)) {
        kept[i] = 1;
        chosen++;
      }
    }

  size_t used = 0;
  for (size_t i = 0; i < count; i++) {
    if (kept[i])
      resource->findings[used++] = resource->findings[i];
    else
      report_finding_free(&resource->findings[i]);
  }
  /* report_add_finding() frees the fields of the slot it fills. */
  memset(resource->findings + used, 0, (count - used) * sizeof resource->findings[0]);
  resource->finding_count = used;
  free(kept);
  return count - used;
}

void template_limits_apply_resource(report_resource *resource) {
  size_t cut = keep_findings(resource, TEMPLATE_MAX_RESOURCE_FINDINGS);
  size_t left_out = resource->findings_left_out + cut;
  if (left_out == 0 && resource->combinations_left_out == 0)
    return;

  int fails = template_limits_resource_fails(resource, 0);
  char message[600];
  int used = snprintf(message, sizeof message,
                      "too many findings in resource %.200s (limit is %d): the first %zu are "
                      "listed, failing findings before unverified ones",
                      resource->logical_id, TEMPLATE_MAX_RESOURCE_FINDINGS,
                      resource->finding_count);
  if (left_out && used > 0 && (size_t)used < sizeof message)
    used += snprintf(message + used, sizeof message - (size_t)used, ", and %zu more are left out",
                     left_out);
  if (resource->combinations_left_out && used > 0 && (size_t)used < sizeof message)
    snprintf(message + used, sizeof message - (size_t)used,
             "; %zu combinations of parameter and condition values were not validated, because "
             "the resource already fails",
             resource->combinations_left_out);

  report_finding *notice = report_add_finding(&resource->findings, &resource->finding_count,
                                              &resource->finding_capacity,
                                              fails ? REPORT_FAILED : REPORT_UNVERIFIED, message);
  report_set(&notice->rule_id, "cfgate/findings");
  report_set(&notice->pointer, "");
  report_set(&notice->keyword, "");
  notice->line = resource->line;
  notice->column = resource->column;
}

void template_limits_apply_template(report_template *tmpl) {
  size_t listed = tmpl->finding_count, left_out = 0;
  const report_resource *first_cut = NULL;
  for (size_t r = 0; r < tmpl->resource_count; r++) {
    report_resource *resource = &tmpl->resources[r];
    size_t room = listed < TEMPLATE_MAX_FINDINGS ? TEMPLATE_MAX_FINDINGS - listed : 0;
    if (room == 0 && resource->finding_count > 0)
      room = 1; /* the finding that keeps the resource's verdict */
    size_t cut = keep_findings(resource, room);
    if (cut && !first_cut)
      first_cut = resource;
    left_out += cut;
    listed += resource->finding_count;
  }
  if (!first_cut)
    return;

  char message[600];
  snprintf(message, sizeof message,
           "too many findings in the template (limit is %d): the first %d are listed, then one "
           "finding per resource, its first failing or else unverified one, and %zu more are "
           "left out",
           TEMPLATE_MAX_FINDINGS, TEMPLATE_MAX_FINDINGS, left_out);
  report_finding *notice = report_add_finding(&tmpl->findings, &tmpl->finding_count,
                                              &tmpl->finding_capacity, REPORT_UNVERIFIED,
                                              message);
  report_set(&notice->rule_id, "cfgate/findings");
  report_set(&notice->pointer, "");
  report_set(&notice->keyword, "");
  notice->line = first_cut->line;
  notice->column = first_cut->column;
}
