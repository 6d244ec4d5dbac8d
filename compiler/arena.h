/*
 * Arena allocation for one compilation. AST nodes, decoded strings, line
 * tables and restriction trees come from one arena that is freed once, so an
 * error exit cannot leak them.
 */
#ifndef CFGATE_ARENA_H
#define CFGATE_ARENA_H

#include <stddef.h>

typedef struct arena_chunk arena_chunk;

typedef struct arena {
  arena_chunk *head;
} arena;

void arena_init(arena *a);
void arena_fini(arena *a);

/* Returns zeroed memory aligned for any type. Aborts when malloc fails,
 * because the compiler has no useful way to continue without memory. */
void *arena_alloc(arena *a, size_t size);

/* Returns a NUL-terminated copy of text[0..len). */
char *arena_strndup(arena *a, const char *text, size_t len);

/* Returns a printf-formatted string allocated in the arena. */
char *arena_printf(arena *a, const char *format, ...) __attribute__((format(printf, 2, 3)));

#endif
