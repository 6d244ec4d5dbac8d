/*
 * Writes a report covering every finding kind and resource status in the
 * format named by argv[1], for the format checks in check_report_formats.py.
 * argv[2] "strict" sets --strict.
 */
#include <stdio.h>
#include <string.h>

#include "report.h"

static void add(report_resource *resource, report_kind kind, const char *pointer,
                const char *message, uint32_t line, uint32_t column) {
  report_finding *finding = report_add_finding(&resource->findings, &resource->finding_count,
                                               &resource->finding_capacity, kind, message);
  report_set(&finding->pointer, pointer);
  report_set(&finding->rule_id, kind == REPORT_DENIED ? "cfgate/denied-type" : "storage.gate:8:5");
  finding->line = line;
  finding->column = column;
  if (kind == REPORT_VIOLATION || kind == REPORT_UNVERIFIED) {
    report_set(&finding->keyword, "pattern");
    report_set(&finding->because, "bucket keys belong to this account & region <kms>");
    report_set(&finding->rule_file, "storage.gate");
    finding->rule_line = 8;
    finding->column = column;
    finding->rule_column = 5;
  }
}

static void build(check_report *report) {
  report_template *tmpl = report_add_template(report, "templates/app.yaml");
  report_resource *bucket = report_add_resource(tmpl, "Bucket", "AWS::S3::Bucket", 4, 3);
  add(bucket, REPORT_VIOLATION, "/BucketEncryption/0/KMSMasterKeyID",
      "\"arn:aws:kms:eu-west-1:999999999999:key/x\" does not match the pattern", 9, 21);
  report_finish_resource(bucket, report->strict);

  report_resource *topic = report_add_resource(tmpl, "Topic", "AWS::SNS::Topic", 12, 3);
  add(topic, REPORT_UNVERIFIED, "/KmsMasterKeyId", "value unknown offline: Fn::GetAtt", 15, 24);
  report_finish_resource(topic, report->strict);

  report_resource *queue = report_add_resource(tmpl, "Queue", "AWS::SQS::Queue", 18, 3);
  add(queue, REPORT_DENIED, "", "no restriction for AWS::SQS::Queue: denied", 19, 11);
  report_finish_resource(queue, report->strict);

  report_resource *role = report_add_resource(tmpl, "Role", "AWS::IAM::Role", 22, 3);
  report_finish_resource(role, report->strict);

  report_resource *skipped = report_add_resource(tmpl, "DevOnly", "AWS::EC2::VPC", 30, 3);
  skipped->status = STATUS_SKIPPED;

  report_template *broken = report_add_template(report, "templates/broken.json");
  report_set_unparseable(broken, 7, 12, "invalid JSON: unexpected token near '}'");
}

int main(int argc, char **argv) {
  static const struct { const char *name; report_format format; } formats[] = {
    {"text", FORMAT_TEXT}, {"json", FORMAT_JSON}, {"sarif", FORMAT_SARIF}, {"junit", FORMAT_JUNIT},
  };
  if (argc < 2)
    return 2;

  check_report report;
  report_init(&report);
  report.strict = argc > 2 && strcmp(argv[2], "strict") == 0;
  build(&report);

  int status = 2;
  for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++)
    if (strcmp(argv[1], formats[i].name) == 0)
      status = report_write(stdout, &report, formats[i].format, 0) == 0 ? 0 : 2;
  report_fini(&report);
  return status;
}
