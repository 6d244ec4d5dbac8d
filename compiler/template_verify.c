#include "template_verify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dsl_limits.h"
#include "pattern_placeholder.h"
#include "provider.h"

enum { VERIFY_PATH_SIZE = 1024, VERIFY_REASON_SIZE = 800 };

#define CFGATE_STR_TEXT(x) #x
#define CFGATE_STR(x) CFGATE_STR_TEXT(x)

typedef struct verify_ctx {
  json_t *definitions;
  json_t *placeholders; /* x-cfgate.placeholders, or NULL */
  char misplaced[512];  /* the first misplaced placeholder's message, or "" */
  char *reason;         /* what is wrong, without the location */
  size_t reason_size;
  /* JSON pointer of the node being checked, cut when too long. After a
   * failure it is the location of the fault, because no push is undone. */
  char path[VERIFY_PATH_SIZE];
  size_t path_len;
} verify_ctx;

static int verify_node(verify_ctx *ctx, json_t *node, int depth);

/* Appends "/segment" to the path and returns the length to restore. */
static size_t verify_push(verify_ctx *ctx, const char *segment) {
  size_t saved = ctx->path_len;
  size_t room = VERIFY_PATH_SIZE - 1 - ctx->path_len;
  size_t len = strlen(segment) + 1;
  if (len > room)
    len = room;
  if (len > 0) {
    ctx->path[ctx->path_len] = '/';
    memcpy(ctx->path + ctx->path_len + 1, segment, len - 1);
    ctx->path_len += len;
  }
  ctx->path[ctx->path_len] = '\0';
  return saved;
}

static void verify_pop(verify_ctx *ctx, size_t saved) {
  ctx->path_len = saved;
  ctx->path[saved] = '\0';
}

static int verify_child(verify_ctx *ctx, const char *segment, json_t *node, int depth) {
  size_t saved = verify_push(ctx, segment);
  int ok = verify_node(ctx, node, depth + 1);
  if (ok)
    verify_pop(ctx, saved);
  return ok;
}

/* Keys whose value is data, not a schema. */
static int verify_is_data(const char *key) {
  static const char *const keys[] = {"enum",     "const",    "default",       "examples",
                                     "required", "x-cfgate", "x-cfgate-rule", "type"};
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
    if (strcmp(key, keys[i]) == 0)
      return 1;
  return 0;
}

/* Keys whose value maps names to schemas. */
static int verify_is_schema_map(const char *key) {
  return strcmp(key, "properties") == 0 || strcmp(key, "patternProperties") == 0 ||
         strcmp(key, "definitions") == 0 || strcmp(key, "dependencies") == 0;
}

static int verify_fail(verify_ctx *ctx, const char *reason) {
  snprintf(ctx->reason, ctx->reason_size, "%s", reason);
  return 0;
}

/* Fails with the location of the node's keyword, which may be absent. */
static int verify_fail_at(verify_ctx *ctx, const char *keyword, const char *reason) {
  verify_push(ctx, keyword);
  return verify_fail(ctx, reason);
}

/* Keys that annotate a node and never change what it accepts. */
static int verify_is_annotation(const char *key) {
  static const char *const keys[] = {"$ref", "description", "title", "$comment", "x-cfgate-rule"};
  for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
    if (strcmp(key, keys[i]) == 0)
      return 1;
  return 0;
}

static int verify_is_placeholder(void *data, const char *name, size_t len) {
  const verify_ctx *ctx = data;
  size_t i;
  json_t *item;

  json_array_foreach(ctx->placeholders, i, item)
    if (json_string_length(item) == len && memcmp(json_string_value(item), name, len) == 0)
      return 1;
  return 0;
}

static void verify_note_misplaced(void *data, size_t offset, size_t len, const char *message) {
  verify_ctx *ctx = data;
  (void)offset;
  (void)len;
  if (ctx->misplaced[0] == '\0')
    snprintf(ctx->misplaced, sizeof ctx->misplaced, "%s", message);
}

/* Checks that each placeholder of the node's pattern is an atom of its own,
 * where the pattern engine and instantiate read it the same way. */
static int verify_pattern(verify_ctx *ctx, json_t *node) {
  json_t *pattern = json_object_get(node, "pattern");
  const char *text = json_string_value(pattern);

  if (!text || !strstr(text, "${"))
    return 1;
  if (pattern_placeholder_scan(text, json_string_length(pattern), verify_is_placeholder,
                               verify_note_misplaced, ctx) == 0)
    return 1;

  char reason[700];
  snprintf(reason, sizeof reason, "pattern \"%.100s\": %s", text, ctx->misplaced);
  return verify_fail_at(ctx, "pattern", reason);
}

/* Rejects keywords next to a $ref: draft-07 ignores them, so a $ref added
 * to a closed node would replace its properties and additionalProperties. */
