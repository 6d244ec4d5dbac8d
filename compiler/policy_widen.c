/*
 * The approval step of a compilation into a folder written before
 * (policy_widen.h). The template found is the one whose SHA-256 the
 * folder check stored, read again without following a link.
 */
#define _GNU_SOURCE /* asprintf */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file_read.h"
#include "policy_manifest.h"
#include "policy_widen.h"
#include "sha256.h"
#include "snapshot.h"
#include "template_widen.h"

/* Hands one finding to options->on_widening, located at rule when it is
 * an x-cfgate-rule record, else at the type declaration. */
static void policy_widen_report(const policy_type *type, const char *pointer,
                                const char *detail, template_widen_kind kind, const json_t *rule,
                                const policy_write_options *options) {
  policy_widening widening = {type->type_name, pointer, detail,
                              kind == TEMPLATE_WIDEN_PROPERTY ? "new-property"
                                                              : "wider-constraint",
                              type->file, type->line, type->column};
  const char *file = json_string_value(json_object_get(rule, "file"));
  json_int_t line = json_integer_value(json_object_get(rule, "line"));
  json_int_t column = json_integer_value(json_object_get(rule, "column"));
  if (file && line > 0 && column > 0 && line <= (json_int_t)UINT32_MAX &&
      column <= (json_int_t)UINT32_MAX) {
    widening.file = file;
    widening.line = (unsigned)line;
    widening.column = (unsigned)column;
  }
  if (options && options->on_widening)
    options->on_widening(options->widening_data, &widening);
}

/* Reads the template found under listed's name when the folder was
 * checked. Returns it, or NULL with the reason in problem. */
static json_t *policy_widen_read(const output_folder *out, const output_listed *listed,
                                 char *problem, size_t problem_size) {
  if (!listed->found[0]) {
    snprintf(problem, problem_size, "is missing");
    return NULL;
  }
  file_read_status status;
  int errno_value = 0;
  size_t size = 0;
  char *text = file_read_regular_at(out->templates_fd, listed->name, POLICY_MAX_FILE_BYTES, &size,
                                    &status, &errno_value);
  char digest[SHA256_HEX_SIZE] = "";
  if (text)
    sha256_hex(text, size, digest);
  json_t *old = NULL;
  json_error_t json_error;
  if (!text)
    snprintf(problem, problem_size, "cannot be read: %s",
             status == FILE_READ_FAILED ? strerror(errno_value) : "not a regular file of at most 16 MiB");
  else if (strcmp(digest, listed->found) != 0)
    snprintf(problem, problem_size, "changed after the folder was checked");
  else if (!(old = json_loadb(text, size, JSON_ALLOW_NUL, &json_error)))
    snprintf(problem, problem_size, "is not JSON: line %d, column %d: %s", json_error.line,
             json_error.column, json_error.text);
  free(text);
  return old;
}

/* Returns the providerSchemaSha256 of the entry for template_path in the
 * manifest found, or "" when it records none. */
static const char *policy_widen_old_provider(const output_folder *out, const char *template_path) {
  size_t i;
  json_t *entry;
  json_array_foreach(out->old_types, i, entry) {
    const char *path = json_string_value(json_object_get(entry, "template"));
    if (path && strcmp(path, template_path) == 0) {
      const char *digest = json_string_value(json_object_get(entry, "providerSchemaSha256"));
      return digest ? digest : "";
    }
  }
  return "";
}

size_t policy_widen_type(const output_folder *out, const policy_type *type, const char *digest,
                         const policy_write_options *options) {
  char file_name[512], template_path[600];
  snapshot_file_name(type->type_name, file_name, sizeof file_name);
  snprintf(template_path, sizeof template_path, "templates/%s", file_name);
  const output_listed *listed = output_folder_listed(out, file_name);
  if (!listed || strcmp(listed->found, digest) == 0)
    return 0;

  /* The compilation that wrote the manifest compared its templates with
   * the ones before, or had them accepted, before it wrote an entry. When
   * it stopped before it renamed this template, the old file or none is
   * found, and the entry still records the provider schema it approved. */
  if (strcmp(policy_widen_old_provider(out, template_path), type->provider_sha256) == 0)
    return 0;

  char problem[512];
  json_t *old = policy_widen_read(out, listed, problem, sizeof problem);
  if (!old) {
    char *detail = NULL;
    if (asprintf(&detail, "not compared: the old template %s/templates/%s %s", out->name,
                 file_name, problem) < 0)
      abort();
    policy_widen_report(type, "", detail, TEMPLATE_WIDEN_PROPERTY, NULL, options);
    free(detail);
    return 1;
  }
  const char *found_provider = json_string_value(
      json_object_get(json_object_get(old, "x-cfgate"), "providerSchemaSha256"));
  if (found_provider && strcmp(found_provider, type->provider_sha256) == 0) {
    json_decref(old);
    return 0;
  }

  template_widenings list = {0};
  template_widen_compare(old, type->template_schema, &list);
  for (size_t i = 0; i < list.count; i++)
    policy_widen_report(type, list.items[i].pointer, list.items[i].detail, list.items[i].kind,
                        list.items[i].rule, options);
  size_t count = list.count;
  template_widenings_free(&list);
  json_decref(old);
  return count;
}

size_t policy_set_compare(const policy_set *baseline, const policy_set *set,
                          const policy_write_options *options) {
  size_t count = 0;
  for (size_t i = 0; i < set->count; i++) {
    const policy_type *type = &set->types[i];
    const policy_type *old = policy_set_find(baseline, type->type_name);
    if (!type->template_schema || !old || !old->template_schema ||
        strcmp(old->provider_sha256, type->provider_sha256) == 0)
      continue;
    template_widenings list = {0};
    template_widen_compare(old->template_schema, type->template_schema, &list);
    for (size_t j = 0; j < list.count; j++)
      policy_widen_report(type, list.items[j].pointer, list.items[j].detail, list.items[j].kind,
                          list.items[j].rule, options);
    count += list.count;
    template_widenings_free(&list);
  }
  return count;
}
