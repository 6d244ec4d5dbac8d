/*
 * Loading the output folder of `cfgate compile` back into a policy_set,
 * whole or for one resource type. Every template that is loaded must exist,
 * parse and pass template_verify_loaded(), or the load fails.
 */
#define _POSIX_C_SOURCE 200809L /* fileno */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "policy.h"
#include "policy_manifest.h"
#include "template_verify.h"

enum { POLICY_JSON_FLAGS = JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL };

static char *policy_copy(const char *text) {
  char *copy = malloc(strlen(text ? text : "") + 1);
  if (!copy)
    abort();
  strcpy(copy, text ? text : "");
  return copy;
}

/* Reads all of file into a new buffer. Returns NULL with errno set. */
static char *policy_read_all(FILE *file, size_t *size) {
  struct stat info;
  size_t capacity = fstat(fileno(file), &info) == 0 && info.st_size > 0 ? (size_t)info.st_size : 0;
  capacity += 4096;
  char *bytes = malloc(capacity);
  size_t used = 0;

  while (bytes) {
    used += fread(bytes + used, 1, capacity - used, file);
    if (used < capacity)
      break;
    char *grown = realloc(bytes, capacity * 2);
    if (!grown)
      free(bytes);
    bytes = grown;
    capacity *= 2;
  }
  if (bytes && ferror(file)) {
    free(bytes);
    errno = EIO;
    return NULL;
  }
  *size = used;
  return bytes;
}

/* Parses a JSON file read whole with json_loadb, which saves the getc call
 * per byte that json_load_file makes. Errors read like json_load_file's. */
static json_t *policy_load_json(const char *path, json_error_t *jerror) {
  FILE *file = fopen(path, "rb");
  size_t size = 0;
  char *bytes = file ? policy_read_all(file, &size) : NULL;
  int saved_errno = errno;
  if (file)
    fclose(file);
  if (!bytes) {
    memset(jerror, 0, sizeof *jerror);
    jerror->line = jerror->column = -1;
    snprintf(jerror->text, sizeof jerror->text, "cannot read file: %s", strerror(saved_errno));
    return NULL;
  }

  json_t *value = json_loadb(bytes, size, POLICY_JSON_FLAGS, jerror);
  free(bytes);
  return value;
}

/* Writes "path:line:col: what: text" for a JSON syntax error, leaving out
 * the position when jansson gives no line (the file could not be read).
 * jansson gives column 0 at the start of a line; columns here start at 1. */
static void policy_format_json_error(const char *path, const json_error_t *jerror,
                                     const char *what, char *error, size_t error_size) {
  if (jerror->line < 1)
    snprintf(error, error_size, "%s: %s: %s", path, what, jerror->text);
  else
    snprintf(error, error_size, "%s:%d:%d: %s: %s", path, jerror->line,
             jerror->column < 1 ? 1 : jerror->column, what, jerror->text);
}

/* Checks the fields every manifest entry must have, without loading its
 * template. */
static int policy_check_entry(const char *folder, json_t *entry, int denied, char *error,
                              size_t error_size) {
  const char *type_name = json_string_value(json_object_get(entry, "typeName"));
  const char *template_path = json_string_value(json_object_get(entry, "template"));
  if (type_name && (denied || template_path))
    return 0;
  snprintf(error, error_size, "invalid manifest in '%s': an entry has no typeName or template",
           folder);
  return -1;
}

static int policy_load_entry(const char *folder, json_t *entry, int denied, policy_type *out,
                             char *error, size_t error_size) {
  if (policy_check_entry(folder, entry, denied, error, error_size))
    return -1;
  out->type_name = policy_copy(json_string_value(json_object_get(entry, "typeName")));
  out->file = policy_copy(json_string_value(json_object_get(entry, "file")));
  out->line = (unsigned)json_integer_value(json_object_get(entry, "line"));
  out->column = (unsigned)json_integer_value(json_object_get(entry, "column"));
  if (denied)
    return 0;

  const char *sha256 = json_string_value(json_object_get(entry, "providerSchemaSha256"));
  snprintf(out->provider_sha256, sizeof out->provider_sha256, "%s", sha256 ? sha256 : "");
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", folder,
           json_string_value(json_object_get(entry, "template")));
  json_error_t jerror;
  out->template_schema = policy_load_json(path, &jerror);
  if (!out->template_schema) {
    policy_format_json_error(path, &jerror, "invalid template", error, error_size);
    return -1;
  }

  char problem[1200];
  if (!template_verify_loaded(out->template_schema, out->type_name, problem, sizeof problem)) {
    snprintf(error, error_size, "%s: invalid template: %s", path, problem);
    return -1;
  }
  return 0;
}

