/*
 * The scalar fast path. Many numbers, booleans, null and strings that are
 * members or items meet schemas settled by type and value: a type, a range,
 * a scalar enum, a string pattern or length. The full path pushes a level
 * and frames for each such value only to pop them with nothing to report.
 * Here a scalar whose every schema passes is checked in place. A string
 * constrained by exactly one schema is checked in a frame off the stack,
 * and only when it fails is it replayed through the full path, which
 * records the findings. Applicators, unknown values and anything else that
 * could report take the full path from the start.
 */
#include <string.h>

#include "lexer_internal.h"
#include "session.h"

/* Returns 1 when node accepts the scalar that begins now with nothing to
 * report. type is the bit of a known scalar type. */
static inline int node_passes(const cfgate_session *s, uint32_t node, uint32_t type) {
  const cfgate_ir_node *n = vm_node(s, node);
  if (n->flags == 0)
    return 1;
  if (n->flags & (CFGATE_IR_FALSE | CFGATE_IR_HAS_APPLY))
    return 0;
  if ((n->flags & CFGATE_IR_HAS_TYPE) && !vm_type_allowed(s, n->types, type))
    return 0;

  uint32_t enum_bit;
  switch (type) {
  case CFGATE_IR_TYPE_STRING:
    return !(n->flags & (CFGATE_IR_HAS_STRING | CFGATE_IR_HAS_ENUM));
  case CFGATE_IR_TYPE_NUMBER:
    return vm_number_passes(s, n, s->number);
  case CFGATE_IR_TYPE_BOOLEAN:
    enum_bit = s->boolean_value ? CFGATE_IR_ENUM_TRUE : CFGATE_IR_ENUM_FALSE;
    break;
  default:
    enum_bit = CFGATE_IR_TYPE_NULL;
    break;
  }
  return !(n->flags & CFGATE_IR_HAS_ENUM) || (n->enum_scalars & enum_bit);
}

/* Finds the schema that vm_spawn_member or vm_spawn_item would apply, for
 * frame p, to the member or item that begins now: *node is NONE when none
 * applies. Returns 0 when the value could get several (patternProperties,
 * a tuple, additionalItems, contains), which the fast path leaves to the
 * full path. */
static inline int child_of(const cfgate_session *s, const vm_frame *p, int is_object, uint32_t *node) {
  const cfgate_ir_node *n = p->def;
  /* A set key_node means a live frame with object keywords (vm_spawn_member). */
  if (is_object && p->key_node != CFGATE_IR_NONE && !p->key_patterns) {
    *node = p->key_node;
    return 1;
  }
  *node = CFGATE_IR_NONE;
  if (p->speculative && p->result == VM_FAIL)
    return 1;

  if (is_object) {
    if (!(n->flags & CFGATE_IR_HAS_OBJECT))
      return 1;
    if (p->key_patterns)
      return 0;
    *node = p->key_node != CFGATE_IR_NONE ? p->key_node : n->additional_properties;
    return 1;
  }

  if (!(n->flags & CFGATE_IR_HAS_ARRAY))
    return 1;
  if (n->tuple_count || n->additional_items != CFGATE_IR_NONE || n->contains != CFGATE_IR_NONE)
    return 0;
  *node = n->items;
  return 1;
}

/* Returns the innermost level when a scalar of the given type may take
 * the fast path there: a known value, a member or an item, below the
 * depth limit (whose error only the full path reports). Else NULL. */
static vm_level *fast_parent(cfgate_session *s, uint32_t type) {
  if (type == VM_TYPE_UNKNOWN || s->decided || s->depth == 0 ||
      s->depth >= s->options.limits.max_depth)
    return NULL;
  vm_level *parent = &s->levels[s->depth - 1];
  return (parent->type & (CFGATE_IR_TYPE_OBJECT | CFGATE_IR_TYPE_ARRAY)) ? parent : NULL;
}

/* Drops the pending path segment of a value that can no longer report. */
static void drop_path_segment(cfgate_session *s, const vm_level *parent) {
  if (parent->type == CFGATE_IR_TYPE_OBJECT)
    s->path_len = s->member_path_len;
  s->path_pending = VM_PATH_DONE;
}

/* Checks the scalar of the given type that begins now on the fast path.
 * Returns 1 when it passed every schema (the caller then ends it with
 * vm_scalar_fast_end), 0 when the full path must run.
 * NOTE: a value that passes here takes no frame slot, so near max_frames a
 * document can pass where the full path would fail on the limit. */
