/*
 * The name index of a node: buckets of its hash-sorted names, picked by the
 * top bits of a name's hash, so the runtime finds a property name with one
 * bucket read instead of a search (see CFGATE_IR_NAME_BUCKET_BITS_MAX).
 */
#include <stdlib.h>

#include "ir_build_internal.h"

/* Returns the bucket bits for count names: the fewest that give at least
 * two buckets per name, at most CFGATE_IR_NAME_BUCKET_BITS_MAX. */
static uint32_t bucket_bits(uint32_t count) {
  uint32_t bits = 1;
  while (bits < CFGATE_IR_NAME_BUCKET_BITS_MAX && ((uint64_t)1 << bits) < 2 * (uint64_t)count)
    bits++;
  return bits;
}

/* Gives a node without names the shared index of two empty buckets, so the
 * runtime looks up a key in every object node without testing for names. */
static void index_no_names(ir_builder *b, cfgate_ir_node *node) {
  static const uint32_t empty[3] = {0, 0, 0};
  if (b->empty_name_index == CFGATE_IR_NONE)
    b->empty_name_index = ir_list_append(b, empty, 3);
  node->name_buckets_first = b->empty_name_index;
  node->name_bucket_shift = 63;
}

void ir_index_names(ir_builder *b, cfgate_ir_node *node) {
  if (b->failed)
    return;
  if (node->names_count == 0) {
    index_no_names(b, node);
    return;
  }

  const cfgate_ir_name *names = (const cfgate_ir_name *)b->names.data + node->names_first;
  uint32_t bits = bucket_bits(node->names_count);
  size_t buckets = (size_t)1 << bits;
  uint32_t *starts = malloc((buckets + 1) * sizeof *starts);
  if (!starts) {
    ir_fail_memory(b);
    return;
  }

  /* Names are sorted by hash, so each bucket starts at the first name whose
   * top bits reach it. */
  uint32_t name = 0;
  for (size_t k = 0; k <= buckets; k++) {
    while (name < node->names_count && (names[name].hash >> (64 - bits)) < k)
      name++;
    starts[k] = node->names_first + name;
  }
  node->name_buckets_first = ir_list_append(b, starts, buckets + 1);
  node->name_bucket_shift = 64 - bits;
  free(starts);
}
