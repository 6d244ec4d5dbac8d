/*
 * Reading a benchmark input into memory before any clock starts.
 */
#ifndef CFGATE_BENCH_READ_WHOLE_H
#define CFGATE_BENCH_READ_WHOLE_H

#include <stddef.h>

/* Outcome of bench_read_whole(). */
typedef enum bench_read_status {
  BENCH_READ_OK,
  BENCH_READ_OPEN_FAILED, /* errno says why */
  BENCH_READ_FAILED       /* errno says why, or 0 when memory ran out */
} bench_read_status;

/* Reads the file at path into a new buffer (*data, *size). On failure
 * *data is NULL and nothing needs to be freed. */
bench_read_status bench_read_whole(const char *path, unsigned char **data, size_t *size);

#endif
