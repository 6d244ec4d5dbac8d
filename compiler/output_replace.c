/*
 * Writing, placing and removing one file of an output folder of `cfgate
 * compile` (output_folder.h). A stop at any point leaves the old or the new
 * file whole. A file that cfgate did not write is neither replaced nor
 * removed.
 */
#define _GNU_SOURCE /* renameat2, RENAME_NOREPLACE, RENAME_EXCHANGE */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "file_read.h"
#include "output_folder.h"
#include "policy_manifest.h"

/* Names tried for the hidden file before giving up: another process may
 * hold a name, but not this many. */
#define OUTPUT_REPLACE_MAX_TRIES 100

/* The advice that ends the rejection of a file that changed after the
 * folder was checked. */
#define OUTPUT_CHANGED_ADVICE                                                                      \
  "it was put there after the folder was checked and cfgate did not write it, so it stays: "     \
  "move it away and compile again"

/* Stores in temporary a hidden name beside name that no file has yet. */
static int output_hidden_name(const char *name, char *temporary, size_t temporary_size) {
  static unsigned counter;
  int length =
      snprintf(temporary, temporary_size, ".%s.%ld-%u.tmp", name, (long)getpid(), counter++);
  if (length < 0 || (size_t)length >= temporary_size) {
    errno = ENAMETOOLONG;
    return -1;
  }
  return 0;
}

/* Creates a new hidden file beside name, never opening an existing file or
 * following a link. Returns its descriptor and its name in temporary, or
 * -1 with errno set. */
