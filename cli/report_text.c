/*
 * Text report: findings grouped by template and resource, compiler-style
 * "file:line:col: level: message" lines, the because text under each, and a
 * summary line. Compliant resources appear only in the summary.
 */
#include "report.h"

#include "utf8.h"

/* Writes text with control characters escaped: C0 and DEL as \n, \r, \t
 * or \xHH, the code points of utf8_invisible() as JSON escapes (\u200b,
 * \ud834\udd73 for U+1D173). A template
 * cannot forge report lines or send terminal escape sequences through its
 * keys, values or file names. */
static void put_escaped(FILE *out, const char *text) {
  for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
    size_t len = 0;
    uint32_t code = *p >= 0x80 ? utf8_invisible((const char *)p, &len) : 0;
    if (code) {
      char escape[UTF8_ESCAPE_SIZE];
      utf8_escape(code, escape);
      fputs(escape, out);
      p += len - 1;
    } else if (*p >= 0x20 && *p != 0x7f)
      fputc(*p, out);
    else if (*p == '\n')
      fputs("\\n", out);
    else if (*p == '\r')
      fputs("\\r", out);
    else if (*p == '\t')
      fputs("\\t", out);
    else
      fprintf(out, "\\x%02x", *p);
  }
}

typedef struct text_style {
  const char *error, *warning, *bold, *reset;
} text_style;

static const char *finding_level(const report_finding *finding, int strict) {
  return report_kind_fails(finding->kind, strict) ? "error" : "warning";
}

static void write_rule(FILE *out, const report_finding *finding) {
  if (finding->rule_file) {
    fputs(" [", out);
    put_escaped(out, finding->rule_file);
    fprintf(out, ":%u:%u]", (unsigned)finding->rule_line, (unsigned)finding->rule_column);
  } else if (finding->rule_id) {
    fputs(" [", out);
    put_escaped(out, finding->rule_id);
    fputc(']', out);
  }
}

static void write_finding(FILE *out, const char *path, const report_finding *finding, int strict,
                          const text_style *style) {
  const char *level = finding_level(finding, strict);
  const char *color = level[0] == 'e' ? style->error : style->warning;

  fputs("    ", out);
  put_escaped(out, path);
  fprintf(out, ":%u:%u: %s%s%s: ", (unsigned)finding->line, (unsigned)finding->column, color,
          level, style->reset);
  if (finding->pointer && finding->pointer[0]) {
    put_escaped(out, finding->pointer);
    fputs(": ", out);
  }
  put_escaped(out, finding->message);
  write_rule(out, finding);
  fputc('\n', out);

  if (finding->because) {
    fputs("      because: ", out);
    put_escaped(out, finding->because);
    fputc('\n', out);
  }
}

static void write_resource(FILE *out, const char *path, const report_resource *resource,
                           int strict, const text_style *style) {
  if (resource->status == STATUS_COMPLIANT || resource->status == STATUS_SKIPPED)
    return;

  fprintf(out, "  %s", style->bold);
  put_escaped(out, resource->logical_id);
  fprintf(out, "%s (", style->reset);
  put_escaped(out, resource->type && resource->type[0] ? resource->type : "no Type");
  fprintf(out, "): %s\n", report_status_name(resource->status));
  for (size_t i = 0; i < resource->finding_count; i++)
    write_finding(out, path, &resource->findings[i], strict, style);
}

static void write_template(FILE *out, const report_template *tmpl, int strict,
                           const text_style *style) {
  if (tmpl->unparseable) {
    put_escaped(out, tmpl->path);
    fprintf(out, ":%u:%u: %serror%s: ", (unsigned)tmpl->error_line,
            (unsigned)tmpl->error_column, style->error, style->reset);
    put_escaped(out, tmpl->error_message);
    fputc('\n', out);
    return;
  }

  int has_output = tmpl->finding_count > 0;
  for (size_t i = 0; i < tmpl->resource_count; i++)
    has_output |= tmpl->resources[i].status == STATUS_VIOLATION ||
                  tmpl->resources[i].status == STATUS_UNVERIFIED;
  if (!has_output)
    return;

  fputs(style->bold, out);
  put_escaped(out, tmpl->path);
  fprintf(out, "%s\n", style->reset);
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
          "summary: %zu template%s, %zu resource%s, %zu compliant, %zu violation%s, "
          "%zu unverified, %zu unparseable, %zu skipped by conditions",
          s.templates, s.templates == 1 ? "" : "s", s.resources, s.resources == 1 ? "" : "s",
          s.compliant, s.violations, s.violations == 1 ? "" : "s", s.unverified, s.unparseable,
          s.skipped);
  if (s.template_errors)
    fprintf(out, ", %zu template%s with errors outside resources", s.template_errors,
            s.template_errors == 1 ? "" : "s");
  fputc('\n', out);
  return ferror(out) ? -1 : 0;
}
