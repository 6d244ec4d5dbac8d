/*
 * Conditions (Fn::Equals, Fn::And, Fn::Or, Fn::Not, Condition) and Fn::If.
 * A condition whose inputs are unknown offline is undecidable. Fn::If then
 * takes the value the caller assumed for it, or its true branch while the
 * undecidable conditions behind it are recorded for the caller to
 * enumerate.
 */
#include <stdio.h>
#include <string.h>

#include "intrinsic.h"
#include "template_tags.h"

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

/* Returns what makes a resolved Fn::Equals operand invalid ("null", "a
 * mapping", ...), or NULL for a string, number, boolean, unknown value or
 * list of these. CloudFormation compares values, and a null, an
 * AWS::NoValue or a mapping is not a value it can compare. */
static const char *operand_problem(const tnode *value, const tnode **where) {
  if (value == &intrinsic_no_value)
    return "AWS::NoValue";
  if (value->kind == TNODE_NULL) {
    *where = value;
    return "null";
  }
  if (value->kind == TNODE_OBJECT) {
    *where = value;
    return "a mapping";
  }
  if (value->kind != TNODE_ARRAY)
    return NULL;

  for (size_t i = 0; i < value->count; i++) {
    const char *problem = operand_problem(value->items[i], where);
    if (problem)
      return problem;
  }
  return NULL;
}

/* Resolves one operand of Fn::Equals; fails at the operand when it is not a
 * value that can be compared. */
static const tnode *resolve_operand(intrinsic_context *ctx, const tnode *operand) {
  const tnode *resolved = intrinsic_value(ctx, operand);
  if (!resolved)
    return NULL;

  const tnode *where = operand;
  const char *problem = operand_problem(resolved, &where);
  if (!problem)
    return resolved;
  if (where->line == 0)
    where = operand;
  return intrinsic_fail(ctx, where,
                        "invalid Fn::Equals operand: it is %s, but Fn::Equals compares strings, "
                        "numbers, booleans or lists of them",
                        problem);
}

static int evaluate_equals(intrinsic_context *ctx, const tnode *args) {
  if (args->kind != TNODE_ARRAY || args->count != 2) {
    intrinsic_fail(ctx, args, "Fn::Equals expects a list of two values");
    return COND_ERROR;
  }

  const tnode *left = resolve_operand(ctx, args->items[0]);
  const tnode *right = left ? resolve_operand(ctx, args->items[1]) : NULL;
  if (!right)
    return COND_ERROR;
  if (tnode_has_unknown(left) || tnode_has_unknown(right))
    return COND_UNDECIDED;
  /* CloudFormation does not document the text it compares for a number. */
  if (intrinsic_rewritten_number(left) || intrinsic_rewritten_number(right))
    return COND_UNDECIDED;
  return values_equal(left, right);
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
    if (strncmp(key, "Fn::", 4) == 0 && !template_function_is_known(key)) {
      intrinsic_unknown_function(ctx, node, key);
      return COND_ERROR;
    }
    if (strncmp(key, "Fn::", 4) == 0)
      return COND_UNDECIDED; /* Fn::Contains and the other rule functions */
  }
  intrinsic_fail(ctx, node, "invalid condition: expected Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition");
  return COND_ERROR;
}

static int assumed_value(const intrinsic_context *ctx, const char *name) {
  for (size_t i = 0; i < ctx->assumed_count; i++)
    if (strcmp(ctx->assumed_names[i], name) == 0)
      return ctx->assumed_values[i];
  return COND_UNDECIDED;
}

/* Records an undecidable condition whose own inputs (a parameter without
 * a value, an unknown pseudo parameter) decide it, so the caller can
 * enumerate its values. */
static void record_undecided(intrinsic_context *ctx, const char *name) {
  for (size_t i = 0; i < ctx->undecided_count; i++)
    if (strcmp(ctx->undecided_names[i], name) == 0)
      return;

  if (ctx->undecided_count < INTRINSIC_MAX_ASSUMED)
    ctx->undecided_names[ctx->undecided_count++] = name;
  else
    ctx->too_many_undecided = 1;
}

/* Fails with the cycle when name is already being evaluated, as in
 * A: !Condition B with B: !Condition A, naming the conditions between. */
static int fail_on_cycle(intrinsic_context *ctx, const char *name, const tnode *definition) {
  unsigned start = 0;
  while (start < ctx->condition_chain_length && strcmp(ctx->condition_chain[start], name) != 0)
    start++;
  if (start == ctx->condition_chain_length)
    return 0;

  char through[sizeof ctx->error.message] = "";
  size_t used = 0;
  for (unsigned i = start + 1; i < ctx->condition_chain_length && used < sizeof through; i++)
    used += (size_t)snprintf(through + used, sizeof through - used, "%s'%s'",
                             i > start + 1 ? " -> " : " through ", ctx->condition_chain[i]);

  intrinsic_fail(ctx, definition, "condition '%s' refers to itself%s", name, through);
  return 1;
}

struct intrinsic_memo {
  unsigned round;
  int value;
};

