#include "source.h"

#include <stdlib.h>
#include <string.h>

#include "utf8.h"

void src_set_init(src_set *set, arena *a) {
  memset(set, 0, sizeof *set);
  set->arena = a;
}

void src_set_fini(src_set *set) {
  free(set->files);
  memset(set, 0, sizeof *set);
}

static void src_build_lines(arena *a, src_file *file) {
  size_t count = 1;
  for (size_t i = 0; i < file->len; i++)
    count += file->text[i] == '\n';

  file->line_starts = arena_alloc(a, count * sizeof file->line_starts[0]);
  file->line_count = 0;
  file->line_starts[file->line_count++] = 0;
  for (size_t i = 0; i < file->len; i++)
    if (file->text[i] == '\n')
      file->line_starts[file->line_count++] = (uint32_t)(i + 1);
}

uint32_t src_set_add(src_set *set, const char *path, const char *text, size_t len) {
  if (set->count == set->capacity) {
    set->capacity = set->capacity ? 2 * set->capacity : 8;
    set->files = realloc(set->files, set->capacity * sizeof set->files[0]);
    if (!set->files)
      abort();
  }

  src_file *file = &set->files[set->count];
  file->path = arena_strndup(set->arena, path, strlen(path));
  file->text = arena_strndup(set->arena, text, len);
  file->len = len;
  src_build_lines(set->arena, file);
  return (uint32_t)set->count++;
}

void src_position(const src_file *file, uint32_t offset, uint32_t *line, uint32_t *column) {
  size_t low = 0, high = file->line_count;
  while (high - low > 1) {
    size_t mid = (low + high) / 2;
    if (file->line_starts[mid] <= offset)
      low = mid;
    else
      high = mid;
  }
  *line = (uint32_t)low + 1;

  /* Columns count code points, as the runtime and `cfgate check` do, so a
   * column is the same whatever the editor's byte encoding of the line. */
  uint32_t start = file->line_starts[low];
  *column = 1 + (uint32_t)src_count_columns(file->text + start, offset > start ? offset - start : 0);
}

size_t src_count_columns(const char *text, size_t len) {
  size_t count = 0;
  for (size_t at = 0; at < len; count++)
    at += src_char_length(text + at, len - at);
  return count;
}

size_t src_char_length(const char *text, size_t len) {
  uint32_t code_point;
  size_t used = utf8_decode(text, len, &code_point);
  return used ? used : 1;
}
