/*
 * The message for a resource Condition attribute that is not a condition
 * name.
 */
#include "template_condition_attr.h"

#include <stdio.h>
#include <string.h>

#include "utf8.h"

/* Bytes of a name or scalar quoted in the message. */
enum { QUOTED_MAX = 100 };

static const char prefix[] = "resource Condition must be a condition name";

/* Returns the name that a one-item list ([F]) or a Condition function call
 * (!Condition F, {Condition: F}) holds, or NULL. */
static const tnode *single_name(const tnode *condition) {
  const tnode *inner = NULL;
  if (condition->kind == TNODE_ARRAY && condition->count == 1)
    inner = condition->items[0];
  else if (condition->kind == TNODE_OBJECT && condition->count == 1 &&
           strcmp(condition->members[0].key, "Condition") == 0)
    inner = condition->members[0].value;
  return inner && inner->kind == TNODE_STRING && inner->len > 0 ? inner : NULL;
}

/* Returns 1 when condition is a call of an intrinsic function other than
 * Condition (!Equals [a, b], {"Fn::Equals": [...]}, !Ref P). */
static int is_function_call(const tnode *condition) {
  if (condition->kind != TNODE_OBJECT || condition->count != 1)
    return 0;

  const char *key = condition->members[0].key;
  return strncmp(key, "Fn::", 4) == 0 || strcmp(key, "Ref") == 0;
}

void template_condition_attr_message(const tnode *condition, char *message, size_t size) {
  const tnode *name = single_name(condition);
  if (name) {
    int len = (int)utf8_cut(name->text, name->len, QUOTED_MAX);
    if (condition->kind == TNODE_ARRAY)
      snprintf(message, size, "%s, found the list [%.*s]: write Condition: %.*s", prefix, len,
               name->text, len, name->text);
    else
      snprintf(message, size, "%s, found a call of Condition naming %.*s: write Condition: %.*s",
               prefix, len, name->text, len, name->text);
    return;
  }

  if (is_function_call(condition)) {
    snprintf(message, size, "%s, found a call of %s: define the condition in Conditions and "
             "write its name (Condition: NAME)", prefix, condition->members[0].key);
  } else if (condition->kind == TNODE_NUMBER) {
    snprintf(message, size, "%s, found number %.*s", prefix,
             (int)utf8_cut(condition->text, condition->len, QUOTED_MAX), condition->text);
  } else if (condition->kind == TNODE_BOOL) {
    snprintf(message, size, "%s, found boolean %s", prefix, condition->boolean ? "true" : "false");
  } else if (condition->kind == TNODE_ARRAY) {
    snprintf(message, size, "%s, found a list of %zu item%s", prefix, condition->count,
             condition->count == 1 ? "" : "s");
  } else {
    snprintf(message, size, "%s, found %s%s", prefix,
             condition->kind == TNODE_OBJECT ? "an " : "", tnode_kind_name(condition->kind));
  }
}
