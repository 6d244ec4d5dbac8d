/*
 * Loading the output folder of `cfgate compile` back into a policy_set,
 * whole or for one resource type. Every template that is loaded must exist,
 * parse and pass template_verify_loaded(), or the load fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "file_read.h"
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

/* Removes a UTF-8 byte order mark at the start of bytes, which jansson
 * rejects, as templates of `cfgate check` and hook events skip it. Line and
 * column numbers then count from the text after it. */
static void policy_skip_bom(char *bytes, size_t *size) {
  static const char bom[3] = {'\xEF', '\xBB', '\xBF'};
  if (*size < sizeof bom || memcmp(bytes, bom, sizeof bom) != 0)
    return;
  *size -= sizeof bom;
  memmove(bytes, bytes + sizeof bom, *size);
}

/* Reads the regular file at path whole, at most POLICY_MAX_FILE_BYTES
 * (file_read.h). Returns a new buffer without a leading byte order mark,
 * or NULL with the reason in problem. */
static char *policy_read_file(const char *path, size_t *size, char *problem,
                              size_t problem_size) {
  file_read_status status;
  int errno_value;
  char *bytes = file_read_regular(path, POLICY_MAX_FILE_BYTES, size, &status, &errno_value);

  switch (status) {
  case FILE_READ_OK:
    policy_skip_bom(bytes, size);
    if (*size >= 3 && memcmp(bytes, "\xEF\xBB\xBF", 3) == 0) {
      snprintf(problem, problem_size, "the file starts with two byte order marks: remove one");
      free(bytes);
      return NULL;
    }
    return bytes;
  case FILE_READ_FAILED:
    snprintf(problem, problem_size, "cannot read file: %s", strerror(errno_value));
    break;
  case FILE_READ_NOT_REGULAR:
    snprintf(problem, problem_size, "not a regular file");
    break;
  case FILE_READ_TOO_LARGE:
    snprintf(problem, problem_size, "too large (limit is %u bytes)", POLICY_MAX_FILE_BYTES);
    break;
  case FILE_READ_CHANGED:
    snprintf(problem, problem_size, "cannot read file: its size changed while it was read");
    break;
  }
  return NULL;
}

/* Parses a JSON file read whole with json_loadb, which saves the getc call
 * per byte that json_load_file makes. Errors read like json_load_file's. */
/* Parses the JSON file at path. When digest is not NULL, it receives the
 * SHA-256 of the file's bytes in hex. */
static json_t *policy_load_json(const char *path, json_error_t *jerror,
                                char digest[SHA256_HEX_SIZE]) {
  size_t size = 0;
  memset(jerror, 0, sizeof *jerror);
  char *bytes = policy_read_file(path, &size, jerror->text, sizeof jerror->text);
  if (!bytes) {
    jerror->line = jerror->column = -1;
    return NULL;
  }

  if (digest)
    sha256_hex(bytes, size, digest);
  json_t *value = json_loadb(bytes, size, POLICY_JSON_FLAGS, jerror);
  free(bytes);
  return value;
}

/* Writes folder/name into path, a buffer of POLICY_MAX_PATH bytes.
 * Returns 0, or -1 with a message when the path does not fit, so that a
 * cut path never opens another file. */