static int policy_compare(const void *a, const void *b) {
  return strcmp(((const policy_type *)a)->type_name, ((const policy_type *)b)->type_name);
}

/* Loads manifest.json and checks that its 'types' member is an array. */
static json_t *policy_load_manifest(const char *folder, char *error, size_t error_size) {
  char path[4096];
  snprintf(path, sizeof path, "%s/manifest.json", folder);
  json_error_t jerror;
  json_t *manifest = policy_load_json(path, &jerror);
  if (!manifest) {
    snprintf(error, error_size, "%s: cannot load manifest: %s", path, jerror.text);
    return NULL;
  }
  if (!json_is_array(json_object_get(manifest, "types"))) {
    snprintf(error, error_size, "%s: invalid manifest: 'types' is not an array", path);
    json_decref(manifest);
    return NULL;
  }
  return manifest;
}

static policy_set *policy_set_new(size_t capacity) {
  policy_set *set = calloc(1, sizeof *set);
  if (set)
    set->types = calloc(capacity ? capacity : 1, sizeof set->types[0]);
  if (!set || !set->types)
    abort();
  return set;
}

policy_set *policy_load_compiled(const char *folder, char *error, size_t error_size) {
  json_t *manifest = policy_load_manifest(folder, error, error_size);
  if (!manifest)
    return NULL;

  json_t *types = json_object_get(manifest, "types"), *denied = json_object_get(manifest, "denied");
  policy_set *set = policy_set_new(json_array_size(types) + json_array_size(denied));
  int failed = 0;
  size_t i;
  json_t *entry;
  json_array_foreach(types, i, entry)
    if (!failed)
      failed = policy_load_entry(folder, entry, 0, &set->types[set->count++], error, error_size);
  json_array_foreach(denied, i, entry)
    if (!failed)
      failed = policy_load_entry(folder, entry, 1, &set->types[set->count++], error, error_size);
  json_decref(manifest);

  if (failed) {
    policy_set_free(set);
    return NULL;
  }
  qsort(set->types, set->count, sizeof set->types[0], policy_compare);
  return set;
}

/* Reads manifest.json whole into a new buffer. */
static char *policy_read_manifest(const char *folder, size_t *size, char *error,
                                  size_t error_size) {
  char path[4096];
  snprintf(path, sizeof path, "%s/manifest.json", folder);
  FILE *file = fopen(path, "rb");
  char *bytes = file ? policy_read_all(file, size) : NULL;
  int saved_errno = errno;
  if (file)
    fclose(file);
  if (!bytes)
    snprintf(error, error_size, "%s: cannot load manifest: unable to open %s: %s", path, path,
             strerror(saved_errno));
  return bytes;
}

/* Parses the entry the scan found and loads it into a one-entry set. */
static policy_set *policy_load_match(const char *folder, const char *text,
                                     const policy_manifest_match *match, char *error,
                                     size_t error_size) {
  policy_set *set = policy_set_new(1);
  if (match->list == POLICY_MANIFEST_NOT_NAMED)
    return set;

  json_error_t jerror;
  json_t *entry = json_loadb(text + match->start, match->end - match->start, POLICY_JSON_FLAGS,
                             &jerror);
  int denied = match->list == POLICY_MANIFEST_DENIED;
  int failed = !entry;
  if (failed)
    snprintf(error, error_size, "%s/manifest.json: cannot load manifest: %s", folder, jerror.text);
  else
    failed = policy_load_entry(folder, entry, denied, &set->types[set->count++], error, error_size);
  json_decref(entry);

  if (failed) {
    policy_set_free(set);
    return NULL;
  }
  return set;
}

policy_set *policy_load_compiled_type(const char *folder, const char *type_name, char *error,
                                      size_t error_size) {
  size_t size = 0;
  char *text = policy_read_manifest(folder, &size, error, error_size);
  if (!text)
    return NULL;

  policy_manifest_match match;
  char scan_error[400];
  policy_set *set = NULL;
  if (policy_manifest_scan(text, size, type_name, &match, scan_error, sizeof scan_error) == 0)
    set = policy_load_match(folder, text, &match, error, error_size);
  else
    snprintf(error, error_size, "%s/manifest.json: invalid manifest: %s", folder, scan_error);
  free(text);
  return set;
}
