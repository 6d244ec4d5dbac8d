/*
 * Bounds how many uniqueItems tables a session keeps at once, so it reserves
 * that many instead of one per nesting level. A table belongs to an open
 * array that some frame checks for uniqueItems, and many frames apply to one
 * value: a node's allOf, anyOf, oneOf, not, if, then and else branches, its
 * schema dependencies and enum members, and in turn theirs. Each of those
 * frames may then apply a property or item schema to the same member.
 *
 * So the walk follows sets of nodes that apply together to one value. A
 * set's closure is the set plus every branch on the same value. The bound
 * of a set is 1 when a node of its closure has uniqueItems, plus the largest
 * bound of the sets that apply to one member. Those are the nodes given for
 * one property name, those for a name that no node lists, or those for an
 * item. The member sets assume that
 * every patternProperties schema may match and that every item schema of the
 * array form may apply, so the bound never falls short.
 *
 * A cycle in a graph with a uniqueItems node makes the bound unbounded, and
 * so does a walk that exceeds its work budget: sessions then reserve one
 * table per nesting level.
 */
#include <stdlib.h>
#include <string.h>

#include "ir_build_internal.h"

/* Node visits the set walk may make before it gives up and reports the bound
 * as unbounded (one table per nesting level). Every type of the us-east-1
 * provider schemas, allowed whole, takes fewer than 400. */
#define IR_UNIQUE_WALK_BUDGET (1u << 22)

enum { UNVISITED = 0, ACTIVE = 1, DONE = 2 };

typedef struct node_set {
  uint32_t *ids;
  size_t count, cap;
} node_set;

typedef struct unique_walk {
  ir_builder *b;
  uint8_t *state;     /* cycle search: UNVISITED, ACTIVE or DONE per node */
  uint32_t *memo;     /* bound of the set {node} + 1, or 0 when not known yet */
  uint32_t *stamp;    /* per node: generation of the last set it joined */
  uint32_t generation;
  size_t work;
  int cycle, over_budget, out_of_memory;
} unique_walk;

static int set_add(unique_walk *walk, node_set *set, uint32_t node) {
  if (node == CFGATE_IR_NONE || walk->stamp[node] == walk->generation)
    return 0;
  if (set->count == set->cap) {
    size_t cap = set->cap ? set->cap * 2 : 8;
    uint32_t *ids = realloc(set->ids, cap * sizeof *ids);
    if (!ids) {
      walk->out_of_memory = 1;
      return 0;
    }
    set->ids = ids;
    set->cap = cap;
  }
  walk->stamp[node] = walk->generation;
  set->ids[set->count++] = node;
  return 1;
}

/* Starts a new set: no node carries its generation yet. */
static void set_begin(unique_walk *walk, node_set *set) {
  set->count = 0;
  if (++walk->generation == 0) {
    memset(walk->stamp, 0, walk->b->nodes.len * sizeof *walk->stamp);
    walk->generation = 1;
  }
}

static void add_list(unique_walk *walk, node_set *set, uint32_t first, uint32_t count) {
  const uint32_t *lists = walk->b->lists.data;
  for (uint32_t i = 0; i < count; i++)
    set_add(walk, set, lists[first + i]);
}

/* Adds the nodes that apply beside n to the same value. */
static void add_same_value(unique_walk *walk, node_set *set, const cfgate_ir_node *n) {
  const cfgate_ir_dependency *dependencies = walk->b->dependencies.data;
  add_list(walk, set, n->all_of_first, n->all_of_count);
  add_list(walk, set, n->any_of_first, n->any_of_count);
  add_list(walk, set, n->one_of_first, n->one_of_count);
  set_add(walk, set, n->not_node);
  set_add(walk, set, n->if_node);
  set_add(walk, set, n->then_node);
  set_add(walk, set, n->else_node);
  for (uint32_t i = 0; i < n->dependencies_count; i++)
    set_add(walk, set, dependencies[n->dependencies_first + i].node);
  add_list(walk, set, n->enum_nodes_first, n->enum_nodes_count);
}

/* Returns the "properties" schema that n gives to name, and sets *listed
 * to 1, or returns NONE and sets *listed to 0 when n gives it none. */
