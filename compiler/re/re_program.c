/*
 * Syntax tree to backtracking program. Counted repetition is unrolled:
 * x{2,4} is x x (x (x)?)?. An unbounded loop stores the position in a mark
 * slot at the start of each pass and rejects a pass that consumed nothing,
 * so (a*)* terminates.
 */
#include "re_program.h"

#include <stdio.h>
#include <stdlib.h>

typedef struct program_builder {
  uint32_t *code;
  size_t count;
  size_t capacity;
  uint32_t *ranges;
  size_t range_count; /* pairs */
  size_t range_capacity;
  uint32_t next_slot;
  int too_large;
  int out_of_memory;
} program_builder;

static int reserve(uint32_t **items, size_t *capacity, size_t needed) {
  if (needed <= *capacity) return 0;
  size_t next = *capacity ? *capacity * 2 : 64;
  while (next < needed) next *= 2;
  uint32_t *grown = realloc(*items, next * sizeof *grown);
  if (!grown) return -1;
  *items = grown;
  *capacity = next;
  return 0;
}

/* Appends words; returns the position of the first one. */
static size_t emit(program_builder *p, uint32_t a, uint32_t b, uint32_t c, int words) {
  size_t at = p->count;

  if (p->count + (size_t)words > RE_MAX_PROGRAM_WORDS) {
    p->too_large = 1;
    return at;
  }
  if (reserve(&p->code, &p->capacity, p->count + (size_t)words) < 0) {
    p->out_of_memory = 1;
    return at;
  }
  uint32_t values[3] = {a, b, c};
  for (int i = 0; i < words; i++) p->code[p->count++] = values[i];
  return at;
}

static int failed(const program_builder *p) {
  return p->too_large || p->out_of_memory;
}

static void patch(program_builder *p, size_t at, uint32_t target) {
  if (!failed(p)) p->code[at] = target;
}

static void emit_class(program_builder *p, const re_charset *set) {
  if (reserve(&p->ranges, &p->range_capacity, 2 * (p->range_count + set->count)) < 0) {
    p->out_of_memory = 1;
    return;
  }
  uint32_t first = (uint32_t)p->range_count;
  for (size_t i = 0; i < 2 * set->count; i++) p->ranges[2 * p->range_count + i] = set->ranges[i];
  p->range_count += set->count;
  emit(p, CFGATE_RE_OP_CLASS, first, (uint32_t)set->count, 3);
}

static void emit_node(program_builder *p, const re_node *node);

/* a|b|c: SPLIT to each alternative in order, each ending with a JUMP past the rest. */
static void emit_alternate(program_builder *p, const re_node *node) {
  size_t *jumps = calloc(node->child_count, sizeof *jumps);

  if (!jumps) {
    p->out_of_memory = 1;
    return;
  }
  for (size_t i = 0; i < node->child_count; i++) {
    size_t split = 0;
    int last = i + 1 == node->child_count;
    if (!last) split = emit(p, CFGATE_RE_OP_SPLIT, (uint32_t)p->count + 3, 0, 3);
    emit_node(p, node->children[i]);
    if (!last) {
      jumps[i] = emit(p, CFGATE_RE_OP_JUMP, 0, 0, 2);
      patch(p, split + 2, (uint32_t)p->count);
    }
  }
  for (size_t i = 0; i + 1 < node->child_count; i++) patch(p, jumps[i] + 1, (uint32_t)p->count);
  free(jumps);
}

/* SPLIT whose preferred branch is the next instruction when greedy. Returns its position. */
static size_t emit_split_to_body(program_builder *p, int greedy) {
  size_t split = emit(p, CFGATE_RE_OP_SPLIT, 0, 0, 3);
  patch(p, split + (greedy ? 1 : 2), (uint32_t)p->count);
  return split;
}

