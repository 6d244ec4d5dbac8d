/*
 * Merging the findings of each Fn::If condition combination, and naming the
 * condition values behind a finding that only some combinations have.
 */
#include "template_branch_mask.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

void branch_mask_init(branch_mask *mask, size_t first) {
  memset(mask, 0, sizeof *mask);
  mask->first = first;
}

void branch_mask_fini(branch_mask *mask) { free(mask->bits); }

void branch_mask_reset(branch_mask *mask) {
  for (size_t i = 0; i < mask->count; i++)
    mask->bits[i] = 0;
}

/* Gives every finding of resource from first on a (zero) entry, including
 * findings added outside branch_mask_merge. */
static void mask_sync(branch_mask *mask, const report_resource *resource) {
  size_t needed = resource->finding_count - mask->first;
  if (needed > mask->capacity) {
    mask->capacity = needed * 2;
    mask->bits = realloc(mask->bits, mask->capacity * sizeof mask->bits[0]);
    if (!mask->bits)
      abort();
  }
  for (size_t i = mask->count; i < needed; i++)
    mask->bits[i] = 0;
  mask->count = needed;
}

static report_finding *find_same(report_resource *resource, size_t first,
                                 const report_finding *finding) {
  for (size_t i = first; i < resource->finding_count; i++) {
    report_finding *other = &resource->findings[i];
    if (strcmp(other->pointer, finding->pointer) == 0 &&
        strcmp(other->message, finding->message) == 0)
      return other;
  }
  return NULL;
}

/* Appends a finding. Slots past the count stay zeroed, because
 * report_add_finding() frees the fields of the slot it fills. */
static void append_finding(report_resource *resource, const report_finding *finding) {
  if (resource->finding_count == resource->finding_capacity) {
    size_t old_capacity = resource->finding_capacity;
    resource->finding_capacity = old_capacity ? 2 * old_capacity : 8;
    resource->findings = realloc(resource->findings,
                                 resource->finding_capacity * sizeof resource->findings[0]);
    if (!resource->findings)
      abort();
    memset(resource->findings + old_capacity, 0,
           (resource->finding_capacity - old_capacity) * sizeof resource->findings[0]);
  }
  resource->findings[resource->finding_count++] = *finding;
}

void branch_mask_merge(branch_mask *mask, report_resource *resource, report_finding *found,
                       size_t found_count, size_t combination) {
  uint64_t bit = (uint64_t)1 << combination;
  for (size_t i = 0; i < found_count; i++) {
    mask_sync(mask, resource);
    report_finding *same = find_same(resource, mask->first, &found[i]);
    if (same) {
      mask->bits[(size_t)(same - resource->findings) - mask->first] |= bit;
      report_finding_free(&found[i]);
      continue;
    }
    append_finding(resource, &found[i]);
    mask_sync(mask, resource);
    mask->bits[mask->count - 1] = bit;
  }
  free(found);
}

/* Writes "condition A is false" or "conditions A is true and B is false"
 * for the conditions whose value is the same in every combination of bits.
 * Returns 0 when no condition has a fixed value. */
static int describe(uint64_t bits, const char *const *conditions, size_t condition_count,
                    char *out, size_t size) {
  size_t combinations = (size_t)1 << condition_count, used = 0, fixed = 0;
  char clauses[400] = "";
  for (size_t c = 0; c < condition_count; c++) {
    int seen[2] = {0, 0};
    for (size_t k = 0; k < combinations; k++)
      if (bits >> k & 1)
        seen[k >> c & 1] = 1;
    if (seen[0] && seen[1])
      continue;

    if (used >= sizeof clauses - 1)
      break;
    const char *name = conditions[c];
    used += (size_t)snprintf(clauses + used, sizeof clauses - used, "%s%.*s is %s",
                             fixed ? " and " : "",
                             (int)utf8_cut(name, strlen(name), 100), name,
                             seen[1] ? "false" : "true");
    fixed++;
  }
  snprintf(out, size, "condition%s %s", fixed > 1 ? "s" : "", clauses);
  return fixed > 0;
}

void branch_mask_name(const branch_mask *mask, report_resource *resource,
                      const char *const *conditions, size_t condition_count,
                      const size_t *lengths) {
  size_t combinations = (size_t)1 << condition_count;
  uint64_t all = combinations >= 64 ? UINT64_MAX : ((uint64_t)1 << combinations) - 1;
  for (size_t i = 0; i < mask->count && mask->first + i < resource->finding_count; i++) {
    report_finding *finding = &resource->findings[mask->first + i];
    uint64_t bits = mask->bits[i] & all;
    char when[500];
    if (bits == 0 || bits == all || strlen(finding->message) != lengths[i] ||
        !describe(bits, conditions, condition_count, when, sizeof when))
      continue;

    char message[1400];
    snprintf(message, sizeof message, "%.*s (when %s)",
             (int)utf8_cut(finding->message, strlen(finding->message), 800), finding->message,
             when);
    report_set(&finding->message, message);
  }
}
