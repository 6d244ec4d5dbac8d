/*
 * Reading a benchmark input into memory before any clock starts.
 */
#include "read_whole.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

enum { READ_WHOLE_FIRST_CAPACITY = 1 << 20 }; /* bytes of the first buffer, doubled as needed */

bench_read_status bench_read_whole(const char *path, unsigned char **data, size_t *size) {
  FILE *file = fopen(path, "rb");
  *data = NULL;
  *size = 0;
  if (file == NULL)
    return BENCH_READ_OPEN_FAILED;

  size_t capacity = READ_WHOLE_FIRST_CAPACITY, used = 0, got;
  unsigned char *buffer = malloc(capacity);
  while (buffer != NULL && (got = fread(buffer + used, 1, capacity - used, file)) > 0) {
    used += got;
    if (used < capacity)
      continue;
    unsigned char *grown = realloc(buffer, capacity * 2);
    if (grown == NULL)
      free(buffer);
    buffer = grown;
    capacity *= 2;
  }

  int failed = buffer == NULL || ferror(file);
  int error = buffer == NULL ? 0 : errno;
  fclose(file);
  if (failed) {
    free(buffer);
    errno = error;
    return BENCH_READ_FAILED;
  }
  *data = buffer;
  *size = used;
  return BENCH_READ_OK;
}
