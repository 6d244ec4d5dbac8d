/*
 * Conditions (Fn::Equals, Fn::And, Fn::Or, Fn::Not, Condition) and Fn::If.
 * A condition whose inputs are unknown offline is undecidable; Fn::If then
 * takes the value assumed by the caller, or records the condition so the
 * caller can validate each branch.
 */
#include <string.h>

#include "intrinsic.h"

enum { COND_TRUE = 1, COND_FALSE = 0, COND_UNDECIDED = -1, COND_ERROR = -2 };

static int evaluate(intrinsic_context *ctx, const tnode *node);

static int values_equal(const tnode *a, const tnode *b) {
  const char *text_a = intrinsic_scalar_text(a), *text_b = intrinsic_scalar_text(b);
  if (text_a && text_b)
    return strcmp(text_a, text_b) == 0;
  if (a->kind != b->kind || a->count != b->count || a->kind != TNODE_ARRAY)
    return a->kind == TNODE_NULL && b->kind == TNODE_NULL;

  for (size_t i = 0; i < a->count; i++)
    if (!values_equal(a->items[i], b->items[i]))
      return 0;
  return 1;
}

static int evaluate_equals(intrinsic_context *ctx, const tnode *args) {
  if (args->kind != TNODE_ARRAY || args->count != 2) {
    intrinsic_fail(ctx, args, "Fn::Equals expects a list of two values");
    return COND_ERROR;
  }

  const tnode *resolved = intrinsic_resolve(ctx, args);
  if (!resolved)
    return COND_ERROR;
  if (resolved->count != 2 || tnode_has_unknown(resolved))
    return COND_UNDECIDED;
  return values_equal(resolved->items[0], resolved->items[1]);
}

/* Fn::And (all) and Fn::Or (any) over 2 to 10 conditions, with three-valued logic. */
static int evaluate_group(intrinsic_context *ctx, const tnode *args, int is_and) {
  if (args->kind != TNODE_ARRAY || args->count < 2 || args->count > 10) {
    intrinsic_fail(ctx, args, "%s expects a list of 2 to 10 conditions", is_and ? "Fn::And" : "Fn::Or");
    return COND_ERROR;
  }

  int undecided = 0;
  for (size_t i = 0; i < args->count; i++) {
    int value = evaluate(ctx, args->items[i]);
    if (value == COND_ERROR)
      return COND_ERROR;
    if (value == COND_UNDECIDED)
      undecided = 1;
    else if (value == (is_and ? COND_FALSE : COND_TRUE))
      return value;
  }
  return undecided ? COND_UNDECIDED : (is_and ? COND_TRUE : COND_FALSE);
}

static int evaluate_not(intrinsic_context *ctx, const tnode *args) {
  if (args->kind != TNODE_ARRAY || args->count != 1) {
    intrinsic_fail(ctx, args, "Fn::Not expects a list of one condition");
    return COND_ERROR;
  }

  int value = evaluate(ctx, args->items[0]);
  return value < 0 ? value : !value;
}

static int evaluate(intrinsic_context *ctx, const tnode *node) {
  if (node->kind == TNODE_OBJECT && node->count == 1) {
    const char *key = node->members[0].key;
    const tnode *args = node->members[0].value;
    if (strcmp(key, "Fn::Equals") == 0)
      return evaluate_equals(ctx, args);
    if (strcmp(key, "Fn::And") == 0 || strcmp(key, "Fn::Or") == 0)
      return evaluate_group(ctx, args, key[4] == 'A');
    if (strcmp(key, "Fn::Not") == 0)
      return evaluate_not(ctx, args);
    if (strcmp(key, "Condition") == 0 && args->kind == TNODE_STRING)
      return intrinsic_condition(ctx, args->text, args);
    if (strncmp(key, "Fn::", 4) == 0)
      return COND_UNDECIDED; /* Fn::Contains and other functions of extensions */
  }
  intrinsic_fail(ctx, node, "invalid condition: expected Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition");
  return COND_ERROR;
}

int intrinsic_condition(intrinsic_context *ctx, const char *name, const tnode *where) {
  const tnode *definition = tnode_get(ctx->conditions, name);
  if (!definition) {
    intrinsic_fail(ctx, where, "condition '%s' is not defined in Conditions", name);
    return COND_ERROR;
  }
  if (ctx->depth >= INTRINSIC_MAX_DEPTH) {
    intrinsic_fail(ctx, where, "too many nested conditions (limit is %d)", INTRINSIC_MAX_DEPTH);
    return COND_ERROR;
  }

  ctx->depth++;
  int value = evaluate(ctx, definition);
  ctx->depth--;
  return value;
}

/* Returns the assumed value of an undecidable condition, recording it when
 * no value is assumed yet (the first pass takes the true branch). */
static int assume(intrinsic_context *ctx, const char *name) {
  for (size_t i = 0; i < ctx->assumed_count; i++)
    if (strcmp(ctx->assumed_names[i], name) == 0)
      return ctx->assumed_values[i];

  for (size_t i = 0; i < ctx->undecided_count; i++)
    if (strcmp(ctx->undecided_names[i], name) == 0)
      return COND_TRUE;

  if (ctx->undecided_count < INTRINSIC_MAX_ASSUMED)
    ctx->undecided_names[ctx->undecided_count++] = name;
  else
    ctx->too_many_undecided = 1;
  return COND_TRUE;
}

const tnode *intrinsic_if(intrinsic_context *ctx, const tnode *call, const tnode *args) {
  if (args->kind != TNODE_ARRAY || args->count != 3 || args->items[0]->kind != TNODE_STRING)
    return intrinsic_fail(ctx, args, "Fn::If expects [condition name, value if true, value if false]");

  const char *name = args->items[0]->text;
  int value = intrinsic_condition(ctx, name, args->items[0]);
  if (value == COND_ERROR)
    return NULL;
  if (value == COND_UNDECIDED)
    value = assume(ctx, name);
  return intrinsic_resolve(ctx, args->items[value ? 1 : 2]);
}
