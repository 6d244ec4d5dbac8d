/*
 * Policy loading and the per-type validator cache.
 */
#define _POSIX_C_SOURCE 200809L /* opendir */

#include "check_policy.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ir/ir_build.h"
#include "placeholder_names.h"
#include "policy.h"
#include "widening_print.h"

struct check_policy {
  policy_set *set;
  cfgate_validator **validators; /* parallel to set->types; NULL until built */
  char **build_errors;           /* parallel; set when building failed */
  char *partial_folder;          /* compiled folder loaded for one type, whose set lacks the
                                    other types' placeholders; else NULL */
};

static int is_compiled_folder(const char *path) {
  char manifest[4096];
  struct stat info;
  if (snprintf(manifest, sizeof manifest, "%s/manifest.json", path) >= (int)sizeof manifest)
    return 0;
  return stat(path, &info) == 0 && S_ISDIR(info.st_mode) && stat(manifest, &info) == 0;
}

static int is_gate_file(const char *path) {
  size_t len = strlen(path);
  return len > 5 && strcmp(path + len - 5, ".gate") == 0;
}

/* Returns 1 when folder contains a .gate file, as cfgate compile FOLDER
 * reads them (its own entries, not those of subfolders). */
static int has_gate_files(const char *folder) {
  DIR *dir = opendir(folder);
  if (!dir)
    return 0;

  int found = 0;
  struct dirent *entry;
  while (!found && (entry = readdir(dir)) != NULL)
    found = is_gate_file(entry->d_name);
  closedir(dir);
  return found;
}

/* Rejects policy paths that would be misread: a compiled folder next to
 * other paths (only one compiled folder is loaded, alone), or a file that
 * is not a .gate source. Returns 1 when the paths are usable. */
static int check_paths(const char *const *paths, size_t count, FILE *diagnostics) {
  for (size_t i = 0; i < count; i++) {
    struct stat info;
    if (count > 1 && is_compiled_folder(paths[i])) {
      fprintf(diagnostics,
              "%s: error: a compiled policy folder cannot be combined with other --policy "
              "paths: pass it alone, or pass the .gate sources\n",
              paths[i]);
      return 0;
    }
    if (is_compiled_folder(paths[i]) && has_gate_files(paths[i])) {
      fprintf(diagnostics,
              "%s: error: the folder contains both manifest.json (a compiled policy) and .gate "
              "files, so cfgate compile and cfgate check would read different policies: move "
              "the .gate files out, or compile them into another folder\n",
              paths[i]);
      return 0;
    }
    if (stat(paths[i], &info) == 0 && S_ISREG(info.st_mode) && !is_gate_file(paths[i])) {
      fprintf(diagnostics,
              "%s: error: not a .gate file: --policy takes .gate files, folders of them, or "
              "one folder written by cfgate compile\n",
              paths[i]);
      return 0;
    }
  }
  return 1;
}

static void print_widening(void *data, const policy_widening *widening) {
  widening_print(widening, "error", data);
}

