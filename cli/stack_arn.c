/*
 * Stack ARN parsing for --stack-id.
 */
#include "stack_arn.h"

#include <string.h>

/* Copies the text up to the next delimiter into field and advances *text
 * past the delimiter. Returns 0 for an empty or too long field, or a
 * missing delimiter. */
static int take_field(const char **text, char delimiter, char *field) {
  const char *end = strchr(*text, delimiter);
  size_t len = end ? (size_t)(end - *text) : 0;
  if (!end || len == 0 || len >= STACK_ARN_MAX_FIELD)
    return 0;

  memcpy(field, *text, len);
  field[len] = '\0';
  *text = end + 1;
  return 1;
}

int stack_arn_parse(const char *text, stack_arn *arn) {
  static const char service[] = "cloudformation:";
  char resource_type[STACK_ARN_MAX_FIELD];
  if (strncmp(text, "arn:", 4) != 0)
    return 0;
  text += 4;

  if (!take_field(&text, ':', arn->partition) || strncmp(text, service, sizeof service - 1) != 0)
    return 0;
  text += sizeof service - 1;

  if (!take_field(&text, ':', arn->region) || !take_field(&text, ':', arn->account_id))
    return 0;
  if (!take_field(&text, '/', resource_type) || strcmp(resource_type, "stack") != 0)
    return 0;
  return take_field(&text, '/', arn->stack_name) && *text != '\0';
}
