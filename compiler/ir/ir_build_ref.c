/*
 * $id and $ref for the builder: RFC 3986 reference resolution, a registry of
 * documents and $id-named subschemas by absolute URI, JSON pointer fragments,
 * and remote documents through the caller's loader.
 */
#include <stdlib.h>
#include <string.h>

#include "ir_build_internal.h"

/* Length of the scheme and ':' of uri, or 0 when uri is a relative reference. */
static size_t scheme_length(const char *uri) {
  for (size_t i = 0; uri[i]; i++) {
    if (uri[i] == ':')
      return i > 0 ? i + 1 : 0;
    if (uri[i] == '/' || uri[i] == '?' || uri[i] == '#')
      return 0;
  }
  return 0;
}

/* Length of "scheme://authority" at the start of uri (the scheme alone when
 * there is no authority). */
static size_t authority_end(const char *uri) {
  size_t i = scheme_length(uri);
  if (uri[i] != '/' || uri[i + 1] != '/')
    return i;

  i += 2;
  while (uri[i] && uri[i] != '/' && uri[i] != '?' && uri[i] != '#')
    i++;
  return i;
}

/* Removes "." and ".." segments from the path that starts at path_start. */
static void remove_dot_segments(char *uri, size_t path_start) {
  char *out = uri + path_start;
  const char *in = out;
  char *write = out;

  while (*in && *in != '?' && *in != '#') {
    const char *next = strchr(in + 1, '/');
    size_t len = next ? (size_t)(next - in) : strlen(in);
    if (len == 2 && in[0] == '/' && in[1] == '.') {
      in += len;
      continue;
    }
    if (len == 3 && in[0] == '/' && in[1] == '.' && in[2] == '.') {
      while (write > out && *--write != '/')
        ;
      in += len;
      continue;
    }
    memmove(write, in, len);
    write += len;
    in += len;
  }
  memmove(write, in, strlen(in) + 1);
}

static char *join(ir_builder *b, const char *head, size_t head_len, const char *tail) {
  size_t tail_len = strlen(tail);
  char *uri = malloc(head_len + tail_len + 1);
  if (!uri) {
    ir_fail_memory(b);
    return NULL;
  }
  memcpy(uri, head, head_len);
  memcpy(uri + head_len, tail, tail_len + 1);
  return uri;
}

/* Resolves ref against base (RFC 3986 section 5.2, without query merging).
 * Returns a new string, or NULL when memory runs out. */
char *ir_uri_resolve(ir_builder *b, const char *base, const char *ref) {
  if (scheme_length(ref) > 0)
    return ir_strdup(b, ref);

  if (ref[0] == '#' || ref[0] == '\0') {
    size_t len = strcspn(base, "#");
    return join(b, base, len, ref);
  }
  if (ref[0] == '/' && ref[1] == '/')
    return join(b, base, scheme_length(base), ref);

  char *uri;
  size_t path_start = authority_end(base);
  if (ref[0] == '/') {
    uri = join(b, base, path_start, ref);
  } else {
    size_t len = strcspn(base, "?#");
    while (len > path_start && base[len - 1] != '/')
      len--;
    uri = join(b, base, len, ref);
  }
  if (uri)
    remove_dot_segments(uri, path_start);
  return uri;
}

/* Takes ownership of uri. Returns its index in bases[]. */
uint32_t ir_base_add(ir_builder *b, char *uri) {
  char **slot = uri ? ir_vec_push(b, &b->bases) : NULL;
  if (!slot) {
    free(uri);
    return 0;
  }
  *slot = uri;
  return (uint32_t)(b->bases.len - 1);
}

const char *ir_base_text(const ir_builder *b, uint32_t base) {
  if (base >= b->bases.len)
    return "";
  return ((char *const *)b->bases.data)[base];
}

static ir_resource *resource_find(ir_builder *b, const char *uri) {
  ir_resource *resources = b->resources.data;
  size_t len = strcspn(uri, "#");
  int plain_name = uri[len] == '#' && uri[len + 1] != '\0';

  for (size_t i = 0; i < b->resources.len; i++) {
    const char *have = resources[i].uri;
    if (plain_name ? strcmp(have, uri) == 0 : strncmp(have, uri, len) == 0 && have[len] == '\0')
      return &resources[i];
  }
  return NULL;
}