int vm_scalar_fast(cfgate_session *s, uint32_t type) {
  vm_level *parent = fast_parent(s, type);
  if (!parent)
    return 0;

  int is_object = parent->type == CFGATE_IR_TYPE_OBJECT;
  for (uint32_t f = parent->first_frame; f < s->frame_top; f++) {
    uint32_t node;
    if (!child_of(s, &s->frames[f], is_object, &node))
      return 0;
    if (node != CFGATE_IR_NONE && !node_passes(s, node, type))
      return 0;
  }

  drop_path_segment(s, parent);
  return 1;
}

/* Ends a fast-path scalar inside an array that checks uniqueItems, or
 * inside a value of one. It is not inlined, so the common case saves no
 * registers for the hash. */
__attribute__((noinline)) int vm_scalar_fast_end_hashed(cfgate_session *s, uint32_t type) {
  vm_hash_scalar_end(s, type);
  vm_level *parent = &s->levels[s->depth - 1];
  if (parent->type == CFGATE_IR_TYPE_ARRAY)
    vm_count_one(&parent->count);
  return s->decided;
}

/* Returns 1 when node n can check a string in a frame off the stack: its
 * string keywords are a DFA pattern, lengths and a literal enum, and
 * nothing else runs on the value. */
static int fast_string_node(const cfgate_session *s, const cfgate_ir_node *n) {
  if (n->flags & (CFGATE_IR_FALSE | CFGATE_IR_HAS_APPLY))
    return 0;
  if ((n->flags & CFGATE_IR_HAS_TYPE) && !(n->types & CFGATE_IR_TYPE_STRING))
    return 0;
  if (n->enum_templates_count)
    return 0;
  if (n->format != CFGATE_IR_FORMAT_NONE && (s->options.assert_formats || s->validator->assert_formats))
    return 0;
  return n->pattern == CFGATE_IR_NONE ||
         s->validator->patterns[n->pattern].engine == CFGATE_RE_ENGINE_DFA;
}

/* Prepares fast_frame to check the string that begins now against node.
 * Returns 0 when its pattern state does not fit in the arena, whose limit
 * error only the full path reports. */
static int fast_frame_begin(cfgate_session *s, uint32_t node) {
  const cfgate_ir_node *n = vm_node(s, node);
  vm_frame *f = &s->fast_frame;

  s->fast_arena_mark = s->arena_top;
  f->pattern_state = CFGATE_IR_NONE;
  if (n->pattern != CFGATE_IR_NONE) {
    const cfgate_re *re = &s->validator->patterns[n->pattern];
    /* fast_string_node() admits DFA patterns only. Their state size and
     * setup test no engine, so link-time optimization inlines both. */
    size_t size = (cfgate_re_dfa_state_size() + 7) & ~(size_t)7;
    if (size > s->arena_size - s->arena_top)
      return 0;
    f->pattern_state = s->arena_top;
    s->arena_top += (uint32_t)size;
    memset(s->arena + f->pattern_state, 0, size);
    cfgate_re_dfa_begin(re, s->arena + f->pattern_state, s->placeholder_values);
  }

  /* cfgate_session_init() sets the fields that never change: parent, role,
   * result, speculative and coerced. */
  f->def = n;
  f->node = node;
  f->enum_lo = 0;
  f->enum_hi = n->enum_strings_count;
  f->template_miss = 0;
  if (n->min_length != CFGATE_IR_NONE || n->max_length != CFGATE_IR_NONE)
    s->string_counted = 1;

  /* The line and column are derived only for a replay. Value events
   * leave the lexer unused, so the replay then ignores these fields. The
   * lexer has just consumed the string's opening quote. */
  s->fast_offset = s->lexer.offset - 1;
  s->fast_continuations = s->lexer.line_continuations;
  return 1;
}

/* Fills string_nodes when the session starts, so vm_string_fast_begin()
 * reads one byte per schema instead of testing the node's keywords. */
void vm_string_nodes_classify(cfgate_session *s) {
  for (uint32_t i = 0; i < s->validator->node_count; i++) {
    if (node_passes(s, i, CFGATE_IR_TYPE_STRING))
      s->string_nodes[i] = VM_STRING_NODE_PASSES;
    else if (fast_string_node(s, vm_node(s, i)))
      s->string_nodes[i] = VM_STRING_NODE_CHECKS;
    else
      s->string_nodes[i] = VM_STRING_NODE_FULL;
  }
}