static uint32_t property_node(unique_walk *walk, const cfgate_ir_node *n, const cfgate_ir_name *name,
                              int *listed) {
  const cfgate_ir_name *names = walk->b->names.data;
  const char *pool = walk->b->pool.data;
  for (uint32_t i = 0; i < n->names_count; i++) {
    const cfgate_ir_name *other = &names[n->names_first + i];
    if (other->hash == name->hash && other->len == name->len && other->node != CFGATE_IR_NONE &&
        memcmp(pool + other->text, pool + name->text, name->len) == 0) {
      *listed = 1;
      return other->node;
    }
  }
  *listed = 0;
  return CFGATE_IR_NONE;
}

static void add_patterns(unique_walk *walk, node_set *set, const cfgate_ir_node *n) {
  const cfgate_ir_pattern_prop *patterns = walk->b->pattern_props.data;
  for (uint32_t i = 0; i < n->pattern_props_count; i++)
    set_add(walk, set, patterns[n->pattern_props_first + i].node);
}

static uint32_t set_bound(unique_walk *walk, node_set *set);

static uint32_t max_u32(uint32_t a, uint32_t b) {
  return a > b ? a : b;
}

/* Returns the largest bound of the sets that apply to one member of an
 * object or one item of an array of a value that the closure applies to. */
static uint32_t members_bound(unique_walk *walk, const node_set *closure) {
  const cfgate_ir_name *names = walk->b->names.data;
  node_set member = {0};
  uint32_t best = 0;

  /* Items: every item schema of every node, as one set. */
  set_begin(walk, &member);
  for (size_t c = 0; c < closure->count; c++) {
    const cfgate_ir_node *n = ir_node_at(walk->b, closure->ids[c]);
    set_add(walk, &member, n->items);
    add_list(walk, &member, n->tuple_first, n->tuple_count);
    set_add(walk, &member, n->additional_items);
    set_add(walk, &member, n->contains);
  }
  best = max_u32(best, set_bound(walk, &member));

  /* A name that no node lists: patterns and additionalProperties. */
  set_begin(walk, &member);
  for (size_t c = 0; c < closure->count; c++) {
    const cfgate_ir_node *n = ir_node_at(walk->b, closure->ids[c]);
    add_patterns(walk, &member, n);
    set_add(walk, &member, n->additional_properties);
  }
  best = max_u32(best, set_bound(walk, &member));

  /* Each name some node lists with a schema, once per distinct name: its
   * schema in each node that lists it, or that node's additionalProperties,
   * plus every pattern schema. */
  for (size_t c = 0; c < closure->count && !walk->over_budget; c++) {
    const cfgate_ir_node *owner = ir_node_at(walk->b, closure->ids[c]);
    for (uint32_t k = 0; k < owner->names_count && !walk->over_budget; k++) {
      const cfgate_ir_name *name = &names[owner->names_first + k];
      int listed = 0;
      if (name->node == CFGATE_IR_NONE)
        continue;
      for (size_t e = 0; e < c && !listed; e++)
        property_node(walk, ir_node_at(walk->b, closure->ids[e]), name, &listed);
      if (listed)
        continue; /* an earlier node of the closure lists it: already counted */

      set_begin(walk, &member);
      for (size_t d = 0; d < closure->count; d++) {
        const cfgate_ir_node *n = ir_node_at(walk->b, closure->ids[d]);
        uint32_t node = property_node(walk, n, name, &listed);
        set_add(walk, &member, listed ? node : n->additional_properties);
        add_patterns(walk, &member, n);
      }
      best = max_u32(best, set_bound(walk, &member));
    }
  }
  free(member.ids);
  return best;
}

