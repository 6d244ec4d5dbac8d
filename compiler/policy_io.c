/*
 * The output folder of `cfgate compile`: manifest.json plus one template
 * per allowed type under templates/ (docs/TEMPLATE-FORMAT.md). The checks
 * of an existing folder are in output_folder.c.
 */
#define _DEFAULT_SOURCE /* strdup, unlinkat */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfgate.h"
#include "output_folder.h"
#include "policy.h"
#include "policy_manifest.h"
#include "snapshot.h"

/* Builds the text of value as cfgate writes it. json_dumps builds it in
 * memory, where json_dump_file would call fwrite once per token. */
static char *policy_text(json_t *value, const char *shown, char *error, size_t error_size) {
  char *text = json_dumps(value, JSON_INDENT(2) | JSON_ENSURE_ASCII);
  if (!text)
    snprintf(error, error_size, "%s: error: cannot write: the JSON text could not be built",
             shown);
  return text;
}

/* Writes value to the file name of the folder open as dir_fd
 * (output_folder_replace()). */
static int policy_dump(json_t *value, int dir_fd, const char *shown, const char *name,
                       char *error, size_t error_size) {
  char *text = policy_text(value, shown, error, error_size);
  if (!text)
    return -1;
  int result = output_folder_replace(dir_fd, shown, name, text, strlen(text), error, error_size);
  free(text);
  return result;
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
    names[*count] = strdup(file_name);
    if (!names[(*count)++])
      abort();
  }
  qsort(names, *count, sizeof names[0], policy_compare_strings);
  return names;
}

/* The template file names of one compilation. */
typedef struct policy_names {
  char **names;
  size_t count;
} policy_names;

static int policy_names_has(const policy_names *names, const char *name) {
  return bsearch(&name, names->names, names->count, sizeof names->names[0],
                 policy_compare_strings) != NULL;
}

/* Returns 1 when the set writes a template that the folder's manifest does
 * not list yet. */
static int policy_adds_templates(const output_folder *out, const policy_names *names) {
  for (size_t i = 0; i < names->count; i++)
    if (!output_folder_lists(out, names->names[i]))
      return 1;
  return 0;
}

/* Returns the manifest of the set that also lists, as allowed, the types
 * of the old manifest whose templates the set does not write. It is in
 * place while templates are replaced, so every template in the folder is
 * listed at each point. After a stop, the next compilation then finds no
 * template it did not write. */
static json_t *policy_transition_manifest(json_t *manifest, const output_folder *out,
                                          const policy_names *names) {
  json_t *both = json_deep_copy(manifest);
  json_t *types = json_object_get(both, "types"), *denied = json_object_get(both, "denied");
  size_t i;
  json_t *entry;
  json_array_foreach(out->old_types, i, entry) {
    const char *template_path = json_string_value(json_object_get(entry, "template"));
    if (policy_names_has(names, strchr(template_path, '/') + 1))
      continue;
    json_array_append(types, entry);
    const char *type_name = json_string_value(json_object_get(entry, "typeName"));
    for (size_t j = json_array_size(denied); j-- > 0;) {
      const char *other = json_string_value(json_object_get(json_array_get(denied, j), "typeName"));
      if (strcmp(other, type_name) == 0)
        json_array_remove(denied, j);
    }
  }
  return both;
}

/* Writes manifest.json, after checking that its text passes the checks a
 * later compilation and the loaders apply. */
static int policy_write_manifest(json_t *manifest, output_folder *out, char *error,
                                 size_t error_size) {
  char shown[OUTPUT_FOLDER_MAX_NAME + 32], problem[600];
  snprintf(shown, sizeof shown, "%s/manifest.json", out->name);
  char *text = policy_text(manifest, shown, error, error_size);
  if (!text)
    return -1;

  policy_manifest_match match;
  int result = -1;
  if (policy_manifest_scan(text, strlen(text), NULL, &match, problem, sizeof problem) != 0)
    snprintf(error, error_size, "%s: error: cannot write: the manifest built is invalid: %s",
             shown, problem);
  else
    result = output_folder_replace(out->fd, shown, "manifest.json", text, strlen(text), error,
                                   error_size);
  free(text);
  return result;
}

/* Removes the templates the old manifest lists and the set does not write:
 * types that the policy no longer allows. */
static int policy_remove_stale(output_folder *out, const policy_names *names, char *error,
                               size_t error_size) {
  for (size_t i = 0; i < out->old_count; i++) {
    if (policy_names_has(names, out->old_names[i]))
      continue;
    if (unlinkat(out->templates_fd, out->old_names[i], 0) != 0 && errno != ENOENT) {
      snprintf(error, error_size, "%s/templates/%s: error: cannot remove old template: %s",
               out->name, out->old_names[i], strerror(errno));
      return -1;
    }
  }
  return 0;
}

static int policy_write_templates(const policy_set *set, output_folder *out, char *error,
                                  size_t error_size) {
  for (size_t i = 0; i < set->count; i++) {
    if (!set->types[i].template_schema)
      continue;
    char file_name[512], shown[OUTPUT_FOLDER_MAX_NAME + 600];
    snapshot_file_name(set->types[i].type_name, file_name, sizeof file_name);
    snprintf(shown, sizeof shown, "%s/templates/%s", out->name, file_name);
    if (policy_dump(set->types[i].template_schema, out->templates_fd, shown, file_name, error,
                    error_size))
      return -1;
  }
  return 0;
}

/* The steps, each of which leaves a folder that the next compilation
 * accepts: a manifest that lists the old and the new templates (when there
 * are new ones), the templates, the removal of old ones, the manifest. */
static int policy_write_steps(const policy_set *set, output_folder *out, char *error,
                              size_t error_size) {
  policy_names names;
  names.names = policy_template_names(set, &names.count);
  json_t *manifest = policy_manifest(set);
  int result = 0;
  if (policy_adds_templates(out, &names)) {
    json_t *both = policy_transition_manifest(manifest, out, &names);
    result = policy_write_manifest(both, out, error, error_size);
    json_decref(both);
  }
  if (result == 0)
    result = output_folder_make_templates(out, error, error_size);
  if (result == 0)
    result = policy_write_templates(set, out, error, error_size);
  if (result == 0)
    result = policy_remove_stale(out, &names, error, error_size);
  if (result == 0)
    result = policy_write_manifest(manifest, out, error, error_size);

  json_decref(manifest);
  for (size_t i = 0; i < names.count; i++)
    free(names.names[i]);
  free(names.names);
  return result;
}

int policy_set_write(const policy_set *set, const char *folder, char *error, size_t error_size) {
  output_folder out;
  error[0] = '\0';
  if (output_folder_open(&out, folder, error, error_size))
    return -1;
  int result = policy_write_steps(set, &out, error, error_size);
  output_folder_close(&out);
  return result;
}
