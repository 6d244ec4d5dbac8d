/*
 * Fn::If branch names for findings: the unresolved properties are searched
 * for the value at the finding's position.
 */
#include "template_branch.h"

#include <stdio.h>
#include <string.h>

#include "utf8.h"

typedef struct branch_match {
  const char *condition;
  int branch_true;
} branch_match;

static int is_if_call(const tnode *node) {
  if (node->kind != TNODE_OBJECT || node->count != 1 ||
      strcmp(node->members[0].key, "Fn::If") != 0)
    return 0;

  const tnode *args = node->members[0].value;
  return args->kind == TNODE_ARRAY && args->count == 3 && args->items[0]->kind == TNODE_STRING;
}

/* Returns 1 when node or a value inside it starts at line:column, filling
 * match with the innermost Fn::If branch on the way. */
static int find_position(const tnode *node, uint32_t line, uint32_t column, branch_match *match) {
  int here = node->line == line && node->column == column;
  if (is_if_call(node)) {
    const tnode *args = node->members[0].value;
    for (int i = 1; i <= 2; i++) {
      if (find_position(args->items[i], line, column, match)) {
        if (!match->condition) {
          match->condition = args->items[0]->text;
          match->branch_true = i == 1;
        }
        return 1;
      }
    }
    return here;
  }

  for (size_t i = 0; node->kind == TNODE_ARRAY && i < node->count; i++)
    if (find_position(node->items[i], line, column, match))
      return 1;
  for (size_t i = 0; node->kind == TNODE_OBJECT && i < node->count; i++)
    if (find_position(node->members[i].value, line, column, match))
      return 1;
  return here;
}

void template_branch_name_conditions(report_resource *resource, size_t first,
                                     const tnode *properties) {
  for (size_t i = first; i < resource->finding_count; i++) {
    report_finding *finding = &resource->findings[i];
    branch_match match = {NULL, 0};
    find_position(properties, finding->line, finding->column, &match);
    if (!match.condition)
      continue;

    char message[1400];
    snprintf(message, sizeof message, "%.*s (in the %s branch of Fn::If condition %.*s)",
             (int)utf8_cut(finding->message, strlen(finding->message), 1200), finding->message,
             match.branch_true ? "true" : "false",
             (int)utf8_cut(match.condition, strlen(match.condition), 100), match.condition);
    report_set(&finding->message, message);
  }
}

static int is_no_value(const tnode *node) {
  return node->kind == TNODE_OBJECT && node->count == 1 &&
         strcmp(node->members[0].key, "Ref") == 0 &&
         tnode_is_string(node->members[0].value, "AWS::NoValue");
}

/* Returns the innermost Fn::If below or at call with an AWS::NoValue
 * branch, or NULL when no branch on the way is AWS::NoValue. */
static const tnode *removing_if(const tnode *call) {
  const tnode *args = call->members[0].value;
  for (int i = 1; i <= 2; i++) {
    const tnode *branch = args->items[i];
    if (is_no_value(branch))
      return call;
    const tnode *inner = is_if_call(branch) ? removing_if(branch) : NULL;
    if (inner)
      return inner;
  }
  return NULL;
}

/* Returns the Fn::If member value of object whose key the required finding
 * names, or NULL. */
static const tnode *removed_member_if(const tnode *object, const char *message) {
  static const char prefix[] = "missing required property \"";
  for (size_t i = 0; object->kind == TNODE_OBJECT && i < object->count; i++) {
    const tnode_member *member = &object->members[i];
    size_t key_len = member->key_len;
    if (!is_if_call(member->value) || strncmp(message, prefix, sizeof prefix - 1) != 0)
      continue;

    const char *key = message + sizeof prefix - 1;
    if (strncmp(key, member->key, key_len) == 0 && key[key_len] == '"')
      return member->value;
  }
  return NULL;
}

/* Finds the object at line:column in the unresolved node whose member,
 * named by the required finding's message, is an Fn::If, and returns that
 * Fn::If or NULL. The finding has the position of the object, which
 * resolution keeps. Its pointer does not fit the unresolved node, because it
 * counts array items after AWS::NoValue removed some. */
static const tnode *removing_member_at(const tnode *node, uint32_t line, uint32_t column,
                                       const char *message) {
  const tnode *call = NULL;

  if (node->kind == TNODE_OBJECT && node->line == line && node->column == column)
    call = removed_member_if(node, message);
  for (size_t i = 0; !call && node->kind == TNODE_ARRAY && i < node->count; i++)
    call = removing_member_at(node->items[i], line, column, message);
  for (size_t i = 0; !call && node->kind == TNODE_OBJECT && i < node->count; i++)
    call = removing_member_at(node->members[i].value, line, column, message);
  return call;
}

void template_branch_locate_removed(report_resource *resource, size_t first,
                                    const tnode *properties) {
  for (size_t i = first; i < resource->finding_count; i++) {
    report_finding *finding = &resource->findings[i];
    if (!finding->keyword || strcmp(finding->keyword, "required") != 0)
      continue;

    const tnode *call = removing_member_at(properties, finding->line, finding->column,
                                           finding->message);
    const tnode *removing = call ? removing_if(call) : NULL;
    if (!removing)
      continue;
    finding->line = removing->line;
    finding->column = removing->column;
  }
}
