/*
 * libzip, opened with dlopen when the first zip snapshot is read. Commands
 * that never read a zip (cfgate hook with a compiled policy, cfgate
 * validate) then do not load libzip and the libraries it needs (libcrypto,
 * libbz2, libz). Loading them took 1.3 ms of CPU time per process start
 * (perf stat of `cfgate --version` on a 2-core AMD EPYC: 1.9 ms, 0.6 ms
 * without them).
 */
#ifndef CFGATE_SNAPSHOT_ZIP_H
#define CFGATE_SNAPSHOT_ZIP_H

#include <stddef.h>
#include <zip.h>

/* The libzip functions the snapshot calls, with their zip.h types. */
typedef struct snapshot_zip_api {
  __typeof__(zip_open) *open;
  __typeof__(zip_get_num_entries) *get_num_entries;
  __typeof__(zip_get_name) *get_name;
  __typeof__(zip_stat_index) *stat_index;
  __typeof__(zip_fopen_index) *fopen_index;
  __typeof__(zip_fread) *fread;
  __typeof__(zip_fclose) *fclose;
  __typeof__(zip_strerror) *strerror;
  __typeof__(zip_file_strerror) *file_strerror;
  __typeof__(zip_discard) *discard;
  __typeof__(zip_error_init_with_code) *error_init_with_code;
  __typeof__(zip_error_strerror) *error_strerror;
  __typeof__(zip_error_fini) *error_fini;
} snapshot_zip_api;

/* Loads libzip on the first call. Returns the functions (static storage),
 * or NULL with a message in error when the library or a function is
 * missing. */
const snapshot_zip_api *snapshot_zip_load(char *error, size_t error_size);

#endif
