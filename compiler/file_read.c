#define _POSIX_C_SOURCE 200809L /* O_CLOEXEC */

#include "file_read.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* Reads size bytes of fd into bytes. Asking for one byte more shows a file
 * that grew after fstat. Returns 1 when exactly size bytes were read. */
static int read_exactly(int fd, char *bytes, size_t size, int *errno_value) {
  size_t used = 0;
  ssize_t n = 1;

  while (used <= size && n > 0) {
    n = read(fd, bytes + used, size + 1 - used);
    if (n > 0)
      used += (size_t)n;
    else if (n < 0 && errno == EINTR)
      n = 1;
  }
  *errno_value = n < 0 ? errno : 0;
  return n == 0 && used == size;
}

static char *fail(int fd, file_read_status *status, file_read_status reason) {
  if (fd >= 0)
    close(fd);
  *status = reason;
  return NULL;
}

/* Reads the file open as fd (or -1 after a failed open) whole and closes
 * it. */
static char *read_open_file(int fd, size_t max_bytes, size_t *size, file_read_status *status,
                            int *errno_value) {
  struct stat info;

  *errno_value = 0;
  if (fd < 0 || fstat(fd, &info) != 0) {
    *errno_value = errno;
    return fail(fd, status, FILE_READ_FAILED);
  }
  if (!S_ISREG(info.st_mode))
    return fail(fd, status, FILE_READ_NOT_REGULAR);
  if (info.st_size > (off_t)max_bytes)
    return fail(fd, status, FILE_READ_TOO_LARGE);

  char *bytes = malloc((size_t)info.st_size + 1);
  if (!bytes)
    abort();
  if (!read_exactly(fd, bytes, (size_t)info.st_size, errno_value)) {
    free(bytes);
    return fail(fd, status, *errno_value ? FILE_READ_FAILED : FILE_READ_CHANGED);
  }
  close(fd);
  *size = (size_t)info.st_size;
  *status = FILE_READ_OK;
  return bytes;
}

char *file_read_regular(const char *path, size_t max_bytes, size_t *size,
                        file_read_status *status, int *errno_value) {
  int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  return read_open_file(fd, max_bytes, size, status, errno_value);
}

char *file_read_regular_at(int dir_fd, const char *name, size_t max_bytes, size_t *size,
                           file_read_status *status, int *errno_value) {
  int fd = openat(dir_fd, name, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
  return read_open_file(fd, max_bytes, size, status, errno_value);
}

const char *file_type_name(mode_t mode) {
  if (S_ISREG(mode))
    return "a regular file";
  if (S_ISDIR(mode))
    return "a folder";
  if (S_ISFIFO(mode))
    return "a FIFO";
  if (S_ISSOCK(mode))
    return "a socket";
  if (S_ISCHR(mode))
    return "a character device";
  if (S_ISBLK(mode))
    return "a block device";
  if (S_ISLNK(mode))
    return "a symbolic link";
  return "not a regular file";
}
