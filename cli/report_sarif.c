/*
 * SARIF 2.1.0 report for code scanning, with one run. Each policy rule (or
 * built-in check such as denied types) is a reportingDescriptor, and each
 * finding is a result with a region of line and column. Violations, denied
 * types and invalid templates are level "error"; unverified values are
 * "warning", or "error" under --strict. Columns count code points, so the
 * run's columnKind is "unicodeCodePoints".
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cfgate.h"
#include "report.h"
#include "report_json.h"
#include "utf8.h"

typedef struct builtin_rule {
  const char *id;
  const char *description;
} builtin_rule;

static const builtin_rule builtin_rules[] = {
  {"cfgate/denied-type", "resource type without a restriction in the policy"},
  {"cfgate/unsupported-type", "resource type that cannot be validated before deployment"},
  {"cfgate/transform", "macro or transform that changes the template at deployment"},
  {"cfgate/foreach", "Fn::ForEach resources that expand at deployment"},
  {"cfgate/intrinsic", "intrinsic function used wrongly"},
  {"cfgate/resource", "invalid resource definition"},
  {"cfgate/parameter", "invalid parameter definition"},
  {"cfgate/conditions", "too many undecidable conditions to validate every Fn::If branch"},
  {"cfgate/parameters", "too many combinations of parameter AllowedValues to validate each"},
  {"cfgate/list-parameters", "list parameter of which only some lists could be validated"},
  {"cfgate/unparseable", "template that cannot be read or parsed"},
  {"cfgate/failed", "validation that could not complete"},
};

/* Returns the rule's description: the built-in check, the policy rule's
 * because text, or the policy rule's position and schema keyword. */
static const char *rule_description(const report_finding *finding, const char *id, char *buffer,
                                    size_t size) {
  for (size_t i = 0; i < sizeof builtin_rules / sizeof builtin_rules[0]; i++)
    if (strcmp(builtin_rules[i].id, id) == 0)
      return builtin_rules[i].description;
  if (finding->because)
    return finding->because;

  const char *keyword = finding->keyword && finding->keyword[0] ? finding->keyword : NULL;
  if (finding->rule_file)
    snprintf(buffer, size, "policy rule at %s:%u:%u%s%s", finding->rule_file,
             (unsigned)finding->rule_line, (unsigned)finding->rule_column,
             keyword ? ", keyword " : "", keyword ? keyword : "");
  else
    snprintf(buffer, size, "provider schema constraint%s%s", keyword ? ", keyword " : "",
             keyword ? keyword : "");
  return buffer;
}

/* Writes path as a URI reference: unreserved bytes and '/' stay, every
 * other byte is percent-encoded, and an absolute path gets "file://". */
static char *path_uri(const char *path) {
  static const char unreserved[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                   "0123456789-._~/";
  size_t len = strlen(path);
  char *uri = malloc(len * 3 + sizeof "file://");
  if (!uri)
    return NULL;

  char *out = uri;
  if (path[0] == '/')
    out += sprintf(out, "file://");
  for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
    if (strchr(unreserved, *p))
      *out++ = (char)*p;
    else
      out += sprintf(out, "%%%02X", *p);
  }
  *out = '\0';
  return uri;
}

static const char *finding_rule_id(const report_finding *finding) {
  return finding->rule_id && finding->rule_id[0] ? finding->rule_id : "cfgate/violation";
}

/* Adds the rule of finding to rules once; returns its index. */
static size_t rule_index(json_t *rules, const report_finding *finding) {
  const char *id = finding_rule_id(finding);
  json_t *visible_id = report_json_text(id);
  size_t index;
  json_t *rule;
  json_array_foreach(rules, index, rule) {
    if (json_equal(json_object_get(rule, "id"), visible_id)) {
      json_decref(visible_id);
      return index;
    }
  }

  char buffer[700];
  const char *description = rule_description(finding, id, buffer, sizeof buffer);
  rule = json_pack("{s:o, s:{s:o}}", "id", visible_id, "shortDescription", "text",
                   report_json_text(description));
  if (finding->rule_file)
    json_object_set_new(rule, "properties",
                        json_pack("{s:o, s:i, s:i}", "file", report_json_text(finding->rule_file),
                                  "line", (int)finding->rule_line, "column",
                                  (int)finding->rule_column));
  json_array_append_new(rules, rule);
  return json_array_size(rules) - 1;
}