/* Chooses how the string that begins now is checked: VM_FAST_PASSED, or
 * VM_FAST_HASHED inside a uniqueItems check, when every schema it gets
 * passes any string, VM_FAST_CHECKING when exactly
 * one schema constrains it and fast_frame can check that one, else
 * VM_FAST_NONE for the full path. */
int vm_string_fast_begin(cfgate_session *s) {
  vm_level *parent = fast_parent(s, CFGATE_IR_TYPE_STRING);
  if (!parent)
    return VM_FAST_NONE;

  int is_object = parent->type == CFGATE_IR_TYPE_OBJECT;
  uint32_t constrained = CFGATE_IR_NONE;
  for (uint32_t f = parent->first_frame; f < s->frame_top; f++) {
    uint32_t node;
    if (!child_of(s, &s->frames[f], is_object, &node))
      return VM_FAST_NONE;
    if (node == CFGATE_IR_NONE || s->string_nodes[node] == VM_STRING_NODE_PASSES)
      continue;
    if (constrained != CFGATE_IR_NONE || s->string_nodes[node] == VM_STRING_NODE_FULL)
      return VM_FAST_NONE;
    constrained = node;
  }

  if (constrained == CFGATE_IR_NONE) {
    drop_path_segment(s, parent);
    return parent->hashes_values ? VM_FAST_HASHED : VM_FAST_PASSED;
  }
  return fast_frame_begin(s, constrained) ? VM_FAST_CHECKING : VM_FAST_NONE;
}

/* Takes the next bytes of a string checked in fast_frame or hashed for an
 * enclosing uniqueItems check. The caller skips VM_FAST_PASSED strings,
 * whose bytes no check reads. */
void vm_string_fast_chunk(cfgate_session *s, const unsigned char *bytes, size_t n) {
  if (s->string_fast == VM_FAST_CHECKING) {
    const vm_level *parent = &s->levels[s->depth - 1];
    vm_string_feed_one(s, &s->fast_frame, bytes, n, parent->hashes_values);
    return;
  }
  vm_string_hash(s, bytes, n);
  s->string_bytes += n;
}

/* Records where the replayed string starts. A string contains no line
 * break, so the lexer is still on the string's line at its end. */
static void replay_position(const cfgate_session *s, vm_level *level) {
  if (s->used_events) {
    level->offset = 0;
    level->line = level->column = 0;
    return;
  }
  level->offset = s->fast_offset;
  level->line = s->lexer.line;
  level->column = (uint32_t)(s->fast_offset - s->lexer.line_start - s->fast_continuations + 1);
}

/* Runs a string that failed in fast_frame through the full path, which
 * records the findings. Its level and frames are pushed now with the
 * string's start position, and the constrained frame takes over
 * fast_frame's enum range and pattern state. The pattern state waits in
 * the scratch area (sized for any pattern's state) while the arena is
 * handed back, so the replay needs no more arena than the full path. */
static int replay(cfgate_session *s) {
  const vm_frame *fast = &s->fast_frame;
  size_t state_size = 0;
  if (fast->pattern_state != CFGATE_IR_NONE) {
    const cfgate_re *re = &s->validator->patterns[fast->def->pattern];
    state_size = cfgate_re_state_size(re, s->placeholder_values);
    memcpy(s->scratch, s->arena + fast->pattern_state, state_size);
  }
  s->arena_top = s->fast_arena_mark;
  if (vm_value_begin(s, CFGATE_IR_TYPE_STRING))
    return 1;

  vm_level *level = &s->levels[s->depth - 1];
  replay_position(s, level);
  for (uint32_t i = level->first_frame; i < s->frame_top; i++) {
    vm_frame *f = &s->frames[i];
    if (f->node != fast->node)
      continue;
    f->enum_lo = fast->enum_lo;
    f->enum_hi = fast->enum_hi;
    f->template_miss = fast->template_miss;
    if (state_size && f->pattern_state != CFGATE_IR_NONE)
      memcpy(s->arena + f->pattern_state, s->scratch, state_size);
    break;
  }
  return vm_value_end(s);
}

/* Ends a string on the fast path. Returns nonzero once decided. string_fast
 * keeps its mode, because only the string events read it and
 * ev_string_begin() sets it before them. */
int vm_string_fast_end(cfgate_session *s) {
  if (s->string_fast == VM_FAST_CHECKING) {
    if (!vm_string_passes(s, &s->fast_frame))
      return replay(s);
    s->arena_top = s->fast_arena_mark;
    drop_path_segment(s, &s->levels[s->depth - 1]);
  }
  return vm_scalar_fast_end(s, CFGATE_IR_TYPE_STRING);
}
