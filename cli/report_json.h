/*
 * Pieces of the JSON report shared with the SARIF writer.
 */
#ifndef CFGATE_CLI_REPORT_JSON_H
#define CFGATE_CLI_REPORT_JSON_H

#include <jansson.h>

#include "report.h"

/* Returns a new JSON string of text as report_visible() writes it ("" for
 * NULL). */
json_t *report_json_text(const char *text);

/* Returns a new object with the summary counts. */
json_t *report_summary_json(const check_report *report);

#endif
