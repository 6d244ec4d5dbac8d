/*
 * Provider schema snapshot: AWS's CloudFormation resource provider schemas,
 * read from a folder of `aws-s3-bucket.json` style files or from AWS's
 * CloudformationSchema.zip. Schemas are loaded on first lookup.
 */
#ifndef CFGATE_SNAPSHOT_H
#define CFGATE_SNAPSHOT_H

#include <jansson.h>
#include <stddef.h>

#include "sha256.h"

typedef struct snapshot snapshot;

typedef struct snapshot_schema {
  const char *type_name;        /* "AWS::S3::Bucket" */
  const char *file_name;        /* "aws-s3-bucket.json" */
  const char *snapshot_path;    /* the snapshot folder or zip, as opened */
  json_t *schema;               /* owned by the snapshot */
  char sha256[SHA256_HEX_SIZE]; /* digest of the file's bytes */
} snapshot_schema;

/* Opens a folder or a .zip file. Returns NULL and writes a message naming
 * the path into error when it cannot be read. Free with snapshot_free(). */
snapshot *snapshot_open(const char *path, char *error, size_t error_size);

/* Opens --schemas when given, else $CFGATE_SCHEMAS. */
snapshot *snapshot_open_default(const char *path, char *error, size_t error_size);

void snapshot_free(snapshot *snap);

/* Why snapshot_find() found no usable schema. */
typedef enum snapshot_failure {
  SNAPSHOT_NOT_FOUND, /* no file for the type */
  SNAPSHOT_INVALID    /* the type's file cannot be read, parsed or used */
} snapshot_failure;

/* Returns the schema of a type (borrowed from the snapshot), or NULL with
 * the reason in *failure and a message in error: not found (with the
 * closest type names) or invalid (naming the file and the defect). */
const snapshot_schema *snapshot_find(snapshot *snap, const char *type_name,
                                     snapshot_failure *failure, char *error,
                                     size_t error_size);

/* Returns the number of provider schema files and, through names, the
 * type name of file i (loading every file on first call). */
size_t snapshot_type_names(snapshot *snap, const char *const **names);

/* Returns the file name a type's provider schema has ("aws-s3-bucket.json")
 * in buffer. */
const char *snapshot_file_name(const char *type_name, char *buffer, size_t size);

#endif
