/*
 * Findings are matched by kind, position, pointer, rule and message, so a
 * finding both readings give appears once, without the note.
 */
#include "report_merge.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int same_text(const char *a, const char *b) {
  return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

static int same_finding(const report_finding *a, const report_finding *b) {
  return a->kind == b->kind && a->line == b->line && a->column == b->column &&
         same_text(a->pointer, b->pointer) && same_text(a->rule_id, b->rule_id) &&
         same_text(a->message, b->message);
}

static int has_finding(const report_finding *findings, size_t count,
                       const report_finding *finding) {
  for (size_t i = 0; i < count; i++)
    if (same_finding(&findings[i], finding))
      return 1;
  return 0;
}

static void copy_finding(report_finding **findings, size_t *count, size_t *capacity,
                         const report_finding *from, const char *note) {
  size_t size = strlen(from->message) + strlen(note) + 2;
  char *message = malloc(size);
  if (!message) {
    fputs("cfgate: out of memory\n", stderr);
    exit(2);
  }
  snprintf(message, size, "%s %s", from->message, note);

  report_finding *to = report_add_finding(findings, count, capacity, from->kind, message);
  free(message);
  report_set(&to->rule_id, from->rule_id);
  report_set(&to->pointer, from->pointer);
  report_set(&to->keyword, from->keyword);
  report_set(&to->because, from->because);
  report_set(&to->rule_file, from->rule_file);
  to->rule_line = from->rule_line;
  to->rule_column = from->rule_column;
  to->line = from->line;
  to->column = from->column;
}

static void merge_findings(report_finding **findings, size_t *count, size_t *capacity,
                           const report_finding *from, size_t from_count, const char *note) {
  size_t original = *count;

  for (size_t i = 0; i < from_count; i++)
    if (!has_finding(*findings, original, &from[i]))
      copy_finding(findings, count, capacity, &from[i], note);
}

/* Returns the resource of tmpl with the logical ID of resource or, failing
 * that, at its position: the YAML 1.1 reading names a plain No: resource
 * false. */
static const report_resource *find_resource(const report_template *tmpl,
                                            const report_resource *resource) {
  for (size_t i = 0; i < tmpl->resource_count; i++)
    if (strcmp(tmpl->resources[i].logical_id, resource->logical_id) == 0)
      return &tmpl->resources[i];

  for (size_t i = 0; i < tmpl->resource_count; i++)
    if (tmpl->resources[i].line == resource->line &&
        tmpl->resources[i].column == resource->column)
      return &tmpl->resources[i];
  return NULL;
}

static void merge_resource(report_resource *into, const report_resource *from, const char *note,
                           int strict) {
  if (from->status == STATUS_SKIPPED)
    return;

  if (into->status == STATUS_SKIPPED)
    into->status = STATUS_COMPLIANT;
  merge_findings(&into->findings, &into->finding_count, &into->finding_capacity, from->findings,
                 from->finding_count, note);
  report_finish_resource(into, strict);
}

/* Adds the reason another reading of the template cannot be loaded as an
 * invalid finding on every resource, which fails them all. */
static void add_unreadable(report_template *into, const report_template *from, const char *note,
                           int strict) {
  char message[1024];
  snprintf(message, sizeof message, "%s %s", from->error_message, note);

  for (size_t i = 0; i < into->resource_count; i++) {
    report_resource *resource = &into->resources[i];
    report_finding *finding = report_add_finding(&resource->findings, &resource->finding_count,
                                                 &resource->finding_capacity, REPORT_INVALID,
                                                 message);
    report_set(&finding->rule_id, "cfgate/yaml-1.1");
    finding->line = from->error_line;
    finding->column = from->error_column;
    if (resource->status == STATUS_SKIPPED)
      resource->status = STATUS_COMPLIANT;
    report_finish_resource(resource, strict);
  }
}

void report_merge_template(report_template *into, const report_template *from, const char *note,
                           int strict) {
  if (into->unparseable)
    return;

  if (from->unparseable) {
    add_unreadable(into, from, note, strict);
    return;
  }

  merge_findings(&into->findings, &into->finding_count, &into->finding_capacity, from->findings,
                 from->finding_count, note);
  for (size_t i = 0; i < into->resource_count; i++) {
    const report_resource *other = find_resource(from, &into->resources[i]);
    if (other)
      merge_resource(&into->resources[i], other, note, strict);
  }
}
