/*
 * Reading one provider schema of a snapshot: bytes from the folder or the
 * zip, SHA-256 of those bytes, JSON parse, typeName and shape checks.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "file_read.h"
#include "json_number.h"
#include "provider_check.h"
#include "provider_fixes.h"
#include "snapshot_internal.h"
#include "suggest.h"
#include "utf8.h"

__attribute__((format(printf, 1, 2))) static char *snapshot_error(const char *format, ...) {
  char buffer[1024];
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

static char *snapshot_too_large(snapshot *snap, const char *name) {
  return snapshot_error("provider schema '%s' in '%s' is too large (limit is %u bytes)", name,
                        snap->path, SNAPSHOT_MAX_SCHEMA_BYTES);
}

/* Reads a provider schema file of the folder, at most
 * SNAPSHOT_MAX_SCHEMA_BYTES (file_read.h). */
static char *snapshot_read_folder_file(snapshot *snap, const char *name, size_t *len,
                                       char **error) {
  size_t path_len = strlen(snap->path) + strlen(name) + 2;
  char *path = malloc(path_len);
  if (!path)
    abort();
  snprintf(path, path_len, "%s/%s", snap->path, name);
  file_read_status status;
  int errno_value;
  char *bytes = file_read_regular(path, SNAPSHOT_MAX_SCHEMA_BYTES, len, &status, &errno_value);
  free(path);

  switch (status) {
  case FILE_READ_OK:
    return bytes;
  case FILE_READ_FAILED:
    *error = snapshot_error("cannot read provider schema '%s' in '%s': %s", name, snap->path,
                            strerror(errno_value));
    break;
  case FILE_READ_NOT_REGULAR:
    *error = snapshot_error("provider schema '%s' in '%s' is not a regular file", name,
                            snap->path);
    break;
  case FILE_READ_TOO_LARGE:
    *error = snapshot_too_large(snap, name);
    break;
  case FILE_READ_CHANGED:
    *error = snapshot_error("cannot read provider schema '%s' in '%s': its size changed or a "
                            "read failed",
                            name, snap->path);
    break;
  }
  return NULL;
}

/* Reads one zip entry by its position in the zip, not by name. The declared size is checked against the limit before any
 * byte is inflated. Asking for one byte more than the declared size makes
 * libzip reach the end of the entry, where it checks the CRC, and shows an
 * entry longer than declared. */
static char *snapshot_read_zip_file(snapshot *snap, const snapshot_entry *entry, size_t *len,
                                    char **error) {
  const snapshot_zip_api *zip = snap->zip_api;
  zip_stat_t info;
  if (zip->stat_index(snap->zip, entry->zip_index, 0, &info) != 0 ||
      !(info.valid & ZIP_STAT_SIZE)) {
    *error = snapshot_error("cannot read provider schema '%s' in '%s': %s", entry->file_name,
                            snap->path, zip->strerror(snap->zip));
    return NULL;
  }
  if (info.size > SNAPSHOT_MAX_SCHEMA_BYTES) {
    *error = snapshot_too_large(snap, entry->file_name);
    return NULL;
  }

  zip_file_t *file = zip->fopen_index(snap->zip, entry->zip_index, 0);
  if (!file) {
    *error = snapshot_error("cannot read provider schema '%s' in '%s': %s", entry->file_name,
                            snap->path, zip->strerror(snap->zip));
    return NULL;
  }

  char *bytes = malloc(info.size + 1);
  if (!bytes)
    abort();
  zip_uint64_t total = 0;
  zip_int64_t n = 1;
  while (total <= info.size && (n = zip->fread(file, bytes + total, info.size + 1 - total)) > 0)
    total += (zip_uint64_t)n;
  if (n < 0 || total != info.size) {
    *error = snapshot_error("cannot read provider schema '%s' in '%s': %s", entry->file_name,
                            snap->path,
                            n < 0 ? zip->file_strerror(file)
                                  : "its length differs from the size the zip declares");
    free(bytes);
    bytes = NULL;
  }
  zip->fclose(file);
  *len = (size_t)info.size;
  return bytes;
}