static json_t *location_json(const char *path, const report_finding *finding) {
  json_t *region = json_pack("{s:i, s:i}", "startLine", finding->line ? (int)finding->line : 1,
                             "startColumn", finding->column ? (int)finding->column : 1);
  char *uri = path_uri(path);
  json_t *location = json_pack("{s:{s:{s:s}, s:o}}", "physicalLocation", "artifactLocation", "uri",
                               uri ? uri : "", "region", region);
  free(uri);
  return location;
}

static json_t *result_json(json_t *rules, const char *path, const char *logical_id,
                           const report_finding *finding, int strict) {
  char text[2048];
  snprintf(text, sizeof text, "%s%s%s%s%s%s%s", logical_id ? logical_id : "",
           logical_id ? ": " : "", finding->pointer && finding->pointer[0] ? finding->pointer : "",
           finding->pointer && finding->pointer[0] ? ": " : "", finding->message,
           finding->because ? " (because " : "", finding->because ? finding->because : "");
  if (finding->because)
    strncat(text, ")", sizeof text - strlen(text) - 1);
  /* A long because text fills the buffer, which may cut a UTF-8 sequence. */
  text[utf8_cut(text, strlen(text), sizeof text)] = '\0';

  size_t index = rule_index(rules, finding);
  json_t *result = json_pack("{s:o, s:I, s:s, s:{s:o}, s:[o]}", "ruleId",
                             report_json_text(finding_rule_id(finding)), "ruleIndex",
                             (json_int_t)index, "level",
                             report_kind_fails(finding->kind, strict) ? "error" : "warning",
                             "message", "text", report_json_text(text), "locations",
                             location_json(path, finding));
  json_object_set_new(result, "properties",
                      json_pack("{s:s, s:o}", "kind", report_kind_name(finding->kind), "pointer",
                                report_json_text(finding->pointer)));
  return result;
}

static void add_template_results(json_t *results, json_t *rules, const report_template *tmpl,
                                 int strict) {
  if (tmpl->unparseable) {
    report_finding parse = {.kind = REPORT_INVALID, .rule_id = "cfgate/unparseable",
                            .message = tmpl->error_message, .line = tmpl->error_line,
                            .column = tmpl->error_column};
    json_array_append_new(results, result_json(rules, tmpl->path, NULL, &parse, strict));
    return;
  }

  for (size_t i = 0; i < tmpl->finding_count; i++)
    json_array_append_new(results, result_json(rules, tmpl->path, NULL, &tmpl->findings[i], strict));
  for (size_t r = 0; r < tmpl->resource_count; r++) {
    const report_resource *resource = &tmpl->resources[r];
    for (size_t i = 0; i < resource->finding_count; i++)
      json_array_append_new(results, result_json(rules, tmpl->path, resource->logical_id,
                                                 &resource->findings[i], strict));
  }
}

int report_write_sarif(FILE *out, const check_report *report) {
  json_t *rules = json_array(), *results = json_array();
  for (size_t i = 0; i < report->template_count; i++)
    add_template_results(results, rules, &report->templates[i], report->strict);

  json_t *driver = json_pack("{s:s, s:s, s:o}", "name", "cfgate", "version", cfgate_version(),
                             "rules", rules);
  json_t *run = json_pack("{s:{s:o}, s:s, s:o, s:{s:o}}", "tool", "driver", driver, "columnKind",
                          "unicodeCodePoints", "results", results, "properties", "summary",
                          report_summary_json(report));
  json_t *root = json_pack("{s:s, s:s, s:[o]}", "$schema",
                           "https://json.schemastore.org/sarif-2.1.0.json", "version", "2.1.0",
                           "runs", run);

  int status = json_dumpf(root, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
  fputc('\n', out);
  json_decref(root);
  return status == 0 && !ferror(out) ? 0 : -1;
}
