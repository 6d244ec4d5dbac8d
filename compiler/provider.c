#include "provider.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dsl_limits.h"

static int hex_digit(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
    return (c | 0x20) - 'a' + 10;
  return -1;
}

/* Decodes the %XX escapes of a URI fragment (RFC 3986) into out. Returns
 * the decoded length, or -1 when out is too small or an escape is broken
 * or decodes to NUL. */
static long fragment_decode(const char *fragment, char *out, size_t size) {
  size_t len = 0;
  for (const char *p = fragment; *p; p++) {
    int c = (unsigned char)*p;
    if (c == '%') {
      int high = hex_digit(p[1]), low = high < 0 ? -1 : hex_digit(p[2]);
      if (low < 0 || (high == 0 && low == 0))
        return -1;
      c = high * 16 + low;
      p += 2;
    }
    if (len + 1 >= size)
      return -1;
    out[len++] = (char)c;
  }
  out[len] = '\0';
  return (long)len;
}

/* Decodes one reference token of a JSON pointer (RFC 6901: "~1" is '/',
 * "~0" is '~') from token[0..len) into out. Returns 0, or -1 for a '~'
 * followed by anything else. */
static int token_decode(const char *token, size_t len, char *out) {
  size_t used = 0;
  for (size_t i = 0; i < len; i++) {
    if (token[i] != '~') {
      out[used++] = token[i];
      continue;
    }
    if (i + 1 >= len || (token[i + 1] != '0' && token[i + 1] != '1'))
      return -1;
    out[used++] = token[++i] == '1' ? '/' : '~';
  }
  out[used] = '\0';
  return 0;
}

/* Returns the array item of a token that is an index without leading
 * zeros, or NULL. */
static json_t *array_item(json_t *array, const char *token) {
  if (!*token || (token[0] == '0' && token[1]) || strspn(token, "0123456789") != strlen(token) ||
      strlen(token) > 9)
    return NULL;
  return json_array_get(array, (size_t)strtoul(token, NULL, 10));
}

/* Resolves a decoded JSON pointer ("/definitions/a~1b") from root. */
static json_t *provider_pointer(json_t *root, const char *pointer) {
  json_t *node = root;
  const char *p = pointer;
  while (node && *p == '/') {
    p++;
    const char *end = strchr(p, '/');
    size_t len = end ? (size_t)(end - p) : strlen(p);
    char key[PROVIDER_MAX_TOKEN];
    if (len >= sizeof key || token_decode(p, len, key) != 0)
      return NULL;
    node = json_is_array(node) ? array_item(node, key) : json_object_get(node, key);
    p += len;
  }
  return *p ? NULL : node;
}

json_t *provider_ref_target(json_t *root, const char *ref) {
  const char *hash = strchr(ref, '#');
  if (!hash)
    return NULL;
  if (hash != ref && strncmp(ref, "resource-schema.json#", 21) != 0)
    return NULL;

  char pointer[PROVIDER_MAX_POINTER];
  if (fragment_decode(hash + 1, pointer, sizeof pointer) < 0)
    return NULL;
  return provider_pointer(root, pointer);
}

int provider_definition_name(const char *ref, char *name, size_t size) {
  static const char prefix[] = "#/definitions/";
  if (strncmp(ref, prefix, sizeof prefix - 1) != 0)
    return 0;

  char token[PROVIDER_MAX_TOKEN];
  long len = fragment_decode(ref + sizeof prefix - 1, token, sizeof token);
  if (len < 0 || memchr(token, '/', (size_t)len) || (size_t)len >= size)
    return 0;
  return token_decode(token, (size_t)len, name) == 0;
}

json_t *provider_resolve(json_t *root, json_t *node) {
  for (int hops = 0; node && hops < DSL_MAX_REF_CHAIN; hops++) {
    const char *ref = json_string_value(json_object_get(node, "$ref"));
    if (!ref)
      return node;
    node = provider_ref_target(root, ref);
  }
  return NULL;
}

static const char *const provider_combinators[] = {"allOf", "anyOf", "oneOf"};

