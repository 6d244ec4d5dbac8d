/*
 * A scan of the manifest.json of a folder written by `cfgate compile` that
 * finds one type's entry without building a tree of the whole manifest.
 */
#ifndef CFGATE_POLICY_MANIFEST_H
#define CFGATE_POLICY_MANIFEST_H

#include <stddef.h>

/* Maximum nesting of arrays and objects in a manifest. */
#define POLICY_MANIFEST_MAX_DEPTH 64

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
 * array, and that every entry of "types" and "denied" is an object with a
 * string typeName (and a string template in "types"). Finds the first
 * entry named type_name. Returns 0, or -1 with a message in error. */
int policy_manifest_scan(const char *text, size_t len, const char *type_name,
                         policy_manifest_match *match, char *error, size_t error_size);

#endif
