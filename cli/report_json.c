/*
 * JSON report, described by docs/check-output.schema.json. Keys keep the
 * order written here, so the output is stable between runs.
 */
#include <jansson.h>
#include <stdlib.h>

#include "cfgate.h"
#include "report.h"
#include "report_json.h"

json_t *report_json_text(const char *text) {
  char *visible = report_visible(text ? text : "");
  json_t *string = json_string(visible);
  free(visible);
  return string;
}

static json_t *finding_json(const report_finding *finding, int strict) {
  json_t *object = json_object();
  json_object_set_new(object, "kind", json_string(report_kind_name(finding->kind)));
  json_object_set_new(object, "level",
                      json_string(report_kind_fails(finding->kind, strict) ? "error" : "warning"));
  json_object_set_new(object, "ruleId", report_json_text(finding->rule_id));
  json_object_set_new(object, "pointer", report_json_text(finding->pointer));
  json_object_set_new(object, "keyword", report_json_text(finding->keyword));
  json_object_set_new(object, "message", report_json_text(finding->message));
  json_object_set_new(object, "because", finding->because ? report_json_text(finding->because)
                                                          : json_null());
  json_object_set_new(object, "line", json_integer(finding->line));
  json_object_set_new(object, "column", json_integer(finding->column));

  if (finding->rule_file)
    json_object_set_new(object, "rule",
                        json_pack("{s:o, s:i, s:i}", "file", report_json_text(finding->rule_file),
                                  "line", (int)finding->rule_line, "column",
                                  (int)finding->rule_column));
  else
    json_object_set_new(object, "rule", json_null());
  return object;
}

static json_t *findings_json(const report_finding *findings, size_t count, int strict) {
  json_t *array = json_array();
  for (size_t i = 0; i < count; i++)
    json_array_append_new(array, finding_json(&findings[i], strict));
  return array;
}

static json_t *resource_json(const report_resource *resource, int strict) {
  json_t *object = json_object();
  json_object_set_new(object, "logicalId", report_json_text(resource->logical_id));
  json_object_set_new(object, "type", report_json_text(resource->type));
  json_object_set_new(object, "line", json_integer(resource->line));
  json_object_set_new(object, "column", json_integer(resource->column));
  json_object_set_new(object, "status", json_string(report_status_name(resource->status)));
  json_object_set_new(object, "findings",
                      findings_json(resource->findings, resource->finding_count, strict));
  return object;
}

static json_t *template_json(const report_template *tmpl, int strict) {
  json_t *object = json_object();
  json_object_set_new(object, "path", report_json_text(tmpl->path));
  json_object_set_new(object, "parsed", json_boolean(!tmpl->unparseable));
  if (tmpl->unparseable)
    json_object_set_new(object, "error",
                        json_pack("{s:i, s:i, s:o}", "line", (int)tmpl->error_line, "column",
                                  (int)tmpl->error_column, "message",
                                  report_json_text(tmpl->error_message)));
  else
    json_object_set_new(object, "error", json_null());

  json_object_set_new(object, "findings", findings_json(tmpl->findings, tmpl->finding_count, strict));
  json_t *resources = json_array();
  for (size_t i = 0; i < tmpl->resource_count; i++)
    json_array_append_new(resources, resource_json(&tmpl->resources[i], strict));
  json_object_set_new(object, "resources", resources);
  return object;
}

json_t *report_summary_json(const check_report *report) {
  report_summary s = report_summarize(report);
  return json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}", "templates",
                   (json_int_t)s.templates, "resources", (json_int_t)s.resources, "compliant",
                   (json_int_t)s.compliant, "violations", (json_int_t)s.violations, "unverified",
                   (json_int_t)s.unverified, "unparseable", (json_int_t)s.unparseable,
                   "skipped", (json_int_t)s.skipped, "templateErrors",
                   (json_int_t)s.template_errors);
}

int report_write_json(FILE *out, const check_report *report) {
  json_t *root = json_object();
  json_object_set_new(root, "format", json_string("cfgate-check"));
  json_object_set_new(root, "formatVersion", json_integer(1));
  json_object_set_new(root, "cfgateVersion", json_string(cfgate_version()));
  json_object_set_new(root, "strict", json_boolean(report->strict));
  json_object_set_new(root, "exitStatus", json_integer(report_exit_status(report)));
  json_object_set_new(root, "summary", report_summary_json(report));

  json_t *templates = json_array();
  for (size_t i = 0; i < report->template_count; i++)
    json_array_append_new(templates, template_json(&report->templates[i], report->strict));
  json_object_set_new(root, "templates", templates);

  int status = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  fputc('\n', out);
  json_decref(root);
  return status == 0 && !ferror(out) ? 0 : -1;
}