static int output_create_hidden(int dir_fd, const char *name, char *temporary,
                                size_t temporary_size) {
  for (int i = 0; i < OUTPUT_REPLACE_MAX_TRIES; i++) {
    if (output_hidden_name(name, temporary, temporary_size))
      return -1;
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

int output_hidden_write(int dir_fd, const char *shown, const char *name, const char *text,
                        size_t length, char *temporary, size_t temporary_size, char *error,
                        size_t error_size) {
  int fd = output_create_hidden(dir_fd, name, temporary, temporary_size);
  if (fd < 0) {
    /* The folder is at fault: name it. */
    const char *slash = strrchr(shown, '/');
    int folder_length = slash ? (int)(slash - shown) : 1;
    snprintf(error, error_size, "%.*s: error: cannot create a file in this folder: %s",
             folder_length, slash ? shown : ".", strerror(errno));
    return -1;
  }

  int failed = output_write_all(fd, text, length);
  int saved = errno;
  if (close(fd) != 0 && !failed) {
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

/* Renames from to the free name to. Returns 0, or -1 with errno set
 * (EEXIST when to exists). Where the file system has no RENAME_NOREPLACE,
 * a hard link, which never replaces a name, and an unlink do the same. */
static int output_rename_free(int dir_fd, const char *from, const char *to) {
  if (renameat2(dir_fd, from, dir_fd, to, RENAME_NOREPLACE) == 0)
    return 0;
  if (errno != EINVAL && errno != ENOSYS)
    return -1;
  if (linkat(dir_fd, from, dir_fd, to, 0) != 0)
    return -1;
  unlinkat(dir_fd, from, 0);
  return 0;
}

/* Returns 1 when the file name in dir_fd is a regular file that owner
 * accepts. */
static int output_is_owned(int dir_fd, const char *name, const output_owner *owner) {
  file_read_status status;
  int errno_value;
  size_t size = 0;
  char *text = file_read_regular_at(dir_fd, name, POLICY_MAX_FILE_BYTES, &size, &status,
                                    &errno_value);
  int owned = status == FILE_READ_OK && owner->owned(text, size, owner->arg);
  free(text);
  return owned;
}

/* Puts the hidden file over name, which owner must accept. RENAME_EXCHANGE
 * swaps the two names in one step, so the file that was at name is checked
 * after the swap and swapped back when owner rejects it. Returns 1 when
 * name is free, else 0 or -1 with the hidden file removed unless it is the
 * rejected file that could not be swapped back. */
static int output_place_over(int dir_fd, const char *shown, const char *temporary,
                             const char *name, const output_owner *owner, char *error,
                             size_t error_size) {
  if (renameat2(dir_fd, temporary, dir_fd, name, RENAME_EXCHANGE) == 0) {
    if (output_is_owned(dir_fd, temporary, owner)) {
      unlinkat(dir_fd, temporary, 0);
      return 0;
    }
    if (renameat2(dir_fd, temporary, dir_fd, name, RENAME_EXCHANGE) != 0) {
      snprintf(error, error_size,
               "%s: error: not replaced: it was put there after the folder was checked and "
               "cfgate did not write it; it is kept as %s beside it",
               shown, temporary);
      return -1;
    }
    unlinkat(dir_fd, temporary, 0);
    snprintf(error, error_size, "%s: error: not replaced: " OUTPUT_CHANGED_ADVICE, shown);
    return -1;
  }
  if (errno == ENOENT)
    return 1; /* name is free */
  if (errno != EINVAL && errno != ENOSYS) {
    snprintf(error, error_size, "%s: error: cannot write: %s", shown, strerror(errno));
    unlinkat(dir_fd, temporary, 0);
    return -1;
  }
  /* No RENAME_EXCHANGE on this file system: check, then rename.
   * NOTE: a file put at name between the check and the rename is replaced,
   * and the unlink of old templates on such file systems has the same gap. */
  if (!output_is_owned(dir_fd, name, owner)) {
    if (faccessat(dir_fd, name, F_OK, AT_SYMLINK_NOFOLLOW) != 0 && errno == ENOENT)
      return 1;
    snprintf(error, error_size, "%s: error: not replaced: " OUTPUT_CHANGED_ADVICE, shown);
    unlinkat(dir_fd, temporary, 0);
    return -1;
  }
  if (renameat(dir_fd, temporary, dir_fd, name) != 0) {
    snprintf(error, error_size, "%s: error: cannot write: %s", shown, strerror(errno));
    unlinkat(dir_fd, temporary, 0);
    return -1;
  }
  return 0;
}

int output_hidden_place(int dir_fd, const char *shown, const char *temporary, const char *name,
                        const output_owner *owner, char *error, size_t error_size) {
  int result = owner ? output_place_over(dir_fd, shown, temporary, name, owner, error,
                                         error_size)
                     : 1;
  if (result != 1)
    return result;
  if (output_rename_free(dir_fd, temporary, name) == 0)
    return 0;
  if (errno == EEXIST)
    snprintf(error, error_size, "%s: error: not written: " OUTPUT_CHANGED_ADVICE, shown);
  else
    snprintf(error, error_size, "%s: error: cannot write: %s", shown, strerror(errno));
  unlinkat(dir_fd, temporary, 0);
  return -1;
}

int output_folder_replace(int dir_fd, const char *shown, const char *name, const char *text,
                          size_t length, const output_owner *owner, char *error,
                          size_t error_size) {
  char temporary[512];
  if (output_hidden_write(dir_fd, shown, name, text, length, temporary, sizeof temporary, error,
                          error_size))
    return -1;
  return output_hidden_place(dir_fd, shown, temporary, name, owner, error, error_size);
}

int output_folder_remove(int dir_fd, const char *shown, const char *name,
                         const output_owner *owner, char *error, size_t error_size) {
  char temporary[512];
  int moved = -1;
  for (int i = 0; i < OUTPUT_REPLACE_MAX_TRIES && moved != 0; i++) {
    if (output_hidden_name(name, temporary, sizeof temporary))
      break;
    moved = output_rename_free(dir_fd, name, temporary);
    if (moved != 0 && errno != EEXIST)
      break;
  }
  if (moved != 0) {
    if (errno == ENOENT)
      return 0;
    snprintf(error, error_size, "%s: error: cannot remove the old file: %s", shown,
             strerror(errno));
    return -1;
  }

  /* The file is out of the way under the hidden name: check what it is. */
  if (output_is_owned(dir_fd, temporary, owner)) {
    unlinkat(dir_fd, temporary, 0);
    return 0;
  }
  if (output_rename_free(dir_fd, temporary, name) == 0)
    snprintf(error, error_size, "%s: error: not removed: " OUTPUT_CHANGED_ADVICE, shown);
  else
    snprintf(error, error_size,
             "%s: error: not removed: it was put there after the folder was checked and cfgate "
             "did not write it; it is kept as %s beside it",
             shown, temporary);
  return -1;
}
