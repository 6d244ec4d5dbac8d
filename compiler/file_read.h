/*
 * Whole reads of regular files with a size limit, for provider schemas and
 * compiled policy folders. The file is opened with O_NONBLOCK, so a FIFO
 * cannot block. fstat on the open descriptor then rejects anything but a
 * regular file (a FIFO, a device, a folder) before a byte is read. This
 * also covers a file swapped in after a check by name.
 */
#ifndef CFGATE_COMPILER_FILE_READ_H
#define CFGATE_COMPILER_FILE_READ_H

#include <stddef.h>
#include <sys/types.h>

typedef enum file_read_status {
  FILE_READ_OK,
  FILE_READ_FAILED,      /* open, fstat or read failed, with the reason in errno_value */
  FILE_READ_NOT_REGULAR,
  FILE_READ_TOO_LARGE,   /* larger than max_bytes */
  FILE_READ_CHANGED      /* its size changed while it was read */
} file_read_status;

/* Reads the regular file at path whole. Returns a new buffer of *size bytes
 * (with one spare byte), or NULL with *status and, for FILE_READ_FAILED,
 * *errno_value set. */
char *file_read_regular(const char *path, size_t max_bytes, size_t *size,
                        file_read_status *status, int *errno_value);

/* Reads the regular file name in the folder open as dir_fd, like
 * file_read_regular(). A symbolic link is not followed: it fails with
 * FILE_READ_FAILED and ELOOP in *errno_value. */
char *file_read_regular_at(int dir_fd, const char *name, size_t max_bytes, size_t *size,
                           file_read_status *status, int *errno_value);

/* Returns what a file of this st_mode is, with its article ("a FIFO",
 * "a socket", "a folder"), for errors about files that are not regular. */
const char *file_type_name(mode_t mode);

#endif
