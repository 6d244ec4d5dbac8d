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
#include "diag.h"
#include "json_number.h"
#include "output_folder.h"
#include "policy.h"
#include "policy_manifest.h"
#include "policy_widen.h"
#include "sha256.h"
#include "snapshot.h"

/* Builds the text of value as cfgate writes it. json_dumps builds it in
 * memory, where json_dump_file would call fwrite once per token. Reals get
 * their shortest text, so a policy's 1e300 is not written as
 * 1.0000000000000001e300. */
static char *policy_text(json_t *value, const char *shown, char *error, size_t error_size) {
  char *text = json_dumps(value, JSON_INDENT(2) | JSON_ENSURE_ASCII);
  if (!text)
    snprintf(error, error_size, "%s: error: cannot write: the JSON text could not be built",
             shown);
  else
    json_text_shorten_reals(text);
  return text;
}

/* The template of one allowed type as it is written. */
typedef struct policy_template {
  const policy_type *type;
  char file_name[512];
  char *text;
  char digest[SHA256_HEX_SIZE];
  char hidden[512]; /* its hidden file in templates/, "" while there is none */
} policy_template;

/* Builds the manifest of the set. templates[] contains the allowed types
 * in the set's order, with their digests. */
static json_t *policy_manifest(const policy_set *set, const policy_template *templates) {
  json_t *types = json_array(), *denied = json_array(), *sources = json_array();
  json_t *placeholders = json_object();
  for (size_t i = 0; i < set->source_count; i++)
    json_array_append_new(sources, json_string(set->sources[i]));

  const policy_template *next = templates;
  for (size_t i = 0; i < set->count; i++) {
    const policy_type *type = &set->types[i];
    if (!type->template_schema) {
      json_array_append_new(denied,
                            json_pack("{s:s, s:s, s:i, s:i}", "typeName", type->type_name, "file",
                                      type->file, "line", type->line, "column", type->column));
      continue;
    }
    json_t *meta = json_object_get(type->template_schema, "x-cfgate");
    json_array_append_new(types, json_pack("{s:s, s:s+, s:s, s:s, s:O}", "typeName",
                                           type->type_name, "template", "templates/",
                                           next->file_name, "templateSha256", next->digest,
                                           "providerSchemaSha256", type->provider_sha256,
                                           "sources", json_object_get(meta, "sources")));
    next++;
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

/* The templates of one compilation. */
typedef struct policy_output {
  policy_template *templates; /* the allowed types in the set's order */
  size_t count;
  char **names; /* their file names, sorted */
} policy_output;

/* Builds the text and digest of every template. Returns 0, or -1 with a
 * message. */
static int policy_output_build(const policy_set *set, const output_folder *out,
                               policy_output *output, char *error, size_t error_size) {
  output->templates = calloc(set->count ? set->count : 1, sizeof output->templates[0]);
  output->names = calloc(set->count ? set->count : 1, sizeof output->names[0]);
  if (!output->templates || !output->names)
    abort();
  output->count = 0;
  for (size_t i = 0; i < set->count; i++) {
    if (!set->types[i].template_schema)
      continue;
    policy_template *template = &output->templates[output->count];
    template->type = &set->types[i];
    snapshot_file_name(template->type->type_name, template->file_name,
                       sizeof template->file_name);
    output->names[output->count++] = template->file_name;
    char shown[OUTPUT_FOLDER_MAX_NAME + 600];
    snprintf(shown, sizeof shown, "%s/templates/%s", out->name, template->file_name);
    if (!(template->text = policy_text(template->type->template_schema, shown, error,
                                       error_size)))
      return -1;
    sha256_hex(template->text, strlen(template->text), template->digest);
  }
  qsort(output->names, output->count, sizeof output->names[0], policy_compare_strings);
  return 0;
}

/* Removes the hidden files not renamed yet and frees output. */
static void policy_output_free(policy_output *output, const output_folder *out) {
  for (size_t i = 0; i < output->count; i++) {
    if (output->templates[i].hidden[0])
      unlinkat(out->templates_fd, output->templates[i].hidden, 0);
    free(output->templates[i].text);
  }
  free(output->templates);
  free(output->names);
}

static int policy_output_has(const policy_output *output, const char *name) {
  return bsearch(&name, output->names, output->count, sizeof output->names[0],
                 policy_compare_strings) != NULL;
}

/* Returns 1 when a template of the set is not in the folder with its new
 * bytes yet: a name the folder's manifest does not list, a listed file
 * that is missing or has other bytes. */
static int policy_changes_templates(const output_folder *out, const policy_output *output) {
  for (size_t i = 0; i < output->count; i++) {
    const output_listed *listed = output_folder_listed(out, output->templates[i].file_name);
    if (!listed || strcmp(listed->found, output->templates[i].digest) != 0)
      return 1;
  }
  return 0;
}

/* Returns the manifest of the set that also lists, as allowed, the types
 * of the old manifest whose templates the set does not write. It is in
 * place while templates are replaced, so every template in the folder is
 * listed at each point. Each entry records the digest of the new template
 * and, as previousTemplateSha256, that of the file found under its name, so
 * after a stop the next compilation replaces or removes a listed file only
 * when its bytes are ones that cfgate wrote there. */
static json_t *policy_transition_manifest(json_t *manifest, const output_folder *out,
                                          const policy_output *output) {
  json_t *both = json_deep_copy(manifest);
  json_t *types = json_object_get(both, "types"), *denied = json_object_get(both, "denied");
  size_t i;
  json_t *entry;
  json_array_foreach(types, i, entry) {
    const char *template_path = json_string_value(json_object_get(entry, "template"));
    const output_listed *listed = output_folder_listed(out, strchr(template_path, '/') + 1);
    const char *digest = json_string_value(json_object_get(entry, "templateSha256"));
    if (listed && listed->found[0] && strcmp(listed->found, digest) != 0)
      json_object_set_new(entry, "previousTemplateSha256", json_string(listed->found));
  }
  json_array_foreach(out->old_types, i, entry) {
    const char *template_path = json_string_value(json_object_get(entry, "template"));
    const output_listed *listed = output_folder_listed(out, strchr(template_path, '/') + 1);
    if (policy_output_has(output, listed->name))
      continue;
    json_t *kept = json_deep_copy(entry);
    if (listed->found[0]) {
      json_object_set_new(kept, "templateSha256", json_string(listed->found));
      json_object_del(kept, "previousTemplateSha256");
    }
    json_array_append_new(types, kept);
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
 * later compilation and the loaders apply. It replaces only the manifest
 * found when the folder was checked, or the one written since. */
static int policy_write_manifest(json_t *manifest, output_folder *out, char *error,
                                 size_t error_size) {
  char shown[OUTPUT_FOLDER_MAX_NAME + 32], problem[600];
  snprintf(shown, sizeof shown, "%s/manifest.json", out->name);
  char *text = policy_text(manifest, shown, error, error_size);
  if (!text)
    return -1;

  policy_manifest_match match;
  int result = -1;
  output_owner owner = {output_owned_digest, out->manifest_digest};
  if (policy_manifest_scan(text, strlen(text), NULL, &match, problem, sizeof problem) != 0)
    snprintf(error, error_size, "%s: error: cannot write: the manifest built is invalid: %s",
             shown, problem);
  else
    result = output_folder_replace(out->fd, shown, "manifest.json", text, strlen(text),
                                   out->manifest_digest[0] ? &owner : NULL, error, error_size);
  if (result == 0)
    sha256_hex(text, strlen(text), out->manifest_digest);
  free(text);
  return result;
}

/* Removes the templates the old manifest lists and the set does not write:
 * types that the policy no longer allows. */
static int policy_remove_stale(output_folder *out, const policy_output *output, char *error,
                               size_t error_size) {
  for (size_t i = 0; i < out->old_count; i++) {
    if (policy_output_has(output, out->old[i].name))
      continue;
    char shown[OUTPUT_FOLDER_MAX_NAME + 600];
    snprintf(shown, sizeof shown, "%s/templates/%s", out->name, out->old[i].name);
    output_owner owner;
    output_listed_owner(&out->old[i], &owner);
    if (output_folder_remove(out->templates_fd, shown, out->old[i].name, &owner, error,
                             error_size))
      return -1;
  }
  return 0;
}

/* Writes every template to a hidden file in templates/, so that a folder
 * that cannot be written or a full disk fails before any file is
 * replaced. */
static int policy_write_hidden(policy_output *output, const output_folder *out, char *error,
                               size_t error_size) {
  for (size_t i = 0; i < output->count; i++) {
    policy_template *template = &output->templates[i];
    char shown[OUTPUT_FOLDER_MAX_NAME + 600];
    snprintf(shown, sizeof shown, "%s/templates/%s", out->name, template->file_name);
    if (output_hidden_write(out->templates_fd, shown, template->file_name, template->text,
                            strlen(template->text), template->hidden, sizeof template->hidden,
                            error, error_size)) {
      template->hidden[0] = '\0';
      snprintf(error + strlen(error), error_size - strlen(error), "; nothing was written");
      return -1;
    }
  }
  return 0;
}

/* Renames the hidden files to the names of the templates. A name the old
 * manifest lists is replaced when it contains the bytes cfgate wrote.
 * Any other name must still be free. */
static int policy_place_templates(policy_output *output, const output_folder *out, char *error,
                                  size_t error_size) {
  for (size_t i = 0; i < output->count; i++) {
    policy_template *template = &output->templates[i];
    char shown[OUTPUT_FOLDER_MAX_NAME + 600];
    snprintf(shown, sizeof shown, "%s/templates/%s", out->name, template->file_name);
    const output_listed *listed = output_folder_listed(out, template->file_name);
    output_owner owner;
    if (listed)
      output_listed_owner(listed, &owner);
    int result = output_hidden_place(out->templates_fd, shown, template->hidden,
                                     template->file_name, listed ? &owner : NULL, error,
                                     error_size);
    template->hidden[0] = '\0';
    if (result)
      return -1;
  }
  return 0;
}

/* Lists what the new templates admit and the ones they replace rejected.
 * Returns 0 when there is nothing or options accept it, else
 * POLICY_WRITE_WIDENS with a message. */
static int policy_check_widening(const policy_output *output, const output_folder *out,
                                 policy_write_options *options, char *error, size_t error_size) {
  size_t count = 0;
  for (size_t i = 0; i < output->count; i++)
    count += policy_widen_type(out, output->templates[i].type, output->templates[i].digest,
                               options);
  if (options)
    options->widening_count = count;
  if (count == 0 || (options && options->accept_widening))
    return 0;
  snprintf(error, error_size,
           "%s: error: the new templates admit %zu propert%s or value%s that the templates in "
           "this folder reject, listed above: review them, then compile again with "
           "--accept-new-properties to write them; nothing was written",
           out->name, count, count == 1 ? "y" : "ies", count == 1 ? "" : "s");
  return POLICY_WRITE_WIDENS;
}

/* The steps, each of which leaves a folder that the next compilation
 * accepts: the approval check, every template in a hidden file, a manifest
 * that lists the old and the new templates (when there are new ones), the
 * templates under their names, the removal of old ones, the manifest. */
static int policy_write_steps(const policy_set *set, output_folder *out,
                              policy_write_options *options, char *error, size_t error_size) {
  policy_output output = {NULL, 0, NULL};
  json_t *manifest = NULL;
  int result = policy_output_build(set, out, &output, error, error_size);
  if (result == 0)
    result = policy_check_widening(&output, out, options, error, error_size);
  if (result == 0)
    result = output_folder_make_templates(out, error, error_size);
  if (result == 0)
    result = policy_write_hidden(&output, out, error, error_size);
  if (result == 0)
    manifest = policy_manifest(set, output.templates);
  if (result == 0 && policy_changes_templates(out, &output)) {
    json_t *both = policy_transition_manifest(manifest, out, &output);
    result = policy_write_manifest(both, out, error, error_size);
    json_decref(both);
  }
  if (result == 0)
    result = policy_place_templates(&output, out, error, error_size);
  if (result == 0)
    result = policy_remove_stale(out, &output, error, error_size);
  if (result == 0)
    result = policy_write_manifest(manifest, out, error, error_size);

  json_decref(manifest);
  policy_output_free(&output, out);
  return result;
}

/* Copies error with control characters and invisible characters escaped:
 * a file name found in the folder or given on the command line may contain a
 * line break or a terminal escape sequence. */
static void policy_escape_error(char *error, size_t error_size) {
  char *raw = strdup(error);
  if (!raw)
    abort();
  diag_escape(raw, error, error_size);
  free(raw);
}

int policy_set_write(const policy_set *set, const char *folder, policy_write_options *options,
                     char *error, size_t error_size) {
  output_folder out;
  error[0] = '\0';
  if (options)
    options->widening_count = 0;
  int result = output_folder_open(&out, folder, error, error_size);
  if (result == 0) {
    result = policy_write_steps(set, &out, options, error, error_size);
    output_folder_close(&out);
  }
  if (result != 0)
    policy_escape_error(error, error_size);
  return result;
}
