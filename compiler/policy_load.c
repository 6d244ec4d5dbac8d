/*
 * Loading the output folder of `cfgate compile` back into a policy_set.
 * Every listed template must exist and parse, or the load fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"

static char *policy_copy(const char *text) {
  char *copy = malloc(strlen(text ? text : "") + 1);
  if (!copy)
    abort();
  strcpy(copy, text ? text : "");
  return copy;
}

static int policy_load_entry(const char *folder, json_t *entry, int denied, policy_type *out,
                             char *error, size_t error_size) {
  const char *type_name = json_string_value(json_object_get(entry, "typeName"));
  const char *template_path = json_string_value(json_object_get(entry, "template"));
  if (!type_name || (!denied && !template_path)) {
    snprintf(error, error_size, "invalid manifest in '%s': an entry has no typeName or template",
             folder);
    return -1;
  }
  out->type_name = policy_copy(type_name);
  out->file = policy_copy(json_string_value(json_object_get(entry, "file")));
  out->line = (unsigned)json_integer_value(json_object_get(entry, "line"));
  out->column = (unsigned)json_integer_value(json_object_get(entry, "column"));
  if (denied)
    return 0;

  const char *sha256 = json_string_value(json_object_get(entry, "providerSchemaSha256"));
  snprintf(out->provider_sha256, sizeof out->provider_sha256, "%s", sha256 ? sha256 : "");
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", folder, template_path);
  json_error_t jerror;
  out->template_schema = json_load_file(path, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerror);
  if (!out->template_schema) {
    snprintf(error, error_size, "%s:%d:%d: invalid template: %s", path, jerror.line, jerror.column,
             jerror.text);
    return -1;
  }
  return 0;
}

static int policy_compare(const void *a, const void *b) {
  return strcmp(((const policy_type *)a)->type_name, ((const policy_type *)b)->type_name);
}

policy_set *policy_load_compiled(const char *folder, char *error, size_t error_size) {
  char path[4096];
  snprintf(path, sizeof path, "%s/manifest.json", folder);
  json_error_t jerror;
  json_t *manifest = json_load_file(path, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerror);
  if (!manifest) {
    snprintf(error, error_size, "%s: cannot load manifest: %s", path, jerror.text);
    return NULL;
  }

  json_t *types = json_object_get(manifest, "types"), *denied = json_object_get(manifest, "denied");
  policy_set *set = calloc(1, sizeof *set);
  size_t total = json_array_size(types) + json_array_size(denied);
  set->types = calloc(total ? total : 1, sizeof set->types[0]);
  int failed = !json_is_array(types);
  if (failed)
    snprintf(error, error_size, "%s: invalid manifest: 'types' is not an array", path);

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