static int resource_add(ir_builder *b, const char *uri, json_t *schema, int owned) {
  if (resource_find(b, uri))
    return 0;

  char *copy = ir_strdup(b, uri);
  ir_resource *slot = copy ? ir_vec_push(b, &b->resources) : NULL;
  if (!slot) {
    free(copy);
    return -1;
  }
  slot->uri = copy;
  slot->schema = schema;
  slot->owned = owned;
  if (owned)
    json_incref(schema);
  return 0;
}

static void walk_ids(ir_builder *b, json_t *schema, const char *base, int depth);

static void walk_id_children(ir_builder *b, json_t *schema, const char *base, int depth) {
  static const char *const single[] = {"items", "additionalItems", "additionalProperties",
                                       "contains", "propertyNames", "not", "if", "then", "else"};
  static const char *const maps[] = {"definitions", "properties", "patternProperties",
                                     "dependencies"};
  static const char *const arrays[] = {"items", "allOf", "anyOf", "oneOf"};

  for (size_t i = 0; i < sizeof single / sizeof *single; i++)
    walk_ids(b, json_object_get(schema, single[i]), base, depth + 1);

  for (size_t i = 0; i < sizeof maps / sizeof *maps; i++) {
    const char *key;
    json_t *value;
    json_object_foreach(json_object_get(schema, maps[i]), key, value)
        walk_ids(b, value, base, depth + 1);
  }

  for (size_t i = 0; i < sizeof arrays / sizeof *arrays; i++) {
    size_t index;
    json_t *value;
    json_array_foreach(json_object_get(schema, arrays[i]), index, value)
        walk_ids(b, value, base, depth + 1);
  }
}

/* Registers every subschema with an $id, following only schema keywords so
 * an "$id" inside "enum", "const" or an unknown keyword stays data. In
 * draft-07 a "$ref" hides its sibling keywords, "$id" included. */
static void walk_ids(ir_builder *b, json_t *schema, const char *base, int depth) {
  if (!json_is_object(schema) || b->failed || depth > IR_MAX_SCHEMA_DEPTH)
    return;
  if (json_object_get(schema, "$ref"))
    return;

  json_t *id = json_object_get(schema, "$id");
  char *resolved = NULL;
  if (json_is_string(id)) {
    resolved = ir_uri_resolve(b, base, json_string_value(id));
    if (!resolved || resource_add(b, resolved, schema, 0) != 0) {
      free(resolved);
      return;
    }
    base = resolved;
  }

  walk_id_children(b, schema, base, depth);
  free(resolved);
}

/* Registers a schema document under uri (without fragment) and the
 * subschemas it names with $id. Takes a reference when owned is 1. */
int ir_register_document(ir_builder *b, const char *uri, json_t *schema, int owned) {
  if (resource_add(b, uri, schema, owned) != 0)
    return -1;
  ir_resource *added = resource_find(b, uri);
  if (added)
    added->document = 1;
  walk_ids(b, schema, uri, 0);
  return b->failed ? -1 : 0;
}

/* Returns the base URI in effect inside schema, given the base outside it. */
uint32_t ir_apply_id(ir_builder *b, json_t *schema, uint32_t base) {
  json_t *id = json_object_get(schema, "$id");
  if (!json_is_string(id) || json_object_get(schema, "$ref"))
    return base;
  return ir_base_add(b, ir_uri_resolve(b, ir_base_text(b, base), json_string_value(id)));
}

/* Decodes one JSON pointer token in place: percent escapes (the fragment is
 * URI-encoded), then ~1 and ~0. */
static void decode_token(char *token) {
  char *out = token;
  for (const char *in = token; *in; in++) {
    if (in[0] == '%' && in[1] && in[2]) {
      char hex[3] = {in[1], in[2], '\0'};
      char *end;
      long value = strtol(hex, &end, 16);
      if (*end == '\0') {
        *out++ = (char)value;
        in += 2;
        continue;
      }
    }
    *out++ = *in;
  }
  *out = '\0';

  out = token;
  for (const char *in = token; *in; in++) {
    if (in[0] == '~' && (in[1] == '0' || in[1] == '1')) {
      *out++ = in[1] == '0' ? '~' : '/';
      in++;
    } else {
      *out++ = *in;
    }
  }
  *out = '\0';
}

