/*
 * Corrections to provider schemas. A provider schema describes the resource
 * for the Cloud Control API, which requires a few properties that a template
 * never contains, because CloudFormation sets them. Left as they are, every
 * template would fail on them.
 */
#include "provider_fixes.h"

#include <string.h>

/* One property that the schema's top-level "required" lists but that a
 * template never sets. */
typedef struct provider_fix {
  const char *type_name;
  const char *property;
} provider_fix;

/* CloudFormation generates a nested stack's name from the parent stack's
 * name and the logical ID, so a template cannot set it. */
static const provider_fix provider_fixes[] = {
  {"AWS::CloudFormation::Stack", "StackName"},
};

/* Removes name from the "required" array of schema. Returns 1 when it was listed. */
static int remove_required(json_t *schema, const char *name) {
  json_t *required = json_object_get(schema, "required");
  size_t index;
  json_t *item;

  json_array_foreach(required, index, item) {
    if (json_is_string(item) && strcmp(json_string_value(item), name) == 0)
      return json_array_remove(required, index) == 0;
  }
  return 0;
}

int provider_apply_fixes(json_t *schema) {
  const char *type_name = json_string_value(json_object_get(schema, "typeName"));
  int applied = 0;

  for (size_t i = 0; type_name && i < sizeof provider_fixes / sizeof provider_fixes[0]; i++)
    if (strcmp(provider_fixes[i].type_name, type_name) == 0)
      applied += remove_required(schema, provider_fixes[i].property);
  return applied;
}
