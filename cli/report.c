/*
 * The check result model: construction, status and summary.
 */
#include "report.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

static void *grow(void *items, size_t *capacity, size_t count, size_t size) {
  if (count < *capacity)
    return items;

  size_t next = *capacity ? *capacity * 2 : 8;
  void *grown = realloc(items, next * size);
  if (!grown) {
    fputs("cfgate: out of memory\n", stderr);
    exit(2);
  }
  memset((char *)grown + *capacity * size, 0, (next - *capacity) * size);
  *capacity = next;
  return grown;
}

/* Copies value[0..len) into out, writing each byte that is not part of a
 * valid UTF-8 sequence as the text \xHH. Returns the length written; out
 * may be NULL to measure. */
static size_t copy_valid_utf8(const char *value, size_t len, char *out) {
  size_t used = 0;

  for (size_t i = 0; i < len;) {
    uint32_t code;
    size_t n = (unsigned char)value[i] < 0x80 ? 1 : utf8_decode(value + i, len - i, &code);
    if (n == 0) {
      if (out)
        snprintf(out + used, 5, "\\x%02x", (unsigned char)value[i]);
      used += 4;
      i++;
      continue;
    }
    if (out)
      memcpy(out + used, value + i, n);
    used += n;
    i += n;
  }
  return used;
}

void report_set(char **field, const char *value) {
  free(*field);
  *field = NULL;
  if (!value)
    return;

  /* Every report format is UTF-8, and a file name or a cut message may not be. */
  size_t len = strlen(value);
  size_t size = copy_valid_utf8(value, len, NULL);
  *field = malloc(size + 1);
  if (!*field) {
    fputs("cfgate: out of memory\n", stderr);
    exit(2);
  }
  copy_valid_utf8(value, len, *field);
  (*field)[size] = '\0';
}

char *report_visible(const char *text) {
  size_t len = strlen(text);
  /* An escape has at most 3 times the bytes of its sequence, and
   * utf8_escape() needs UTF8_ESCAPE_SIZE bytes of room for its NUL. */
  char *out = malloc(len * 3 + UTF8_ESCAPE_SIZE);
  if (!out) {
    fputs("cfgate: out of memory\n", stderr);
    exit(2);
  }

  size_t used = 0;
  for (const char *p = text; *p;) {
    size_t n = 0;
    uint32_t code = (unsigned char)*p >= 0x80 ? utf8_invisible(p, &n) : 0;
    if (code) {
      used += utf8_escape(code, out + used);
      p += n;
    } else {
      out[used++] = *p++;
    }
  }
  out[used] = '\0';
  return out;
}

void report_init(check_report *report) { memset(report, 0, sizeof *report); }

void report_finding_free(report_finding *f) {
  free(f->rule_id);
  free(f->pointer);
  free(f->keyword);
  free(f->message);
  free(f->because);
  free(f->rule_file);
}

static void free_findings(report_finding *findings, size_t count) {
  for (size_t i = 0; i < count; i++)
    report_finding_free(&findings[i]);
  free(findings);
}

static void free_template(report_template *tmpl) {
  for (size_t i = 0; i < tmpl->resource_count; i++) {
    report_resource *resource = &tmpl->resources[i];
    free(resource->logical_id);
    free(resource->type);
    free_findings(resource->findings, resource->finding_count);
  }
  free(tmpl->resources);
  free_findings(tmpl->findings, tmpl->finding_count);
  free(tmpl->path);
  free(tmpl->error_message);
}

void report_fini(check_report *report) {
  for (size_t i = 0; i < report->template_count; i++)
    free_template(&report->templates[i]);
  free(report->templates);
  report_init(report);
}

report_template *report_add_template(check_report *report, const char *path) {
  report->templates = grow(report->templates, &report->template_capacity,
                           report->template_count, sizeof *report->templates);
  report_template *tmpl = &report->templates[report->template_count++];
  report_set(&tmpl->path, path);
  return tmpl;
}

report_resource *report_add_resource(report_template *tmpl, const char *logical_id,
                                     const char *type, uint32_t line, uint32_t column) {
  tmpl->resources = grow(tmpl->resources, &tmpl->resource_capacity, tmpl->resource_count,
                         sizeof *tmpl->resources);
  report_resource *resource = &tmpl->resources[tmpl->resource_count++];
  report_set(&resource->logical_id, logical_id);
  report_set(&resource->type, type ? type : "");
  resource->line = line;
  resource->column = column;
  return resource;
}

