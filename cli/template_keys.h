/*
 * Duplicate-key detection for the mappings of a template, shared by the
 * YAML and JSON readers. Small mappings are compared key by key. Larger
 * ones go through a hash table, so a mapping with N keys costs O(N).
 */
#ifndef CFGATE_CLI_TEMPLATE_KEYS_H
#define CFGATE_CLI_TEMPLATE_KEYS_H

#include <stddef.h>

#include "template_load.h"
#include "template_node.h"

struct json_t;

/* The keys seen so far in one mapping. Zero it with template_keys_init()
 * and release it with template_keys_fini(). */
typedef struct template_keys {
  struct json_t *table; /* key -> member index; NULL while the mapping is small */
} template_keys;

void template_keys_init(template_keys *keys);
void template_keys_fini(template_keys *keys);

/* Adds members[index].key to keys, where members[0..index) are the keys
 * added before it. members may move between calls (the JSON reader grows
 * it), because keys stores indexes only. Returns 1 when the key is new.
 * Returns 0 with *error set when an earlier member has the same key
 * ("duplicate key 'K' (first at line N)", at the later key) or when
 * memory runs out. */
int template_keys_add(template_keys *keys, const tnode_member *members, size_t index,
                      template_error *error);

#endif
