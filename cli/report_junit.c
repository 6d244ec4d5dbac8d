/*
 * JUnit XML report: one testsuite per template and one testcase per
 * resource, with a <failure> per failing finding. Unverified findings
 * outside --strict go to <system-out>, and an unparseable template is one
 * testcase with an <error>.
 */
#include "report.h"

#include <stdint.h>
#include <string.h>

#include "utf8.h"

/* Returns whether XML 1.0 allows the character c in a document, even as a
 * character reference (the "Char" production of XML 1.0, section 2.2). */
static int xml_allows(uint32_t c) {
  if (c < 0x20)
    return c == '\t' || c == '\n' || c == '\r';
  return c != 0xFFFE && c != 0xFFFF;
}

static void write_escaped_char(FILE *out, uint32_t c, const char *bytes, size_t len) {
  switch (c) {
  case '&': fputs("&amp;", out); break;
  case '<': fputs("&lt;", out); break;
  case '>': fputs("&gt;", out); break;
  case '"': fputs("&quot;", out); break;
  case '\n': fputs("&#10;", out); break;
  case '\r': fputs("&#13;", out); break;
  case '\t': fputs("&#9;", out); break;
  default: fwrite(bytes, 1, len, out);
  }
}

/* Writes text escaped for XML element text and attribute values. A
 * character XML 1.0 forbids (most control characters, U+FFFE, U+FFFF) and a
 * byte that is not valid UTF-8 become '?', so the document always parses.
 * An invisible character is written as its JSON escape (report_visible()). */
static void write_escaped(FILE *out, const char *text) {
  const char *p = text ? text : "";
  size_t left = strlen(p);

  while (left > 0) {
    uint32_t c;
    size_t invisible_len = 0;
    uint32_t invisible = (unsigned char)*p >= 0x80 ? utf8_invisible(p, &invisible_len) : 0;
    if (invisible) {
      char escape[UTF8_ESCAPE_SIZE];
      utf8_escape(invisible, escape);
      fputs(escape, out);
      p += invisible_len;
      left -= invisible_len;
      continue;
    }

    size_t len = utf8_decode(p, left, &c);
    if (len == 0 || !xml_allows(c))
      fputc('?', out);
    else
      write_escaped_char(out, c, p, len);

    len = len ? len : 1;
    p += len;
    left -= len;
  }
}

static void write_finding_text(FILE *out, const char *path, const report_finding *finding) {
  write_escaped(out, path);
  fprintf(out, ":%u:%u: ", (unsigned)finding->line, (unsigned)finding->column);
  if (finding->pointer && finding->pointer[0]) {
    write_escaped(out, finding->pointer);
    fputs(": ", out);
  }
  write_escaped(out, finding->message);
  if (finding->because) {
    fputs(" (because ", out);
    write_escaped(out, finding->because);
    fputc(')', out);
  }
}

static void write_failures(FILE *out, const char *path, const report_resource *resource,
                           int strict) {
  for (size_t i = 0; i < resource->finding_count; i++) {
    const report_finding *finding = &resource->findings[i];
    if (!report_kind_fails(finding->kind, strict))
      continue;
    fprintf(out, "      <failure type=\"%s\" message=\"", report_kind_name(finding->kind));
    write_escaped(out, finding->message);
    fputs("\">", out);
    write_finding_text(out, path, finding);
    fputs("</failure>\n", out);
  }
}

static void write_warnings(FILE *out, const char *path, const report_resource *resource,
                           int strict) {
  int opened = 0;
  for (size_t i = 0; i < resource->finding_count; i++) {
    const report_finding *finding = &resource->findings[i];
    if (report_kind_fails(finding->kind, strict))
      continue;
    if (!opened)
      fputs("      <system-out>", out);
    opened = 1;
    fputs("unverified: ", out);
    write_finding_text(out, path, finding);
    fputs("&#10;", out);
  }
  if (opened)
    fputs("</system-out>\n", out);
}

