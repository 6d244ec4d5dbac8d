/*
 * DeletionPolicy and UpdateReplacePolicy values. The allowed names are
 * those of the CloudFormation Template Reference pages "DeletionPolicy
 * attribute" and "UpdateReplacePolicy attribute", and CloudFormation rejects
 * a template with any other name.
 * NOTE: names are compared exactly as those pages spell them, so "retain"
 * is reported, although no AWS page states whether the comparison ignores case.
 */
#include "template_policy_attr.h"

#include <stdio.h>
#include <string.h>

#include "suggest.h"
#include "utf8.h"

/* Bytes of a value quoted in the message. */
enum { QUOTED_MAX = 100 };

typedef struct policy_attr {
  const char *name;
  const char *const *values; /* NULL-terminated */
  const char *listed;        /* the values as the message lists them */
} policy_attr;

static const char *const deletion_values[] = {"Delete", "Retain", "RetainExceptOnCreate",
                                              "Snapshot", NULL};
static const char *const update_replace_values[] = {"Delete", "Retain", "Snapshot", NULL};

static const policy_attr policy_attrs[] = {
  {"DeletionPolicy", deletion_values, "Delete, Retain, RetainExceptOnCreate or Snapshot"},
  {"UpdateReplacePolicy", update_replace_values, "Delete, Retain or Snapshot"},
};

static const policy_attr *find_attr(const char *key) {
  for (size_t i = 0; i < sizeof policy_attrs / sizeof policy_attrs[0]; i++)
    if (strcmp(key, policy_attrs[i].name) == 0)
      return &policy_attrs[i];
  return NULL;
}

/* Returns 1 for a call of an intrinsic function ({"Ref": P}, !If [...]). */
static int is_function_call(const tnode *value) {
  if (value->kind != TNODE_OBJECT || value->count != 1)
    return 0;

  const char *key = value->members[0].key;
  return strncmp(key, "Fn::", 4) == 0 || strcmp(key, "Ref") == 0;
}

static int is_allowed(const policy_attr *attr, const tnode *value) {
  for (size_t i = 0; attr->values[i]; i++)
    if (strlen(attr->values[i]) == value->len && strcmp(value->text, attr->values[i]) == 0)
      return 1;
  return 0;
}

/* Writes the message for a string value that is not an allowed name, with
 * the closest allowed names when the value looks like a misspelling. */
static void describe_name(const policy_attr *attr, const tnode *value, char *message,
                          size_t size) {
  suggest closest;
  suggest_init(&closest, value->text);
  for (size_t i = 0; attr->values[i]; i++)
    suggest_offer(&closest, attr->values[i]);
  char hint[200];
  suggest_format(&closest, hint, sizeof hint);

  snprintf(message, size, "invalid %s '%.*s'%s: CloudFormation accepts %s", attr->name,
           (int)utf8_cut(value->text, value->len, QUOTED_MAX), value->text, hint, attr->listed);
}

int template_policy_attr_check(const tnode_member *member, char *message, size_t size) {
  const policy_attr *attr = find_attr(member->key);
  const tnode *value = member->value;
  if (!attr || value->kind == TNODE_UNKNOWN || is_function_call(value))
    return 1;

  if (value->kind == TNODE_STRING) {
    if (is_allowed(attr, value))
      return 1;
    describe_name(attr, value, message, size);
    return 0;
  }

  if (value->kind == TNODE_NUMBER)
    snprintf(message, size, "invalid %s: found number %.*s, but CloudFormation accepts %s",
             attr->name, (int)utf8_cut(value->text, value->len, QUOTED_MAX), value->text,
             attr->listed);
  else if (value->kind == TNODE_BOOL)
    snprintf(message, size, "invalid %s: found boolean %s, but CloudFormation accepts %s",
             attr->name, value->boolean ? "true" : "false", attr->listed);
  else if (value->kind == TNODE_ARRAY)
    snprintf(message, size, "invalid %s: found a list of %zu item%s, but CloudFormation accepts "
             "%s", attr->name, value->count, value->count == 1 ? "" : "s", attr->listed);
  else
    snprintf(message, size, "invalid %s: found %s%s, but CloudFormation accepts %s", attr->name,
             value->kind == TNODE_OBJECT ? "an " : "", tnode_kind_name(value->kind),
             attr->listed);
  return 0;
}
