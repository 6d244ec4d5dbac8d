/*
 * Dynamic references ({{resolve:ssm:...}}, {{resolve:secretsmanager:...}}).
 * Their values are read at deployment, so resolution keeps them as text.
 * The final value of a property then turns each string that contains one
 * into an unknown string, whatever it came from: a literal, a Mapping, a
 * parameter, or text that Fn::Join or Fn::Sub built.
 */
#include <stdio.h>
#include <string.h>

#include "intrinsic.h"
#include "utf8.h"

static const char reference_start[] = "{{resolve:";

enum {
  REFERENCE_SHOWN_BYTES = 200 /* max bytes of a reference quoted in a reason */
};

/* Returns the length of the text before the first dynamic reference in
 * text[0..len), or len when there is none. A truncated "{{resolve:" at the
 * end counts, because an unknown part after it can complete it. */
static size_t reference_offset(const char *text, size_t len) {
  const size_t start_len = sizeof reference_start - 1;
  for (size_t i = 0; i < len; i++) {
    size_t rest = len - i < start_len ? len - i : start_len;
    if (memcmp(text + i, reference_start, rest) == 0)
      return i;
  }
  return len;
}

/* Writes the reason for the unknown value of text, which quotes its first
 * reference up to the closing braces. */
static void reference_reason(const char *text, char *out, size_t size) {
  const char *reference = strstr(text, reference_start);
  const char *close = strstr(reference, "}}");
  size_t len = close ? (size_t)(close + 2 - reference) : strlen(reference);
  size_t quoted_len = utf8_cut(reference, len, REFERENCE_SHOWN_BYTES);
  snprintf(out, size, "dynamic reference %.*s%s is resolved at deployment", (int)quoted_len,
           reference, quoted_len < len ? "..." : "");
}

static const tnode *reference_string(intrinsic_context *ctx, const tnode *string) {
  char reason[REFERENCE_SHOWN_BYTES + 100];
  reference_reason(string->text, reason, sizeof reason);

  tnode *unknown = tnode_new_unknown(ctx->arena, reason, string->line, string->column);
  if (!unknown)
    return intrinsic_fail(ctx, string, "out of memory");
  unknown->unknown_string = 1;
  size_t len = reference_offset(string->text, strlen(string->text));
  return len ? intrinsic_unknown_after(ctx, unknown, string->text, len) : unknown;
}

/* Returns unknown with its known prefix cut before a dynamic reference in
 * it, since only the text before the reference is known. */
static const tnode *cut_prefix(intrinsic_context *ctx, const tnode *unknown) {
  if (!unknown->known_prefix)
    return unknown;
  size_t len = reference_offset(unknown->known_prefix, unknown->known_prefix_len);
  if (len == unknown->known_prefix_len)
    return unknown;

  tnode *copy = tnode_new_unknown(ctx->arena, unknown->text, unknown->line, unknown->column);
  if (!copy)
    return intrinsic_fail(ctx, unknown, "out of memory");
  copy->unknown_string = unknown->unknown_string;
  copy->known_prefix = len ? unknown->known_prefix : NULL;
  copy->known_prefix_len = len;
  return copy;
}

static const tnode *mark(intrinsic_context *ctx, const tnode *value);

/* Returns node, or a copy in ctx->arena with the changed children. The
 * node itself is left as it is, because it can be a Mapping value. */
static const tnode *mark_children(intrinsic_context *ctx, const tnode *node) {
  tnode *copy = NULL;
  for (size_t i = 0; i < node->count; i++) {
    const tnode *child = node->kind == TNODE_ARRAY ? node->items[i] : node->members[i].value;
    const tnode *marked = mark(ctx, child);
    if (!marked)
      return NULL;
    if (marked == child)
      continue;
    if (!copy) {
      size_t size = node->count * (node->kind == TNODE_ARRAY ? sizeof *node->items
                                                             : sizeof *node->members);
      copy = tnode_new(ctx->arena, node->kind, node->line, node->column);
      void *children = copy ? tnode_alloc(ctx->arena, size) : NULL;
      if (!children)
        return intrinsic_fail(ctx, node, "out of memory");
      memcpy(children, node->kind == TNODE_ARRAY ? (void *)node->items : (void *)node->members,
             size);
      if (node->kind == TNODE_ARRAY)
        copy->items = children;
      else
        copy->members = children;
      copy->count = node->count;
    }
    if (node->kind == TNODE_ARRAY)
      copy->items[i] = (tnode *)marked;
    else
      copy->members[i].value = (tnode *)marked;
  }
  return copy ? copy : node;
}

static const tnode *mark(intrinsic_context *ctx, const tnode *value) {
  if (ctx->depth >= INTRINSIC_MAX_DEPTH)
    return intrinsic_fail_limit(ctx, value, "arrays and objects");

  const tnode *result = value;
  ctx->depth++;
  if (value->kind == TNODE_STRING && strstr(value->text, reference_start))
    result = reference_string(ctx, value);
  else if (value->kind == TNODE_UNKNOWN)
    result = cut_prefix(ctx, value);
  else if (value->kind == TNODE_ARRAY || value->kind == TNODE_OBJECT)
    result = mark_children(ctx, value);
  ctx->depth--;
  return result;
}

const tnode *intrinsic_mark_dynamic(intrinsic_context *ctx, const tnode *value) {
  if (!value || value == &intrinsic_no_value)
    return value;
  return mark(ctx, value);
}

const tnode *intrinsic_value(intrinsic_context *ctx, const tnode *node) {
  return intrinsic_mark_dynamic(ctx, intrinsic_resolve(ctx, node));
}
