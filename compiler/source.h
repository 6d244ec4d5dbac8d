/*
 * Source files of one compilation. Tokens and AST nodes carry byte spans. A
 * span becomes a line and column only when a diagnostic is printed, through
 * a line-start table built once per file.
 */
#ifndef CFGATE_SOURCE_H
#define CFGATE_SOURCE_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"

/* Bytes [start, end) of file `file` (an index into the source set). */
typedef struct src_span {
  uint32_t file;
  uint32_t start, end;
} src_span;

typedef struct src_file {
  const char *path; /* as given or as resolved from an include */
  const char *text; /* NUL-terminated file contents */
  size_t len;
  uint32_t *line_starts; /* byte offset of each line */
  size_t line_count;
} src_file;

typedef struct src_set {
  arena *arena;
  src_file *files;
  size_t count, capacity;
} src_set;

void src_set_init(src_set *set, arena *a);
void src_set_fini(src_set *set);

/* Adds a file with the given contents (copied) and returns its index. */
uint32_t src_set_add(src_set *set, const char *path, const char *text, size_t len);

/* Converts a byte offset into a 1-based line and a 1-based column in code
 * points (see src_count_columns). */
void src_position(const src_file *file, uint32_t offset, uint32_t *line, uint32_t *column);

/* Returns the columns that text[0..len) takes: one per UTF-8 sequence and
 * one per byte that starts no valid sequence, as the lexer counts the
 * characters of a non-ASCII run. */
size_t src_count_columns(const char *text, size_t len);

/* Returns the bytes of the character at text[0..len), len > 0: the length
 * of its UTF-8 sequence, or 1 for a byte that starts no valid sequence. */
size_t src_char_length(const char *text, size_t len);

#endif
