/*
 * Top-level section names and section-level Fn::Transform calls. The names
 * follow the CloudFormation template anatomy, plus Globals of the SAM
 * transform. CloudFormation rejects any other top-level key with "Invalid
 * template property or properties".
 */
#include "template_sections.h"

#include <stdio.h>
#include <string.h>

#include "suggest.h"
#include "utf8.h"

static const char *const section_names[] = {
  "AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Rules", "Mappings",
  "Conditions", "Transform", "Resources", "Outputs", "Hooks",
};

static const char sam_transform[] = "AWS::Serverless-2016-10-31";

static int is_section_name(const char *key) {
  for (size_t i = 0; i < sizeof section_names / sizeof section_names[0]; i++)
    if (strcmp(key, section_names[i]) == 0)
      return 1;
  return 0;
}

/* Returns 1 when the Transform section names the SAM transform, alone or in
 * a list. */
static int uses_sam(const tnode *root) {
  const tnode *transform = tnode_get(root, "Transform");
  if (!transform || transform->kind != TNODE_ARRAY)
    return tnode_is_string(transform, sam_transform);

  for (size_t i = 0; i < transform->count; i++)
    if (tnode_is_string(transform->items[i], sam_transform))
      return 1;
  return 0;
}

/* Fills error for an unknown section and returns 1. Returns 0 instead when
 * near_misses_only is set and no section name is close to the key. */
static int set_unknown_section(const tnode_member *member, int near_misses_only,
                               template_error *error) {
  suggest closest;
  suggest_init(&closest, member->key);
  for (size_t i = 0; i < sizeof section_names / sizeof section_names[0]; i++)
    suggest_offer(&closest, section_names[i]);
  if (near_misses_only && closest.count == 0)
    return 0;
  char hint[96]; /* room for three typical section names; a longer hint is cut */
  suggest_format(&closest, hint, sizeof hint);

  error->line = member->line;
  error->column = member->column;
  snprintf(error->message, sizeof error->message,
           "unknown template section '%.*s'%s: CloudFormation rejects a top-level key that is "
           "not a template section",
           (int)utf8_cut(member->key, member->key_len, 60), member->key, hint);
  return 1;
}

static void set_globals_without_sam(const tnode_member *member, template_error *error) {
  error->line = member->line;
  error->column = member->column;
  snprintf(error->message, sizeof error->message,
           "the Globals section needs Transform: %s, which defines it", sam_transform);
}

int template_sections_check_names(const tnode *root, int near_misses_only,
                                  template_error *error) {
  for (size_t i = 0; i < root->count; i++) {
    const tnode_member *member = &root->members[i];
    if (is_section_name(member->key) || strcmp(member->key, "Fn::Transform") == 0)
      continue;

    if (strcmp(member->key, "Globals") == 0) {
      if (uses_sam(root))
        continue;
      set_globals_without_sam(member, error);
      return 0;
    }
    if (set_unknown_section(member, near_misses_only, error))
      return 0;
  }
  return 1;
}

const tnode_member *template_find_transform(const tnode *node) {
  const tnode_member *found = NULL;
  if (node->kind == TNODE_ARRAY) {
    for (size_t i = 0; i < node->count && !found; i++)
      found = template_find_transform(node->items[i]);
    return found;
  }
  if (node->kind != TNODE_OBJECT)
    return NULL;

  for (size_t i = 0; i < node->count && !found; i++) {
    if (strcmp(node->members[i].key, "Fn::Transform") == 0)
      return &node->members[i];
    found = template_find_transform(node->members[i].value);
  }
  return found;
}

const tnode_member *template_sections_find_transform(const tnode *root, const char **section) {
  static const char *const computed_sections[] = {"Parameters", "Mappings", "Conditions"};

  for (size_t i = 0; i < root->count; i++) {
    if (strcmp(root->members[i].key, "Fn::Transform") == 0) {
      *section = "";
      return &root->members[i];
    }
  }

  for (size_t i = 0; i < sizeof computed_sections / sizeof computed_sections[0]; i++) {
    const tnode *value = tnode_get(root, computed_sections[i]);
    const tnode_member *found = value ? template_find_transform(value) : NULL;
    if (found) {
      *section = computed_sections[i];
      return found;
    }
  }
  return NULL;
}
