/*
 * Replacing one file of the output folder of `cfgate compile` so that a
 * stop at any point leaves the old or the new file whole
 * (output_folder.h).
 */
#define _DEFAULT_SOURCE /* openat, renameat, unlinkat */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "output_folder.h"

/* Names tried for the hidden file before giving up: another process may
 * hold a name, but not this many. */
#define OUTPUT_REPLACE_MAX_TRIES 100

/* Creates a new hidden file beside name, never opening an existing file or
 * following a link. Returns its descriptor and its name in temporary, or
 * -1 with errno set. */
static int output_create_hidden(int dir_fd, const char *name, char *temporary,
                                size_t temporary_size) {
  static unsigned counter;
  for (int i = 0; i < OUTPUT_REPLACE_MAX_TRIES; i++) {
    int length = snprintf(temporary, temporary_size, ".%s.%ld-%u.tmp", name, (long)getpid(),
                          counter++);
    if (length < 0 || (size_t)length >= temporary_size) {
      errno = ENAMETOOLONG;
      return -1;
    }
    int fd = openat(dir_fd, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                    0666);
    if (fd >= 0 || errno != EEXIST)
      return fd;
  }
  return -1;
}

/* Writes length bytes of text to fd. Returns 0, or -1 with errno set. */
static int output_write_all(int fd, const char *text, size_t length) {
  while (length > 0) {
    ssize_t n = write(fd, text, length);
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0) {
      if (n == 0)
        errno = EIO;
      return -1;
    }
    text += n;
    length -= (size_t)n;
  }
  return 0;
}

int output_folder_replace(int dir_fd, const char *shown, const char *name, const char *text,
                          size_t length, char *error, size_t error_size) {
  char temporary[512];
  int fd = output_create_hidden(dir_fd, name, temporary, sizeof temporary);
  if (fd < 0) {
    snprintf(error, error_size, "%s: error: cannot create a file beside it: %s", shown,
             strerror(errno));
    return -1;
  }

  int failed = output_write_all(fd, text, length);
  int saved = errno;
  if (close(fd) != 0 && !failed) {
    failed = -1;
    saved = errno;
  }
  if (!failed && renameat(dir_fd, temporary, dir_fd, name) != 0) {
    failed = -1;
    saved = errno;
  }
  if (!failed)
    return 0;

  /* The hidden file is the one created above: O_EXCL. */
  unlinkat(dir_fd, temporary, 0);
  snprintf(error, error_size, "%s: error: cannot write: %s", shown, strerror(saved));
  return -1;
}