static int verify_ref_alone(verify_ctx *ctx, json_t *node) {
  const char *key;
  json_t *value;

  if (!json_object_get(node, "$ref"))
    return 1;
  json_object_foreach(node, key, value)
    if (!verify_is_annotation(key))
      return verify_fail_at(ctx, key, "a keyword next to $ref, which draft-07 ignores");
  return 1;
}

static int verify_ref(verify_ctx *ctx, json_t *node) {
  const char *ref = json_string_value(json_object_get(node, "$ref"));
  if (!ref)
    return 1;
  char name[PROVIDER_MAX_TOKEN];
  if (!provider_definition_name(ref, name, sizeof name) ||
      !json_object_get(ctx->definitions, name)) {
    char reason[300];
    snprintf(reason, sizeof reason, "reference to a missing definition \"%.200s\"", ref);
    return verify_fail_at(ctx, "$ref", reason);
  }
  return 1;
}

/* Rejects each keyword that the compiler never writes and that would let a
 * node accept more than the provider schema. An object with properties
 * must have additionalProperties false and no patternProperties, and a map
 * with patternProperties must have additionalProperties false. No node
 * has an additionalProperties or additionalItems other than false or an
 * $id, and a $ref has no sibling keywords, which draft-07 ignores. A
 * provider node with such a keyword fails to compile. The us-east-1
 * snapshot has none.
 * NOTE: the check has no provider schema or policy to compare with. So it
 * cannot see an edit that removes or loosens a constraint (a pattern, an
 * enum), or one that adds a name to properties or a key to a map's
 * patternProperties. */
static int verify_closed(verify_ctx *ctx, json_t *node) {
  json_t *additional = json_object_get(node, "additionalProperties");
  json_t *items = json_object_get(node, "additionalItems");
  int has_properties = json_object_get(node, "properties") != NULL;

  if (has_properties && !additional)
    return verify_fail_at(ctx, "additionalProperties",
                          "an object with properties has no additionalProperties false");
  if (additional && !json_is_false(additional))
    return verify_fail_at(ctx, "additionalProperties",
                          "additionalProperties is not false, so names outside properties pass");
  if (has_properties && json_object_get(node, "patternProperties"))
    return verify_fail_at(ctx, "patternProperties",
                          "patternProperties next to properties let names through that "
                          "additionalProperties false rejects");
  if (json_object_get(node, "patternProperties") && !additional)
    return verify_fail_at(ctx, "additionalProperties",
                          "a map with patternProperties has no additionalProperties false, so "
                          "names that match none of its patterns pass");
  if (items && !json_is_false(items))
    return verify_fail_at(ctx, "additionalItems",
                          "additionalItems is not false, so items past the listed ones pass");
  if (json_object_get(node, "$id"))
    return verify_fail_at(ctx, "$id",
                          "$id would make a $ref below it resolve to other definitions");
  return verify_ref_alone(ctx, node);
}

static int verify_schema_map(verify_ctx *ctx, const char *key, json_t *map, int depth) {
  size_t saved = verify_push(ctx, key);
  const char *name;
  json_t *schema;
  json_object_foreach(map, name, schema) {
    /* Array values of dependencies list property names. */
    if (!json_is_array(schema) && !verify_child(ctx, name, schema, depth))
      return 0;
  }
  verify_pop(ctx, saved);
  return 1;
}

static int verify_children(verify_ctx *ctx, json_t *node, int depth) {
  const char *key;
  json_t *value;
  json_object_foreach(node, key, value) {
    if (verify_is_data(key))
      continue;
    int ok = verify_is_schema_map(key) ? verify_schema_map(ctx, key, value, depth)
                                       : verify_child(ctx, key, value, depth);
    if (!ok)
      return 0;
  }
  return 1;
}

static int verify_array(verify_ctx *ctx, json_t *array, int depth) {
  size_t i;
  json_t *item;
  json_array_foreach(array, i, item) {
    char index[32];
    snprintf(index, sizeof index, "%zu", i);
    if (!verify_child(ctx, index, item, depth))
      return 0;
  }
  return 1;
}

static int verify_node(verify_ctx *ctx, json_t *node, int depth) {
  if (json_is_array(node))
    return verify_array(ctx, node, depth);
  if (!json_is_object(node))
    return 1;
  if (depth > DSL_MAX_SCHEMA_DEPTH)
    return verify_fail(ctx, "too many nested schema levels (limit is " CFGATE_STR(
                                DSL_MAX_SCHEMA_DEPTH) ")");

  return verify_closed(ctx, node) && verify_ref(ctx, node) && verify_pattern(ctx, node) && verify_children(ctx, node, depth);
}

