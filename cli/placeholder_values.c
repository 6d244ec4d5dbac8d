/*
 * Built-in placeholder values. The account id, region and partition rules
 * and their wording are those of `cfgate check` (cmd_check.c).
 */
#include "placeholder_values.h"

#include <stdio.h>
#include <string.h>

#include "hook_region.h"

/* Partition names in the order hook_region.c lists them. */
static const char *const known_partitions[] = {"aws",       "aws-cn",    "aws-us-gov", "aws-iso",
                                               "aws-iso-b", "aws-iso-e", "aws-iso-f"};

static const char *find_value(const instantiate_value *values, size_t count, const char *name) {
  for (size_t i = 0; i < count; i++)
    if (strcmp(values[i].name, name) == 0)
      return values[i].value;
  return NULL;
}

static int is_account_id(const char *text) {
  return strlen(text) == 12 && strspn(text, "0123456789") == 12;
}

static int is_known_url_suffix(const char *suffix) {
  for (size_t i = 0; i < sizeof known_partitions / sizeof known_partitions[0]; i++)
    if (strcmp(suffix, hook_url_suffix(known_partitions[i])) == 0)
      return 1;
  return 0;
}

enum { SHOWN_BYTES = 200, SHOWN_SIZE = 4 * SHOWN_BYTES + 4 };

/* Copies the first SHOWN_BYTES bytes of value into out (SHOWN_SIZE bytes)
 * with each control character as \xNN, so that an error message stays on
 * one line however the value was typed. A longer value ends in "...". */
static const char *escape_controls(const char *value, char *out) {
  size_t used = 0;
  size_t i = 0;
  for (; value[i] && i < SHOWN_BYTES; i++) {
    unsigned char c = (unsigned char)value[i];
    if (c < 0x20 || c == 0x7f)
      used += (size_t)snprintf(out + used, SHOWN_SIZE - used, "\\x%02X", c);
    else
      out[used++] = (char)c;
  }
  snprintf(out + used, SHOWN_SIZE - used, "%s", value[i] ? "..." : "");
  return out;
}

/* Checks each value on its own. Returns the number of errors printed. */
static size_t check_forms(const char *command, const char *account, const char *region,
                          const char *partition) {
  char text[SHOWN_SIZE];
  size_t errors = 0;
  if (account && !is_account_id(account)) {
    fprintf(stderr, "%s: invalid --context AWS::AccountId '%s': expected 12 digits\n", command,
            escape_controls(account, text));
    errors++;
  }
  if (region && !hook_region_is_valid(region)) {
    fprintf(stderr, "%s: invalid --context AWS::Region '%s': expected a region name such as "
                    "us-east-1\n", command, escape_controls(region, text));
    errors++;
  }
  if (partition && !hook_partition_is_known(partition)) {
    fprintf(stderr, "%s: invalid --context AWS::Partition '%s': expected aws, aws-cn, "
                    "aws-us-gov, aws-iso, aws-iso-b, aws-iso-e or aws-iso-f\n", command,
            escape_controls(partition, text));
    errors++;
  }
  return errors;
}

/* Checks that the partition is the region's and that the URL suffix is
 * the partition's, for the values that are given and well formed. */
static size_t check_agreement(const char *command, const char *region, const char *partition,
                              const char *suffix) {
  char text[SHOWN_SIZE];
  size_t errors = 0;
  if (partition && region && strcmp(partition, hook_partition_for_region(region)) != 0) {
    fprintf(stderr, "%s: --context AWS::Partition '%s' does not match --context AWS::Region "
                    "'%s', which is in partition %s\n", command, partition, region,
            hook_partition_for_region(region));
    errors++;
  }

  const char *owner = partition;
  if (!owner && region)
    owner = hook_partition_for_region(region);
  if (suffix && owner && strcmp(suffix, hook_url_suffix(owner)) != 0) {
    fprintf(stderr, "%s: --context AWS::URLSuffix '%s' does not match partition %s, whose URL "
                    "suffix is %s\n", command, escape_controls(suffix, text), owner,
            hook_url_suffix(owner));
    errors++;
  } else if (suffix && !owner && !is_known_url_suffix(suffix)) {
    fprintf(stderr, "%s: invalid --context AWS::URLSuffix '%s': expected the URL suffix of a "
                    "partition, such as amazonaws.com\n", command,
            escape_controls(suffix, text));
    errors++;
  }
  return errors;
}

size_t placeholder_values_check(const char *command, const instantiate_value *values, size_t count) {
  const char *account = find_value(values, count, "AWS::AccountId");
  const char *region = find_value(values, count, "AWS::Region");
  const char *partition = find_value(values, count, "AWS::Partition");
  const char *suffix = find_value(values, count, "AWS::URLSuffix");

  size_t errors = check_forms(command, account, region, partition);
  if (errors > 0)
    return errors;
  return check_agreement(command, region, partition, suffix);
}
