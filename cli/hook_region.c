/*
 * Region names and partitions. A region name is PREFIX-WORD-NUMBER, such as
 * us-east-1 or us-gov-west-1, and its prefix decides the partition, as the
 * regionRegex of each partition in the AWS SDKs' partitions.json states.
 * A name that fits no partition's format is not a region, because no
 * partition, and so no ${AWS::Partition}, could be derived for it.
 */
#include "hook_region.h"

#include <string.h>

typedef struct region_prefix {
  const char *prefix; /* the part before -WORD-NUMBER */
  const char *partition;
} region_prefix;

static const region_prefix prefixes[] = {
  {"us", "aws"}, {"eu", "aws"}, {"ap", "aws"}, {"sa", "aws"}, {"ca", "aws"},
  {"me", "aws"}, {"af", "aws"}, {"il", "aws"}, {"mx", "aws"},
  {"cn", "aws-cn"},
  {"us-gov", "aws-us-gov"},
  {"us-iso", "aws-iso"},
  {"us-isob", "aws-iso-b"},
  {"eu-isoe", "aws-iso-e"},
  {"us-isof", "aws-iso-f"},
};

typedef struct partition_suffix {
  const char *partition;
  const char *url_suffix;
} partition_suffix;

/* NOTE: partitions added after aws-iso-f (such as the European Sovereign
 * Cloud) are not listed, so their regions are rejected, never guessed. */
static const partition_suffix partitions[] = {
  {"aws", "amazonaws.com"},         {"aws-cn", "amazonaws.com.cn"},
  {"aws-us-gov", "amazonaws.com"},  {"aws-iso", "c2s.ic.gov"},
  {"aws-iso-b", "sc2s.sgov.gov"},   {"aws-iso-e", "cloud.adc-e.uk"},
  {"aws-iso-f", "csp.hci.ic.gov"},
};

/* Returns 1 when text is WORD-NUMBER: lowercase letters, a dash, digits. */
static int is_word_number(const char *text) {
  size_t letters = strspn(text, "abcdefghijklmnopqrstuvwxyz");
  if (letters == 0 || text[letters] != '-')
    return 0;

  const char *number = text + letters + 1;
  size_t digits = strspn(number, "0123456789");
  return digits > 0 && number[digits] == '\0';
}

/* Returns the prefix entry whose format region fits, or NULL. */
static const region_prefix *find_prefix(const char *region) {
  for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
    size_t len = strlen(prefixes[i].prefix);
    if (strncmp(region, prefixes[i].prefix, len) == 0 && region[len] == '-' &&
        is_word_number(region + len + 1))
      return &prefixes[i];
  }
  return NULL;
}

const char *hook_partition_for_region(const char *region) {
  const region_prefix *prefix = find_prefix(region);
  return prefix ? prefix->partition : "aws";
}

const char *hook_url_suffix(const char *partition) {
  for (size_t i = 0; i < sizeof partitions / sizeof partitions[0]; i++)
    if (strcmp(partition, partitions[i].partition) == 0)
      return partitions[i].url_suffix;
  return "amazonaws.com";
}

int hook_partition_is_known(const char *partition) {
  for (size_t i = 0; i < sizeof partitions / sizeof partitions[0]; i++)
    if (strcmp(partition, partitions[i].partition) == 0)
      return 1;
  return 0;
}

int hook_region_is_valid(const char *region) {
  return find_prefix(region) != NULL;
}
