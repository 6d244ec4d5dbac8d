/*
 * The scalar fast path. A number, boolean, null or string that is a member
 * or an item usually meets schemas settled by its type and value alone: a
 * type, a range, a scalar enum. When every schema the value would get
 * passes, the full path would push a level and frames only to pop them
 * with nothing to report, so the value is checked here in place. Whenever
 * a schema could fail, needs the string's bytes, or runs an applicator,
 * the value takes the full path, which records the findings.
 */
#include "session.h"

static int type_allowed(const cfgate_session *s, uint32_t types, uint32_t type) {
  if (types & type)
    return 1;
  return type == CFGATE_IR_TYPE_NUMBER && (types & CFGATE_IR_TYPE_INTEGER) &&
         number_is_integer(s->number);
}

/* Returns 1 when the number is at most (or, when exclusive, below) the
 * numbers[] entry limit, or when limit is absent. */
static int under_maximum(const cfgate_session *s, uint32_t limit, int exclusive) {
  if (limit == CFGATE_IR_NONE)
    return 1;
  int c = number_compare(s->number, &s->numbers[limit]);
  return exclusive ? c < 0 : c <= 0;
}

/* Returns 1 when the number is at least (or, when exclusive, above) the
 * numbers[] entry limit, or when limit is absent. */
static int over_minimum(const cfgate_session *s, uint32_t limit, int exclusive) {
  if (limit == CFGATE_IR_NONE)
    return 1;
  int c = number_compare(s->number, &s->numbers[limit]);
  return exclusive ? c > 0 : c >= 0;
}

/* Returns 1 when the number meets n's numeric keywords and enum. */
static int number_passes(const cfgate_session *s, const cfgate_ir_node *n) {
  if (n->flags & CFGATE_IR_HAS_NUMBER) {
    if (!over_minimum(s, n->minimum, 0) || !under_maximum(s, n->maximum, 0) ||
        !over_minimum(s, n->exclusive_minimum, 1) || !under_maximum(s, n->exclusive_maximum, 1))
      return 0;
    if (n->multiple_of != CFGATE_IR_NONE &&
        !number_is_multiple_of(s->number, &s->numbers[n->multiple_of]))
      return 0;
  }
  if (!(n->flags & CFGATE_IR_HAS_ENUM))
    return 1;
  for (uint32_t i = 0; i < n->enum_numbers_count; i++)
    if (number_compare(s->number, &s->numbers[s->validator->lists[n->enum_numbers_first + i]]) == 0)
      return 1;
  return 0;
}

/* Returns 1 when node accepts the scalar that begins now with nothing to
 * report. type is the bit of a known scalar type. */
static int node_passes(const cfgate_session *s, uint32_t node, uint32_t type) {
  const cfgate_ir_node *n = vm_node(s, node);
  if (n->flags == 0)
    return 1;
  if (n->flags & (CFGATE_IR_FALSE | CFGATE_IR_HAS_APPLY))
    return 0;
  if ((n->flags & CFGATE_IR_HAS_TYPE) && !type_allowed(s, n->types, type))
    return 0;

  uint32_t enum_bit;
  switch (type) {
  case CFGATE_IR_TYPE_STRING:
    return !(n->flags & (CFGATE_IR_HAS_STRING | CFGATE_IR_HAS_ENUM));
  case CFGATE_IR_TYPE_NUMBER:
    return number_passes(s, n);
  case CFGATE_IR_TYPE_BOOLEAN:
    enum_bit = s->boolean_value ? CFGATE_IR_ENUM_TRUE : CFGATE_IR_ENUM_FALSE;
    break;
  default:
    enum_bit = CFGATE_IR_TYPE_NULL;
    break;
  }
  return !(n->flags & CFGATE_IR_HAS_ENUM) || (n->enum_scalars & enum_bit);
}

/* Checks the schemas that vm_spawn_member would apply to the value of
 * the current member of frame p's object. */
static int member_passes(const cfgate_session *s, const vm_frame *p, uint32_t type) {
  const cfgate_ir_node *n = p->def;
  if ((p->speculative && p->result == VM_FAIL) || !(n->flags & CFGATE_IR_HAS_OBJECT))
    return 1;
  if (p->key_patterns)
    return 0;

  if (p->key_name != CFGATE_IR_NONE && s->validator->names[p->key_name].node != CFGATE_IR_NONE)
    return node_passes(s, s->validator->names[p->key_name].node, type);
  return n->additional_properties == CFGATE_IR_NONE ||
         node_passes(s, n->additional_properties, type);
}

/* Checks the schemas that vm_spawn_item would apply to the next item of
 * frame p's array. */
static int item_passes(const cfgate_session *s, const vm_frame *p, uint32_t type) {
  const cfgate_ir_node *n = p->def;
  if ((p->speculative && p->result == VM_FAIL) || !(n->flags & CFGATE_IR_HAS_ARRAY))
    return 1;
  if (n->tuple_count || n->contains != CFGATE_IR_NONE)
    return 0;
  return n->items == CFGATE_IR_NONE || node_passes(s, n->items, type);
}

/* Checks the scalar of the given type that begins now on the fast path.
 * Returns 1 when it passed every schema (the caller then ends it with
 * vm_scalar_fast_end), 0 when the full path must run. */
int vm_scalar_fast(cfgate_session *s, uint32_t type) {
  /* A value unknown offline makes value keywords unverified, which only
   * the full path reports. */
  if (type == VM_TYPE_UNKNOWN || s->decided || s->depth == 0 ||
      s->depth >= s->options.limits.max_depth)
    return 0;
  vm_level *parent = &s->levels[s->depth - 1];
  if (!(parent->type & (CFGATE_IR_TYPE_OBJECT | CFGATE_IR_TYPE_ARRAY)))
    return 0;

  int is_object = parent->type == CFGATE_IR_TYPE_OBJECT;
  for (uint32_t f = parent->first_frame; f < s->frame_top; f++) {
    const vm_frame *p = &s->frames[f];
    if (!(is_object ? member_passes(s, p, type) : item_passes(s, p, type)))
      return 0;
  }

  /* No finding can follow, so the member's path segment is dropped. */
  if (is_object) {
    s->path_len = s->member_path_len;
    s->path[s->path_len] = '\0';
  }
  s->path_pending = VM_PATH_DONE;
  return 1;
}

/* Ends a scalar that passed on the fast path as popping its level would.
 * Its hash goes to an enclosing uniqueItems check and an item is counted.
 * Returns nonzero once decided. */
int vm_scalar_fast_end(cfgate_session *s, uint32_t type) {
  vm_level *parent = &s->levels[s->depth - 1];
  if (parent->hashing || parent->unique != CFGATE_IR_NONE)
    vm_hash_scalar_end(s, type);
  if (parent->type == CFGATE_IR_TYPE_ARRAY)
    vm_count_one(&parent->count);
  return s->decided;
}
