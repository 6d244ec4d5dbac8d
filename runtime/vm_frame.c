/*
 * Frames: pushing the frames a value needs (a node plus its applicator
 * branches), choosing the child nodes of a property value or an item, and
 * reporting a finished frame's result to its parent.
 */
#include <stdio.h>
#include <string.h>

#include "session.h"
#include "utf8.h"

/* Kleene AND: a failure wins over unknown, unknown over success. */
int vm_combine(int a, int b) {
  if (a == VM_FAIL || b == VM_FAIL)
    return VM_FAIL;
  return a == VM_UNKNOWN || b == VM_UNKNOWN ? VM_UNKNOWN : VM_OK;
}

/* Kleene NOT: unknown stays unknown. */
int vm_invert(int result) {
  if (result == VM_UNKNOWN)
    return VM_UNKNOWN;
  return result == VM_OK ? VM_FAIL : VM_OK;
}

/* Reserves size bytes (rounded up to 8) of the arena. Returns the offset, or
 * NONE after reporting the limit. */
uint32_t vm_arena_alloc(cfgate_session *s, size_t size) {
  uint32_t offset = vm_arena_reserve(s, size);
  if (offset == CFGATE_IR_NONE)
    return offset;
  /* Presence bits usually take a few bytes, so one store clears
   * them (offsets are multiples of 8, and sizes are rounded up to 8). */
  if (size <= 8)
    memset(s->arena + offset, 0, 8);
  else
    memset(s->arena + offset, 0, size);
  return offset;
}

/* Like vm_arena_alloc() without clearing the bytes. */
uint32_t vm_arena_reserve(cfgate_session *s, size_t size) {
  size = (size + 7) & ~(size_t)7;
  if (size > s->arena_size - s->arena_top) {
    vm_limit(s, "schema state too large for the workspace (limit is %u bytes)", s->arena_size);
    return CFGATE_IR_NONE;
  }

  uint32_t offset = s->arena_top;
  s->arena_top += (uint32_t)size;
  return offset;
}

/* Counts a branch result up to 2: the checks only tell 0, 1 and more
 * apart, and a bounded count cannot wrap around however many branches. */
#define VM_TALLY(field, condition)                                                                \
  do {                                                                                             \
    if ((condition) && (field) < 2)                                                                \
      (field)++;                                                                                   \
  } while (0)

static void record_branch(vm_frame *p, int role, int result) {
  switch (role) {
  case VM_ROLE_ANY_OF:
    VM_TALLY(p->tally.any_ok, result == VM_OK);
    VM_TALLY(p->tally.any_unknown, result == VM_UNKNOWN);
    break;
  case VM_ROLE_ONE_OF:
    VM_TALLY(p->tally.one_ok, result == VM_OK);
    VM_TALLY(p->tally.one_unknown, result == VM_UNKNOWN);
    break;
  case VM_ROLE_NOT:
    p->tally.not_result = (uint8_t)result;
    break;
  case VM_ROLE_IF:
    p->tally.if_result = (uint8_t)result;
    break;
  case VM_ROLE_THEN:
    p->tally.then_result = (uint8_t)result;
    break;
  case VM_ROLE_ELSE:
    p->tally.else_result = (uint8_t)result;
    break;
  case VM_ROLE_ENUM:
    VM_TALLY(p->tally.enum_node_ok, result == VM_OK);
    VM_TALLY(p->tally.enum_node_unknown, result == VM_UNKNOWN);
    break;
  case VM_ROLE_CONTAINS:
    VM_TALLY(p->contains_ok, result == VM_OK);
    VM_TALLY(p->contains_unknown, result == VM_UNKNOWN);
    break;
  default:
    break;
  }
}

static int presence_bit(const cfgate_session *s, const vm_frame *p, uint32_t bit) {
  if (p->seen == CFGATE_IR_NONE || bit == CFGATE_IR_NONE)
    return 0;
  return (s->arena[p->seen + bit / 8] >> (bit % 8)) & 1;
}