/* Returns 3 when the bytes start with a UTF-8 byte order mark, which
 * jansson rejects, else 0. The mark is skipped, as in templates, so line
 * and column numbers count from the text after it. */
static size_t snapshot_bom_length(const char *bytes, size_t len) {
  static const char bom[3] = {'\xEF', '\xBB', '\xBF'};
  return len >= sizeof bom && memcmp(bytes, bom, sizeof bom) == 0 ? sizeof bom : 0;
}

/* Parses the bytes and checks typeName and properties. Sets load_error and
 * returns NULL on failure. */
static json_t *snapshot_parse(snapshot *snap, snapshot_entry *entry, const char *bytes,
                              size_t len) {
  if (len == 0) {
    entry->load_error = snapshot_error("invalid provider schema '%s' in '%s': empty file",
                                       entry->file_name, snap->path);
    return NULL;
  }

  json_error_t jerror;
  json_t *schema = json_loadb(bytes, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerror);
  if (!schema) {
    /* jansson reports column 0 at the start of a line, but columns here are 1-based. */
    entry->load_error = snapshot_error("invalid provider schema '%s' in '%s' at line %d, "
                                       "column %d: %s",
                                       entry->file_name, snap->path, jerror.line,
                                       jerror.column > 0 ? jerror.column : 1, jerror.text);
    return NULL;
  }

  const char *type_name = json_string_value(json_object_get(schema, "typeName"));
  if (!json_is_object(json_object_get(schema, "properties")) || !type_name) {
    entry->load_error = snapshot_error("invalid provider schema '%s' in '%s': no typeName or "
                                       "properties",
                                       entry->file_name, snap->path);
    json_decref(schema);
    return NULL;
  }
  return schema;
}

/* Rejects a schema with a number that jansson's double would round, such
 * as a maximum of 3599.99999999999999999 read as 3600, because the
 * restricted template would carry the moved bound. Returns 1 when all are
 * exact. */
static int snapshot_numbers_exact(snapshot *snap, snapshot_entry *entry, const char *bytes,
                                  size_t len) {
  size_t start, end;
  if (!json_text_find_inexact(bytes, len, &start, &end))
    return 1;

  unsigned line, column;
  char read_as[48];

  json_text_position(bytes, start, &line, &column);
  json_number_is_exact(bytes + start, end - start, read_as, sizeof read_as);
  entry->load_error = snapshot_error("invalid provider schema '%s' in '%s' at line %u, column %u: "
                                     "number %.*s cannot be held exactly (a double reads it as "
                                     "%s)",
                                     entry->file_name, snap->path, line, column,
                                     (int)(end - start > 60 ? 60 : end - start), bytes + start,
                                     read_as);
  return 0;
}

/* Rejects a schema whose typeName does not name its file, so one type's
 * schema is never used for another type. */
static int snapshot_check_type_name(snapshot *snap, snapshot_entry *entry,
                                    const char *type_name) {
  char expected[512];
  snapshot_file_name(type_name, expected, sizeof expected);
  if (strcmp(expected, entry->file_name) == 0)
    return 1;

  entry->load_error = snapshot_error("provider schema '%s' in '%s' has the typeName '%s', "
                                     "whose file name is '%s': the file name and the typeName "
                                     "differ",
                                     entry->file_name, snap->path, type_name, expected);
  return 0;
}

