/*
 * Fn::Join, Fn::Select, Fn::Split, Fn::FindInMap and Fn::Base64. Each
 * resolves its arguments first; an unknown argument makes the result
 * unknown.
 */
#include <stdlib.h>
#include <string.h>

#include "intrinsic.h"
#include "intrinsic_candidates.h"
#include "intrinsic_text.h"

/* Makes a dynamic reference in list->items[index] unknown, for an argument
 * that selects (an index, a key, a delimiter) rather than passes text on.
 * Returns the item, or NULL with ctx->error when out of memory. */
static const tnode *selector(intrinsic_context *ctx, tnode *list, size_t index) {
  const tnode *marked = intrinsic_mark_dynamic(ctx, list->items[index]);
  if (marked)
    list->items[index] = (tnode *)marked;
  return marked;
}

/* selector() for an argument whose text is read as a string (a key, a
 * source), which makes a number of unknown text unknown too. An index is
 * not one: an index that is not an integer as written is invalid. */
static const tnode *text_selector(intrinsic_context *ctx, tnode *list, size_t index) {
  const tnode *text = intrinsic_number_text(ctx, list->items[index]);
  if (!text)
    return NULL;
  list->items[index] = (tnode *)text;
  return selector(ctx, list, index);
}

/* Resolves args after checking that it is an array of min to max items. */
static const tnode *resolve_list(intrinsic_context *ctx, const char *function, const tnode *args,
                                 size_t min, size_t max) {
  if (args->kind == TNODE_UNKNOWN)
    return args;
  if (args->kind != TNODE_ARRAY || args->count < min || args->count > max)
    return intrinsic_fail(ctx, args, "%s expects a list of %zu to %zu arguments", function, min,
                          max);

  const tnode *resolved = intrinsic_resolve(ctx, args);
  if (resolved && resolved->count < min)
    return intrinsic_fail(ctx, args, "%s argument resolved to AWS::NoValue", function);
  return resolved;
}

static const tnode *first_unknown(const tnode *list) {
  for (size_t i = 0; i < list->count; i++)
    if (list->items[i]->kind == TNODE_UNKNOWN)
      return list->items[i];
  return NULL;
}

const tnode *intrinsic_unknown_string(intrinsic_context *ctx, const tnode *unknown) {
  if (!unknown || unknown->kind != TNODE_UNKNOWN || unknown->unknown_string)
    return unknown;

  tnode *copy = tnode_new_unknown(ctx->arena, unknown->text, unknown->line, unknown->column);
  if (!copy)
    return intrinsic_fail(ctx, unknown, "out of memory");
  copy->unknown_string = 1;
  return copy;
}

const tnode *intrinsic_unknown_after(intrinsic_context *ctx, const tnode *unknown,
                                     const char *prefix, size_t len) {
  const tnode *marked = intrinsic_unknown_string(ctx, unknown);
  if (!marked || marked->kind != TNODE_UNKNOWN)
    return marked;

  size_t own = marked->known_prefix ? marked->known_prefix_len : 0;
  tnode *copy = tnode_new_unknown(ctx->arena, marked->text, marked->line, marked->column);
  char *text = copy ? tnode_alloc(ctx->arena, len + own + 1) : NULL;
  if (!text)
    return intrinsic_fail(ctx, unknown, "out of memory");

  memcpy(text, prefix, len);
  if (own)
    memcpy(text + len, marked->known_prefix, own);
  copy->unknown_string = 1;
  copy->known_prefix = text;
  copy->known_prefix_len = len + own;
  return copy;
}

static const tnode *text_result(intrinsic_context *ctx, const tnode *call, intrinsic_text *text,
                                const char *function) {
  const tnode *result = NULL;
  if (text->overflow)
    intrinsic_fail(ctx, call, "%s result too long (limit is %d bytes)", function,
                   INTRINSIC_MAX_STRING);
  else
    result = tnode_new_string(ctx->arena, text->data ? text->data : "", text->len, call->line,
                              call->column);
  if (!result && !text->overflow)
    intrinsic_fail(ctx, call, "out of memory");
  intrinsic_text_fini(text);
  return result;
}

