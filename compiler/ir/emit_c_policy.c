/*
 * emit_c_policy_stage(): compiles every allowed type of a policy set with
 * ir_build() and stages them with emit_c_stage_dir() under the prefix
 * cfgate_policy. Denied types get no validator, so cfgate_registry_find()
 * returns NULL for them and the embedding program denies them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "emit_c.h"
#include "emit_c_output.h"
#include "ir/ir_build.h"
#include "policy.h"

/* Creates dir when it is missing and sets *created. Returns 0, or -1 with
 * *error filled. */
static int make_folder(const char *dir, int *created, emit_c_error *error) {
  *created = mkdir(dir, 0777) == 0;
  if (*created || errno == EEXIST)
    return 0;

  snprintf(error->path, sizeof error->path, "%s", dir);
  snprintf(error->message, sizeof error->message, "cannot create the folder: %s", strerror(errno));
  return -1;
}

/* Builds the validators of the allowed types into entries[]. Returns the
 * number built, or -1 with *error filled when a template does not compile. */
static long build_all(const policy_set *set, emit_c_entry *entries, cfgate_validator **validators,
                      emit_c_error *error) {
  long count = 0;

  for (size_t i = 0; i < set->count; i++) {
    const policy_type *type = &set->types[i];
    ir_error build_error;
    if (type->template_schema == NULL)
      continue;

    validators[count] = ir_build(type->template_schema, NULL, &build_error);
    if (validators[count] == NULL) {
      snprintf(error->path, sizeof error->path, "%s", type->type_name);
      snprintf(error->message, sizeof error->message, "the template does not compile at '%s': %s",
               build_error.schema_path, build_error.message);
      return -1;
    }
    entries[count] = (emit_c_entry){type->type_name, validators[count]};
    count++;
  }
  return count;
}

int emit_c_policy_stage(const policy_set *set, const char *dir, emit_c_staged *staged,
                        emit_c_error *error) {
  emit_c_entry *entries = calloc(set->count + 1, sizeof *entries);
  cfgate_validator **validators = calloc(set->count + 1, sizeof *validators);
  int status = -1, created = 0;

  if (entries == NULL || validators == NULL) {
    snprintf(error->path, sizeof error->path, "%s", dir);
    snprintf(error->message, sizeof error->message, "out of memory");
  } else if (make_folder(dir, &created, error) == 0) {
    long count = build_all(set, entries, validators, error);
    if (count >= 0)
      status = emit_c_stage_dir(entries, (size_t)count, "cfgate_policy", dir, staged, error);
    if (status == 0)
      staged->created = created;
    else if (created)
      rmdir(dir);
  }

  for (size_t i = 0; validators != NULL && i < set->count; i++)
    ir_free(validators[i]);
  free(validators);
  free(entries);
  return status;
}
