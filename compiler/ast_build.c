/*
 * AST constructors used by the parser's actions. Lists keep source order.
 * Appending a rule, segment or constraint walks the list, which stays short
 * inside one block. An 'in' list may be long, so it keeps its last literal.
 */
#include <string.h>

#include "dsl_limits.h"
#include "parse.h"

ast_decl *ast_decl_new(parse_ctx *ctx, ast_decl_kind kind, const src_span *span, ast_string name) {
  ast_decl *decl = arena_alloc(ctx->arena, sizeof *decl);
  decl->kind = kind;
  decl->span = *span;
  decl->name = name;
  return decl;
}

ast_decl *ast_let_invalid(parse_ctx *ctx, const src_span *span, ast_string name) {
  ast_decl *decl = ast_decl_new(ctx, AST_DECL_LET, span, name);
  decl->invalid = 1;
  return decl;
}

void ast_decl_add(parse_ctx *ctx, ast_decl *decl) {
  if (ctx->decls_tail)
    ctx->decls_tail->next = decl;
  else
    ctx->decls = decl;
  ctx->decls_tail = decl;
}

void ast_decl_add_invalid(parse_ctx *ctx, ast_decl *decl) {
  if (decl->kind != AST_DECL_LET)
    return;
  decl->invalid = 1;
  ast_decl_add(ctx, decl);
}

ast_rule *ast_rule_new(parse_ctx *ctx, ast_segment *path, ast_constraint *constraints) {
  ast_rule *rule = arena_alloc(ctx->arena, sizeof *rule);
  rule->path = path;
  rule->constraints = constraints;
  if (path) {
    ast_segment *last = path;
    while (last->next)
      last = last->next;
    rule->span = (src_span){path->span.file, path->span.start, last->span.end};
  }
  return rule;
}

ast_rule *ast_rule_append(ast_rule *list, ast_rule *rule) {
  if (!rule)
    return list;
  if (!list)
    return rule;

  ast_rule *last = list;
  while (last->next)
    last = last->next;
  last->next = rule;
  return list;
}

ast_segment *ast_segment_new(parse_ctx *ctx, ast_segment_kind kind, const src_span *span,
                             ast_string name) {
  ast_segment *segment = arena_alloc(ctx->arena, sizeof *segment);
  segment->kind = kind;
  segment->span = *span;
  segment->name = name;
  return segment;
}

ast_segment *ast_segment_append(ast_segment *path, ast_segment *segment) {
  ast_segment *last = path;
  while (last->next)
    last = last->next;
  last->next = segment;
  return path;
}

ast_constraint *ast_constraint_new(parse_ctx *ctx, ast_constraint_kind kind, const src_span *span) {
  ast_constraint *constraint = arena_alloc(ctx->arena, sizeof *constraint);
  constraint->kind = kind;
  constraint->span = *span;
  return constraint;
}

ast_constraint *ast_constraint_append(ast_constraint *list, ast_constraint *constraint) {
  if (!list)
    return constraint;

  ast_constraint *last = list;
  while (last->next)
    last = last->next;
  last->next = constraint;
  return list;
}

ast_constraint *ast_constraint_range(parse_ctx *ctx, ast_constraint_kind kind, const src_span *span,
                                     const ast_string *low, const ast_string *high) {
  ast_constraint *constraint = ast_constraint_new(ctx, kind, span);
  if (low) {
    constraint->low.present = 1;
    constraint->low.number = *low;
  }
  if (high) {
    constraint->high.present = 1;
    constraint->high.number = *high;
  }
  return constraint;
}

ast_literal *ast_literal_new(parse_ctx *ctx, ast_literal_kind kind, ast_string text) {
  ast_literal *literal = arena_alloc(ctx->arena, sizeof *literal);
  literal->kind = kind;
  literal->text = text;
  literal->last = literal;
  literal->count = 1;
  return literal;
}

/* Appends in constant time through the list's last pointer, so an 'in' list
 * of n values is built in O(n). The first literal past DSL_MAX_LIST_VALUES
 * is reported, and it and every later one are dropped. */
ast_literal *ast_literal_append(parse_ctx *ctx, ast_literal *list, ast_literal *literal) {
  if (list->count == DSL_MAX_LIST_VALUES)
    diag_report(ctx->diags, DIAG_ERROR, DIAG_LIMIT, literal->text.span,
                "too many values in an 'in' list (limit is %d)", DSL_MAX_LIST_VALUES);
  if (list->count >= DSL_MAX_LIST_VALUES) {
    list->count++;
    return list;
  }

  list->last->next = literal;
  list->last = literal;
  list->count++;
  return list;
}

ast_string ast_string_from_token(parse_ctx *ctx, const src_span *span) {
  const char *start = (const char *)ctx->text + span->start;
  size_t len = span->end - span->start;
  return (ast_string){arena_strndup(ctx->arena, start, len), len, *span};
}
