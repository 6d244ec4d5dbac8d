/*
 * The "$schema" check of `cfgate validate`. The validator implements
 * draft-07 alone, so a schema that names another dialect would be
 * validated under rules it does not follow, and is rejected instead.
 */
#include "validate_schema.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Largest schema file searched for the position of "$schema".
 * NOTE: a rejected "$schema" past this many bytes is reported at 1:1. */
#define SCHEMA_VERSION_SCAN_LIMIT (64u * 1024u * 1024u)

/* The draft-07 meta-schema URIs, with and without the empty fragment. */
static const char *const draft7_uris[] = {
  "http://json-schema.org/draft-07/schema#",  "http://json-schema.org/draft-07/schema",
  "https://json-schema.org/draft-07/schema#", "https://json-schema.org/draft-07/schema",
};

/* The CloudFormation resource provider definition meta-schema extends
 * draft-07, and provider schemas name it by several https URLs (the AWS
 * schema host of a region, or the GitHub source), all ending in this. */
static const char provider_meta_schema[] = "/provider.definition.schema.v1.json";

static int is_provider_uri(const char *uri) {
  size_t len = strlen(uri), suffix_len = sizeof provider_meta_schema - 1;
  return strncmp(uri, "https://", 8) == 0 && len > suffix_len &&
         strcmp(uri + len - suffix_len, provider_meta_schema) == 0;
}

static int is_draft7_uri(const char *uri) {
  for (size_t i = 0; i < sizeof draft7_uris / sizeof draft7_uris[0]; i++)
    if (strcmp(uri, draft7_uris[i]) == 0)
      return 1;
  return is_provider_uri(uri);
}

typedef struct text_position {
  unsigned line, column; /* 1-based; the column counts characters */
} text_position;

static void advance(text_position *position, unsigned char byte) {
  if (byte == '\n') {
    position->line++;
    position->column = 1;
  } else if ((byte & 0xC0) != 0x80) {
    position->column++;
  }
}

/* Returns the offset just past the string that starts at text[start]. */
static size_t skip_string(const char *text, size_t size, size_t start) {
  size_t i = start + 1;
  while (i < size && text[i] != '"')
    i += text[i] == '\\' ? 2 : 1;
  return i < size ? i + 1 : size;
}

static size_t skip_space(const char *text, size_t size, size_t i) {
  while (i < size && strchr(" \t\r\n", text[i]) && text[i] != '\0')
    i++;
  return i;
}

/* Returns the offset of the value of the root object's "$schema" member,
 * or size when the text has none. */
static size_t find_root_schema_value(const char *text, size_t size) {
  int depth = 0;
  for (size_t i = 0; i < size;) {
    if (text[i] == '"') {
      size_t end = skip_string(text, size, i);
      size_t next = skip_space(text, size, end);
      int is_key = depth == 1 && next < size && text[next] == ':';
      if (is_key && end - i == 9 && memcmp(text + i, "\"$schema\"", 9) == 0)
        return skip_space(text, size, next + 1);
      i = end;
      continue;
    }
    depth += text[i] == '{' || text[i] == '[';
    depth -= text[i] == '}' || text[i] == ']';
    i++;
  }
  return size;
}

/* Returns the position of the root "$schema" value in the file at path,
 * or 1:1 when the file cannot be read again or has no such member. */
static text_position locate_schema_value(const char *path) {
  text_position position = {1, 1};
  FILE *in = fopen(path, "rb");
  if (in)
    validate_schema_skip_bom(in);
  char *text = in ? malloc(SCHEMA_VERSION_SCAN_LIMIT) : NULL;
  size_t size = text ? fread(text, 1, SCHEMA_VERSION_SCAN_LIMIT, in) : 0;
  if (in)
    fclose(in);

  size_t offset = find_root_schema_value(text, size);
  if (offset < size)
    for (size_t i = 0; i < offset; i++)
      advance(&position, (unsigned char)text[i]);
  free(text);
  return position;
}

int validate_schema_check_version(const char *path, const json_t *schema) {
  const json_t *uri = json_object_get(schema, "$schema");
  if (uri == NULL || (json_is_string(uri) && is_draft7_uri(json_string_value(uri))))
    return 0;

  text_position at = locate_schema_value(path);
  char *value = json_dumps(uri, JSON_ENCODE_ANY | JSON_COMPACT);
  fprintf(stderr,
          "%s:%u:%u: error: unsupported $schema %.200s: cfgate validates draft-07 only "
          "(http://json-schema.org/draft-07/schema#)\n",
          path, at.line, at.column, value ? value : "(unprintable)");
  free(value);
  return -1;
}