static const tnode *join_items(intrinsic_context *ctx, const tnode *call, const char *delimiter,
                               const tnode *list) {
  const tnode *unknown = first_unknown(list);
  intrinsic_text text;
  intrinsic_text_init(&text);

  for (size_t i = 0; i < list->count; i++) {
    if (list->items[i] == unknown) {
      if (i)
        intrinsic_text_append(&text, delimiter, strlen(delimiter));
      const tnode *result = text.overflow
                                ? intrinsic_unknown_string(ctx, unknown)
                                : intrinsic_unknown_after(ctx, unknown, text.data ? text.data : "",
                                                          text.len);
      intrinsic_text_fini(&text);
      return result;
    }
    const char *item = intrinsic_scalar_text(list->items[i]);
    if (!item) {
      intrinsic_text_fini(&text);
      return intrinsic_fail(ctx, list->items[i], "Fn::Join item %zu is %s, not a string", i,
                            tnode_kind_name(list->items[i]->kind));
    }
    if (i)
      intrinsic_text_append(&text, delimiter, strlen(delimiter));
    intrinsic_text_append(&text, item, strlen(item));
  }
  return text_result(ctx, call, &text, "Fn::Join");
}

const tnode *intrinsic_join(intrinsic_context *ctx, const tnode *call, const tnode *args) {
  const tnode *resolved = resolve_list(ctx, "Fn::Join", args, 2, 2);
  if (!resolved || resolved->kind == TNODE_UNKNOWN)
    return intrinsic_unknown_string(ctx, resolved);

  const tnode *delimiter = resolved->items[0];
  const tnode *list = intrinsic_number_texts(ctx, resolved->items[1]);
  if (!list)
    return NULL;
  if (delimiter->kind == TNODE_UNKNOWN)
    return intrinsic_unknown_string(ctx, delimiter);
  if (list->kind == TNODE_UNKNOWN)
    return intrinsic_unknown_string(ctx, list);
  if (delimiter->kind != TNODE_STRING || list->kind != TNODE_ARRAY)
    return intrinsic_fail(ctx, args, "Fn::Join expects [delimiter, [values]]");
  return join_items(ctx, call, delimiter->text, list);
}

static int parse_index(const tnode *node, size_t *index) {
  const char *text = intrinsic_scalar_text(node);
  if (!text || node->kind == TNODE_BOOL || !*text)
    return 0;

  char *end = NULL;
  unsigned long value = strtoul(text, &end, 10);
  if (*end || text[0] == '-')
    return 0;
  *index = value;
  return 1;
}

const tnode *intrinsic_select(intrinsic_context *ctx, const tnode *call, const tnode *args) {
  const tnode *resolved = resolve_list(ctx, "Fn::Select", args, 2, 2);
  if (!resolved || resolved->kind == TNODE_UNKNOWN)
    return resolved;
  if (!selector(ctx, (tnode *)resolved, 0))
    return NULL;

  const tnode *index_node = resolved->items[0], *list = resolved->items[1];
  if (index_node->kind == TNODE_UNKNOWN && list->kind == TNODE_ARRAY)
    return intrinsic_select_candidates(ctx, call, index_node, list);
  if (index_node->kind == TNODE_UNKNOWN)
    return index_node;
  if (list->kind == TNODE_UNKNOWN)
    return list;

  size_t index = 0;
  if (!parse_index(index_node, &index))
    return intrinsic_fail(ctx, index_node, "Fn::Select index '%s' is not a non-negative integer",
                          index_node->text);
  if (list->kind != TNODE_ARRAY)
    return intrinsic_fail(ctx, list, "Fn::Select expects a list, found %s",
                          tnode_kind_name(list->kind));
  if (index >= list->count)
    return intrinsic_fail(ctx, index_node,
                          "Fn::Select index %s is out of range (list has %zu item%s)",
                          index_node->text, list->count, list->count == 1 ? "" : "s");
  return list->items[index];
}

static const tnode *split_text(intrinsic_context *ctx, const tnode *call, const char *delimiter,
                               const char *text) {
  size_t delimiter_len = strlen(delimiter), count = 1;
  for (const char *p = strstr(text, delimiter); p; p = strstr(p + delimiter_len, delimiter))
    count++;

  tnode *list = intrinsic_new_array(ctx, ctx->arena, call, count);
  if (!list)
    return NULL;

  const char *start = text;
  for (size_t i = 0; i < count; i++) {
    const char *end = i + 1 < count ? strstr(start, delimiter) : start + strlen(start);
    list->items[i] = tnode_new_string(ctx->arena, start, (size_t)(end - start), call->line,
                                      call->column);
    if (!list->items[i])
      return intrinsic_fail(ctx, call, "out of memory");
    start = end + delimiter_len;
  }
  list->count = count;
  return list;
}

