/*
 * Stack ARN parsing, for the stackId of a hook event and for --stack-id.
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

/* A stack name: a letter, then letters, digits and hyphens. */
static int is_stack_name(const char *name) {
  static const char letters[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  return strchr(letters, name[0]) && name[0] &&
         strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-") ==
             strlen(name);
}

/* The stack id that ends the ARN: hex digits and hyphens, such as the
 * UUID 5b2c3e40-8f1a-11ef-9a3c-0affd3c2b1e1, and nothing after it. */
static int is_stack_uuid(const char *id) {
  size_t len = strspn(id, "0123456789abcdefABCDEF-");
  return len > 0 && len < STACK_ARN_MAX_FIELD && id[len] == '\0';
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
  return take_field(&text, '/', arn->stack_name) && is_stack_name(arn->stack_name) &&
         is_stack_uuid(text);
}
