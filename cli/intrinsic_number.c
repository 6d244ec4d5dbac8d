/*
 * Numbers whose text is used as a string: a parameter's AllowedValues or
 * Default, an Fn::Join item, an Fn::Sub variable or an Fn::FindInMap key.
 * CloudFormation does not document the text it gives a number, and a
 * reader may write 10.10 back as 10.1 or 1e3 as 1000.0. Such a number's
 * text is unknown there, so nothing is decided from text that the
 * deployment may not get. An integer such as 10 has one text and is used
 * as written.
 * NOTE: a number written as a property value is still validated with its
 * text as written, because making it unknown would also leave unchecked
 * the number constraints that its value decides.
 */
#include <stdio.h>
#include <string.h>

#include "intrinsic.h"
#include "template_yaml11.h"
#include "utf8.h"

enum { NUMBER_SHOWN_BYTES = 40 /* max bytes of a number quoted in a reason */ };

static int is_rewritten(const tnode *value) {
  return value->kind == TNODE_NUMBER && template_yaml11_number_rewritten(value->text, value->len);
}

const tnode *intrinsic_rewritten_number(const tnode *value) {
  if (!value)
    return NULL;
  if (is_rewritten(value))
    return value;
  if (value->kind != TNODE_ARRAY && value->kind != TNODE_OBJECT)
    return NULL;

  for (size_t i = 0; i < value->count; i++) {
    const tnode *child = value->kind == TNODE_ARRAY ? value->items[i] : value->members[i].value;
    const tnode *found = intrinsic_rewritten_number(child);
    if (found)
      return found;
  }
  return NULL;
}

void intrinsic_number_reason(const tnode *number, char *out, size_t size) {
  int len = (int)utf8_cut(number->text, number->len, NUMBER_SHOWN_BYTES);
  snprintf(out, size,
           "CloudFormation may write the number %.*s as other text: quote it (\"%.*s\") to keep "
           "the text",
           len, number->text, len, number->text);
}

const tnode *intrinsic_number_text(intrinsic_context *ctx, const tnode *value) {
  if (!value || !is_rewritten(value))
    return value;

  char reason[200];
  intrinsic_number_reason(value, reason, sizeof reason);
  tnode *unknown = tnode_new_unknown(ctx->arena, reason, value->line, value->column);
  return unknown ? unknown : intrinsic_fail(ctx, value, "out of memory");
}

const tnode *intrinsic_number_texts(intrinsic_context *ctx, const tnode *list) {
  if (!list || list->kind != TNODE_ARRAY || !intrinsic_rewritten_number(list))
    return list;

  tnode *copy = intrinsic_new_array(ctx, ctx->arena, list, list->count);
  if (!copy)
    return NULL;
  for (copy->count = 0; copy->count < list->count; copy->count++) {
    const tnode *item = intrinsic_number_text(ctx, list->items[copy->count]);
    if (!item)
      return NULL;
    copy->items[copy->count] = (tnode *)item;
  }
  return copy;
}
