/*
 * YAML 1.2 core schema tags (!!str, !!int, !!float, !!bool, !!null, !!seq,
 * !!map) on template nodes. Any other !! tag, such as !!binary or
 * !!python/object, changes what its value means, so it is an error.
 */
#ifndef CFGATE_CLI_TEMPLATE_YAML_CORE_H
#define CFGATE_CLI_TEMPLATE_YAML_CORE_H

#include <yaml.h>

#include "template_load.h"
#include "template_node.h"

/* Returns 1 when node's tag is a YAML tag ("tag:yaml.org,2002:..."). */
int template_yaml_is_core_tag(const char *tag);

/* Checks a node with a YAML tag. Returns 1 and sets *kind to the scalar kind
 * that !!int, !!float, !!bool or !!null gives, or to -1 when the value keeps
 * the kind its text gives (!!str, !!seq, !!map). Returns 0 with *error
 * filled for another !! tag, a tag on the wrong node, or text the tag
 * cannot read ("abc" under !!int). */
int template_yaml_core_kind(const yaml_node_t *node, int *kind, template_error *error);

/* Writes the short form of a YAML tag ("!!binary") into buffer. */
const char *template_yaml_tag_name(const char *tag, char *buffer, size_t size);

#endif