static void record_dependency(cfgate_session *s, uint32_t parent, uint32_t index, int result) {
  vm_frame *p = &s->frames[parent];
  const cfgate_ir_dependency *dep = &s->validator->dependencies[index];

  if (result == VM_OK || !presence_bit(s, p, dep->bit))
    return;
  if (result == VM_UNKNOWN) {
    p->tally.dependency_unknown = 1;
    return;
  }
  vm_fail(s, parent, "dependencies", "property \"%s\" is present, so the object must match the "
          "schema of dependencies/%s", vm_text(s, dep->text), vm_text(s, dep->text));
}

/* Delivers a finished frame's result to its parent. */
void vm_report(cfgate_session *s, uint32_t parent, int role, uint32_t role_index, int result) {
  if (parent == CFGATE_IR_NONE) {
    s->root_result = (uint8_t)vm_combine(s->root_result, result);
    return;
  }

  vm_frame *p = &s->frames[parent];
  if (role == VM_ROLE_CHILD || role == VM_ROLE_ALL_OF)
    p->result = (uint8_t)vm_combine(p->result, result);
  else if (role == VM_ROLE_DEPENDENCY)
    record_dependency(s, parent, role_index, result);
  else
    record_branch(p, role, result);
}

static void push_list(cfgate_session *s, uint32_t first, uint32_t count, uint32_t parent, int role,
                      int speculative) {
  for (uint32_t i = 0; i < count; i++)
    vm_frame_push(s, s->validator->lists[first + i], parent, role, i, speculative);
}

static void push_optional(cfgate_session *s, uint32_t node, uint32_t parent, int role) {
  if (node != CFGATE_IR_NONE)
    vm_frame_push(s, node, parent, role, 0, 1);
}

/* Pushes the frames that run beside frame on the same value: applicator
 * branches, schema dependencies and enum members that are objects or arrays. */
static void push_same_value(cfgate_session *s, uint32_t frame, uint32_t type) {
  const cfgate_ir_node *n = s->frames[frame].def;
  int speculative = s->frames[frame].speculative;

  if (n->flags & CFGATE_IR_HAS_APPLY) {
    push_list(s, n->all_of_first, n->all_of_count, frame, VM_ROLE_ALL_OF, speculative);
    push_list(s, n->any_of_first, n->any_of_count, frame, VM_ROLE_ANY_OF, 1);
    push_list(s, n->one_of_first, n->one_of_count, frame, VM_ROLE_ONE_OF, 1);
    push_optional(s, n->not_node, frame, VM_ROLE_NOT);
    push_optional(s, n->if_node, frame, VM_ROLE_IF);
    push_optional(s, n->then_node, frame, VM_ROLE_THEN);
    push_optional(s, n->else_node, frame, VM_ROLE_ELSE);
  }
  if (type == CFGATE_IR_TYPE_OBJECT) {
    for (uint32_t i = 0; i < n->dependencies_count; i++) {
      uint32_t index = n->dependencies_first + i;
      if (s->validator->dependencies[index].node != CFGATE_IR_NONE)
        vm_frame_push(s, s->validator->dependencies[index].node, frame, VM_ROLE_DEPENDENCY, index, 1);
    }
  }
  if ((n->flags & CFGATE_IR_HAS_ENUM) &&
      (type == CFGATE_IR_TYPE_OBJECT || type == CFGATE_IR_TYPE_ARRAY || type == VM_TYPE_UNKNOWN))
    push_list(s, n->enum_nodes_first, n->enum_nodes_count, frame, VM_ROLE_ENUM, 1);
}

/* Returns 1 when frame's checks on the scalar value that just began are
 * all done: no applicator runs beside it and, for a string, no keyword
 * waits for the string's bytes. Such a frame finishes at once, so it is
 * neither fed nor kept until the value ends. */
