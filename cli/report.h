/*
 * Results of `cfgate check`: templates, their resources and the findings on
 * each, plus the summary counts. The text, json, sarif and junit writers
 * read this model and print nothing else.
 */
#ifndef CFGATE_CLI_REPORT_H
#define CFGATE_CLI_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef enum report_kind {
  REPORT_VIOLATION,   /* a value breaks a constraint of the restricted schema */
  REPORT_DENIED,      /* the policy has no restriction for the resource type */
  REPORT_UNSUPPORTED, /* custom resources, SAM, modules, transforms: not checkable here */
  REPORT_INVALID,     /* the template uses an intrinsic function wrongly */
  REPORT_FAILED,      /* a limit was exceeded or a placeholder has no value */
  REPORT_UNVERIFIED   /* a constraint applies to a value unknown offline */
} report_kind;

typedef struct report_finding {
  report_kind kind;
  char *rule_id;        /* stable id for SARIF: "iam.gate:14:5" or "cfgate/denied-type" */
  char *pointer;        /* JSON pointer inside Properties ("" for the resource) */
  char *keyword;        /* failing schema keyword, or "" */
  char *message;
  char *because;        /* the policy rule's because text, or NULL */
  char *rule_file;      /* policy file and position of the rule, or NULL */
  uint32_t rule_line, rule_column;
  uint32_t line, column; /* position of the value in the template */
} report_finding;

typedef enum report_status {
  STATUS_COMPLIANT,
  STATUS_VIOLATION,
  STATUS_UNVERIFIED,
  STATUS_SKIPPED        /* its Condition is false, so CloudFormation does not create it */
} report_status;

typedef struct report_resource {
  char *logical_id;
  char *type;
  uint32_t line, column;
  report_status status;
  report_finding *findings;
  size_t finding_count, finding_capacity;
  size_t findings_left_out;     /* findings past the limit that were not kept */
  size_t combinations_left_out; /* combinations not validated once the limit was reached */
} report_resource;

typedef struct report_template {
  char *path;
  int unparseable;       /* 1: error_* contains the reason and resources is empty */
  uint32_t error_line, error_column;
  char *error_message;
  report_finding *findings; /* template-level findings (Transform) */
  size_t finding_count, finding_capacity;
  report_resource *resources;
  size_t resource_count, resource_capacity;
} report_template;

typedef struct report_summary {
  size_t templates, resources, compliant, violations, unverified, unparseable, skipped;
  size_t template_errors; /* templates with a failing finding outside their resources */
} report_summary;

typedef struct check_report {
  report_template *templates;
  size_t template_count, template_capacity;
  int strict;            /* --strict: unverified findings fail */
} check_report;

typedef enum report_format {
  FORMAT_TEXT,
  FORMAT_JSON,
  FORMAT_SARIF,
  FORMAT_JUNIT
} report_format;

void report_init(check_report *report);
void report_fini(check_report *report);

/* Frees the strings of one finding, not the finding itself. */
void report_finding_free(report_finding *f);

/* Adds entries; each returns the new entry or exits the process when memory runs out. */
report_template *report_add_template(check_report *report, const char *path);
report_resource *report_add_resource(report_template *tmpl, const char *logical_id,
                                     const char *type, uint32_t line, uint32_t column);
report_finding *report_add_finding(report_finding **findings, size_t *count, size_t *capacity,
                                   report_kind kind, const char *message);

/* Sets a copied string field; NULL stays NULL. */
void report_set(char **field, const char *value);

/* Marks a template unparseable with the position and message. */
void report_set_unparseable(report_template *tmpl, uint32_t line, uint32_t column,
                            const char *message);

/* Drops each finding of tmpl and of its resources that equals an earlier
 * one in every field, as findings that differed only in a hidden value do
 * once the value is masked. */
void report_drop_repeated_findings(report_template *tmpl);

/* Derives each resource's status from its findings and counts the summary. */
void report_finish_resource(report_resource *resource, int strict);
report_summary report_summarize(const check_report *report);

/* Returns the exit status: 2 when a template is unparseable, 1 for a
 * violation (or an unverified value under --strict), else 0. */
int report_exit_status(const check_report *report);

/* Returns a copy of text with each invisible code point (utf8_invisible():
 * bidirectional controls, zero-width and format characters, C1 controls)
 * written as its JSON escape, so "q\u202ex" reads as these 8 characters.
 * Every report format shows text this way. The caller frees the copy;
 * exits the process when memory runs out. */
char *report_visible(const char *text);

/* Returns "violation", "denied", "unsupported", "invalid", "failed" or "unverified". */
const char *report_kind_name(report_kind kind);
const char *report_status_name(report_status status);

/* Returns 1 when the finding fails the resource under the strict setting. */
int report_kind_fails(report_kind kind, int strict);

/* Writers. Each returns 0, or -1 when writing fails. */
int report_write_text(FILE *out, const check_report *report, int color);
int report_write_json(FILE *out, const check_report *report);
int report_write_sarif(FILE *out, const check_report *report);
int report_write_junit(FILE *out, const check_report *report);
int report_write(FILE *out, const check_report *report, report_format format, int color);

#endif