static int policy_join_path(const char *folder, const char *name, char *path, char *error,
                            size_t error_size) {
  int length = snprintf(path, POLICY_MAX_PATH, "%s/%s", folder, name);
  if (length >= 0 && length < POLICY_MAX_PATH)
    return 0;

  snprintf(error, error_size, "%.200s...: cannot load '%s': path too long (limit is %d bytes)",
           folder, name, POLICY_MAX_PATH - 1);
  return -1;
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

/* Checks the template's bytes against the digests its manifest entry
 * records: templateSha256, or previousTemplateSha256 while a compile
 * replaces the template. The manifest scan rejected entries without a
 * templateSha256, so a missing one fails here too. */
static int policy_check_digest(json_t *entry, const char *path, const char *digest, char *error,
                               size_t error_size) {
  const char *recorded = json_string_value(json_object_get(entry, "templateSha256"));
  const char *previous = json_string_value(json_object_get(entry, "previousTemplateSha256"));
  if (recorded && (strcmp(digest, recorded) == 0 || (previous && strcmp(digest, previous) == 0)))
    return 0;

  snprintf(error, error_size,
           "%s: invalid template: its SHA-256 is %s, but the manifest records %.64s, so the "
           "file is not the one cfgate compile wrote: compile the policy again",
           path, digest, recorded ? recorded : "no digest");
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
  char path[POLICY_MAX_PATH];
  if (policy_join_path(folder, json_string_value(json_object_get(entry, "template")), path,
                       error, error_size))
    return -1;
  json_error_t jerror;
  char digest[SHA256_HEX_SIZE];
  out->template_schema = policy_load_json(path, &jerror, digest);
  if (!out->template_schema) {
    policy_format_json_error(path, &jerror, "invalid template", error, error_size);
    return -1;
  }
  if (policy_check_digest(entry, path, digest, error, error_size))
    return -1;

  char problem[1200];
  /* NOTE: a keyword value that no validator accepts (maxLength "x") passes
   * here and fails each resource when check builds the validator. */
  if (!template_verify_loaded(out->template_schema, out->type_name, problem, sizeof problem)) {
    snprintf(error, error_size, "%s: invalid template: %s", path, problem);
    return -1;
  }
  return 0;
}

static int policy_compare(const void *a, const void *b) {
  return strcmp(((const policy_type *)a)->type_name, ((const policy_type *)b)->type_name);
}

/* Reads manifest.json whole and runs policy_manifest_scan() on it, which
 * checks its syntax and every entry and finds the entry of type_name (none
 * when type_name is NULL). Returns a new buffer, or NULL with a message. */
static char *policy_read_manifest(const char *folder, const char *type_name, size_t *size,
                                  policy_manifest_match *match, char *error, size_t error_size) {
  char path[POLICY_MAX_PATH], problem[600];
  if (policy_join_path(folder, "manifest.json", path, error, error_size))
    return NULL;
  char *text = policy_read_file(path, size, problem, sizeof problem);
  if (!text) {
    snprintf(error, error_size, "%s: cannot load manifest: %s", path, problem);
    return NULL;
  }

  if (policy_manifest_scan(text, *size, type_name, match, problem, sizeof problem) != 0) {
    snprintf(error, error_size, "%s: invalid manifest: %s", path, problem);
    free(text);
    return NULL;
  }
  return text;
}

/* Loads the tree of a manifest that policy_read_manifest() checked. */
static json_t *policy_load_manifest(const char *folder, char *error, size_t error_size) {
  size_t size = 0;
  policy_manifest_match match;
  char *text = policy_read_manifest(folder, NULL, &size, &match, error, error_size);
  if (!text)
    return NULL;

  json_error_t jerror;
  json_t *manifest = json_loadb(text, size, POLICY_JSON_FLAGS, &jerror);
  free(text);
  if (!manifest) {
    char path[POLICY_MAX_PATH];
    policy_join_path(folder, "manifest.json", path, error, error_size);
    policy_format_json_error(path, &jerror, "invalid manifest", error, error_size);
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

/* Copies the manifest's top-level sources, the policy files that were
 * compiled, so that a comparison can tell whether two sets come from the
 * same policy. Entries that are not strings are skipped. */
static void load_sources(policy_set *set, const json_t *sources) {
  set->sources = calloc(json_array_size(sources) + 1, sizeof set->sources[0]);
  if (!set->sources)
    abort();

  size_t i;
  json_t *source;
  json_array_foreach(sources, i, source) {
    if (!json_is_string(source))
      continue;
    size_t size = json_string_length(source) + 1;
    char *copy = malloc(size);
    if (!copy)
      abort();
    memcpy(copy, json_string_value(source), size);
    set->sources[set->source_count++] = copy;
  }
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
  load_sources(set, json_object_get(manifest, "sources"));
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
  policy_manifest_match match;
  char *text = policy_read_manifest(folder, type_name, &size, &match, error, error_size);
  if (!text)
    return NULL;

  policy_set *set = policy_load_match(folder, text, &match, error, error_size);
  free(text);
  return set;
}
