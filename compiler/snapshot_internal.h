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

/* Reads, hashes and parses one entry once; sets load_error on failure. */
void snapshot_load_entry(snapshot *snap, snapshot_entry *entry);

#endif