json_t *provider_property(json_t *root, json_t *level, const char *name) {
  json_t *found = json_object_get(json_object_get(level, "properties"), name);
  if (found)
    return found;

  for (size_t c = 0; c < 3; c++) {
    size_t i;
    json_t *branch;
    json_array_foreach(json_object_get(level, provider_combinators[c]), i, branch) {
      json_t *resolved = provider_resolve(root, branch);
      found = json_object_get(json_object_get(resolved, "properties"), name);
      if (found)
        return found;
    }
  }
  return NULL;
}

void provider_each_property(json_t *root, json_t *level,
                            void (*visit)(void *data, const char *name, json_t *schema),
                            void *data) {
  const char *name;
  json_t *schema;
  json_object_foreach(json_object_get(level, "properties"), name, schema)
    visit(data, name, schema);

  for (size_t c = 0; c < 3; c++) {
    size_t i;
    json_t *branch;
    json_array_foreach(json_object_get(level, provider_combinators[c]), i, branch) {
      json_t *resolved = provider_resolve(root, branch);
      json_object_foreach(json_object_get(resolved, "properties"), name, schema)
        if (provider_property(root, level, name) == schema)
          visit(data, name, schema);
    }
  }
}

const provider_type_name provider_type_names[PROVIDER_TYPE_NAME_COUNT] = {
    {"string", PROVIDER_STRING},
    {"number", PROVIDER_NUMBER},
    {"integer", PROVIDER_NUMBER | PROVIDER_INTEGER},
    {"boolean", PROVIDER_BOOLEAN},
    {"object", PROVIDER_OBJECT},
    {"array", PROVIDER_ARRAY},
    {"null", PROVIDER_NULL},
};

int provider_type_bit(const char *type) {
  for (size_t i = 0; i < PROVIDER_TYPE_NAME_COUNT; i++)
    if (type && strcmp(type, provider_type_names[i].name) == 0)
      return provider_type_names[i].bits;
  return 0;
}

void provider_type_phrase(int types, char *out, size_t size) {
  static const struct {
    int bit;
    const char *words;
  } kinds[] = {{PROVIDER_OBJECT, "an object"}, {PROVIDER_ARRAY, "an array"},
               {PROVIDER_STRING, "a string"},  {PROVIDER_INTEGER, "an integer"},
               {PROVIDER_NUMBER, "a number"},  {PROVIDER_BOOLEAN, "a boolean"},
               {PROVIDER_NULL, "null"}};
  size_t used = 0;

  out[0] = '\0';
  if (types == PROVIDER_ANY) {
    snprintf(out, size, "any value");
    return;
  }
  for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
    int bit = kinds[i].bit;
    /* "integer" sets the number bit too: name it once. */
    if (!(types & bit) || (bit == PROVIDER_NUMBER && (types & PROVIDER_INTEGER)))
      continue;
    int n = snprintf(out + used, used < size ? size - used : 0, "%s%s", used ? " or " : "",
                     kinds[i].words);
    used += n > 0 ? (size_t)n : 0;
  }
}

int provider_types(json_t *root, json_t *node) {
  node = provider_resolve(root, node);
  json_t *type = json_object_get(node, "type");
  if (json_is_string(type))
    return provider_type_bit(json_string_value(type));

  if (json_is_array(type)) {
    int bits = 0;
    size_t i;
    json_t *item;
    json_array_foreach(type, i, item)
      bits |= provider_type_bit(json_string_value(item));
    return bits ? bits : PROVIDER_ANY;
  }

  if (json_object_get(node, "properties") || json_object_get(node, "patternProperties"))
    return PROVIDER_OBJECT;
  if (json_object_get(node, "items"))
    return PROVIDER_ARRAY;
  return PROVIDER_ANY;
}

int provider_is_read_only(json_t *schema_root, const char *pointer) {
  size_t i;
  json_t *item;
  json_array_foreach(json_object_get(schema_root, "readOnlyProperties"), i, item) {
    const char *read_only = json_string_value(item);
    if (read_only && strcmp(read_only, pointer) == 0)
      return 1;
  }
  return 0;
}

int provider_has_read_only_below(json_t *schema_root, const char *pointer) {
  size_t len = strlen(pointer);
  size_t i;
  json_t *item;
  json_array_foreach(json_object_get(schema_root, "readOnlyProperties"), i, item) {
    const char *read_only = json_string_value(item);
    if (read_only && strncmp(read_only, pointer, len) == 0 && read_only[len] == '/')
      return 1;
  }
  return 0;
}
