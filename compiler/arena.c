#include "arena.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { ARENA_CHUNK_SIZE = 64 * 1024 };

struct arena_chunk {
  arena_chunk *next;
  size_t used, size;
  max_align_t data[];
};

void arena_init(arena *a) {
  a->head = NULL;
}

void arena_fini(arena *a) {
  arena_chunk *chunk = a->head;
  while (chunk) {
    arena_chunk *next = chunk->next;
    free(chunk);
    chunk = next;
  }
  a->head = NULL;
}

static arena_chunk *arena_chunk_new(size_t min_size) {
  size_t size = min_size > ARENA_CHUNK_SIZE ? min_size : ARENA_CHUNK_SIZE;
  arena_chunk *chunk = malloc(sizeof *chunk + size);
  if (!chunk) {
    fprintf(stderr, "cfgate: out of memory\n");
    abort();
  }
  chunk->used = 0;
  chunk->size = size;
  return chunk;
}

void *arena_alloc(arena *a, size_t size) {
  size_t align = sizeof(max_align_t);
  size = (size + align - 1) / align * align;
  if (size == 0)
    size = align;

  if (!a->head || a->head->size - a->head->used < size) {
    arena_chunk *chunk = arena_chunk_new(size);
    chunk->next = a->head;
    a->head = chunk;
  }

  void *p = (char *)a->head->data + a->head->used;
  a->head->used += size;
  memset(p, 0, size);
  return p;
}

char *arena_strndup(arena *a, const char *text, size_t len) {
  char *copy = arena_alloc(a, len + 1);
  memcpy(copy, text, len);
  copy[len] = '\0';
  return copy;
}

char *arena_printf(arena *a, const char *format, ...) {
  va_list args;
  va_start(args, format);
  int len = vsnprintf(NULL, 0, format, args);
  va_end(args);

  char *text = arena_alloc(a, (size_t)(len < 0 ? 0 : len) + 1);
  va_start(args, format);
  vsnprintf(text, (size_t)len + 1, format, args);
  va_end(args);
  return text;
}
