/*
 * The combinations of assumed Fn::If conditions under which each finding of
 * a resource appears. A finding that appears in some combinations only, on
 * a value outside any Fn::If (a required property that one branch removes),
 * then names the condition values it needs.
 */
#ifndef CFGATE_CLI_TEMPLATE_BRANCH_MASK_H
#define CFGATE_CLI_TEMPLATE_BRANCH_MASK_H

#include <stddef.h>
#include <stdint.h>

#include "report.h"

/* One bit per combination, so at most 64 combinations (6 conditions). */
typedef struct branch_mask {
  uint64_t *bits; /* bits[i] belongs to finding first + i of the resource */
  size_t first, count, capacity;
} branch_mask;

void branch_mask_init(branch_mask *mask, size_t first);
void branch_mask_fini(branch_mask *mask);

/* Clears every bit, for an enumeration that starts over with more
 * conditions. */
void branch_mask_reset(branch_mask *mask);

/* Moves the findings of one combination into resource. A finding with the
 * pointer and message of one already there adds the combination to its
 * bits, and a new one is appended. Takes ownership of found and frees it. */
void branch_mask_merge(branch_mask *mask, report_resource *resource, report_finding *found,
                       size_t found_count, size_t combination);

/* Appends " (when condition A is false)" to each finding that appears in
 * some of the 2^condition_count combinations only, unless its message
 * length differs from lengths[i - first] because a branch note was already
 * added. Condition i is false in the combinations with bit i set. */
void branch_mask_name(const branch_mask *mask, report_resource *resource,
                      const char *const *conditions, size_t condition_count,
                      const size_t *lengths);

#endif
