/*
 * Merging the report of a second reading of one template into the first,
 * for templates whose plain YAML scalars YAML 1.1 and YAML 1.2 read
 * differently. A resource fails when either reading fails it.
 */
#ifndef CFGATE_CLI_REPORT_MERGE_H
#define CFGATE_CLI_REPORT_MERGE_H

#include "report.h"

/* Adds to into the findings of from (the same template, read again) that
 * into lacks, with note appended to their messages, and recomputes the
 * status of each resource. A resource that from does not skip is no longer
 * skipped. When from is unparseable, its reason fails every resource. */
void report_merge_template(report_template *into, const report_template *from, const char *note,
                           int strict);

#endif