static void emit_star(program_builder *p, const re_node *body, int greedy) {
  uint32_t mark = p->next_slot++;
  size_t loop = p->count;
  size_t split = emit_split_to_body(p, greedy);

  emit(p, CFGATE_RE_OP_SAVE, mark, 0, 2);
  emit_node(p, body);
  emit(p, CFGATE_RE_OP_PROGRESS, mark, 0, 2);
  emit(p, CFGATE_RE_OP_JUMP, (uint32_t)loop, 0, 2);
  patch(p, split + (greedy ? 2 : 1), (uint32_t)p->count);
}

static void emit_repeat(program_builder *p, const re_node *node) {
  const re_node *body = node->children[0];

  for (uint32_t i = 0; i < node->min && !failed(p); i++) emit_node(p, body);
  if (node->max == RE_REPEAT_INFINITE) {
    emit_star(p, body, node->greedy);
    return;
  }

  uint32_t optional = node->max - node->min;
  size_t *splits = malloc((optional ? optional : 1) * sizeof *splits);
  if (!splits) {
    p->out_of_memory = 1;
    return;
  }
  for (uint32_t i = 0; i < optional && !failed(p); i++) {
    splits[i] = emit_split_to_body(p, node->greedy);
    emit_node(p, body);
  }
  for (uint32_t i = 0; i < optional && !failed(p); i++) patch(p, splits[i] + (node->greedy ? 2 : 1), (uint32_t)p->count);
  free(splits);
}

static void emit_look(program_builder *p, const re_node *node) {
  size_t look = emit(p, CFGATE_RE_OP_LOOK, (uint32_t)node->look, 0, 3);

  emit_node(p, node->children[0]);
  emit(p, CFGATE_RE_OP_MATCH, 0, 0, 1);
  patch(p, look + 2, (uint32_t)p->count);
}

static void emit_node(program_builder *p, const re_node *node) {
  if (failed(p)) return;
  switch (node->kind) {
  case RE_NODE_EMPTY:
    return;
  case RE_NODE_CLASS:
    emit_class(p, &node->set);
    return;
  case RE_NODE_CONCAT:
    for (size_t i = 0; i < node->child_count; i++) emit_node(p, node->children[i]);
    return;
  case RE_NODE_ALTERNATE:
    emit_alternate(p, node);
    return;
  case RE_NODE_GROUP:
    emit(p, CFGATE_RE_OP_SAVE, 2 * node->capture, 0, 2);
    emit_node(p, node->children[0]);
    emit(p, CFGATE_RE_OP_SAVE, 2 * node->capture + 1, 0, 2);
    return;
  case RE_NODE_REPEAT:
    emit_repeat(p, node);
    return;
  case RE_NODE_ASSERT:
    emit(p, CFGATE_RE_OP_ASSERT, (uint32_t)node->assertion, 0, 2);
    return;
  case RE_NODE_LOOK:
    emit_look(p, node);
    return;
  case RE_NODE_BACKREF:
    emit(p, CFGATE_RE_OP_BACKREF, node->capture, (uint32_t)node->ignore_case, 3);
    return;
  case RE_NODE_PLACEHOLDER:
    emit(p, CFGATE_RE_OP_PLACEHOLDER, node->placeholder, 0, 2);
    return;
  }
}

int re_program_build(const re_ast *ast, cfgate_re *re, re_error *error) {
  program_builder p = {.next_slot = 2 * ast->capture_count};

  emit_node(&p, ast->root);
  emit(&p, CFGATE_RE_OP_MATCH, 0, 0, 1);
  if (failed(&p)) {
    free(p.code);
    free(p.ranges);
    error->offset = 0;
    snprintf(error->message, sizeof error->message,
             p.too_large ? "pattern too large: the backtracking program exceeds %u words" : "out of memory",
             RE_MAX_PROGRAM_WORDS);
    return -1;
  }

  re->program = p.code;
  re->program_count = (uint32_t)p.count;
  re->ranges = p.ranges;
  re->range_count = (uint32_t)p.range_count;
  re->capture_count = ast->capture_count;
  re->slot_count = p.next_slot;
  return 0;
}