static json_t *pointer_step(json_t *node, const char *token) {
  if (json_is_object(node))
    return json_object_get(node, token);
  if (!json_is_array(node) || !*token || (token[0] == '0' && token[1]))
    return NULL;

  char *end;
  unsigned long index = strtoul(token, &end, 10);
  return *end == '\0' ? json_array_get(node, index) : NULL;
}

/* Follows the JSON pointer fragment from root, updating *base with each $id
 * passed on the way. Returns NULL when a token does not resolve. */
static json_t *follow_pointer(ir_builder *b, json_t *root, const char *pointer, uint32_t *base) {
  char *copy = ir_strdup(b, pointer);
  if (!copy)
    return NULL;

  json_t *node = root;
  char *cursor = copy;
  while (node && *cursor == '/') {
    char *token = cursor + 1;
    char *next = strchr(token, '/');
    if (next)
      *next = '\0';
    decode_token(token);
    node = pointer_step(node, token);
    if (node && json_is_object(node))
      *base = ir_apply_id(b, node, *base);
    cursor = next ? next + 1 : token + strlen(token);
    if (next)
      *--cursor = '/';
  }
  free(copy);
  return node;
}

static ir_resource *load_document(ir_builder *b, const char *uri, size_t len, uint32_t path) {
  char *doc = ir_strndup(b, uri, len);
  if (!doc)
    return NULL;

  ir_resource *found = resource_find(b, doc);
  if (!found && !b->options->load)
    ir_fail(b, path, "$ref",
            "cannot resolve $ref to \"%s\": references to other files or URLs are not followed; "
            "copy the schema into this file's \"definitions\" and refer to it as "
            "\"#/definitions/NAME\"",
            doc);
  if (!found && b->options->load) {
    const char *message = "not found";
    json_t *schema = b->options->load(b->options->load_user_data, doc, &message);
    if (!schema)
      ir_fail(b, path, "$ref", "cannot load \"%s\": %s", doc, message ? message : "not found");
    else if (ir_register_document(b, doc, schema, 1) == 0)
      found = resource_find(b, doc);
    json_decref(schema);
  }
  free(doc);
  return found;
}

/* Resolves ref found at path (base URI index base) to its target subschema,
 * the base URI in effect inside it (its own $id applied) and its schema path. Returns 0, or -1 with the
 * error recorded. */
int ir_resolve_ref(ir_builder *b, const char *ref, uint32_t base, uint32_t path, json_t **target,
                   uint32_t *target_base, uint32_t *target_path) {
  char *uri = ir_uri_resolve(b, ir_base_text(b, base), ref);
  if (!uri)
    return -1;

  size_t doc_len = strcspn(uri, "#");
  const char *fragment = uri[doc_len] ? uri + doc_len + 1 : "";
  ir_resource *resource = NULL;
  if (fragment[0] && fragment[0] != '/')
    resource = resource_find(b, uri);
  else
    resource = load_document(b, uri, doc_len, path);

  json_t *node = NULL;
  uint32_t node_base = 0;
  if (resource) {
    /* A document's own $id sets the base inside it; a subschema found by
     * its $id already has its resolved URI as the base. */
    node_base = ir_base_add(b, ir_strndup(b, uri, doc_len));
    if (resource->document && json_is_object(resource->schema))
      node_base = ir_apply_id(b, resource->schema, node_base);
    node = fragment[0] == '/' ? follow_pointer(b, resource->schema, fragment, &node_base)
                              : resource->schema;
  }
  if (!node && !b->failed)
    ir_fail(b, path, "$ref", "cannot resolve $ref \"%s\" (resolved to \"%s\")", ref, uri);

  *target = node;
  *target_base = node_base;
  int in_root = resource == b->resources.data && (fragment[0] == '/' || fragment[0] == '\0');
  const char *shown = in_root ? fragment : uri;
  *target_path = node ? ir_pool_add(b, shown, strlen(shown)) : CFGATE_IR_NONE;
  free(uri);
  return node && !b->failed ? 0 : -1;
}

void ir_resources_free(ir_builder *b) {
  ir_resource *resources = b->resources.data;
  for (size_t i = 0; i < b->resources.len; i++) {
    free(resources[i].uri);
    if (resources[i].owned)
      json_decref(resources[i].schema);
  }
  ir_vec_free(&b->resources);

  char **bases = b->bases.data;
  for (size_t i = 0; i < b->bases.len; i++)
    free(bases[i]);
  ir_vec_free(&b->bases);
}
