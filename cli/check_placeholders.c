/*
 * Missing placeholder values, found in the findings of the resources whose
 * session could not start.
 */
#include "check_placeholders.h"

#include <string.h>

#include "placeholder_names.h"

enum { CHECK_MAX_MISSING_PLACEHOLDERS = 64 }; /* distinct names reported */

/* NOTE: the name is read from the runtime's message text ("missing value
 * for placeholder ${NAME} in the context"), because cfgate_error has no
 * field for it. A change of that text makes this report empty again, and
 * the resources still fail one by one. */
static const char missing_prefix[] =
    "validation could not start: missing value for placeholder ${";

typedef struct missing_names {
  char names[CHECK_MAX_MISSING_PLACEHOLDERS][128];
  size_t count;
} missing_names;

static const char *option_for(const char *name) {
  if (strcmp(name, "AWS::AccountId") == 0)
    return "pass --account-id ID";
  if (strcmp(name, "AWS::Region") == 0)
    return "pass --region R";
  if (strcmp(name, "AWS::Partition") == 0 || strcmp(name, "AWS::URLSuffix") == 0)
    return "pass --region R or --partition P";
  return NULL;
}

static void add_name_len(missing_names *missing, const char *start, size_t len) {
  if (len == 0 || len >= sizeof missing->names[0])
    return;

  for (size_t i = 0; i < missing->count; i++)
    if (strncmp(missing->names[i], start, len) == 0 && missing->names[i][len] == '\0')
      return;
  if (missing->count == CHECK_MAX_MISSING_PLACEHOLDERS)
    return;
  memcpy(missing->names[missing->count], start, len);
  missing->names[missing->count++][len] = '\0';
}

static void add_name(missing_names *missing, const char *message) {
  const char *start = message + sizeof missing_prefix - 1;
  const char *end = strchr(start, '}');
  add_name_len(missing, start, end ? (size_t)(end - start) : 0);
}

static int is_bound(const cfgate_context *context, const char *name) {
  size_t len = strlen(name);
  for (size_t i = 0; i < context->count; i++)
    if (context->names[i].len == len && memcmp(context->names[i].data, name, len) == 0)
      return 1;
  return 0;
}

/* Adds every placeholder of type_name's template that context lacks. */
static void add_unbound(missing_names *missing, check_policy *policy, const char *type_name,
                        const cfgate_context *context) {
  json_t *schema = NULL;
  int denied = 0;
  char message[256];
  if (!check_policy_find(policy, type_name, &schema, &denied, message, sizeof message) || !schema)
    return;

  const json_t *names = json_object_get(json_object_get(schema, "x-cfgate"), "placeholders");
  for (size_t i = 0; i < json_array_size(names); i++) {
    const char *name = json_string_value(json_array_get(names, i));
    if (name && !is_bound(context, name))
      add_name_len(missing, name, strlen(name));
  }
}

static void collect_resource(missing_names *missing, const report_resource *resource,
                             check_policy *policy, const cfgate_context *context) {
  for (size_t i = 0; i < resource->finding_count; i++) {
    const report_finding *finding = &resource->findings[i];
    if (finding->kind != REPORT_FAILED ||
        strncmp(finding->message, missing_prefix, sizeof missing_prefix - 1) != 0)
      continue;

    add_name(missing, finding->message);
    add_unbound(missing, policy, resource->type, context);
  }
}

size_t check_placeholders_report_missing(FILE *out, const check_report *report,
                                         check_policy *policy, const cfgate_context *context) {
  static missing_names missing;
  missing.count = 0;
  for (size_t t = 0; t < report->template_count; t++)
    for (size_t r = 0; r < report->templates[t].resource_count; r++)
      collect_resource(&missing, &report->templates[t].resources[r], policy, context);

  for (size_t i = 0; i < missing.count; i++) {
    const char *name = missing.names[i];
    const char *option = option_for(name);
    if (option)
      fprintf(out, "cfgate check: the policy needs a value for ${%s}: %s\n", name, option);
    else
      fprintf(out, "cfgate check: the policy needs a value for ${%s}: pass --context %s=VALUE\n",
              name, name);
  }
  return missing.count;
}