/* Returns the index of the named condition in ctx->conditions, or -1. */
static long condition_index(const intrinsic_context *ctx, const char *name) {
  const tnode *conditions = ctx->conditions;
  if (!conditions || conditions->kind != TNODE_OBJECT)
    return -1;

  size_t len = strlen(name);
  for (size_t i = 0; i < conditions->count; i++)
    if (conditions->members[i].key_len == len && memcmp(conditions->members[i].key, name, len) == 0)
      return (long)i;
  return -1;
}

/* Returns the memo entry of the condition at index, or NULL when no memo
 * could be allocated (the condition is then evaluated each time). */
static struct intrinsic_memo *memo_entry(intrinsic_context *ctx, long index) {
  if (!ctx->condition_memo) {
    size_t size = ctx->conditions->count * sizeof *ctx->condition_memo;
    ctx->condition_memo = tnode_alloc(ctx->arena, size);
    if (!ctx->condition_memo)
      return NULL;
    memset(ctx->condition_memo, 0, size);
  }
  return &ctx->condition_memo[index];
}

/* Evaluates a condition that an Fn::ForEach loop of Conditions outputs, or
 * one of a Conditions section that is unknown. The loop is not expanded,
 * so the condition is undecidable, and both of its values are enumerated
 * like those of a parameter without a value. */
static int generated_condition(intrinsic_context *ctx, const char *name) {
  int assumed = assumed_value(ctx, name);
  if (assumed != COND_UNDECIDED)
    return assumed;

  record_undecided(ctx, name);
  ctx->undecided_seen++;
  return COND_UNDECIDED;
}

/* An assumed value wins over evaluation. A condition that stays undecided
 * is recorded only when no other named condition below it was undecided,
 * so that IsDev: !Not [!Condition IsProd] follows the value assumed for
 * IsProd instead of being enumerated on its own. A condition read again
 * in the same outermost evaluation takes its memo value, which keeps
 * conditions that share others (C2: !Or [!Condition C1, !Condition C1])
 * from being evaluated once per path. */
int intrinsic_condition(intrinsic_context *ctx, const char *name, const tnode *where) {
  long index = condition_index(ctx, name);
  if (index < 0 && intrinsic_foreach_may_define(ctx->conditions, name, strlen(name)))
    return generated_condition(ctx, name);
  if (index < 0 && ctx->conditions && ctx->conditions->kind == TNODE_UNKNOWN)
    return generated_condition(ctx, name); /* the YAML 1.1 reading of a name such as y */
  if (index < 0) {
    intrinsic_fail(ctx, where, "condition '%s' is not defined in Conditions", name);
    return COND_ERROR;
  }
  const tnode *definition = ctx->conditions->members[index].value;
  if (ctx->depth >= INTRINSIC_MAX_DEPTH) {
    intrinsic_fail_limit(ctx, where, "conditions");
    return COND_ERROR;
  }
  if (fail_on_cycle(ctx, name, definition))
    return COND_ERROR;

  int assumed = assumed_value(ctx, name);
  if (assumed != COND_UNDECIDED)
    return assumed;

  /* Each outermost evaluation starts a new round, because the caller may
   * forget the undecidable conditions recorded between two of them. */
  if (ctx->condition_chain_length == 0)
    ctx->condition_round++;
  struct intrinsic_memo *memo = memo_entry(ctx, index);
  if (memo && memo->round == ctx->condition_round) {
    /* The first evaluation recorded the undecidable conditions below. */
    if (memo->value == COND_UNDECIDED)
      ctx->undecided_seen++;
    return memo->value;
  }

  unsigned seen_before = ctx->undecided_seen;
  ctx->depth++;
  ctx->condition_chain[ctx->condition_chain_length++] = name;
  int value = evaluate(ctx, definition);
  ctx->condition_chain_length--;
  ctx->depth--;

  if (value == COND_UNDECIDED) {
    if (ctx->undecided_seen == seen_before)
      record_undecided(ctx, name);
    ctx->undecided_seen++;
  }
  if (memo && value != COND_ERROR) {
    memo->round = ctx->condition_round;
    memo->value = value;
  }
  return value;
}

/* An undecidable condition takes its true branch here; the caller
 * enumerates the other values through ctx->assumed_*. */
const tnode *intrinsic_if(intrinsic_context *ctx, const tnode *call, const tnode *args) {
  if (args->kind != TNODE_ARRAY || args->count != 3 || args->items[0]->kind != TNODE_STRING)
    return intrinsic_fail(ctx, args, "Fn::If expects [condition name, value if true, value if false]");

  size_t recorded = ctx->undecided_count;
  int overflow = ctx->too_many_undecided;
  int value = intrinsic_condition(ctx, args->items[0]->text, args->items[0]);
  if (value == COND_ERROR)
    return NULL;

  /* A decided condition (Or with one true input) needs none of the
   * undecidable inputs met on the way, so they are not enumerated. The
   * memo values of this round may rest on the records dropped here (an
   * Fn::If inside a condition's Fn::Equals), so a new round starts. */
  if (value != COND_UNDECIDED) {
    if (ctx->undecided_count != recorded)
      ctx->condition_round++;
    ctx->undecided_count = recorded;
    ctx->too_many_undecided = overflow;
  }
  return intrinsic_resolve(ctx, args->items[value == COND_FALSE ? 2 : 1]);
}
