/*
 * Duplicate-key detection for template mappings. A jansson object serves as
 * the hash table: jansson seeds its hash function at random per process, so
 * a template cannot be written to make its keys collide.
 */
#include "template_keys.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

/* Mappings with up to this many keys are searched key by key, which costs
 * less than building a table for the few keys most mappings have. */
enum { TEMPLATE_KEYS_LINEAR = 8 };

void template_keys_init(template_keys *keys) { keys->table = NULL; }

void template_keys_fini(template_keys *keys) {
  json_decref(keys->table);
  keys->table = NULL;
}

static int same_key(const tnode_member *a, const tnode_member *b) {
  return a->key_len == b->key_len && memcmp(a->key, b->key, a->key_len) == 0;
}

/* Returns 1 when the key could be stored, 0 when memory runs out. */
static int table_insert(json_t *table, const tnode_member *member, size_t index) {
  json_t *position = json_integer((json_int_t)index);
  return position && json_object_setn_new_nocheck(table, member->key, member->key_len,
                                                  position) == 0;
}

/* Creates the table from the keys members[0..count), which are distinct. */
static json_t *table_build(const tnode_member *members, size_t count) {
  json_t *table = json_object();
  for (size_t i = 0; table && i < count; i++) {
    if (!table_insert(table, &members[i], i)) {
      json_decref(table);
      table = NULL;
    }
  }
  return table;
}

/* Returns the index of an earlier member with the key of members[index],
 * or index when there is none. */
static size_t find_linear(const tnode_member *members, size_t index) {
  for (size_t i = 0; i < index; i++)
    if (same_key(&members[i], &members[index]))
      return i;
  return index;
}

static size_t find_in_table(const json_t *table, const tnode_member *member, size_t index) {
  json_t *position = json_object_getn(table, member->key, member->key_len);
  return position ? (size_t)json_integer_value(position) : index;
}

static int fail_duplicate(template_error *error, const tnode_member *member,
                          const tnode_member *first) {
  error->line = member->line;
  error->column = member->column;
  snprintf(error->message, sizeof error->message, "duplicate key '%s' (first at line %u)",
           member->key, (unsigned)first->line);
  return 0;
}

static int fail_memory(template_error *error, const tnode_member *member) {
  error->line = member->line;
  error->column = member->column;
  snprintf(error->message, sizeof error->message, "out of memory while parsing");
  return 0;
}

int template_keys_add(template_keys *keys, const tnode_member *members, size_t index,
                      template_error *error) {
  const tnode_member *member = &members[index];
  if (!keys->table && index >= TEMPLATE_KEYS_LINEAR) {
    keys->table = table_build(members, index);
    if (!keys->table)
      return fail_memory(error, member);
  }

  size_t first = keys->table ? find_in_table(keys->table, member, index)
                             : find_linear(members, index);
  if (first != index)
    return fail_duplicate(error, member, &members[first]);

  if (keys->table && !table_insert(keys->table, member, index))
    return fail_memory(error, member);
  return 1;
}
