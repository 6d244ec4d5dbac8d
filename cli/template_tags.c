/*
 * Short-form tag table. The list follows the CloudFormation template
 * reference: every intrinsic function with a YAML short form, the rule
 * functions of the Rules section, and !Condition.
 */
#include "template_tags.h"

#include <stdio.h>
#include <string.h>

#include "template_yaml_error.h"
#include "utf8.h"

typedef struct short_form {
  const char *tag;
  const char *function;
} short_form;

static const short_form short_forms[] = {
  {"!Ref", "Ref"},
  {"!Condition", "Condition"},
  {"!Base64", "Fn::Base64"},
  {"!Cidr", "Fn::Cidr"},
  {"!FindInMap", "Fn::FindInMap"},
  {"!GetAtt", "Fn::GetAtt"},
  {"!GetAZs", "Fn::GetAZs"},
  {"!GetStackOutput", "Fn::GetStackOutput"},
  {"!ImportValue", "Fn::ImportValue"},
  {"!Join", "Fn::Join"},
  {"!Select", "Fn::Select"},
  {"!Split", "Fn::Split"},
  {"!Sub", "Fn::Sub"},
  {"!Transform", "Fn::Transform"},
  {"!And", "Fn::And"},
  {"!Equals", "Fn::Equals"},
  {"!If", "Fn::If"},
  {"!Not", "Fn::Not"},
  {"!Or", "Fn::Or"},
  {"!Length", "Fn::Length"},
  {"!ToJsonString", "Fn::ToJsonString"},
  {"!ForEach", "Fn::ForEach"},
  {"!Contains", "Fn::Contains"},
  {"!EachMemberEquals", "Fn::EachMemberEquals"},
  {"!EachMemberIn", "Fn::EachMemberIn"},
  {"!RefAll", "Fn::RefAll"},
  {"!ValueOf", "Fn::ValueOf"},
  {"!ValueOfAll", "Fn::ValueOfAll"},
};

int template_function_is_known(const char *name) {
  if (strncmp(name, "Fn::ForEach::", 13) == 0)
    return 1; /* a loop of AWS::LanguageExtensions, named after the colons */
  for (size_t i = 0; i < sizeof short_forms / sizeof short_forms[0]; i++)
    if (strcmp(name, short_forms[i].function) == 0)
      return 1;
  return 0;
}

void template_function_suggest(suggest *closest) {
  for (size_t i = 0; i < sizeof short_forms / sizeof short_forms[0]; i++)
    if (strncmp(short_forms[i].function, "Fn::", 4) == 0)
      suggest_offer(closest, short_forms[i].function);
}

int template_tag_function(const yaml_node_t *node, const char **function) {
  const char *tag = (const char *)node->tag;
  *function = NULL;
  if (!tag || strncmp(tag, "tag:yaml.org,2002:", 18) == 0)
    return 1;

  for (size_t i = 0; i < sizeof short_forms / sizeof short_forms[0]; i++) {
    if (strcmp(tag, short_forms[i].tag) == 0) {
      *function = short_forms[i].function;
      return 1;
    }
  }
  return tag[0] == '!' ? TEMPLATE_TAG_FOREIGN : 0;
}

tnode *template_tag_foreign(tnode_arena *arena, const yaml_node_t *node, uint32_t line,
                            uint32_t column) {
  const char *tag = (const char *)node->tag;
  size_t tag_len = utf8_cut(tag, strlen(tag), 150);
  char reason[400];
  snprintf(reason, sizeof reason,
           "YAML tag %.*s is not a CloudFormation function; check the template after the "
           "tool that defines it has processed it",
           (int)tag_len, tag);
  tnode *unknown = tnode_new_unknown(arena, reason, line, column);
  if (!unknown)
    return NULL;
  unknown->foreign_tag = 1;
  /* A password may start with "!", and the tag then is the secret: the
   * hidden values of NoEcho parameters and write-only properties include
   * it. */
  unknown->tag = tnode_strdup(arena, tag, tag_len);
  return unknown->tag ? unknown : NULL;
}

static tnode *split_get_att(tnode_arena *arena, tnode *value, template_error *error) {
  const char *dot = strchr(value->text, '.');
  if (!dot || dot == value->text || dot[1] == '\0') {
    template_error_set(error, value->line, value->column,
                       "invalid !GetAtt '%s': expected LogicalId.Attribute", value->text);
    template_error_quote(error, value->text, value->len);
    return NULL;
  }

  tnode *pair = tnode_new(arena, TNODE_ARRAY, value->line, value->column);
  tnode **items = pair ? tnode_alloc(arena, 2 * sizeof *items) : NULL;
  if (!items)
    return NULL;

  size_t resource_len = (size_t)(dot - value->text);
  items[0] = tnode_new_string(arena, value->text, resource_len, value->line, value->column);
  items[1] = tnode_new_string(arena, dot + 1, value->len - resource_len - 1, value->line,
                              value->column + (uint32_t)resource_len + 1);
  pair->items = items;
  pair->count = 2;
  return items[0] && items[1] ? pair : NULL;
}

tnode *template_tag_expand(tnode_arena *arena, const char *function, tnode *value,
                           template_error *error) {
  /* A tagged scalar is always a string: !Ref 10 names "10", !GetAZs '' is "". */
  if (value->kind == TNODE_NULL || value->kind == TNODE_BOOL || value->kind == TNODE_NUMBER)
    value->kind = TNODE_STRING;

  if (strcmp(function, "Fn::GetAtt") == 0 && value->kind == TNODE_STRING) {
    value = split_get_att(arena, value, error);
    if (!value)
      return NULL;
  }

  tnode *object = tnode_new(arena, TNODE_OBJECT, value->line, value->column);
  tnode_member *member = object ? tnode_alloc(arena, sizeof *member) : NULL;
  if (!member)
    return NULL;

  member->key = function;
  member->key_len = strlen(function);
  member->line = value->line;
  member->column = value->column;
  member->value = value;
  object->members = member;
  object->count = 1;
  return object;
}
