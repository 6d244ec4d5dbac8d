/*
 * Region to partition mapping. The prefixes follow the partitions listed in
 * the AWS SDKs' partitions.json (aws, aws-cn, aws-us-gov, aws-iso,
 * aws-iso-b, aws-iso-e, aws-iso-f).
 */
#include "hook_region.h"

#include <string.h>

typedef struct partition_prefix {
  const char *prefix;
  const char *partition;
  const char *url_suffix;
} partition_prefix;

static const partition_prefix partitions[] = {
  {"cn-", "aws-cn", "amazonaws.com.cn"},
  {"us-gov-", "aws-us-gov", "amazonaws.com"},
  {"us-isob-", "aws-iso-b", "sc2s.sgov.gov"},
  {"us-isof-", "aws-iso-f", "csp.hci.ic.gov"},
  {"us-iso-", "aws-iso", "c2s.ic.gov"},
  {"eu-isoe-", "aws-iso-e", "cloud.adc-e.uk"},
};

const char *hook_partition_for_region(const char *region) {
  for (size_t i = 0; i < sizeof partitions / sizeof partitions[0]; i++)
    if (strncmp(region, partitions[i].prefix, strlen(partitions[i].prefix)) == 0)
      return partitions[i].partition;
  return "aws";
}

const char *hook_url_suffix(const char *partition) {
  for (size_t i = 0; i < sizeof partitions / sizeof partitions[0]; i++)
    if (strcmp(partition, partitions[i].partition) == 0)
      return partitions[i].url_suffix;
  return "amazonaws.com";
}

int hook_partition_is_known(const char *partition) {
  if (strcmp(partition, "aws") == 0)
    return 1;
  for (size_t i = 0; i < sizeof partitions / sizeof partitions[0]; i++)
    if (strcmp(partition, partitions[i].partition) == 0)
      return 1;
  return 0;
}

int hook_region_is_valid(const char *region) {
  size_t groups = 0, group_len = 0;
  for (const char *p = region; ; p++) {
    if (*p == '-' || *p == '\0') {
      if (group_len == 0)
        return 0;
      groups++;
      group_len = 0;
      if (*p == '\0')
        break;
    } else if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')) {
      group_len++;
    } else {
      return 0;
    }
  }
  return groups >= 3;
}
