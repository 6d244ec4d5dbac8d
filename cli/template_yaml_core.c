/*
 * YAML 1.2 core schema tags. libyaml's loader gives an untagged scalar the
 * tag !!str, an untagged sequence !!seq and an untagged mapping !!map. An
 * explicit !!seq or !!map cannot be distinguished from an untagged one, so the value keeps the
 * meaning it has untagged. The loader finds an explicit !!str in the text
 * and reads that scalar as a string. The scalar tags !!int, !!float, !!bool and
 * !!null set the value's kind and accept only text that JSON reads as that
 * kind, so "0x10" under !!int is an error rather than 16 or a string.
 */
#include "template_yaml_core.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "template_yaml_error.h"
#include "utf8.h"

#define YAML_TAG_PREFIX "tag:yaml.org,2002:"
#define YAML_TAG_PREFIX_LEN (sizeof YAML_TAG_PREFIX - 1)

int template_yaml_is_core_tag(const char *tag) {
  return tag && strncmp(tag, YAML_TAG_PREFIX, YAML_TAG_PREFIX_LEN) == 0;
}

const char *template_yaml_tag_name(const char *tag, char *buffer, size_t size) {
  const char *shown = tag, *marker = "";
  if (template_yaml_is_core_tag(tag)) {
    shown = tag + YAML_TAG_PREFIX_LEN;
    marker = "!!";
  }
  snprintf(buffer, size, "%s%.*s", marker, (int)utf8_cut(shown, strlen(shown), 150), shown);
  return buffer;
}

__attribute__((format(printf, 3, 4))) static int core_error(const yaml_node_t *node,
                                                            template_error *error,
                                                            const char *format, ...) {
  va_list args;
  va_start(args, format);
  error->line = (uint32_t)node->start_mark.line + 1;
  error->column = (uint32_t)node->start_mark.column + 1;
  vsnprintf(error->message, sizeof error->message, format, args);
  va_end(args);
  template_error_quote(error, "", 0);
  return 0;
}

static int text_is(const yaml_node_t *node, const char *const *words) {
  const char *text = (const char *)node->data.scalar.value;
  size_t len = node->data.scalar.length;
  for (; *words; words++)
    if (strlen(*words) == len && memcmp(*words, text, len) == 0)
      return 1;
  return 0;
}

/* Returns 1 for JSON integer text: no fraction and no exponent. */
static int text_is_integer(const char *text, size_t len) {
  return template_is_json_number(text, len) && !memchr(text, '.', len) &&
         !memchr(text, 'e', len) && !memchr(text, 'E', len);
}

/* Returns 1 when the text of a scalar reads as the tag's kind in JSON. */
static int core_text_fits(const yaml_node_t *node, const char *name) {
  static const char *const nulls[] = {"", "~", "null", "Null", "NULL", NULL};
  static const char *const bools[] = {"true", "True", "TRUE", "false", "False", "FALSE", NULL};
  const char *text = (const char *)node->data.scalar.value;
  size_t len = node->data.scalar.length;

  if (strcmp(name, "null") == 0)
    return text_is(node, nulls);
  if (strcmp(name, "bool") == 0)
    return text_is(node, bools);
  if (strcmp(name, "int") == 0)
    return text_is_integer(text, len);
  return template_is_json_number(text, len);
}

/* Sets the kind of a scalar under !!int, !!float, !!bool or !!null. */
static int core_scalar_kind(const yaml_node_t *node, const char *name, int *kind,
                            template_error *error) {
  if (strcmp(name, "null") == 0)
    *kind = TNODE_NULL;
  else if (strcmp(name, "bool") == 0)
    *kind = TNODE_BOOL;
  else
    *kind = TNODE_NUMBER;
  if (core_text_fits(node, name))
    return 1;

  const char *text = (const char *)node->data.scalar.value;
  size_t len = node->data.scalar.length;
  size_t shown = utf8_cut(text, len, 80);
  core_error(node, error, "'%.*s' is not a valid !!%s value: write it as a JSON %s", (int)shown,
             text, name,
             strcmp(name, "int") == 0 ? "integer" : strcmp(name, "float") == 0 ? "number" : name);
  template_error_quote(error, text, shown);
  return 0;
}

static int core_wrong_node(const yaml_node_t *node, const char *name, template_error *error) {
  static const char *const node_kinds[] = {"an empty node", "a scalar", "a sequence",
                                           "a mapping"};
  return core_error(node, error, "YAML tag !!%s is not allowed on %s", name,
                    node_kinds[node->type]);
}

int template_yaml_core_kind(const yaml_node_t *node, int *kind, template_error *error) {
  const char *name = (const char *)node->tag + YAML_TAG_PREFIX_LEN;
  *kind = -1;

  if (strcmp(name, "seq") == 0)
    return node->type == YAML_SEQUENCE_NODE || core_wrong_node(node, name, error);
  if (strcmp(name, "map") == 0)
    return node->type == YAML_MAPPING_NODE || core_wrong_node(node, name, error);

  int scalar_tag = strcmp(name, "str") == 0 || strcmp(name, "int") == 0 ||
                   strcmp(name, "float") == 0 || strcmp(name, "bool") == 0 ||
                   strcmp(name, "null") == 0;
  if (!scalar_tag) {
    char shown[200];
    core_error(node, error,
               "YAML tag %s is not supported: only the YAML 1.2 core tags !!str, !!int, "
               "!!float, !!bool, !!null, !!seq and !!map are read",
               template_yaml_tag_name((const char *)node->tag, shown, sizeof shown));
    template_error_quote(error, shown, strlen(shown));
    return 0;
  }
  if (node->type != YAML_SCALAR_NODE)
    return core_wrong_node(node, name, error);
  if (strcmp(name, "str") == 0)
    return 1;
  return core_scalar_kind(node, name, kind, error);
}
