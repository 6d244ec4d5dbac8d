/*
 * Workspace layout: the session struct followed by fixed regions whose sizes
 * depend only on the validator, the limits and the placeholder values.
 */
#include <string.h>

#include "session.h"

#define VM_ALIGN 16

static size_t align_up(size_t n) {
  return (n + VM_ALIGN - 1) & ~(size_t)(VM_ALIGN - 1);
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
static void bound_bytes(const cfgate_validator *v, const cfgate_context *context, vm_layout *l) {
  l->placeholder_bytes = 0;
  for (uint32_t i = 0; i < v->placeholder_count; i++)
    l->placeholder_bytes += placeholder_length(v, context, i) + 1;

  l->string_bytes = 0;
  for (uint32_t i = 0; i < v->string_count; i++) {
    const cfgate_ir_string *str = &v->strings[i];
    for (uint32_t k = 0; k < str->segments_count; k++) {
      const cfgate_ir_segment *seg = &v->segments[str->segments_first + k];
      l->string_bytes += seg->placeholder == CFGATE_IR_NONE ? seg->len
                                                            : placeholder_length(v, context, seg->placeholder);
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

static size_t region(size_t *offset, size_t size) {
  size_t start = *offset;
  *offset += align_up(size);
  return start;
}

/* Computes region offsets and the total size. Returns -1 when a limit is
 * zero or the validator has more than 64 placeholders. */
int vm_layout_compute(const cfgate_validator *v, const cfgate_options *options,
                      const cfgate_context *context, vm_layout *l) {
  const cfgate_limits *lim = &options->limits;
  if (!lim->max_depth || !lim->max_path || !lim->max_unique || !lim->max_string ||
      !lim->max_errors || !lim->max_frames || !lim->max_members || v->placeholder_count > 64)
    return -1;

  memset(l, 0, sizeof *l);
  bound_bytes(v, context, l);
  /* Every array with a table is open at its own depth, so max_depth tables
   * always suffice, and max_depth replaces NONE (an unbounded count). */
  l->unique_tables = v->unique_nodes < lim->max_depth ? v->unique_nodes : lim->max_depth;
  l->arena_size = (size_t)lim->max_frames * frame_extra(v, context) +
                  (size_t)l->unique_tables * vm_unique_table_size(lim->max_unique);
  l->scratch_size = pattern_state_max(v, context, 0);
  l->error_text_size = (size_t)lim->max_path + 1 + CFGATE_ERROR_SCHEMA_PATH_SIZE +
                       CFGATE_ERROR_MESSAGE_SIZE;

  size_t offset = align_up(sizeof(cfgate_session));
  l->levels = region(&offset, ((size_t)lim->max_depth + 1) * sizeof(vm_level));
  l->frames = region(&offset, (size_t)lim->max_frames * sizeof(vm_frame));
  l->arena = region(&offset, l->arena_size);
  l->path = region(&offset, (size_t)lim->max_path + 1);
  l->key = region(&offset, lim->max_string);
  l->names = region(&offset, (size_t)lim->max_members * sizeof(uint64_t));
  l->string = region(&offset, lim->max_string);
  l->scratch = region(&offset, l->scratch_size);
  l->numbers = region(&offset, (size_t)v->number_count * sizeof(cfgate_number));
  l->placeholders = region(&offset, v->placeholder_count * sizeof(cfgate_str) + l->placeholder_bytes);
  l->strings = region(&offset, v->string_count * sizeof(cfgate_str) + l->string_bytes);
  l->errors = region(&offset, (size_t)lim->max_errors * sizeof(cfgate_error));
  l->error_text = region(&offset, (size_t)lim->max_errors * l->error_text_size);
  l->total = offset;
  return 0;
}