static int settles_at_begin(const cfgate_session *s, const cfgate_ir_node *n, uint32_t frame,
                            uint32_t type) {
  if (n->flags & CFGATE_IR_HAS_APPLY)
    return 0;
  if (type == CFGATE_IR_TYPE_STRING)
    return !(n->flags & (CFGATE_IR_HAS_STRING | CFGATE_IR_HAS_ENUM)) && s->frames[frame].coerced == 0;
  return type == CFGATE_IR_TYPE_NUMBER || type == CFGATE_IR_TYPE_BOOLEAN ||
         type == CFGATE_IR_TYPE_NULL;
}

/* Pushes a frame applying node to the value that just began, then the frames
 * of its applicators. A node without keywords succeeds without a frame. */
void vm_frame_push(cfgate_session *s, uint32_t node, uint32_t parent, int role, uint32_t role_index,
                   int speculative) {
  const cfgate_ir_node *n = vm_node(s, node);
  if (s->decided)
    return;
  if (n->flags == 0) {
    vm_report(s, parent, role, role_index, VM_OK);
    return;
  }
  if (s->frame_top >= s->options.limits.max_frames) {
    vm_limit(s, "too many active schemas (limit is %u)", s->options.limits.max_frames);
    return;
  }

  uint32_t index = s->frame_top++;
  vm_frame *f = &s->frames[index];
  f->def = n;
  f->node = node;
  f->parent = parent;
  f->role = (uint8_t)role;
  f->result = VM_OK;
  f->speculative = (uint8_t)speculative;
  f->coerced = 0;
  f->role_index = role_index;
  if (n->flags & (CFGATE_IR_HAS_APPLY | CFGATE_IR_HAS_ENUM | CFGATE_IR_HAS_OBJECT))
    memset(&f->tally, 0, sizeof f->tally);

  vm_level *level = &s->levels[s->depth - 1];
  uint32_t type = level->type;
  vm_frame_begin_type(s, index, f, n, type);
  /* The common object and array frames: without applicators, enum members
   * or schema dependencies, nothing settles at once and no frame runs
   * beside them on the same value, so the general steps below are skipped. */
  if (type == CFGATE_IR_TYPE_OBJECT && !(n->flags & (CFGATE_IR_HAS_APPLY | CFGATE_IR_HAS_ENUM)) &&
      n->dependencies_count == 0) {
    if (n->property_names != CFGATE_IR_NONE)
      level->property_names = 1;
    return;
  }
  if (type == CFGATE_IR_TYPE_ARRAY && !(n->flags & (CFGATE_IR_HAS_APPLY | CFGATE_IR_HAS_ENUM))) {
    if (n->flags & CFGATE_IR_UNIQUE_ITEMS)
      level->needs_unique = 1;
    return;
  }
  if (settles_at_begin(s, n, index, type)) {
    vm_frame_finish(s, index);
    s->frame_top = index;
    return;
  }
  if (type == CFGATE_IR_TYPE_OBJECT && n->property_names != CFGATE_IR_NONE)
    level->property_names = 1;
  if (type == CFGATE_IR_TYPE_ARRAY && (n->flags & CFGATE_IR_UNIQUE_ITEMS))
    level->needs_unique = 1;
  push_same_value(s, index, type);
}

/* A frame that failed on a branch cannot change its verdict, so its
 * children need not run. */
static int frame_is_live(const vm_frame *f) {
  return !(f->speculative && f->result == VM_FAIL);
}

/* Fails parent on a child value whose schema is false. It is not inlined,
 * so push_child() keeps no message buffer. */
