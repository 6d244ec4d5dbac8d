/*
 * Text report: findings grouped by template and resource, compiler-style
 * "file:line:col: level: message" lines, the because text under each, and a
 * summary line. Compliant resources appear only in the summary.
 */
#include "report.h"

typedef struct text_style {
  const char *error, *warning, *bold, *reset;
} text_style;

static const char *finding_level(const report_finding *finding, int strict) {
  return report_kind_fails(finding->kind, strict) ? "error" : "warning";
}

static void write_rule(FILE *out, const report_finding *finding) {
  if (finding->rule_file)
    fprintf(out, " [%s:%u:%u]", finding->rule_file, (unsigned)finding->rule_line,
            (unsigned)finding->rule_column);
  else if (finding->rule_id)
    fprintf(out, " [%s]", finding->rule_id);
}

static void write_finding(FILE *out, const char *path, const report_finding *finding, int strict,
                          const text_style *style) {
  const char *level = finding_level(finding, strict);
  const char *color = level[0] == 'e' ? style->error : style->warning;

  fprintf(out, "    %s:%u:%u: %s%s%s: ", path, (unsigned)finding->line, (unsigned)finding->column,
          color, level, style->reset);
  if (finding->pointer && finding->pointer[0])
    fprintf(out, "%s: ", finding->pointer);
  fputs(finding->message, out);
  write_rule(out, finding);
  fputc('\n', out);

  if (finding->because)
    fprintf(out, "      because: %s\n", finding->because);
}

static void write_resource(FILE *out, const char *path, const report_resource *resource,
                           int strict, const text_style *style) {
  if (resource->status == STATUS_COMPLIANT || resource->status == STATUS_SKIPPED)
    return;

  fprintf(out, "  %s%s%s (%s): %s\n", style->bold, resource->logical_id, style->reset,
          resource->type, report_status_name(resource->status));
  for (size_t i = 0; i < resource->finding_count; i++)
    write_finding(out, path, &resource->findings[i], strict, style);
}

static void write_template(FILE *out, const report_template *tmpl, int strict,
                           const text_style *style) {
  if (tmpl->unparseable) {
    fprintf(out, "%s:%u:%u: %serror%s: %s\n", tmpl->path, (unsigned)tmpl->error_line,
            (unsigned)tmpl->error_column, style->error, style->reset, tmpl->error_message);
    return;
  }

  int has_output = tmpl->finding_count > 0;
  for (size_t i = 0; i < tmpl->resource_count; i++)
    has_output |= tmpl->resources[i].status == STATUS_VIOLATION ||
                  tmpl->resources[i].status == STATUS_UNVERIFIED;
  if (!has_output)
    return;

  fprintf(out, "%s%s%s\n", style->bold, tmpl->path, style->reset);
  for (size_t i = 0; i < tmpl->finding_count; i++)
    write_finding(out, tmpl->path, &tmpl->findings[i], strict, style);
  for (size_t i = 0; i < tmpl->resource_count; i++)
    write_resource(out, tmpl->path, &tmpl->resources[i], strict, style);
}

int report_write_text(FILE *out, const check_report *report, int color) {
  static const text_style plain = {"", "", "", ""};
  static const text_style ansi = {"\033[31m", "\033[33m", "\033[1m", "\033[0m"};
  const text_style *style = color ? &ansi : &plain;

  for (size_t i = 0; i < report->template_count; i++)
    write_template(out, &report->templates[i], report->strict, style);

  report_summary s = report_summarize(report);
  fprintf(out,
          "summary: %zu templates, %zu resources, %zu compliant, %zu violations, "
          "%zu unverified, %zu unparseable, %zu skipped by conditions\n",
          s.templates, s.resources, s.compliant, s.violations, s.unverified, s.unparseable,
          s.skipped);
  return ferror(out) ? -1 : 0;
}