report_finding *report_add_finding(report_finding **findings, size_t *count, size_t *capacity,
                                   report_kind kind, const char *message) {
  *findings = grow(*findings, capacity, *count, sizeof **findings);
  report_finding *finding = &(*findings)[(*count)++];
  finding->kind = kind;
  report_set(&finding->message, message);
  report_set(&finding->pointer, "");
  report_set(&finding->keyword, "");
  return finding;
}

void report_set_unparseable(report_template *tmpl, uint32_t line, uint32_t column,
                            const char *message) {
  tmpl->unparseable = 1;
  tmpl->error_line = line;
  tmpl->error_column = column;
  report_set(&tmpl->error_message, message);
}

int report_kind_fails(report_kind kind, int strict) {
  return kind != REPORT_UNVERIFIED || strict;
}

static int finding_before(const report_finding *a, const report_finding *b) {
  return a->line < b->line || (a->line == b->line && a->column < b->column);
}

/* Orders findings by template position; an insertion sort keeps the order
 * of findings at the same position. */
static void sort_findings(report_resource *resource) {
  for (size_t i = 1; i < resource->finding_count; i++) {
    report_finding moved = resource->findings[i];
    size_t j = i;
    for (; j > 0 && finding_before(&moved, &resource->findings[j - 1]); j--)
      resource->findings[j] = resource->findings[j - 1];
    resource->findings[j] = moved;
  }
}

void report_finish_resource(report_resource *resource, int strict) {
  if (resource->status == STATUS_SKIPPED)
    return;

  sort_findings(resource);

  resource->status = STATUS_COMPLIANT;
  for (size_t i = 0; i < resource->finding_count; i++) {
    if (report_kind_fails(resource->findings[i].kind, strict)) {
      resource->status = STATUS_VIOLATION;
      return;
    }
    resource->status = STATUS_UNVERIFIED;
  }
}

/* Returns 1 when a finding of tmpl outside its resources fails the check. */
static int template_level_fails(const report_template *tmpl, int strict) {
  for (size_t i = 0; i < tmpl->finding_count; i++)
    if (report_kind_fails(tmpl->findings[i].kind, strict))
      return 1;
  return 0;
}

report_summary report_summarize(const check_report *report) {
  report_summary summary = {0};
  summary.templates = report->template_count;

  for (size_t t = 0; t < report->template_count; t++) {
    const report_template *tmpl = &report->templates[t];
    summary.unparseable += tmpl->unparseable;
    summary.template_errors += template_level_fails(tmpl, report->strict);
    for (size_t r = 0; r < tmpl->resource_count; r++) {
      summary.resources++;
      switch (tmpl->resources[r].status) {
      case STATUS_COMPLIANT: summary.compliant++; break;
      case STATUS_VIOLATION: summary.violations++; break;
      case STATUS_UNVERIFIED: summary.unverified++; break;
      case STATUS_SKIPPED: summary.skipped++; break;
      }
    }
  }
  return summary;
}

static int template_fails(const report_template *tmpl, int strict) {
  if (template_level_fails(tmpl, strict))
    return 1;
  for (size_t i = 0; i < tmpl->resource_count; i++)
    if (tmpl->resources[i].status == STATUS_VIOLATION)
      return 1;
  return 0;
}

int report_exit_status(const check_report *report) {
  int status = 0;
  for (size_t i = 0; i < report->template_count; i++) {
    if (report->templates[i].unparseable)
      return 2;
    if (template_fails(&report->templates[i], report->strict))
      status = 1;
  }
  return status;
}

const char *report_kind_name(report_kind kind) {
  switch (kind) {
  case REPORT_VIOLATION: return "violation";
  case REPORT_DENIED: return "denied";
  case REPORT_UNSUPPORTED: return "unsupported";
  case REPORT_INVALID: return "invalid";
  case REPORT_FAILED: return "failed";
  case REPORT_UNVERIFIED: return "unverified";
  }
  return "failed";
}

const char *report_status_name(report_status status) {
  switch (status) {
  case STATUS_COMPLIANT: return "compliant";
  case STATUS_VIOLATION: return "violation";
  case STATUS_UNVERIFIED: return "unverified";
  case STATUS_SKIPPED: return "skipped";
  }
  return "violation";
}

int report_write(FILE *out, const check_report *report, report_format format, int color) {
  switch (format) {
  case FORMAT_TEXT: return report_write_text(out, report, color);
  case FORMAT_JSON: return report_write_json(out, report);
  case FORMAT_SARIF: return report_write_sarif(out, report);
  case FORMAT_JUNIT: return report_write_junit(out, report);
  }
  return -1;
}
