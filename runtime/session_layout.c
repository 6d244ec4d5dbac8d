/*
 * Workspace layout: the session struct followed by fixed regions whose sizes
 * depend only on the validator, the limits and the placeholder values.
 */
#include <stdint.h>
#include <string.h>

#include "session.h"

#define VM_ALIGN 16

/* Size arithmetic that sets *overflow instead of wrapping, so a workspace
 * that does not fit in size_t is rejected rather than sized too small. */
static size_t size_add(size_t a, size_t b, int *overflow) {
  if (a > SIZE_MAX - b) {
    *overflow = 1;
    return 0;
  }
  return a + b;
}

static size_t size_mul(size_t a, size_t b, int *overflow) {
  if (b != 0 && a > SIZE_MAX / b) {
    *overflow = 1;
    return 0;
  }
  return a * b;
}

static size_t align_up(size_t n, int *overflow) {
  return size_add(n, VM_ALIGN - 1, overflow) & ~(size_t)(VM_ALIGN - 1);
}

/* Returns the context value named name, or NULL. */
const cfgate_str *vm_context_find(const cfgate_context *context, const char *name) {
  size_t len = strlen(name);
  for (size_t i = 0; context && i < context->count; i++)
    if (context->names[i].len == len && memcmp(context->names[i].data, name, len) == 0)
      return &context->values[i];
  return NULL;
}

static size_t placeholder_length(const cfgate_validator *v, const cfgate_context *context,
                                 uint32_t id) {
  const cfgate_str *value = vm_context_find(context, v->pool + v->placeholders[id]);
  return value ? value->len : 0;
}

/* Bytes of the bound placeholder values and of the enum strings with
 * placeholders once bound. */
static void bound_bytes(const cfgate_validator *v, const cfgate_context *context, vm_layout *l,
                        int *overflow) {
  l->placeholder_bytes = 0;
  for (uint32_t i = 0; i < v->placeholder_count; i++) {
    size_t value_bytes = size_add(placeholder_length(v, context, i), 1, overflow);
    l->placeholder_bytes = size_add(l->placeholder_bytes, value_bytes, overflow);
  }

  l->string_bytes = 0;
  for (uint32_t i = 0; i < v->string_count; i++) {
    const cfgate_ir_string *str = &v->strings[i];
    for (uint32_t k = 0; k < str->segments_count; k++) {
      const cfgate_ir_segment *seg = &v->segments[str->segments_first + k];
      size_t piece = seg->placeholder == CFGATE_IR_NONE
                         ? seg->len
                         : placeholder_length(v, context, seg->placeholder);
      l->string_bytes = size_add(l->string_bytes, piece, overflow);
    }
  }
}

/* Fake placeholder values of the right lengths, for state sizes. */
static size_t pattern_state_max(const cfgate_validator *v, const cfgate_context *context,
                                int dfa_only) {
  cfgate_str values[64];
  size_t max = 0;
  int bound = v->placeholder_count <= 64;

  for (uint32_t i = 0; bound && i < v->placeholder_count; i++) {
    values[i].data = "";
    values[i].len = placeholder_length(v, context, i);
  }
  for (uint32_t i = 0; i < v->pattern_count; i++) {
    if (dfa_only && v->patterns[i].engine != CFGATE_RE_ENGINE_DFA)
      continue;
    size_t size = cfgate_re_state_size(&v->patterns[i], bound && v->placeholder_count ? values : NULL);
    max = size > max ? size : max;
  }
  return max;
}

/* The largest arena share one frame takes: presence bits of an object
 * frame or the state of a streamed DFA pattern. */
static size_t frame_extra(const cfgate_validator *v, const cfgate_context *context) {
  size_t max = ((pattern_state_max(v, context, 1) + 7) & ~(size_t)7);
  for (uint32_t i = 0; i < v->node_count; i++) {
    size_t bits = ((v->nodes[i].tracked_count + 7) / 8 + 7) & ~(size_t)7;
    max = bits > max ? bits : max;
  }
  return max;
}

static size_t region(size_t *offset, size_t size, int *overflow) {
  size_t start = *offset;
  *offset = size_add(start, align_up(size, overflow), overflow);
  return start;
}

