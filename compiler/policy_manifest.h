/*
 * A scan of the manifest.json of a folder written by `cfgate compile` that
 * checks its syntax and entries, and finds one type's entry without
 * building a tree of the whole manifest.
 */
#ifndef CFGATE_POLICY_MANIFEST_H
#define CFGATE_POLICY_MANIFEST_H

#include <stddef.h>

/* Maximum nesting of arrays and objects in a manifest. */
#define POLICY_MANIFEST_MAX_DEPTH 64

/* Maximum size of manifest.json and of one template of a compiled folder,
 * the limit of one provider schema. The largest template compiled from the
 * us-east-1 snapshot in the test corpus is 328 KB, and the manifest of all
 * its 1692 types 537 KB. */
#define POLICY_MAX_FILE_BYTES (16u << 20)

/* Longest typeName a manifest entry may have: four parts of 64 characters
 * and their "::" separators fit. The longest name in the us-east-1
 * snapshot of the test corpus has 67 bytes. */
#define POLICY_MANIFEST_MAX_TYPE_NAME 270

typedef enum policy_manifest_list {
  POLICY_MANIFEST_NOT_NAMED, /* the type is in neither list */
  POLICY_MANIFEST_ALLOWED,   /* first found in "types" */
  POLICY_MANIFEST_DENIED     /* found in "denied" only */
} policy_manifest_list;

/* Where the entry of one type is in the manifest text. */
typedef struct policy_manifest_match {
  policy_manifest_list list;
  size_t start, end; /* byte span of the entry object, when list is not NOT_NAMED */
} policy_manifest_match;

/* Checks that text[0..len) is one JSON object whose "types" member is an
 * array, that every entry of "types" and "denied" is an object with a
 * string typeName (and a string template in "types"), and that the entries
 * pass policy_manifest_check_entries(). Finds the entry named type_name
 * unless type_name is NULL. Returns 0, or -1 with a message in error. */
int policy_manifest_scan(const char *text, size_t len, const char *type_name,
                         policy_manifest_match *match, char *error, size_t error_size);

/* Where one entry of "types" or "denied" is in the manifest text. */
typedef struct policy_manifest_entry {
  policy_manifest_list list;           /* ALLOWED for "types", DENIED for "denied" */
  size_t number;                       /* 1-based position in its list */
  size_t type_start, type_end;         /* the typeName string token, quotes included */
  size_t template_start, template_end; /* the template string token; 0 and 0 in "denied" */
} policy_manifest_entry;

/* Checks the entries the scan found. Each typeName must be a type name such
 * as AWS::S3::Bucket, listed once in "types" and "denied" together. Each
 * template must be "templates/" and the file name of its type, so no
 * template lies outside the folder. Returns 0, or -1 with "line L, column
 * C: ..." naming the entry and the value in error. */
int policy_manifest_check_entries(const char *text, const policy_manifest_entry *entries,
                                  size_t count, char *error, size_t error_size);

/* Stores the 1-based line and column (in bytes) of text[offset]. */
void policy_manifest_position(const char *text, size_t offset, size_t *line, size_t *column);

#endif