static void write_testcase(FILE *out, const report_template *tmpl, const report_resource *resource,
                           int strict) {
  fputs("    <testcase classname=\"", out);
  write_escaped(out, tmpl->path);
  fputs("\" name=\"", out);
  write_escaped(out, resource->logical_id);
  fputs(" (", out);
  write_escaped(out, resource->type);
  fputs(")\">\n", out);

  if (resource->status == STATUS_SKIPPED)
    fputs("      <skipped message=\"its Condition is false\"/>\n", out);
  write_failures(out, tmpl->path, resource, strict);
  write_warnings(out, tmpl->path, resource, strict);
  fputs("    </testcase>\n", out);
}

static void write_unparseable(FILE *out, const report_template *tmpl) {
  fputs("    <testcase classname=\"", out);
  write_escaped(out, tmpl->path);
  fputs("\" name=\"parse\">\n      <error type=\"unparseable\" message=\"", out);
  write_escaped(out, tmpl->error_message);
  fputs("\">", out);
  write_escaped(out, tmpl->path);
  fprintf(out, ":%u:%u</error>\n    </testcase>\n", (unsigned)tmpl->error_line,
          (unsigned)tmpl->error_column);
}

static void write_template_findings(FILE *out, const report_template *tmpl, int strict) {
  if (!tmpl->finding_count)
    return;

  report_resource whole = {.logical_id = "template", .type = "outside resources",
                           .findings = tmpl->findings, .finding_count = tmpl->finding_count};
  write_testcase(out, tmpl, &whole, strict);
}

/* Returns 1 when write_failures() writes a <failure> for one of findings. */
static int has_failure(const report_finding *findings, size_t count, int strict) {
  for (size_t i = 0; i < count; i++)
    if (report_kind_fails(findings[i].kind, strict))
      return 1;
  return 0;
}

/* Returns the testcases of tmpl's suite that hold a <failure>, so the count
 * matches the elements written. */
static size_t count_failures(const report_template *tmpl, int strict) {
  size_t failures = (size_t)has_failure(tmpl->findings, tmpl->finding_count, strict);
  for (size_t i = 0; i < tmpl->resource_count; i++) {
    const report_resource *resource = &tmpl->resources[i];
    failures += (size_t)has_failure(resource->findings, resource->finding_count, strict);
  }
  return failures;
}

/* Returns the testcases of tmpl's suite: one per resource and one for the
 * template-level findings, or the one parse testcase. */
static size_t count_tests(const report_template *tmpl) {
  return tmpl->unparseable ? 1 : tmpl->resource_count + (tmpl->finding_count > 0);
}

static void write_suite(FILE *out, const report_template *tmpl, int strict) {
  fputs("  <testsuite name=\"", out);
  write_escaped(out, tmpl->path);
  fprintf(out, "\" tests=\"%zu\" failures=\"%zu\" errors=\"%d\">\n", count_tests(tmpl),
          count_failures(tmpl, strict), tmpl->unparseable);

  if (tmpl->unparseable) {
    write_unparseable(out, tmpl);
  } else {
    write_template_findings(out, tmpl, strict);
    for (size_t i = 0; i < tmpl->resource_count; i++)
      write_testcase(out, tmpl, &tmpl->resources[i], strict);
  }
  fputs("  </testsuite>\n", out);
}

/* The totals of <testsuites> are the sums of its suites' counts. */
int report_write_junit(FILE *out, const check_report *report) {
  size_t tests = 0, failures = 0, errors = 0;
  for (size_t i = 0; i < report->template_count; i++) {
    const report_template *tmpl = &report->templates[i];
    tests += count_tests(tmpl);
    failures += count_failures(tmpl, report->strict);
    errors += (size_t)tmpl->unparseable;
  }

  fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
  fprintf(out, "<testsuites name=\"cfgate check\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\">\n",
          tests, failures, errors);

  for (size_t i = 0; i < report->template_count; i++)
    write_suite(out, &report->templates[i], report->strict);
  fputs("</testsuites>\n", out);
  return ferror(out) ? -1 : 0;
}
