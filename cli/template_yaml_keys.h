/*
 * Positions of the keys of one YAML mapping, read from libyaml's events.
 * libyaml's document API gives an alias the node of its anchor, and so the
 * anchor's position. The events keep the position of each alias.
 */
#ifndef CFGATE_CLI_TEMPLATE_YAML_KEYS_H
#define CFGATE_CLI_TEMPLATE_YAML_KEYS_H

#include <stddef.h>
#include <yaml.h>

/* Finds the start marks of count keys (0-based indexes keys[0..count)) of
 * one mapping of the first document of bytes[0..size) and stores them in
 * marks[0..count). The mapping is node mapping_id of the document, counted
 * from 1 in the order libyaml's loader creates nodes (one per scalar,
 * sequence and mapping event), and starts at character index
 * mapping_index. Returns 1 when every key was found, else 0. */
int template_yaml_key_marks(const unsigned char *bytes, size_t size, size_t mapping_id,
                            size_t mapping_index, const size_t *keys, size_t count,
                            yaml_mark_t *marks);

#endif
