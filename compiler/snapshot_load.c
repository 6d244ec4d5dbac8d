/*
 * Reading one provider schema of a snapshot: bytes from the folder or the
 * zip, SHA-256 of those bytes, JSON parse, typeName and shape checks.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "provider_check.h"
#include "snapshot_internal.h"
#include "suggest.h"

static char *snapshot_read_folder_file(snapshot *snap, const char *name, size_t *len) {
  size_t path_len = strlen(snap->path) + strlen(name) + 2;
  char *path = malloc(path_len);
  if (!path)
    abort();
  snprintf(path, path_len, "%s/%s", snap->path, name);
  FILE *file = fopen(path, "rb");
  free(path);
  if (!file)
    return NULL;

  size_t capacity = 64 * 1024, used = 0;
  char *bytes = malloc(capacity);
  size_t n;
  while (bytes && (n = fread(bytes + used, 1, capacity - used, file)) > 0) {
    used += n;
    if (used == capacity)
      bytes = realloc(bytes, capacity *= 2);
  }
  fclose(file);
  *len = used;
  return bytes;
}

static char *snapshot_read_zip_file(snapshot *snap, const char *name, size_t *len) {
  const snapshot_zip_api *zip = snap->zip_api;
  zip_stat_t info;
  if (zip->stat(snap->zip, name, 0, &info) != 0 || !(info.valid & ZIP_STAT_SIZE))
    return NULL;
  zip_file_t *file = zip->fopen(snap->zip, name, 0);
  if (!file)
    return NULL;

  char *bytes = malloc(info.size + 1);
  zip_int64_t n = bytes ? zip->fread(file, bytes, info.size) : -1;
  zip->fclose(file);
  if (n < 0 || (zip_uint64_t)n != info.size) {
    free(bytes);
    return NULL;
  }
  *len = (size_t)info.size;
  return bytes;
}

__attribute__((format(printf, 1, 2))) static char *snapshot_error(const char *format, ...) {
  char buffer[512];
  va_list args;
  va_start(args, format);
  vsnprintf(buffer, sizeof buffer, format, args);
  va_end(args);
  char *copy = malloc(strlen(buffer) + 1);
  if (!copy)
    abort();
  strcpy(copy, buffer);
  return copy;
}

void snapshot_load_entry(snapshot *snap, snapshot_entry *entry) {
  if (entry->loaded)
    return;
  entry->loaded = 1;

  size_t len = 0;
  char *bytes = snap->zip ? snapshot_read_zip_file(snap, entry->file_name, &len)
                          : snapshot_read_folder_file(snap, entry->file_name, &len);
  if (!bytes) {
    entry->load_error =
        snapshot_error("cannot read provider schema '%s' in '%s'", entry->file_name, snap->path);
    return;
  }

  sha256_hex(bytes, len, entry->schema.sha256);
  json_error_t jerror;
  json_t *schema = json_loadb(bytes, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerror);
  free(bytes);
  const char *type_name = json_string_value(json_object_get(schema, "typeName"));
  if (!schema || !json_is_object(json_object_get(schema, "properties")) || !type_name) {
    entry->load_error = snapshot_error("invalid provider schema '%s': %s", entry->file_name,
                                       schema ? "no typeName or properties" : jerror.text);
    json_decref(schema);
    return;
  }

  char defect[1024];
  if (!provider_check(schema, defect, sizeof defect)) {
    entry->load_error = snapshot_error("invalid provider schema '%s' in '%s': %s",
                                       entry->file_name, snap->path, defect);
    json_decref(schema);
    return;
  }

  entry->valid = 1;
  entry->schema.schema = schema;
  entry->schema.type_name = type_name;
  entry->schema.file_name = entry->file_name;
}

static snapshot_entry *snapshot_entry_by_file(snapshot *snap, const char *file_name) {
  size_t low = 0, high = snap->count;
  while (low < high) {
    size_t mid = (low + high) / 2;
    int order = strcmp(snap->entries[mid].file_name, file_name);
    if (order == 0)
      return &snap->entries[mid];
    if (order < 0)
      low = mid + 1;
    else
      high = mid;
  }
  return NULL;
}

size_t snapshot_type_names(snapshot *snap, const char *const **names) {
  if (!snap->type_names) {
    snap->type_names = calloc(snap->count ? snap->count : 1, sizeof snap->type_names[0]);
    if (!snap->type_names)
      abort();
    for (size_t i = 0; i < snap->count; i++) {
      snapshot_load_entry(snap, &snap->entries[i]);
      if (snap->entries[i].valid)
        snap->type_names[snap->type_name_count++] = snap->entries[i].schema.type_name;
    }
  }
  *names = snap->type_names;
  return snap->type_name_count;
}

static void snapshot_not_found(snapshot *snap, const char *type_name, char *error,
                               size_t error_size) {
  const char *const *names;
  size_t count = snapshot_type_names(snap, &names);
  suggest s;
  suggest_init(&s, type_name);
  for (size_t i = 0; i < count; i++)
    suggest_offer(&s, names[i]);

  char hint[512];
  suggest_format(&s, hint, sizeof hint);
  snprintf(error, error_size, "unknown resource type '%s' in the provider schemas%s", type_name,
           hint);
}

const snapshot_schema *snapshot_find(snapshot *snap, const char *type_name, char *error,
                                     size_t error_size) {
  char file_name[512];
  snapshot_file_name(type_name, file_name, sizeof file_name);
  snapshot_entry *entry = snapshot_entry_by_file(snap, file_name);
  if (entry)
    snapshot_load_entry(snap, entry);

  if (entry && entry->load_error) {
    snprintf(error, error_size, "%s", entry->load_error);
    return NULL;
  }
  if (!entry || strcmp(entry->schema.type_name, type_name) != 0) {
    snapshot_not_found(snap, type_name, error, error_size);
    return NULL;
  }
  return &entry->schema;
}
