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
#include "validate_report.h"

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

static void write_escaped(const char *text) {
  validate_write_escaped(stderr, text, strlen(text));
}

/* Writes "PATH[:LINE:COL]: error: schema location 'POINTER': MESSAGE[; got VALUE]".
 * The path, pointer and message are escaped, because they come from inputs. */
static void report_line(const char *path, const tnode *node, const char *pointer,
                        const char *message, const char *value) {
  write_escaped(path);
  if (node)
    fprintf(stderr, ":%u:%u", node->line, node->column);
  fputs(": error: schema location '", stderr);
  write_escaped(pointer);
  fputs("': ", stderr);
  write_escaped(message);
  if (value)
    fprintf(stderr, "; got %s", value);
  fputc('\n', stderr);
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
  if (node && !container && !message_quotes(raw_message, node)) {
    char value[4 * SCHEMA_LOCATE_VALUE_MAX + 16];
    describe(node, value, sizeof value);
    report_line(path, node, raw_pointer, raw_message, value);
  } else {
    report_line(path, node, raw_pointer, raw_message, NULL);
  }
  tnode_arena_fini(&arena);
  free(text);
}