static __attribute__((noinline)) void fail_false_child(cfgate_session *s, uint32_t parent,
                                                       const char *keyword, const char *what) {
  if (what) {
    vm_fail(s, parent, keyword, "%s is not allowed", what);
    return;
  }
  char quoted[VM_NAME_QUOTE_SIZE];
  vm_quote(s->key_text, s->key_len, s->key_len, quoted, sizeof quoted);
  const cfgate_ir_node *n = s->frames[parent].def;
  if (n->pattern_props_count == 0) {
    vm_fail(s, parent, keyword, "property %s is not allowed", quoted);
    return;
  }

  /* A map whose names must match patternProperties (Variables of a Lambda
   * function): the message names the patterns, because the name is wrong
   * in form rather than unknown. Patterns that do not fit are cut. */
  char patterns[CFGATE_ERROR_MESSAGE_SIZE];
  size_t used = 0;
  patterns[0] = '\0';
  for (uint32_t i = 0; i < n->pattern_props_count && used + 1 < sizeof patterns; i++) {
    const char *text = vm_text(s, s->validator->pattern_props[n->pattern_props_first + i].text);
    int written = snprintf(patterns + used, sizeof patterns - used, "%s\"%s\"", i ? ", " : "",
                           text);
    used = written < 0 ? sizeof patterns : used + (size_t)written;
  }
  vm_fail(s, parent, keyword, "property %s is not allowed: %sits name does not match the %s %s",
          quoted, n->names_count ? "it is not a named property and " : "",
          n->pattern_props_count == 1 ? "pattern" : "patterns", patterns);
}

static inline void push_child(cfgate_session *s, uint32_t node, uint32_t parent, const char *keyword,
                              const char *what) {
  if (vm_node(s, node)->flags & CFGATE_IR_FALSE)
    fail_false_child(s, parent, keyword, what);
  else
    vm_frame_push(s, node, parent, VM_ROLE_CHILD, 0, s->frames[parent].speculative);
}

/* Pushes the frames for the value of the current member of parent's object:
 * its "properties" schema and matching "patternProperties", or else
 * "additionalProperties". vm_key_end() sets key_node and key_patterns only
 * in a live frame with object keywords, so a frame whose key matched one
 * "properties" name and no pattern skips both tests. */
void vm_spawn_member(cfgate_session *s, uint32_t parent) {
  vm_frame *p = &s->frames[parent];
  if (p->key_node != CFGATE_IR_NONE && !p->key_patterns) {
    vm_frame_push(s, p->key_node, parent, VM_ROLE_CHILD, 0, p->speculative);
    return;
  }

  const cfgate_ir_node *n = p->def;
  if (!frame_is_live(p) || !(n->flags & CFGATE_IR_HAS_OBJECT))
    return;

  int matched = 0;
  if (p->key_node != CFGATE_IR_NONE) {
    vm_frame_push(s, p->key_node, parent, VM_ROLE_CHILD, 0, p->speculative);
    matched = 1;
  }
  for (uint32_t i = 0; i < n->pattern_props_count; i++) {
    if (!((s->frames[parent].key_patterns >> i) & 1))
      continue;
    push_child(s, s->validator->pattern_props[n->pattern_props_first + i].node, parent,
               "patternProperties", "this property");
    matched = 1;
  }
  /* what is NULL so the message names the property. */
  if (!matched && n->additional_properties != CFGATE_IR_NONE)
    push_child(s, n->additional_properties, parent, "additionalProperties", NULL);
}

/* Pushes the frames for item index of parent's array: the tuple schema at
 * that index or "additionalItems", or "items", plus "contains". Only an
 * array of items sets additional_items, so with an empty tuple it applies
 * to every item. */
void vm_spawn_item(cfgate_session *s, uint32_t parent, uint32_t index) {
  const cfgate_ir_node *n = s->frames[parent].def;
  if (!frame_is_live(&s->frames[parent]) || !(n->flags & CFGATE_IR_HAS_ARRAY))
    return;

  if (index < n->tuple_count)
    push_child(s, s->validator->lists[n->tuple_first + index], parent, "items", "this item");
  else if (n->additional_items != CFGATE_IR_NONE)
    push_child(s, n->additional_items, parent, "additionalItems", "an item beyond the tuple");
  else if (!n->tuple_count && n->items != CFGATE_IR_NONE)
    push_child(s, n->items, parent, "items", "an item");

  if (n->contains != CFGATE_IR_NONE)
    vm_frame_push(s, n->contains, parent, VM_ROLE_CONTAINS, 0, 1);
}
