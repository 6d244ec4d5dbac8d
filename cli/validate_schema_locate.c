/*
 * Positions of schema errors. ir_build() names the schema location of a
 * keyword it cannot compile as a JSON pointer. The schema text is read
 * again into a tree with positions, so the error gets the line and column
 * of the keyword, and its value when that is a scalar.
 */
#include "validate_schema.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "template_load.h"
#include "template_pointer.h"
#include "utf8.h"

/* Bytes of a schema file read to find a position; past it, none is given. */
#define SCHEMA_LOCATE_SCAN_LIMIT (64u * 1024u * 1024u)

/* Maximum bytes of a value quoted in an error. */
#define SCHEMA_LOCATE_VALUE_MAX 60

/* Writes the text of scalar node, quoted when a string, with bytes outside
 * printable ASCII as \xHH. */
static void describe(const tnode *node, char *out, size_t size) {
  size_t n = 0;
  int quoted = node->kind == TNODE_STRING;
  if (quoted)
    out[n++] = '"';
  for (size_t i = 0; i < node->len && i < SCHEMA_LOCATE_VALUE_MAX && n + 6 < size; i++) {
    unsigned char c = (unsigned char)node->text[i];
    if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\')
      out[n++] = (char)c;
    else
      n += (size_t)snprintf(out + n, size - n, "\\x%02X", c);
  }
  if (node->len > SCHEMA_LOCATE_VALUE_MAX && n + 4 < size)
    n += (size_t)snprintf(out + n, size - n, "...");
  if (quoted && n + 1 < size)
    out[n++] = '"';
  out[n] = '\0';
}

/* Copies text to out with control characters as \xHH and the characters
 * of utf8_invisible() as \uXXXX, so a schema key cannot reach the terminal
 * raw through a location or a message. */
static void escape_controls(const char *text, char *out, size_t size) {
  size_t n = 0;
  for (const char *c = text; *c && n + 8 < size; c++) {
    size_t len = 0;
    unsigned char byte = (unsigned char)*c;
    uint32_t code = byte >= 0x80 ? utf8_invisible(c, &len) : 0;
    if (code) {
      n += (size_t)snprintf(out + n, size - n, "\\u%04X", (unsigned)code);
      c += len - 1;
    } else if (byte < 0x20 || byte == 0x7F) {
      n += (size_t)snprintf(out + n, size - n, "\\x%02X", byte);
    } else {
      out[n++] = *c;
    }
  }
  out[n] = '\0';
}

/* Returns 1 when message already quotes the string node ("text"). */
static int message_quotes(const char *message, const tnode *node) {
  const char *at = message;
  while (node->kind == TNODE_STRING && node->len > 0 && (at = strchr(at, '"')) != NULL) {
    at++;
    if (strncmp(at, node->text, node->len) == 0 && at[node->len] == '"')
      return 1;
  }
  return 0;
}

/* Returns the text of the file at path (after a byte order mark), or NULL. */
static unsigned char *read_schema(const char *path, size_t *size) {
  FILE *in = fopen(path, "rb");
  if (in == NULL)
    return NULL;

  validate_schema_skip_bom(in);
  unsigned char *text = malloc(SCHEMA_LOCATE_SCAN_LIMIT);
  *size = text ? fread(text, 1, SCHEMA_LOCATE_SCAN_LIMIT, in) : 0;
  fclose(in);
  return text;
}

void validate_schema_report_location(const char *path, const char *raw_pointer,
                                     const char *raw_message) {
  char pointer[1024], message[1024];
  escape_controls(raw_pointer, pointer, sizeof pointer);
  escape_controls(raw_message, message, sizeof message);
  size_t size = 0;
  unsigned char *text = read_schema(path, &size);
  tnode_arena arena;
  tnode_arena_init(&arena);
  template_error error;
  const tnode *root = text && size < SCHEMA_LOCATE_SCAN_LIMIT
                          ? template_load(&arena, text, size, &error)
                          : NULL;
  const tnode *node = root ? template_locate_exact(root, raw_pointer) : NULL;

  /* A message that already quotes the string (a $ref) needs no repeat, and
   * an object or array is better shown by its position alone. */
  int container = node && (node->kind == TNODE_OBJECT || node->kind == TNODE_ARRAY);
  if (node && (container || message_quotes(raw_message, node))) {
    fprintf(stderr, "%s:%u:%u: error: schema location '%s': %s\n", path, node->line, node->column,
            pointer, message);
  } else if (node) {
    char value[4 * SCHEMA_LOCATE_VALUE_MAX + 16];
    describe(node, value, sizeof value);
    fprintf(stderr, "%s:%u:%u: error: schema location '%s': %s; got %s\n", path, node->line,
            node->column, pointer, message, value);
  } else {
    fprintf(stderr, "%s: error: schema location '%s': %s\n", path, pointer, message);
  }
  tnode_arena_fini(&arena);
  free(text);
}
