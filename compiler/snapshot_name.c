/*
 * The rule for the files of a snapshot folder or zip that are provider
 * schemas. A provider schema file sits at the top level and is named after
 * its type, lowercase, with "::" written as "-": AWS::S3::Bucket in
 * aws-s3-bucket.json, a module Acme::S3::Bucket::MODULE in
 * acme-s3-bucket-module.json. Any other name
 * ending in ".json" could be meant as a schema and is an error. Other files
 * (a README, folder entries of a zip) are ignored.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "snapshot_internal.h"

/* Type names have three parts, or four for a module. */
#define SNAPSHOT_MIN_NAME_PARTS 3
#define SNAPSHOT_MAX_NAME_PARTS 4

static int snapshot_ends_with_json(const char *name) {
  size_t len = strlen(name);
  return len >= 5 && strcasecmp(name + len - 5, ".json") == 0;
}

/* Checks "part-part-part.json" with parts of lowercase letters and digits. */
static int snapshot_is_type_file_name(const char *name) {
  size_t len = strlen(name);
  if (len <= 5 || strcmp(name + len - 5, ".json") != 0)
    return 0;

  int parts = 1;
  size_t part_len = 0;
  for (size_t i = 0; i < len - 5; i++) {
    unsigned char c = (unsigned char)name[i];
    if (c == '-' && part_len > 0) {
      parts++;
      part_len = 0;
    } else if (islower(c) || isdigit(c)) {
      part_len++;
    } else {
      return 0;
    }
  }
  return part_len > 0 && parts >= SNAPSHOT_MIN_NAME_PARTS && parts <= SNAPSHOT_MAX_NAME_PARTS;
}

snapshot_name_kind snapshot_classify_name(const snapshot *snap, const char *name, char *error,
                                          size_t error_size) {
  if (!snapshot_ends_with_json(name))
    return SNAPSHOT_NAME_IGNORED;

  if (strchr(name, '/') || strchr(name, '\\')) {
    snprintf(error, error_size,
             "provider schema zip '%s' has the entry '%s' in a folder; provider schema files "
             "must sit at the top level of the zip",
             snap->path, name);
    return SNAPSHOT_NAME_INVALID;
  }
  if (!snapshot_is_type_file_name(name)) {
    snprintf(error, error_size,
             "'%s' in '%s' is not a provider schema file name: expected the type name in "
             "lowercase with '-' for '::', such as 'aws-s3-bucket.json'",
             name, snap->path);
    return SNAPSHOT_NAME_INVALID;
  }
  return SNAPSHOT_NAME_SCHEMA;
}