/* Checks that x-cfgate.placeholders, when present, is a list of names. Any
 * other value would leave every ${NAME} of the template as literal text. */
static int verify_placeholder_list(verify_ctx *ctx, json_t *template_schema) {
  json_t *list = json_object_get(json_object_get(template_schema, "x-cfgate"), "placeholders");
  if (!list)
    return 1;

  int names = json_is_array(list);
  size_t i;
  json_t *item;
  json_array_foreach(list, i, item)
    names = names && json_is_string(item) && json_string_length(item) > 0;
  if (names)
    return 1;

  char *text = json_dumps(list, JSON_ENCODE_ANY | JSON_COMPACT | JSON_ENSURE_ASCII);
  char reason[400];
  snprintf(reason, sizeof reason, "x-cfgate.placeholders is %.200s%s, but it must be a list of "
           "placeholder names such as [\"AWS::AccountId\"]",
           text ? text : "?", text && strlen(text) > 200 ? "..." : "");
  free(text);
  verify_push(ctx, "x-cfgate");
  return verify_fail_at(ctx, "placeholders", reason);
}

int template_verify_located(json_t *template_schema, char *location, size_t location_size,
                            char *reason, size_t reason_size) {
  verify_ctx ctx;
  memset(&ctx, 0, sizeof ctx);
  ctx.definitions = json_object_get(template_schema, "definitions");
  ctx.placeholders = json_object_get(json_object_get(template_schema, "x-cfgate"), "placeholders");
  ctx.reason = reason;
  ctx.reason_size = reason_size;
  reason[0] = '\0';

  int ok = verify_placeholder_list(&ctx, template_schema) && verify_node(&ctx, template_schema, 0);
  snprintf(location, location_size, "%s", ok || ctx.path_len == 0 ? "" : ctx.path);
  return ok;
}

int template_verify(json_t *template_schema, char *problem, size_t problem_size) {
  char location[VERIFY_PATH_SIZE], reason[VERIFY_REASON_SIZE];
  problem[0] = '\0';
  if (template_verify_located(template_schema, location, sizeof location, reason, sizeof reason))
    return 1;

  snprintf(problem, problem_size, "schema location '%s': %s", location[0] ? location : "/",
           reason);
  return 0;
}

/* The draft-07 meta-schema URIs, with and without the empty fragment.
 * The compiler writes the first. */
static const char *const verify_draft7_uris[] = {
    "http://json-schema.org/draft-07/schema#", "http://json-schema.org/draft-07/schema",
    "https://json-schema.org/draft-07/schema#", "https://json-schema.org/draft-07/schema"};

/* Rejects a root whose $schema is missing or names another dialect: the
 * runtime reads every keyword as draft-07, so a template written for
 * another dialect would be validated under rules it does not follow. */
static int verify_dialect(json_t *template_schema, char *problem, size_t problem_size) {
  json_t *uri = json_object_get(template_schema, "$schema");
  for (size_t i = 0; i < sizeof verify_draft7_uris / sizeof verify_draft7_uris[0]; i++)
    if (json_is_string(uri) && strcmp(json_string_value(uri), verify_draft7_uris[i]) == 0)
      return 1;

  if (!uri) {
    snprintf(problem, problem_size,
             "schema location '/$schema': no $schema, where a template names draft-07 "
             "(http://json-schema.org/draft-07/schema#)");
    return 0;
  }

  char *value = json_dumps(uri, JSON_ENCODE_ANY | JSON_COMPACT);
  snprintf(problem, problem_size,
           "schema location '/$schema': unsupported $schema %.200s: a template is draft-07 "
           "only (http://json-schema.org/draft-07/schema#)",
           value ? value : "(unprintable)");
  free(value);
  return 0;
}

int template_verify_loaded(json_t *template_schema, const char *type_name, char *problem,
                           size_t problem_size) {
  const char *declared =
      json_string_value(json_object_get(json_object_get(template_schema, "x-cfgate"), "typeName"));
  if (!declared) {
    snprintf(problem, problem_size, "no x-cfgate.typeName (expected '%s')", type_name);
    return 0;
  }
  if (strcmp(declared, type_name) != 0) {
    snprintf(problem, problem_size,
             "x-cfgate.typeName is '%s' but the manifest entry is for '%s'", declared, type_name);
    return 0;
  }

  json_t *type = json_object_get(template_schema, "type");
  if (!json_is_string(type) || strcmp(json_string_value(type), "object") != 0 ||
      !json_is_false(json_object_get(template_schema, "additionalProperties"))) {
    snprintf(problem, problem_size,
             "the root is not a closed object schema (type \"object\" and "
             "additionalProperties false)");
    return 0;
  }
  return verify_dialect(template_schema, problem, problem_size) &&
         template_verify(template_schema, problem, problem_size);
}
