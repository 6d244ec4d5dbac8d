#define _GNU_SOURCE /* memmem */
#include "instantiate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pattern_placeholder.h"
#include "placeholder.h"

typedef struct instantiate_ctx {
  json_t *declared; /* x-cfgate.placeholders */
  const instantiate_value *values;
  size_t count;
  char missing[256];
  int failed;       /* 1 when a placeholder has no value */
  int invalid_utf8; /* 1 when a substituted string is not valid UTF-8 */
  char misplaced[768]; /* why a placeholder in a pattern cannot be filled, or "" */
} instantiate_ctx;

static const char *instantiate_lookup(void *data, const char *name, size_t len, int *missing) {
  instantiate_ctx *ctx = data;
  int declared = 0;
  size_t i;
  json_t *item;
  json_array_foreach(ctx->declared, i, item) {
    const char *text = json_string_value(item);
    declared |= text && strlen(text) == len && memcmp(text, name, len) == 0;
  }
  if (!declared)
    return NULL;

  for (i = ctx->count; i > 0; i--)
    if (strlen(ctx->values[i - 1].name) == len && memcmp(ctx->values[i - 1].name, name, len) == 0)
      return ctx->values[i - 1].value;
  *missing = 1;
  return NULL;
}

static int instantiate_is_declared(void *data, const char *name, size_t len) {
  const instantiate_ctx *ctx = data;
  size_t i;
  json_t *item;
  json_array_foreach(ctx->declared, i, item) {
    const char *text = json_string_value(item);
    if (text && strlen(text) == len && memcmp(text, name, len) == 0)
      return 1;
  }
  return 0;
}

static void instantiate_report_misplaced(void *data, size_t offset, size_t len, const char *message) {
  instantiate_ctx *ctx = data;
  (void)offset;
  (void)len;
  if (ctx->misplaced[0] == '\0')
    snprintf(ctx->misplaced, sizeof ctx->misplaced, "%s", message);
}

/* Returns 1 when pasting the escaped values into the pattern gives what the
 * pattern engine matches, and otherwise records why not in ctx->misplaced.
 * A template from `cfgate compile` fails here only when a provider pattern
 * has `${` text in such a position. A template edited by hand may fail too. */
static int instantiate_pattern_fits(instantiate_ctx *ctx, json_t *pattern) {
  if (pattern_placeholder_scan(json_string_value(pattern), json_string_length(pattern),
                               instantiate_is_declared, instantiate_report_misplaced, ctx) == 0)
    return 1;

  char reason[sizeof ctx->misplaced];
  snprintf(reason, sizeof reason, "%s", ctx->misplaced);
  snprintf(ctx->misplaced, sizeof ctx->misplaced, "pattern \"%.120s\": %.600s",
           json_string_value(pattern), reason);
  return 0;
}

static json_t *instantiate_string(instantiate_ctx *ctx, json_t *value, int regex) {
  if (!memmem(json_string_value(value), json_string_length(value), "${", 2))
    return json_deep_copy(value);
  if (regex && ctx->misplaced[0] == '\0' && !instantiate_pattern_fits(ctx, value))
    return json_null();
  size_t len;
  char *text = placeholder_substitute(json_string_value(value), json_string_length(value), regex,
                                      instantiate_lookup, ctx, ctx->missing, sizeof ctx->missing,
                                      &len);
  if (!text) {
    ctx->failed = 1;
    return json_null();
  }
  /* jansson rejects invalid UTF-8; dropping the keyword would widen the
   * schema, so the whole instantiation fails instead. */
  json_t *result = json_stringn(text, len);
  free(text);
  if (!result) {
    ctx->invalid_utf8 = 1;
    return json_null();
  }
  return result;
}

static json_t *instantiate_node(instantiate_ctx *ctx, json_t *node, int keyword);

/* keyword: 0 for a schema position, 1 inside pattern, 2 inside const or enum. */
static json_t *instantiate_array(instantiate_ctx *ctx, json_t *array, int keyword) {
  json_t *out = json_array();
  size_t i;
  json_t *item;
  json_array_foreach(array, i, item)
    json_array_append_new(out, instantiate_node(ctx, item, keyword));
  return out;
}

/* Names of properties, patterns and definitions are not keywords. */
static json_t *instantiate_map(instantiate_ctx *ctx, json_t *map) {
  if (!json_is_object(map))
    return instantiate_node(ctx, map, 0);
  json_t *out = json_object();
  const char *key;
  json_t *value;
  json_object_foreach(map, key, value)
    json_object_set_new(out, key, instantiate_node(ctx, value, 0));
  return out;
}

static json_t *instantiate_object(instantiate_ctx *ctx, json_t *object, int keyword) {
  json_t *out = json_object();
  const char *key;
  json_t *value;
  json_object_foreach(object, key, value) {
    int inner = keyword                                                 ? keyword
                : strcmp(key, "pattern") == 0                           ? 1
                : strcmp(key, "const") == 0 || strcmp(key, "enum") == 0 ? 2
                                                                        : 0;
    if (!keyword && (strcmp(key, "properties") == 0 || strcmp(key, "patternProperties") == 0 ||
                     strcmp(key, "definitions") == 0 || strcmp(key, "dependencies") == 0))
      json_object_set_new(out, key, instantiate_map(ctx, value));
    else
      json_object_set_new(out, key, instantiate_node(ctx, value, inner));
  }
  return out;
}

static json_t *instantiate_node(instantiate_ctx *ctx, json_t *node, int keyword) {
  if (json_is_string(node) && keyword)
    return instantiate_string(ctx, node, keyword == 1);
  if (json_is_array(node))
    return instantiate_array(ctx, node, keyword);
  if (json_is_object(node))
    return instantiate_object(ctx, node, keyword);
  return json_deep_copy(node);
}

json_t *instantiate_template(json_t *template_schema, const instantiate_value *values, size_t count,
                             char *error, size_t error_size) {
  json_t *meta = json_object_get(template_schema, "x-cfgate");
  json_t *declared = json_object_get(meta, "placeholders");
  if (!json_is_object(meta) || !json_is_array(declared)) {
    snprintf(error, error_size, "not a restricted schema template: no x-cfgate.placeholders list");
    return NULL;
  }

  instantiate_ctx ctx = {declared, values, count, "", 0, 0, ""};
  size_t i;
  json_t *name;
  json_array_foreach(declared, i, name) {
    const char *text = json_string_value(name);
    int missing = 0;
    if (text && !instantiate_lookup(&ctx, text, strlen(text), &missing) && missing) {
      snprintf(error, error_size, "no value for placeholder '%s' (pass --context %s=VALUE)", text,
               text);
      return NULL;
    }
  }

  json_t *out = instantiate_node(&ctx, template_schema, 0);
  if (ctx.invalid_utf8) {
    snprintf(error, error_size, "a --context value is not valid UTF-8");
    json_decref(out);
    return NULL;
  }
  if (ctx.misplaced[0] != '\0') {
    snprintf(error, error_size, "%s", ctx.misplaced);
    json_decref(out);
    return NULL;
  }
  if (ctx.failed) {
    snprintf(error, error_size, "no value for placeholder '%s' (pass --context %s=VALUE)",
             ctx.missing, ctx.missing);
    json_decref(out);
    return NULL;
  }
  json_object_del(json_object_get(out, "x-cfgate"), "placeholders");
  return out;
}