/* Returns the file name of path, after its last slash. */
static const char *base_name(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

/* Returns the first source of a whose file name no source of b has, or
 * NULL. File names are compared because the paths depend on the folder
 * that cfgate ran in. NOTE: the manifest records no digest of a source's
 * text, so a folder compiled from another policy file of the same name
 * passes this check. */
static const char *source_missing(const policy_set *a, const policy_set *b) {
  for (size_t i = 0; i < a->source_count; i++) {
    size_t k = 0;
    while (k < b->source_count && strcmp(base_name(a->sources[i]), base_name(b->sources[k])) != 0)
      k++;
    if (k == b->source_count)
      return a->sources[i];
  }
  return NULL;
}

/* Checks that the baseline folder was compiled from the same policy files
 * and has a template for every type the policy allows, so that each
 * allowed type can be compared. Returns 1 when it does, else 0 after
 * printing the error. */
static int baseline_covers(const policy_set *set, const policy_set *old, const char *baseline,
                           FILE *diagnostics) {
  const char *missing = source_missing(set, old);
  if (missing) {
    fprintf(diagnostics,
            "%s: error: the policy reads %s, and manifest.json of this folder does not list a "
            "source of that file name, so the folder was compiled from another policy: pass the "
            "folder that cfgate compile wrote from this policy\n",
            baseline, missing);
    return 0;
  }
  missing = source_missing(old, set);
  if (missing) {
    fprintf(diagnostics,
            "%s: error: manifest.json of this folder lists the source %s, which the policy does "
            "not read, so the folder was compiled from another policy: pass the folder that "
            "cfgate compile wrote from this policy\n",
            baseline, missing);
    return 0;
  }

  for (size_t i = 0; i < set->count; i++) {
    const policy_type *type = &set->types[i];
    const policy_type *found = policy_set_find(old, type->type_name);
    if (!type->template_schema || (found && found->template_schema))
      continue;
    fprintf(diagnostics,
            "%s: error: the policy allows %s, and this folder has no template for it, so its new "
            "properties cannot be compared: compile the policy into this folder with cfgate "
            "compile, then run again\n",
            baseline, type->type_name);
    return 0;
  }
  return 1;
}

/* Compares the compiled set with the compiled folder baseline. Returns 1
 * when the set admits nothing that baseline rejects, else 0 after listing
 * the findings. */
static int check_baseline(const policy_set *set, const char *baseline, FILE *diagnostics) {
  char error[POLICY_ERROR_SIZE];
  if (!is_compiled_folder(baseline)) {
    fprintf(diagnostics,
            "%s: error: --baseline takes a folder written by cfgate compile, and this one has "
            "no manifest.json\n",
            baseline);
    return 0;
  }
  policy_set *old = policy_load_compiled(baseline, error, sizeof error);
  if (!old) {
    fprintf(diagnostics, "%s: error: %s\n", baseline, error);
    return 0;
  }
  if (!baseline_covers(set, old, baseline, diagnostics)) {
    policy_set_free(old);
    return 0;
  }
  policy_write_options options = {0, print_widening, diagnostics, 0};
  size_t count = policy_set_compare(old, set, &options);
  policy_set_free(old);
  if (count == 0)
    return 1;
  fprintf(diagnostics,
          "%s: error: the policy admits %zu propert%s or value%s that the templates in this "
          "folder reject, listed above: review them, then approve them with cfgate compile "
          "--accept-new-properties into this folder\n",
          baseline, count, count == 1 ? "y" : "ies", count == 1 ? "" : "s");
  return 0;
}

/* Loads the policy. With a type_name, a compiled folder loads that type's
 * template alone. */
static policy_set *load_set(const char *const *paths, size_t count, const char *schemas,
                            const char *baseline, const char *type_name, FILE *diagnostics) {
  if (!check_paths(paths, count, diagnostics))
    return NULL;
  if (count == 1 && is_compiled_folder(paths[0])) {
    if (baseline) {
      fprintf(diagnostics,
              "%s: error: --baseline applies to .gate policies only, and this is a compiled "
              "folder: pass the .gate files, or leave out --baseline\n",
              paths[0]);
      return NULL;
    }
    char error[POLICY_ERROR_SIZE];
    policy_set *set = type_name
                          ? policy_load_compiled_type(paths[0], type_name, error, sizeof error)
                          : policy_load_compiled(paths[0], error, sizeof error);
    if (!set)
      fprintf(diagnostics, "%s: error: %s\n", paths[0], error);
    return set;
  }

  policy_options options;
  memset(&options, 0, sizeof options);
  options.schemas = schemas;
  options.diagnostics = diagnostics;
  size_t errors = 0;
  policy_set *set = policy_compile(paths, count, &options, &errors);
  if (!set)
    fprintf(diagnostics, "cfgate: the policy did not compile (%zu error%s)\n", errors,
            errors == 1 ? "" : "s");
  if (set && baseline && !check_baseline(set, baseline, diagnostics)) {
    policy_set_free(set);
    return NULL;
  }
  return set;
}

/* Returns the placeholders that the manifest of a compiled folder lists for
 * all its templates, wrapped as a template's x-cfgate block so that the
 * placeholder_names functions read them. The loader has checked the
 * manifest. NULL for no folder, or when the manifest cannot be read again.
 * Only the warning about an unused --context calls it, so a hook loading
 * one type parses the whole manifest only then. */
static json_t *manifest_placeholders(const char *folder) {
  char path[4096];
  if (!folder || snprintf(path, sizeof path, "%s/manifest.json", folder) >= (int)sizeof path)
    return NULL;
  json_t *manifest = json_load_file(path, 0, NULL);
  json_t *names = json_object_get(manifest, "placeholders");
  json_t *wrapped = json_is_array(names) ? json_pack("{s:{s:O}}", "x-cfgate", "placeholders", names)
                                         : NULL;
  json_decref(manifest);
  return wrapped;
}

static check_policy *open_policy(const char *const *paths, size_t count, const char *schemas,
                                 const char *baseline, const char *type_name, FILE *diagnostics) {
  policy_set *set = load_set(paths, count, schemas, baseline, type_name, diagnostics);
  if (!set)
    return NULL;

  check_policy *policy = calloc(1, sizeof *policy);
  size_t slots = set->count ? set->count : 1;
  if (policy) {
    policy->validators = calloc(slots, sizeof *policy->validators);
    policy->build_errors = calloc(slots, sizeof *policy->build_errors);
  }
  if (!policy || !policy->validators || !policy->build_errors) {
    fputs("cfgate: out of memory\n", diagnostics);
    policy_set_free(set);
    free(policy ? policy->validators : NULL);
    free(policy);
    return NULL;
  }
  policy->set = set;
  if (type_name && count == 1 && is_compiled_folder(paths[0])) {
    size_t len = strlen(paths[0]) + 1;
    policy->partial_folder = malloc(len);
    if (policy->partial_folder)
      memcpy(policy->partial_folder, paths[0], len);
  }
  return policy;
}

/* Returns the policy type that restricts type_name. Every Custom::Name type
 * is restricted by the AWS::CloudFormation::CustomResource block, as in
 * CloudFormation, where both declare a custom resource. */
static const char *restricting_type(const char *type_name) {
  if (strncmp(type_name, "Custom::", 8) == 0)
    return "AWS::CloudFormation::CustomResource";
  return type_name;
}

check_policy *check_policy_open(const char *const *paths, size_t count, const char *schemas,
                                const char *baseline, FILE *diagnostics) {
  return open_policy(paths, count, schemas, baseline, NULL, diagnostics);
}

check_policy *check_policy_open_type(const char *const *paths, size_t count, const char *schemas,
                                     const char *baseline, const char *type_name,
                                     FILE *diagnostics) {
  return open_policy(paths, count, schemas, baseline, restricting_type(type_name), diagnostics);
}

void check_policy_free(check_policy *policy) {
  if (!policy)
    return;
  for (size_t i = 0; i < policy->set->count; i++) {
    ir_free(policy->validators[i]);
    free(policy->build_errors[i]);
  }
  free(policy->validators);
  free(policy->build_errors);
  policy_set_free(policy->set);
  free(policy->partial_folder);
  free(policy);
}

int check_policy_names(const check_policy *policy, const char *type_name) {
  return policy_set_find(policy->set, type_name) != NULL;
}

static void build_validator(check_policy *policy, size_t index) {
  ir_error error;
  memset(&error, 0, sizeof error);
  policy->validators[index] = ir_build(policy->set->types[index].template_schema, NULL, &error);
  if (policy->validators[index])
    return;

  char message[1100];
  snprintf(message, sizeof message, "the validator could not be built: %s at %s", error.message,
           error.schema_path[0] ? error.schema_path : "the schema root");
  policy->build_errors[index] = malloc(strlen(message) + 1);
  if (policy->build_errors[index])
    memcpy(policy->build_errors[index], message, strlen(message) + 1);
}

const cfgate_validator *check_policy_find(check_policy *policy, const char *type_name,
                                          json_t **schema, int *denied, char *message,
                                          size_t message_size) {
  const policy_type *entry = policy_set_find(policy->set, restricting_type(type_name));
  *schema = NULL;
  *denied = !entry || !entry->template_schema;
  if (*denied && entry && entry->file) {
    /* A `type NAME` line without a block denies NAME: name that line. */
    snprintf(message, message_size, "%s is denied by 'type %s' at %s:%u:%u", type_name,
             entry->type_name, entry->file, entry->line, entry->column);
    return NULL;
  }
  if (*denied) {
    snprintf(message, message_size, "no restriction for %s: denied", type_name);
    return NULL;
  }

  size_t index = (size_t)(entry - policy->set->types);
  if (!policy->validators[index] && !policy->build_errors[index])
    build_validator(policy, index);

  *schema = entry->template_schema;
  if (!policy->validators[index])
    snprintf(message, message_size, "%s: %s", type_name,
             policy->build_errors[index] ? policy->build_errors[index] : "out of memory");
  return policy->validators[index];
}

int check_policy_has_placeholder(const check_policy *policy, const char *name) {
  json_t *all = manifest_placeholders(policy->partial_folder);
  int listed = all && placeholder_names_contains(all, name);
  json_decref(all);
  if (listed)
    return 1;
  for (size_t i = 0; i < policy->set->count; i++)
    if (placeholder_names_contains(policy->set->types[i].template_schema, name))
      return 1;
  return 0;
}

void check_policy_context_names(const check_policy *policy, char *text, size_t size) {
  text[0] = '\0';
  json_t *all = manifest_placeholders(policy->partial_folder);
  if (all)
    placeholder_names_append(all, 1, text, size);
  json_decref(all);
  for (size_t i = 0; i < policy->set->count; i++)
    placeholder_names_append(policy->set->types[i].template_schema, 1, text, size);
}

void check_policy_warn_unused_context(const check_policy *policy, const char *command,
                                      const char *name) {
  if (check_policy_has_placeholder(policy, name))
    return;

  char known[1024];
  check_policy_context_names(policy, known, sizeof known);
  if (known[0])
    fprintf(stderr, "%s: warning: the policy has no placeholder ${%s}, so --context %s is not "
                    "used (its context placeholders: %s)\n", command, name, name, known);
  else
    fprintf(stderr, "%s: warning: the policy has no placeholder ${%s}, so --context %s is not "
                    "used (it has no context placeholders)\n", command, name, name);
}