void snapshot_load_entry(snapshot *snap, snapshot_entry *entry) {
  if (entry->loaded)
    return;
  entry->loaded = 1;

  size_t len = 0;
  char *bytes = snap->zip
                    ? snapshot_read_zip_file(snap, entry, &len, &entry->load_error)
                    : snapshot_read_folder_file(snap, entry->file_name, &len, &entry->load_error);
  if (!bytes)
    return;

  sha256_hex(bytes, len, entry->schema.sha256);
  size_t skip = snapshot_bom_length(bytes, len);
  /* jansson would report a UTF-16 mark's first byte at column 0. */
  const char *encoding = utf8_wide_byte_order_mark(bytes + skip, len - skip);
  if (encoding || snapshot_bom_length(bytes + skip, len - skip)) {
    entry->load_error = snapshot_error(
        "provider schema '%s' in '%s' %s%s: provider schemas are UTF-8 with at most one byte "
        "order mark",
        entry->file_name, snap->path, encoding ? "is " : "starts with two byte order marks",
        encoding ? encoding : "");
    free(bytes);
    return;
  }
  json_t *schema = snapshot_parse(snap, entry, bytes + skip, len - skip);
  if (schema && !snapshot_numbers_exact(snap, entry, bytes + skip, len - skip)) {
    json_decref(schema);
    schema = NULL;
  }
  free(bytes);
  if (!schema)
    return;

  const char *type_name = json_string_value(json_object_get(schema, "typeName"));
  if (!snapshot_check_type_name(snap, entry, type_name)) {
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

  provider_apply_fixes(schema);
  entry->valid = 1;
  entry->schema.schema = schema;
  entry->schema.type_name = type_name;
  entry->schema.file_name = entry->file_name;
  entry->schema.snapshot_path = snap->path;
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

/* Suggests type names for an unknown type. The closest file names are
 * found first, so only those few schemas are read, never every body. */
static void snapshot_not_found(snapshot *snap, const char *type_name, char *error,
                               size_t error_size) {
  char file_name[512];
  suggest by_file;
  suggest_init(&by_file, snapshot_file_name(type_name, file_name, sizeof file_name));
  for (size_t i = 0; i < snap->count; i++)
    suggest_offer(&by_file, snap->entries[i].file_name);

  suggest by_type;
  suggest_init(&by_type, type_name);
  for (size_t i = 0; i < by_file.count; i++) {
    snapshot_entry *entry = snapshot_entry_by_file(snap, by_file.best[i]);
    snapshot_load_entry(snap, entry);
    if (entry->valid)
      suggest_offer(&by_type, entry->schema.type_name);
  }

  char hint[512];
  suggest_format(&by_type, hint, sizeof hint);
  snprintf(error, error_size, "unknown resource type '%s' in the provider schemas%s", type_name,
           hint);
}

static int has_upper(const char *text) {
  for (; *text; text++)
    if (*text >= 'A' && *text <= 'Z')
      return 1;
  return 0;
}

/* Reports a type whose file has a typeName that differs from it in
 * letter case alone, since the file name is the type name in lower case.
 * It is used when the typeName has no capital letter, while every AWS type
 * name has one, so the schema is likely wrong. A typeName with capitals is
 * taken as right, and the policy's spelling gets the unknown-type error. */
static void snapshot_case_differs(snapshot *snap, const snapshot_entry *entry,
                                  const char *type_name, char *error, size_t error_size) {
  snprintf(error, error_size,
           "provider schema '%s' in '%s' has the typeName '%s', but its file name is that of "
           "'%s': the file name and the typeName differ in letter case (type names are "
           "case-sensitive, so correct the policy or the provider schema)",
           entry->file_name, snap->path, entry->schema.type_name, type_name);
}

const snapshot_schema *snapshot_find(snapshot *snap, const char *type_name,
                                     snapshot_failure *failure, char *error,
                                     size_t error_size) {
  char file_name[512];
  snapshot_file_name(type_name, file_name, sizeof file_name);
  snapshot_entry *entry = snapshot_entry_by_file(snap, file_name);
  if (entry)
    snapshot_load_entry(snap, entry);

  if (entry && entry->load_error) {
    *failure = SNAPSHOT_INVALID;
    snprintf(error, error_size, "%s", entry->load_error);
    return NULL;
  }
  if (!entry) {
    *failure = SNAPSHOT_NOT_FOUND;
    snapshot_not_found(snap, type_name, error, error_size);
    return NULL;
  }
  if (strcmp(entry->schema.type_name, type_name) != 0 && has_upper(entry->schema.type_name)) {
    *failure = SNAPSHOT_NOT_FOUND;
    snprintf(error, error_size,
             "unknown resource type '%s' in the provider schemas (did you mean '%s'? type "
             "names are case-sensitive)",
             type_name, entry->schema.type_name);
    return NULL;
  }
  if (strcmp(entry->schema.type_name, type_name) != 0) {
    *failure = SNAPSHOT_INVALID;
    snapshot_case_differs(snap, entry, type_name, error, error_size);
    return NULL;
  }
  return &entry->schema;
}
