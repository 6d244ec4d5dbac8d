/*
 * Bounds how many uniqueItems arrays can be open at once (nested inside each
 * other), so a session reserves that many uniqueness tables instead of one
 * per nesting level. The bound follows every child edge of the node graph
 * and counts uniqueItems nodes on the longest path. Every open array with a
 * table lies on one such path, so the count never falls short. A cycle in a
 * graph with a uniqueItems node makes the bound unbounded.
 */
#include <stdlib.h>

#include "ir_build_internal.h"

enum { UNVISITED = 0, ACTIVE = 1, DONE = 2 };

typedef struct nesting_walk {
  ir_builder *b;
  uint8_t *state;
  uint32_t *depth;
  int unbounded;
} nesting_walk;

static uint32_t visit(nesting_walk *w, uint32_t node);

static uint32_t max_of(nesting_walk *w, uint32_t best, uint32_t node) {
  if (node == CFGATE_IR_NONE)
    return best;
  uint32_t d = visit(w, node);
  return d > best ? d : best;
}

static uint32_t max_of_list(nesting_walk *w, uint32_t best, uint32_t first, uint32_t count) {
  const uint32_t *lists = w->b->lists.data;
  for (uint32_t i = 0; i < count; i++)
    best = max_of(w, best, lists[first + i]);
  return best;
}

static uint32_t children_max(nesting_walk *w, const cfgate_ir_node *n) {
  const cfgate_ir_name *names = w->b->names.data;
  const cfgate_ir_pattern_prop *patterns = w->b->pattern_props.data;
  const cfgate_ir_dependency *dependencies = w->b->dependencies.data;
  uint32_t best = 0;

  for (uint32_t i = 0; i < n->names_count; i++)
    best = max_of(w, best, names[n->names_first + i].node);
  for (uint32_t i = 0; i < n->pattern_props_count; i++)
    best = max_of(w, best, patterns[n->pattern_props_first + i].node);
  for (uint32_t i = 0; i < n->dependencies_count; i++)
    best = max_of(w, best, dependencies[n->dependencies_first + i].node);
  uint32_t singles[] = {n->additional_properties, n->property_names, n->items, n->additional_items,
                        n->contains, n->not_node, n->if_node, n->then_node, n->else_node};
  for (size_t i = 0; i < sizeof singles / sizeof *singles; i++)
    best = max_of(w, best, singles[i]);
  best = max_of_list(w, best, n->tuple_first, n->tuple_count);
  best = max_of_list(w, best, n->all_of_first, n->all_of_count);
  best = max_of_list(w, best, n->any_of_first, n->any_of_count);
  best = max_of_list(w, best, n->one_of_first, n->one_of_count);
  return max_of_list(w, best, n->enum_nodes_first, n->enum_nodes_count);
}

static uint32_t visit(nesting_walk *w, uint32_t node) {
  if (w->state[node] == DONE)
    return w->depth[node];
  if (w->state[node] == ACTIVE) {
    w->unbounded = 1;
    return 0;
  }

  w->state[node] = ACTIVE;
  const cfgate_ir_node *n = ir_node_at(w->b, node);
  uint32_t own = (n->flags & CFGATE_IR_UNIQUE_ITEMS) ? 1 : 0;
  uint32_t d = own + children_max(w, n);
  w->state[node] = DONE;
  w->depth[node] = d;
  return d;
}

/* Returns the bound for the nodes reachable from root: the count of
 * uniqueItems nodes on the longest path, or CFGATE_IR_NONE when a cycle
 * makes it unbounded and some uniqueItems node exists. */
uint32_t ir_unique_nesting(ir_builder *b, uint32_t root) {
  nesting_walk w = {b, calloc(b->nodes.len, 1), calloc(b->nodes.len, sizeof(uint32_t)), 0};
  if (!w.state || !w.depth) {
    free(w.state);
    free(w.depth);
    ir_fail_memory(b);
    return CFGATE_IR_NONE;
  }

  uint32_t bound = visit(&w, root);
  int any_unique = 0;
  for (size_t i = 0; i < b->nodes.len; i++)
    any_unique |= (ir_node_at(b, (uint32_t)i)->flags & CFGATE_IR_UNIQUE_ITEMS) != 0;
  free(w.state);
  free(w.depth);
  return w.unbounded && any_unique ? CFGATE_IR_NONE : bound;
}