/* Returns the bound of the nodes in set applied together to one value. */
static uint32_t set_bound(unique_walk *walk, node_set *set) {
  if (set->count == 0)
    return 0;
  uint32_t single = set->count == 1 ? set->ids[0] : CFGATE_IR_NONE;
  if (single != CFGATE_IR_NONE && walk->memo[single])
    return walk->memo[single] - 1;
  if (walk->over_budget || walk->out_of_memory)
    return 0;

  /* The closure, in a set of its own: the walk below reuses the stamps. */
  node_set closure = {0};
  set_begin(walk, &closure);
  for (size_t i = 0; i < set->count; i++)
    set_add(walk, &closure, set->ids[i]);
  uint32_t own = 0;
  for (size_t i = 0; i < closure.count; i++) {
    const cfgate_ir_node *n = ir_node_at(walk->b, closure.ids[i]);
    own |= (n->flags & CFGATE_IR_UNIQUE_ITEMS) ? 1u : 0u;
    add_same_value(walk, &closure, n);
  }
  walk->work += closure.count;
  if (walk->work > IR_UNIQUE_WALK_BUDGET)
    walk->over_budget = 1;

  uint32_t bound = own + members_bound(walk, &closure);
  free(closure.ids);
  if (single != CFGATE_IR_NONE && !walk->over_budget && !walk->out_of_memory)
    walk->memo[single] = bound + 1;
  return bound;
}

/* Sets walk->cycle when a cycle is reachable from node along any edge. */
static void find_cycle(unique_walk *walk, uint32_t node);

static void find_cycle_list(unique_walk *walk, uint32_t first, uint32_t count) {
  const uint32_t *lists = walk->b->lists.data;
  for (uint32_t i = 0; i < count && !walk->cycle; i++)
    find_cycle(walk, lists[first + i]);
}

static void find_cycle(unique_walk *walk, uint32_t node) {
  if (node == CFGATE_IR_NONE || walk->cycle || walk->state[node] == DONE)
    return;
  if (walk->state[node] == ACTIVE) {
    walk->cycle = 1;
    return;
  }

  walk->state[node] = ACTIVE;
  const cfgate_ir_node *n = ir_node_at(walk->b, node);
  const cfgate_ir_name *names = walk->b->names.data;
  const cfgate_ir_pattern_prop *patterns = walk->b->pattern_props.data;
  const cfgate_ir_dependency *dependencies = walk->b->dependencies.data;
  for (uint32_t i = 0; i < n->names_count; i++)
    find_cycle(walk, names[n->names_first + i].node);
  for (uint32_t i = 0; i < n->pattern_props_count; i++)
    find_cycle(walk, patterns[n->pattern_props_first + i].node);
  for (uint32_t i = 0; i < n->dependencies_count; i++)
    find_cycle(walk, dependencies[n->dependencies_first + i].node);
  uint32_t singles[] = {n->additional_properties, n->property_names, n->items, n->additional_items,
                        n->contains, n->not_node, n->if_node, n->then_node, n->else_node};
  for (size_t i = 0; i < sizeof singles / sizeof *singles; i++)
    find_cycle(walk, singles[i]);
  find_cycle_list(walk, n->tuple_first, n->tuple_count);
  find_cycle_list(walk, n->all_of_first, n->all_of_count);
  find_cycle_list(walk, n->any_of_first, n->any_of_count);
  find_cycle_list(walk, n->one_of_first, n->one_of_count);
  find_cycle_list(walk, n->enum_nodes_first, n->enum_nodes_count);
  walk->state[node] = DONE;
}

/* Returns the bound for the value the root applies to: the most uniqueItems
 * tables open at once, or CFGATE_IR_NONE when a cycle or the work budget
 * leaves it unbounded and some uniqueItems node exists. */
uint32_t ir_unique_nesting(ir_builder *b, uint32_t root) {
  int any_unique = 0;
  for (size_t i = 0; i < b->nodes.len; i++)
    any_unique |= (ir_node_at(b, (uint32_t)i)->flags & CFGATE_IR_UNIQUE_ITEMS) != 0;
  if (!any_unique)
    return 0;

  size_t len = b->nodes.len;
  unique_walk walk = {b, calloc(len, 1), calloc(len, sizeof(uint32_t)), calloc(len, sizeof(uint32_t)),
                   0, 0, 0, 0, 0};
  uint32_t bound = CFGATE_IR_NONE;
  if (walk.state && walk.memo && walk.stamp) {
    find_cycle(&walk, root);
    if (!walk.cycle) {
      node_set start = {&root, 1, 1};
      uint32_t walked = set_bound(&walk, &start);
      if (!walk.over_budget)
        bound = walked;
    }
  } else {
    walk.out_of_memory = 1;
  }
  free(walk.state);
  free(walk.memo);
  free(walk.stamp);
  if (walk.out_of_memory) {
    ir_fail_memory(b);
    return CFGATE_IR_NONE;
  }
  return bound;
}
