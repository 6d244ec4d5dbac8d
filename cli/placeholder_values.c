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

/* Checks each value on its own. Returns the number of errors printed. */
static size_t check_forms(const char *command, const char *account, const char *region,
                          const char *partition) {
  size_t errors = 0;
  if (account && !is_account_id(account)) {
    fprintf(stderr, "%s: invalid --context AWS::AccountId '%s': expected 12 digits\n", command,
            account);
    errors++;
  }
  if (region && !hook_region_is_valid(region)) {
    fprintf(stderr, "%s: invalid --context AWS::Region '%s': expected a region name such as "
                    "us-east-1\n", command, region);
    errors++;
  }
  if (partition && !hook_partition_is_known(partition)) {
    fprintf(stderr, "%s: invalid --context AWS::Partition '%s': expected aws, aws-cn, "
                    "aws-us-gov, aws-iso, aws-iso-b, aws-iso-e or aws-iso-f\n", command, partition);
    errors++;
  }
  return errors;
}

/* Checks that the partition is the region's and that the URL suffix is
 * the partition's, for the values that are given and well formed. */
static size_t check_agreement(const char *command, const char *region, const char *partition,
                              const char *suffix) {
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
                    "suffix is %s\n", command, suffix, owner, hook_url_suffix(owner));
    errors++;
  } else if (suffix && !owner && !is_known_url_suffix(suffix)) {
    fprintf(stderr, "%s: invalid --context AWS::URLSuffix '%s': expected the URL suffix of a "
                    "partition, such as amazonaws.com\n", command, suffix);
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
