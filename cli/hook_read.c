/*
 * Bounded reading of one hook event. The buffer grows to at most one byte
 * past the limit, so an oversized event is detected without reading it
 * all.
 */
#include "hook_read.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { HOOK_READ_FIRST_CHUNK = 64 * 1024 };

/* Reads up to HOOK_MAX_EVENT_BYTES + 1 bytes into a growing buffer.
 * Returns it with *size set, or NULL when memory or the read fails. */
static char *read_bounded(FILE *in, size_t *size) {
  size_t capacity = HOOK_READ_FIRST_CHUNK, len = 0;
  char *data = malloc(capacity);
  while (data) {
    len += fread(data + len, 1, capacity - len, in);
    if (len < capacity || ferror(in) || len > HOOK_MAX_EVENT_BYTES)
      break;

    capacity = capacity * 2 > (size_t)HOOK_MAX_EVENT_BYTES + 1 ? (size_t)HOOK_MAX_EVENT_BYTES + 1
                                                               : capacity * 2;
    char *grown = realloc(data, capacity);
    if (!grown)
      free(data);
    data = grown;
  }
  if (data && ferror(in)) {
    free(data);
    return NULL;
  }
  *size = len;
  return data;
}

hook_read_status hook_read_event(const char *path, char **bytes, size_t *size, char *error,
                                 size_t error_size) {
  int is_stdin = strcmp(path, "-") == 0;
  const char *name = is_stdin ? "<stdin>" : path;
  FILE *in = is_stdin ? stdin : fopen(path, "rb");
  if (!in) {
    snprintf(error, error_size, "%s: cannot open: %s", name, strerror(errno));
    return HOOK_READ_FAILED;
  }

  errno = 0;
  *bytes = read_bounded(in, size);
  int read_errno = errno;
  if (!is_stdin)
    fclose(in);
  if (!*bytes) {
    snprintf(error, error_size, "%s: read failed: %s", name,
             read_errno ? strerror(read_errno) : "out of memory");
    return HOOK_READ_FAILED;
  }
  if (*size > HOOK_MAX_EVENT_BYTES) {
    free(*bytes);
    *bytes = NULL;
    snprintf(error, error_size, "%s: event too large (limit is %d bytes)", name,
             HOOK_MAX_EVENT_BYTES);
    return HOOK_READ_TOO_LARGE;
  }
  return HOOK_READ_OK;
}