const tnode *intrinsic_split(intrinsic_context *ctx, const tnode *call, const tnode *args) {
  const tnode *resolved = resolve_list(ctx, "Fn::Split", args, 2, 2);
  if (!resolved || resolved->kind == TNODE_UNKNOWN)
    return resolved;
  if (!selector(ctx, (tnode *)resolved, 0) || !text_selector(ctx, (tnode *)resolved, 1))
    return NULL;

  const tnode *delimiter = resolved->items[0], *source = resolved->items[1];
  if (delimiter->kind == TNODE_UNKNOWN)
    return delimiter;
  if (source->kind == TNODE_UNKNOWN) { /* a list of unknown strings, not a string */
    const tnode *list = tnode_new_unknown(ctx->arena, source->text, source->line, source->column);
    return list ? list : intrinsic_fail(ctx, source, "out of memory");
  }
  if (delimiter->kind != TNODE_STRING || !*delimiter->text || !intrinsic_scalar_text(source))
    return intrinsic_fail(ctx, args, "Fn::Split expects [non-empty delimiter, string]");
  return split_text(ctx, call, delimiter->text, source->text);
}

/* The optional fourth argument {DefaultValue: x} comes from AWS::LanguageExtensions. */
static const tnode *map_default(const tnode *resolved) {
  if (resolved->count < 4)
    return NULL;
  return tnode_get(resolved->items[3], "DefaultValue");
}

/* Returns the value at keys[0..3) of mappings, or NULL. A mapping on the
 * way that is unknown (the YAML 1.1 reading of a key such as 0777, whose
 * text is not known) is the result, so DefaultValue does not replace it. */
static const tnode *map_lookup(const tnode *mappings, const char *const *keys) {
  const tnode *value = mappings;
  for (size_t i = 0; value && i < 3; i++) {
    if (value->kind == TNODE_UNKNOWN)
      return value;
    value = tnode_get(value, keys[i]);
  }
  return value;
}

const tnode *intrinsic_find_in_map(intrinsic_context *ctx, const tnode *call, const tnode *args) {
  if (args->kind == TNODE_ARRAY && args->count == 4 && !ctx->language_extensions)
    return intrinsic_require_transform(ctx, call, "Fn::FindInMap with DefaultValue");

  const tnode *resolved = resolve_list(ctx, "Fn::FindInMap", args, 3, 4);
  if (!resolved || resolved->kind == TNODE_UNKNOWN)
    return resolved;
  for (size_t i = 0; i < 3; i++)
    if (!text_selector(ctx, (tnode *)resolved, i))
      return NULL;

  const tnode *unknown = first_unknown(resolved);
  int key_unknown = resolved->items[1]->kind == TNODE_UNKNOWN ||
                    resolved->items[2]->kind == TNODE_UNKNOWN;
  if (unknown && key_unknown && resolved->items[0]->kind != TNODE_UNKNOWN)
    return intrinsic_map_candidates(ctx, call, resolved, map_default(resolved));
  if (unknown)
    return unknown;

  const char *keys[3];
  for (size_t i = 0; i < 3; i++) {
    keys[i] = intrinsic_scalar_text(resolved->items[i]);
    if (!keys[i])
      return intrinsic_fail(ctx, resolved->items[i], "Fn::FindInMap key %zu is not a string", i);
  }

  const tnode *value = map_lookup(ctx->mappings, keys);
  if (!value)
    value = map_default(resolved);
  if (!value)
    return intrinsic_fail(ctx, call, "Fn::FindInMap: no value for %s/%s/%s in Mappings", keys[0],
                          keys[1], keys[2]);
  return value;
}

const tnode *intrinsic_base64(intrinsic_context *ctx, const tnode *call, const tnode *args) {
  const tnode *value = intrinsic_number_text(ctx, intrinsic_resolve(ctx, args));
  if (!value || value->kind == TNODE_UNKNOWN)
    return intrinsic_unknown_string(ctx, value);

  const char *text = intrinsic_scalar_text(value);
  if (!text)
    return intrinsic_fail(ctx, args, "Fn::Base64 expects a string, found %s",
                          tnode_kind_name(value->kind));

  intrinsic_text out;
  intrinsic_text_init(&out);
  intrinsic_text_base64(&out, (const unsigned char *)text, strlen(text));
  return text_result(ctx, call, &out, "Fn::Base64");
}
