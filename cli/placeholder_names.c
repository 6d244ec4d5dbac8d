/*
 * Placeholder names listed by restricted schema templates.
 */
#include "placeholder_names.h"

#include <string.h>

static const json_t *listed_names(const json_t *template_schema) {
  const json_t *meta = json_object_get(template_schema, "x-cfgate");
  return json_object_get(meta, "placeholders");
}

int placeholder_names_contains(const json_t *template_schema, const char *name) {
  const json_t *names = listed_names(template_schema);
  for (size_t i = 0; i < json_array_size(names); i++) {
    const char *listed = json_string_value(json_array_get(names, i));
    if (listed && strcmp(listed, name) == 0)
      return 1;
  }
  return 0;
}

/* Returns 1 when the comma-separated list text contains name. */
static int list_contains(const char *text, const char *name) {
  size_t len = strlen(name);
  for (const char *at = strstr(text, name); at; at = strstr(at + 1, name)) {
    int starts = at == text || (at >= text + 2 && at[-2] == ',' && at[-1] == ' ');
    int ends = at[len] == '\0' || at[len] == ',';
    if (starts && ends)
      return 1;
  }
  return 0;
}

/* Room kept at the end of the list for the ", ..." that marks a cut. */
#define PLACEHOLDER_NAMES_ELLIPSIS ", ..."

static void append_name(const char *name, char *text, size_t size) {
  size_t used = strlen(text);
  size_t reserve = sizeof PLACEHOLDER_NAMES_ELLIPSIS;
  if (size < reserve || (used >= 3 && strcmp(text + used - 3, "...") == 0))
    return;

  if (used + 2 + strlen(name) + reserve > size) {
    strcat(text, used ? PLACEHOLDER_NAMES_ELLIPSIS : "...");
    return;
  }
  if (used)
    strcat(text, ", ");
  strcat(text, name);
}

void placeholder_names_append(const json_t *template_schema, int skip_aws, char *text, size_t size) {
  const json_t *names = listed_names(template_schema);
  for (size_t i = 0; i < json_array_size(names); i++) {
    const char *name = json_string_value(json_array_get(names, i));
    if (!name || (skip_aws && strncmp(name, "AWS::", 5) == 0) || list_contains(text, name))
      continue;
    append_name(name, text, size);
  }
}
