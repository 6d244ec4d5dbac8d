/*
 * Drops findings that read the same as an earlier one. Two findings that
 * differed only in a NoEcho value read the same once the value is shown
 * as ****, and printing both would only repeat a line.
 */
#include <string.h>

#include "report.h"

static int same_text(const char *a, const char *b) {
  if (!a || !b)
    return a == b;
  return strcmp(a, b) == 0;
}

static int same_finding(const report_finding *a, const report_finding *b) {
  return a->kind == b->kind && a->line == b->line && a->column == b->column &&
         a->rule_line == b->rule_line && a->rule_column == b->rule_column &&
         same_text(a->rule_id, b->rule_id) && same_text(a->pointer, b->pointer) &&
         same_text(a->keyword, b->keyword) && same_text(a->message, b->message) &&
         same_text(a->because, b->because) && same_text(a->rule_file, b->rule_file);
}

/* Keeps the first of each group of equal findings, in their order. */
static void drop_repeats(report_finding *findings, size_t *count) {
  size_t kept_count = 0;
  for (size_t i = 0; i < *count; i++) {
    int repeat = 0;
    for (size_t j = 0; j < kept_count && !repeat; j++)
      repeat = same_finding(&findings[j], &findings[i]);

    if (repeat)
      report_finding_free(&findings[i]);
    else
      findings[kept_count++] = findings[i];
  }
  *count = kept_count;
}

void report_drop_repeated_findings(report_template *tmpl) {
  drop_repeats(tmpl->findings, &tmpl->finding_count);
  for (size_t r = 0; r < tmpl->resource_count; r++)
    drop_repeats(tmpl->resources[r].findings, &tmpl->resources[r].finding_count);
}
