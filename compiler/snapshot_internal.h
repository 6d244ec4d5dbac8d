/*
 * Snapshot internals shared by snapshot.c (indexing) and snapshot_load.c
 * (reading one schema).
 */
#ifndef CFGATE_SNAPSHOT_INTERNAL_H
#define CFGATE_SNAPSHOT_INTERNAL_H

#include <zip.h>

#include "snapshot.h"
#include "snapshot_zip.h"

/* Maximum size of one provider schema file. The largest schema of the
 * us-east-1 snapshot in the test corpus is 337 KB, so a larger entry is more
 * likely a mistake or a zip bomb. */
#define SNAPSHOT_MAX_SCHEMA_BYTES (16u << 20)

typedef struct snapshot_entry {
  char *file_name;
  zip_uint64_t zip_index; /* position in the zip, 0 for a folder */
  int loaded; /* 1 after a load attempt */
  int valid;  /* 1 when the file parsed and has a typeName */
  snapshot_schema schema;
  char *load_error;
} snapshot_entry;

struct snapshot {
  char *path;
  zip_t *zip;              /* NULL for a folder */
  const snapshot_zip_api *zip_api; /* libzip functions, set with zip */
  snapshot_entry *entries; /* sorted by file_name */
  size_t count, capacity;
  const char **type_names;
  size_t type_name_count;
};

typedef enum snapshot_name_kind {
  SNAPSHOT_NAME_SCHEMA,  /* a provider schema file */
  SNAPSHOT_NAME_IGNORED, /* not a schema: a README, a folder entry */
  SNAPSHOT_NAME_INVALID  /* ends in .json but is not a schema file name */
} snapshot_name_kind;

/* Classifies a folder file or zip entry name. For SNAPSHOT_NAME_INVALID,
 * writes a message naming the entry and the snapshot into error. */
snapshot_name_kind snapshot_classify_name(const snapshot *snap, const char *name, char *error,
                                          size_t error_size);

/* Checks the subfolders of a snapshot folder: a ".json" file in one is an
 * error, as a ".json" zip entry inside a folder is. Returns 1, or 0 with a
 * message naming the file in error. */
int snapshot_check_subfolders(const snapshot *snap, char *error, size_t error_size);

/* Checks that the local header of each entry of the zip open as archive
 * names the same file as its central directory record. Returns 1, or 0
 * with a message naming the zip and the entry in error. */
int snapshot_zip_check_names(const snapshot_zip_api *zip, zip_t *archive, const char *path,
                             char *error, size_t error_size);

/* Reads, hashes and parses one entry once; sets load_error on failure. */
void snapshot_load_entry(snapshot *snap, snapshot_entry *entry);

#endif