/* Returns 1 when every limit is nonzero and at most its maximum. */
static int limits_valid(const cfgate_limits *lim) {
  if (!lim->max_depth || !lim->max_path || !lim->max_unique || !lim->max_string ||
      !lim->max_errors || !lim->max_frames || !lim->max_members)
    return 0;
  return lim->max_path <= CFGATE_MAX_PATH_LIMIT && lim->max_unique <= CFGATE_MAX_UNIQUE_LIMIT;
}

/* Sizes the frame arena, whose offsets are uint32_t with CFGATE_IR_NONE
 * for "no room", so it must stay below CFGATE_IR_NONE bytes. */
static void arena_bytes(const cfgate_validator *v, const cfgate_context *context,
                        const cfgate_limits *lim, vm_layout *l, int *overflow) {
  /* Every array with a table is open at its own depth, so max_depth tables
   * always suffice, and max_depth replaces NONE (an unbounded count). */
  l->unique_tables = v->unique_nodes < lim->max_depth ? v->unique_nodes : lim->max_depth;
  size_t frame_states = size_mul(lim->max_frames, frame_extra(v, context), overflow);
  size_t table = vm_unique_table_size(lim->max_unique);
  size_t unique_tables = size_mul(l->unique_tables, table, overflow);
  l->arena_size = size_add(frame_states, unique_tables, overflow);
  if (l->arena_size >= CFGATE_IR_NONE)
    *overflow = 1;
}

/* Computes region offsets and the total size. Returns -1 when a limit is
 * zero or above its maximum, the validator has more than 64 placeholders,
 * the arena would reach 4 GiB, or the total does not fit in size_t. */
int vm_layout_compute(const cfgate_validator *v, const cfgate_options *options,
                      const cfgate_context *context, vm_layout *l) {
  if (!v || !options)
    return -1;
  const cfgate_limits *lim = &options->limits;
  if (!limits_valid(lim) || v->placeholder_count > 64)
    return -1;

  int overflow = 0;
  memset(l, 0, sizeof *l);
  bound_bytes(v, context, l, &overflow);
  arena_bytes(v, context, lim, l, &overflow);
  l->scratch_size = pattern_state_max(v, context, 0);
  l->error_text_size = (size_t)lim->max_path + 1 + CFGATE_ERROR_SCHEMA_PATH_SIZE +
                       CFGATE_ERROR_MESSAGE_SIZE;

  size_t levels = size_mul(size_add(lim->max_depth, 1, &overflow), sizeof(vm_level), &overflow);
  size_t frames = size_mul(lim->max_frames, sizeof(vm_frame), &overflow);
  size_t names = size_mul(lim->max_members, sizeof(uint64_t), &overflow);
  size_t numbers = size_mul(v->number_count, sizeof(cfgate_number), &overflow);
  size_t placeholders = size_add(size_mul(v->placeholder_count, sizeof(cfgate_str), &overflow),
                                 l->placeholder_bytes, &overflow);
  size_t strings = size_add(size_mul(v->string_count, sizeof(cfgate_str), &overflow),
                            l->string_bytes, &overflow);
  size_t errors = size_mul(lim->max_errors, sizeof(cfgate_error), &overflow);
  size_t error_text = size_mul(lim->max_errors, l->error_text_size, &overflow);

  size_t offset = align_up(sizeof(cfgate_session), &overflow);
  l->levels = region(&offset, levels, &overflow);
  l->frames = region(&offset, frames, &overflow);
  l->arena = region(&offset, l->arena_size, &overflow);
  l->path = region(&offset, (size_t)lim->max_path + 1, &overflow);
  l->key = region(&offset, lim->max_string, &overflow);
  l->names = region(&offset, names, &overflow);
  l->string = region(&offset, lim->max_string, &overflow);
  l->scratch = region(&offset, l->scratch_size, &overflow);
  l->numbers = region(&offset, numbers, &overflow);
  l->placeholders = region(&offset, placeholders, &overflow);
  l->strings = region(&offset, strings, &overflow);
  l->string_nodes = region(&offset, v->node_count, &overflow);
  l->errors = region(&offset, errors, &overflow);
  l->error_text = region(&offset, error_text, &overflow);
  l->total = offset;
  return overflow ? -1 : 0;
}
