/*
 * One type of a policy: joins its block with the provider schema and wraps
 * the result into a template root (docs/TEMPLATE-FORMAT.md).
 */
#include <stdlib.h>
#include <string.h>

#include "join.h"
#include "provider.h"

static void compile_emit_definitions(join_ctx *join, json_t *out) {
  json_t *provider_definitions = json_object_get(join->root, "definitions");
  json_t *definitions = json_object();

  /* Emitting a definition may need more definitions, so the list grows
   * while it is walked. */
  for (size_t i = 0; i < join->definition_count; i++) {
    const char *name = join->definition_order[i];
    json_t *definition = json_object_get(provider_definitions, name);
    json_object_set_new(definitions, name, join_emit_whole(join, definition, NULL));
  }

  if (json_object_size(definitions))
    json_object_set_new(out, "definitions", definitions);
  else
    json_decref(definitions);
}

static json_t *compile_sorted_keys(json_t *object) {
  json_t *names = json_array();
  const char *key;
  json_t *value;
  json_object_foreach(object, key, value)
    json_array_append_new(names, json_string(key));

  size_t count = json_array_size(names);
  for (size_t i = 1; i < count; i++)
    for (size_t j = i; j > 0 && strcmp(json_string_value(json_array_get(names, j - 1)),
                                       json_string_value(json_array_get(names, j))) > 0;
         j--) {
      json_t *swap = json_incref(json_array_get(names, j));
      json_array_set(names, j, json_array_get(names, j - 1));
      json_array_set_new(names, j - 1, swap);
    }
  return names;
}

/* Copies the provider's writeOnlyProperties ("/properties/MasterUserPassword",
 * "*" for any array item): cfgate check and cfgate hook hide these values in
 * their reports, as CloudFormation never returns them. */
static json_t *write_only_properties(json_t *provider_root) {
  json_t *out = json_array();
  size_t i;
  json_t *item;
  json_array_foreach(json_object_get(provider_root, "writeOnlyProperties"), i, item)
    if (json_is_string(item) && strncmp(json_string_value(item), "/properties/", 12) == 0)
      json_array_append(out, item);
  return out;
}

static json_t *compile_root(join_ctx *join, json_t *body, const snapshot_schema *schema) {
  json_t *out = json_object();
  json_object_set_new(out, "$schema", json_string("http://json-schema.org/draft-07/schema#"));
  json_object_update(out, body);
  json_object_del(out, "description");
  json_object_set_new(out, "type", json_string("object"));
  json_object_set_new(out, "additionalProperties", json_false());
  compile_emit_definitions(join, out);

  json_t *sources = json_array();
  json_array_append_new(sources,
                        json_string(join->compile->sources.files[join->decl->span.file].path));
  json_t *meta = json_pack("{s:s, s:o, s:o, s:s}", "typeName", schema->type_name, "placeholders",
                           compile_sorted_keys(join->placeholders), "sources", sources,
                           "providerSchemaSha256", schema->sha256);
  json_t *write_only = write_only_properties(schema->schema);
  if (json_array_size(write_only) > 0)
    json_object_set_new(meta, "writeOnlyProperties", write_only);
  else
    json_decref(write_only);
  json_object_set_new(out, "x-cfgate", meta);
  return out;
}

json_t *compile_type(compile_ctx *ctx, const ast_decl *decl, const snapshot_schema *schema) {
  join_ctx join;
  memset(&join, 0, sizeof join);
  join.compile = ctx;
  join.decl = decl;
  join.root = schema->schema;
  join.definitions = json_object();
  join.placeholders = json_object();

  json_t *out = NULL;
  join_node *tree = join_build(&join, decl->rules);
  size_t errors = ctx->diags.errors;
  if (tree) {
    json_t *body = join_emit(&join, tree, join.root, "/properties");
    out = compile_root(&join, body, schema);
    json_decref(body);
    join_warn_partial_rules(&join, tree);
  }
  if (ctx->diags.errors != errors) {
    json_decref(out);
    out = NULL;
  }

  json_decref(join.definitions);
  json_decref(join.placeholders);
  free(join.definition_order);
  return out;
}
