/*
 * The output folder of `cfgate compile`: manifest.json plus one template
 * per allowed type under templates/ (docs/TEMPLATE-FORMAT.md).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cfgate.h"
#include "policy.h"
#include "snapshot.h"

/* Creates folder and any missing parent folders, like `mkdir -p`. */
static int policy_mkdir(const char *folder, char *error, size_t error_size) {
  char path[4096];
  size_t len = strlen(folder);
  if (len >= sizeof path) {
    snprintf(error, error_size, "output folder name is too long (limit is %zu bytes)",
             sizeof path - 1);
    return -1;
  }
  memcpy(path, folder, len + 1);

  for (size_t i = 1; i <= len; i++) {
    if (path[i] != '/' && path[i] != '\0')
      continue;
    char saved = path[i];
    path[i] = '\0';
    if (mkdir(path, 0777) != 0 && errno != EEXIST) {
      snprintf(error, error_size, "cannot create folder '%s': %s", path, strerror(errno));
      return -1;
    }
    path[i] = saved;
  }
  return 0;
}

/* Writes value to path. The text is built in memory and written with one
 * fwrite, because json_dump_file calls fwrite once per token. */
static int policy_dump(json_t *value, const char *path, char *error, size_t error_size) {
  char *text = json_dumps(value, JSON_INDENT(2) | JSON_ENSURE_ASCII);
  if (!text) {
    snprintf(error, error_size, "cannot write '%s': the JSON text could not be built", path);
    return -1;
  }

  size_t len = strlen(text);
  FILE *file = fopen(path, "wb");
  int written = file && fwrite(text, 1, len, file) == len;
  int saved_errno = errno;
  if (file && fclose(file) != 0 && written) {
    written = 0;
    saved_errno = errno;
  }
  free(text);
  if (written)
    return 0;
  snprintf(error, error_size, "cannot write '%s': %s", path, strerror(saved_errno));
  return -1;
}

static json_t *policy_manifest(const policy_set *set) {
  json_t *types = json_array(), *denied = json_array(), *sources = json_array();
  json_t *placeholders = json_object();
  for (size_t i = 0; i < set->source_count; i++)
    json_array_append_new(sources, json_string(set->sources[i]));

  for (size_t i = 0; i < set->count; i++) {
    const policy_type *type = &set->types[i];
    if (!type->template_schema) {
      json_array_append_new(denied,
                            json_pack("{s:s, s:s, s:i, s:i}", "typeName", type->type_name, "file",
                                      type->file, "line", type->line, "column", type->column));
      continue;
    }
    char file_name[512];
    snapshot_file_name(type->type_name, file_name, sizeof file_name);
    json_t *meta = json_object_get(type->template_schema, "x-cfgate");
    json_array_append_new(types, json_pack("{s:s, s:s+, s:s, s:O}", "typeName", type->type_name,
                                           "template", "templates/", file_name,
                                           "providerSchemaSha256", type->provider_sha256, "sources",
                                           json_object_get(meta, "sources")));
    size_t j;
    json_t *name;
    json_array_foreach(json_object_get(meta, "placeholders"), j, name)
      json_object_set(placeholders, json_string_value(name), json_true());
  }

  json_t *names = json_array();
  const char *key;
  json_t *value;
  json_object_foreach(placeholders, key, value)
    json_array_append_new(names, json_string(key));
  json_decref(placeholders);
  return json_pack("{s:s, s:o, s:o, s:o, s:o}", "cfgateVersion", cfgate_version(), "sources",
                   sources, "types", types, "denied", denied, "placeholders", names);
}

static int policy_compare_strings(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Returns the sorted template file names of the set's allowed types; the
 * caller frees the array and each name. */
static char **policy_template_names(const policy_set *set, size_t *count) {
  char **names = calloc(set->count ? set->count : 1, sizeof names[0]);
  if (!names)
    abort();
  *count = 0;
  for (size_t i = 0; i < set->count; i++) {
    if (!set->types[i].template_schema)
      continue;
    char file_name[512];
    snapshot_file_name(set->types[i].type_name, file_name, sizeof file_name);
    names[*count] = malloc(strlen(file_name) + 1);
    if (!names[*count])
      abort();
    strcpy(names[(*count)++], file_name);
  }
  qsort(names, *count, sizeof names[0], policy_compare_strings);
  return names;
}

/* Removes templates that an earlier compilation left in the folder and that
 * this one does not rewrite, so templates/ contains exactly the
 * manifest's. */
static int policy_remove_stale(const policy_set *set, const char *templates, char *error,
                               size_t error_size) {
  DIR *dir = opendir(templates);
  if (!dir)
    return 0;
  size_t count;
  char **names = policy_template_names(set, &count);

  struct dirent *item;
  int result = 0;
  while (result == 0 && (item = readdir(dir)) != NULL) {
    size_t len = strlen(item->d_name);
    const char *key = item->d_name;
    if (len <= 5 || strcmp(item->d_name + len - 5, ".json") != 0 ||
        bsearch(&key, names, count, sizeof names[0], policy_compare_strings))
      continue;
    char path[4096 + 512];
    snprintf(path, sizeof path, "%s/%s", templates, item->d_name);
    if (remove(path) != 0) {
      snprintf(error, error_size, "cannot remove old template '%s': %s", path, strerror(errno));
      result = -1;
    }
  }
  closedir(dir);

  for (size_t i = 0; i < count; i++)
    free(names[i]);
  free(names);
  return result;
}

int policy_set_write(const policy_set *set, const char *folder, char *error, size_t error_size) {
  char path[4096];
  snprintf(path, sizeof path, "%s/templates", folder);
  if (policy_mkdir(folder, error, error_size) || policy_mkdir(path, error, error_size) ||
      policy_remove_stale(set, path, error, error_size))
    return -1;

  for (size_t i = 0; i < set->count; i++) {
    if (!set->types[i].template_schema)
      continue;
    char file_name[512];
    snapshot_file_name(set->types[i].type_name, file_name, sizeof file_name);
    snprintf(path, sizeof path, "%s/templates/%s", folder, file_name);
    if (policy_dump(set->types[i].template_schema, path, error, error_size))
      return -1;
  }

  json_t *manifest = policy_manifest(set);
  snprintf(path, sizeof path, "%s/manifest.json", folder);
  int result = policy_dump(manifest, path, error, error_size);
  json_decref(manifest);
  return result;
}
