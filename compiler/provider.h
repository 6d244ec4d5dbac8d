/*
 * Queries on one AWS provider schema: $ref resolution, the properties
 * defined at an object level (own and in oneOf/anyOf/allOf branches), the
 * JSON types a node accepts, and read-only property pointers.
 */
#ifndef CFGATE_PROVIDER_H
#define CFGATE_PROVIDER_H

#include <jansson.h>

/* Bytes of a decoded $ref fragment and of one decoded pointer token, NUL
 * included. A longer $ref names no node. */
#define PROVIDER_MAX_POINTER 1024
#define PROVIDER_MAX_TOKEN 256

/* JSON type bits of a schema node. */
enum {
  PROVIDER_STRING = 1,
  PROVIDER_NUMBER = 2, /* "number" and "integer" */
  PROVIDER_INTEGER = 4,
  PROVIDER_BOOLEAN = 8,
  PROVIDER_OBJECT = 16,
  PROVIDER_ARRAY = 32,
  PROVIDER_NULL = 64,
  PROVIDER_ANY = 127
};

/* Follows $ref chains from node to a schema with content. Returns node when
 * it has no $ref, the target otherwise, or NULL when a chain has no content
 * (a cycle of $refs) or leaves the document. */
json_t *provider_resolve(json_t *root, json_t *node);

/* Returns the target of one local reference ("#/definitions/X",
 * "resource-schema.json#/properties/Y"), or NULL. The fragment's %XX
 * escapes (RFC 3986) and the pointer's ~0 and ~1 (RFC 6901) are decoded,
 * and a token selects an array item by its index. */
json_t *provider_ref_target(json_t *root, const char *ref);

/* Writes into name (size bytes) the decoded definition name of
 * "#/definitions/Name" ("#/definitions/a~1b" names "a/b") and returns 1.
 * Returns 0 when ref has another form or the name does not fit. */
int provider_definition_name(const char *ref, char *name, size_t size);

/* Returns the property schema named `name` at an object level (resolved),
 * looking in `properties` and then in combinator branches; NULL if none. */
json_t *provider_property(json_t *root, json_t *level, const char *name);

/* Calls visit once for each distinct property name of an object level. */
void provider_each_property(json_t *root, json_t *level,
                            void (*visit)(void *data, const char *name, json_t *schema),
                            void *data);

/* Returns the PROVIDER_* bits the resolved node accepts, or PROVIDER_ANY when
 * it has no type keyword and no properties or items to infer one from. */
int provider_types(json_t *root, json_t *node);

/* A JSON Schema type name and its PROVIDER_* bits. */
typedef struct provider_type_name {
  const char *name;
  int bits;
} provider_type_name;

#define PROVIDER_TYPE_NAME_COUNT 7
extern const provider_type_name provider_type_names[PROVIDER_TYPE_NAME_COUNT];

/* Returns the PROVIDER_* bits of a type name, or 0 for NULL or an unknown name. */
int provider_type_bit(const char *type);

/* Writes the type bits as words for a message: "an object or a string",
 * "an integer", "any value". */
void provider_type_phrase(int types, char *out, size_t size);

/* Returns 1 when pointer (such as "/properties/A/B", "*" for array items and
 * map values) is one of the schema's readOnlyProperties. */
int provider_is_read_only(json_t *schema_root, const char *pointer);

/* Returns 1 when a read-only pointer lies strictly below pointer. */
int provider_has_read_only_below(json_t *schema_root, const char *pointer);

#endif
