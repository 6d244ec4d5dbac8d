/*
 * Provider schema snapshot from a folder or a zip file. Entries are indexed
 * by file name when the snapshot opens; a schema is read, hashed and parsed
 * when a type is first looked up.
 */
#include "snapshot.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zip.h>

#include "snapshot_internal.h"

static char *snapshot_strdup(const char *text) {
  size_t len = strlen(text);
  char *copy = malloc(len + 1);
  if (!copy)
    abort();
  memcpy(copy, text, len + 1);
  return copy;
}

static void snapshot_add_entry(snapshot *snap, const char *file_name, zip_uint64_t zip_index) {
  if (snap->count == snap->capacity) {
    snap->capacity = snap->capacity ? 2 * snap->capacity : 256;
    snap->entries = realloc(snap->entries, snap->capacity * sizeof snap->entries[0]);
    if (!snap->entries)
      abort();
  }
  snapshot_entry *entry = &snap->entries[snap->count++];
  memset(entry, 0, sizeof *entry);
  entry->file_name = snapshot_strdup(file_name);
  entry->zip_index = zip_index;
}

/* Adds the entry when its name is a schema file name. Returns 0 with a
 * message in error for a name that ends in .json but is not one. */
static int snapshot_offer_entry(snapshot *snap, const char *name, zip_uint64_t zip_index,
                                char *error, size_t error_size) {
  switch (snapshot_classify_name(snap, name, error, error_size)) {
  case SNAPSHOT_NAME_SCHEMA:
    snapshot_add_entry(snap, name, zip_index);
    return 1;
  case SNAPSHOT_NAME_IGNORED:
    return 1;
  case SNAPSHOT_NAME_INVALID:
    return 0;
  }
  return 0;
}

static int snapshot_index_folder(snapshot *snap, char *error, size_t error_size) {
  DIR *dir = opendir(snap->path);
  if (!dir) {
    snprintf(error, error_size, "cannot open provider schema folder '%s': %s", snap->path,
             strerror(errno));
    return 0;
  }

  struct dirent *item;
  int ok = 1;
  while (ok && (item = readdir(dir)) != NULL)
    ok = snapshot_offer_entry(snap, item->d_name, 0, error, error_size);
  closedir(dir);
  return ok && snapshot_check_subfolders(snap, error, error_size);
}

static int snapshot_index_zip(snapshot *snap, char *error, size_t error_size) {
  char load_error[400];
  const snapshot_zip_api *zip = snapshot_zip_load(load_error, sizeof load_error);
  if (!zip) {
    snprintf(error, error_size, "cannot open provider schema zip '%s': %s", snap->path,
             load_error);
    return 0;
  }

  /* libzip reports a FIFO or a device only as "Operation not supported". */
  struct stat info;
  if (stat(snap->path, &info) == 0 && !S_ISREG(info.st_mode)) {
    snprintf(error, error_size, "cannot open provider schema zip '%s': not a regular file",
             snap->path);
    return 0;
  }

  int code = 0;
  snap->zip = zip->open(snap->path, ZIP_RDONLY, &code);
  if (!snap->zip) {
    zip_error_t zerror;
    zip->error_init_with_code(&zerror, code);
    snprintf(error, error_size, "cannot open provider schema zip '%s': %s", snap->path,
             zip->error_strerror(&zerror));
    zip->error_fini(&zerror);
    return 0;
  }
  snap->zip_api = zip;
  if (!snapshot_zip_check_names(zip, snap->zip, snap->path, error, error_size))
    return 0;

  zip_int64_t count = zip->get_num_entries(snap->zip, 0);
  for (zip_int64_t i = 0; i < count; i++) {
    const char *name = zip->get_name(snap->zip, (zip_uint64_t)i, 0);
    if (!name) {
      snprintf(error, error_size, "cannot read the name of entry %lld in provider schema zip "
               "'%s': %s", (long long)i + 1, snap->path, zip->strerror(snap->zip));
      return 0;
    }
    if (!snapshot_offer_entry(snap, name, (zip_uint64_t)i, error, error_size))
      return 0;
  }
  return 1;
}

/* Orders by file name, then by position in the zip. */
static int snapshot_compare_entries(const void *a, const void *b) {
  const snapshot_entry *left = a, *right = b;
  int order = strcmp(left->file_name, right->file_name);
  if (order != 0)
    return order;
  return (left->zip_index > right->zip_index) - (left->zip_index < right->zip_index);
}

/* Rejects a zip with two entries of the same name: readers disagree on
 * which one counts (libzip finds the first, unzip -p extracts the last), so
 * either copy could be the schema a reviewer read. */
static int snapshot_check_duplicates(const snapshot *snap, char *error, size_t error_size) {
  for (size_t i = 1; i < snap->count; i++) {
    const snapshot_entry *first = &snap->entries[i - 1], *second = &snap->entries[i];
    if (strcmp(first->file_name, second->file_name) == 0) {
      snprintf(error, error_size,
               "provider schema zip '%s' has two entries named '%s' (entries %llu and %llu)",
               snap->path, first->file_name, (unsigned long long)first->zip_index + 1,
               (unsigned long long)second->zip_index + 1);
      return 0;
    }
  }
  return 1;
}

snapshot *snapshot_open(const char *path, char *error, size_t error_size) {
  struct stat info;
  if (stat(path, &info) != 0) {
    snprintf(error, error_size, "cannot read provider schemas '%s': %s", path, strerror(errno));
    return NULL;
  }

  snapshot *snap = calloc(1, sizeof *snap);
  if (!snap)
    abort();
  snap->path = snapshot_strdup(path);
  int ok = S_ISDIR(info.st_mode) ? snapshot_index_folder(snap, error, error_size)
                                 : snapshot_index_zip(snap, error, error_size);
  if (ok && snap->count == 0) {
    snprintf(error, error_size, "no provider schema files (*.json) in '%s'", path);
    ok = 0;
  }
  if (ok) {
    qsort(snap->entries, snap->count, sizeof snap->entries[0], snapshot_compare_entries);
    ok = snapshot_check_duplicates(snap, error, error_size);
  }
  if (!ok) {
    snapshot_free(snap);
    return NULL;
  }
  return snap;
}

snapshot *snapshot_open_default(const char *path, char *error, size_t error_size) {
  if (!path || !*path)
    path = getenv("CFGATE_SCHEMAS");
  if (!path || !*path) {
    snprintf(error, error_size,
             "no provider schemas: pass --schemas DIR|ZIP or set CFGATE_SCHEMAS");
    return NULL;
  }
  return snapshot_open(path, error, error_size);
}

void snapshot_free(snapshot *snap) {
  if (!snap)
    return;
  for (size_t i = 0; i < snap->count; i++) {
    free(snap->entries[i].file_name);
    free(snap->entries[i].load_error);
    json_decref(snap->entries[i].schema.schema);
  }
  if (snap->zip)
    snap->zip_api->discard(snap->zip);
  free(snap->entries);
  free(snap->type_names);
  free(snap->path);
  free(snap);
}

const char *snapshot_file_name(const char *type_name, char *buffer, size_t size) {
  size_t out = 0;
  for (const char *p = type_name; *p && out + 6 < size; p++) {
    if (p[0] == ':' && p[1] == ':') {
      buffer[out++] = '-';
      p++;
    } else {
      buffer[out++] = (char)tolower((unsigned char)*p);
    }
  }
  snprintf(buffer + out, size - out, ".json");
  return buffer;
}
