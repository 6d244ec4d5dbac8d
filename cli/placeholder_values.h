/*
 * Checks of the values given to the built-in placeholders (AWS::AccountId,
 * AWS::Region, AWS::Partition, AWS::URLSuffix), with the rules that
 * `cfgate check` applies to --account-id, --region and --partition.
 */
#ifndef CFGATE_CLI_PLACEHOLDER_VALUES_H
#define CFGATE_CLI_PLACEHOLDER_VALUES_H

#include <stddef.h>

#include "instantiate.h"

/* Prints "COMMAND: invalid --context NAME 'VALUE': ..." to stderr for each
 * built-in placeholder value of the wrong form. Wrong forms are an account
 * id other than 12 digits, a region that fits no partition's name format and
 * an unknown partition. Once those pass, a partition other than the region's
 * and a URL suffix other than the partition's are errors too. Returns how
 * many errors it printed. */
size_t placeholder_values_check(const char *command, const instantiate_value *values, size_t count);

#endif
