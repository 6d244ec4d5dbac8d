/*
 * Fn::Length and Fn::ToJsonString, which CloudFormation accepts only in a
 * template with Transform: AWS::LanguageExtensions.
 */
#include <stdio.h>
#include <string.h>

#include "intrinsic.h"
#include "intrinsic_text.h"

const tnode *intrinsic_require_transform(intrinsic_context *ctx, const tnode *call,
                                        const char *function) {
  return intrinsic_fail(ctx, call,
                        "%s needs Transform: AWS::LanguageExtensions, which the template does "
                        "not declare",
                        function);
}

const tnode *intrinsic_length(intrinsic_context *ctx, const tnode *call, const tnode *args) {
  if (!ctx->language_extensions)
    return intrinsic_require_transform(ctx, call, "Fn::Length");

  const tnode *list = intrinsic_resolve(ctx, args);
  if (!list || list->kind == TNODE_UNKNOWN)
    return list;
  if (list->kind != TNODE_ARRAY)
    return intrinsic_fail(ctx, args, "Fn::Length expects a list, found %s",
                          tnode_kind_name(list->kind));

  char digits[32];
  snprintf(digits, sizeof digits, "%zu", list->count);
  tnode *count = tnode_new_string(ctx->arena, digits, strlen(digits), call->line, call->column);
  if (!count)
    return intrinsic_fail(ctx, call, "out of memory");
  count->kind = TNODE_NUMBER;
  return count;
}

static void append_text(intrinsic_text *out, const char *text) {
  intrinsic_text_append(out, text, strlen(text));
}

static void append_json_string(intrinsic_text *out, const char *text) {
  append_text(out, "\"");
  for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
    char escaped[8];
    if (*p == '"' || *p == '\\')
      snprintf(escaped, sizeof escaped, "\\%c", *p);
    else if (*p < 0x20)
      snprintf(escaped, sizeof escaped, "\\u%04x", *p);
    else
      snprintf(escaped, sizeof escaped, "%c", *p);
    append_text(out, escaped);
  }
  append_text(out, "\"");
}

/* Writes a resolved value without unknown parts as compact JSON. */
static void append_json(intrinsic_text *out, const tnode *node) {
  switch (node->kind) {
  case TNODE_STRING:
    append_json_string(out, node->text);
    return;
  case TNODE_ARRAY:
    append_text(out, "[");
    for (size_t i = 0; i < node->count; i++) {
      append_text(out, i ? "," : "");
      append_json(out, node->items[i]);
    }
    append_text(out, "]");
    return;
  case TNODE_OBJECT:
    append_text(out, "{");
    for (size_t i = 0; i < node->count; i++) {
      append_text(out, i ? "," : "");
      append_json_string(out, node->members[i].key);
      append_text(out, ":");
      append_json(out, node->members[i].value);
    }
    append_text(out, "}");
    return;
  case TNODE_NULL:
    append_text(out, "null");
    return;
  default:
    append_text(out, node->text);
    return;
  }
}

const tnode *intrinsic_to_json_string(intrinsic_context *ctx, const tnode *call,
                                      const tnode *args) {
  if (!ctx->language_extensions)
    return intrinsic_require_transform(ctx, call, "Fn::ToJsonString");

  const tnode *value = intrinsic_resolve(ctx, args);
  if (!value || value->kind == TNODE_UNKNOWN)
    return value;
  if (value->kind != TNODE_OBJECT && value->kind != TNODE_ARRAY)
    return intrinsic_fail(ctx, args, "Fn::ToJsonString expects an object or a list, found %s",
                          tnode_kind_name(value->kind));
  if (tnode_has_unknown(value))
    return tnode_new_unknown(ctx->arena, "Fn::ToJsonString of a value known only at deployment",
                             call->line, call->column);
  const tnode *number = intrinsic_rewritten_number(value);
  if (number)
    return intrinsic_unknown_string(ctx, intrinsic_number_text(ctx, number));

  intrinsic_text json;
  intrinsic_text_init(&json);
  append_json(&json, value);
  const tnode *result = NULL;
  if (json.overflow)
    intrinsic_fail(ctx, call, "Fn::ToJsonString result too long (limit is %d bytes)",
                   INTRINSIC_MAX_STRING);
  else
    result = tnode_new_string(ctx->arena, json.data ? json.data : "", json.len, call->line,
                              call->column);
  intrinsic_text_fini(&json);
  return result || json.overflow ? result : intrinsic_fail(ctx, call, "out of memory");
}
