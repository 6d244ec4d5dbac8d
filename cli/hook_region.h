/*
 * AWS partitions and URL suffixes derived from region names, shared by
 * `cfgate check` and `cfgate hook`.
 */
#ifndef CFGATE_CLI_HOOK_REGION_H
#define CFGATE_CLI_HOOK_REGION_H

/* Returns the partition of a valid region name: "aws-cn" for cn-*,
 * "aws-us-gov" for us-gov-*, "aws-iso" for us-iso-*, "aws-iso-b" for
 * us-isob-*, "aws-iso-e" for eu-isoe-*, "aws-iso-f" for us-isof-*, and
 * "aws" for the rest (and for a name hook_region_is_valid() rejects). */
const char *hook_partition_for_region(const char *region);

/* Returns the domain suffix of a partition (AWS::URLSuffix). */
const char *hook_url_suffix(const char *partition);

/* Returns 1 when region has the format of a known partition's regions, such
 * as us-east-1. That is a prefix, a dash, lowercase letters, a dash and
 * digits. The prefixes are us, eu, ap, sa, ca, me, af, il, mx, cn, us-gov,
 * us-iso, us-isob, eu-isoe and us-isof. */
int hook_region_is_valid(const char *region);

/* Returns 1 for "aws" and the partitions of the region prefixes above. */
int hook_partition_is_known(const char *partition);

#endif
