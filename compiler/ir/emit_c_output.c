/*
 * Writing the files of the C emitter into their folder
 * (emit_c_output.h).
 */
#define _DEFAULT_SOURCE /* openat, fstatat, unlinkat */
#include "emit_c_output.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file_read.h"
#include "output_folder.h"
#include "policy_manifest.h"

/* Largest file that the check of a name reads: the limit of a template. */
#define EMIT_C_MAX_CHECKED_BYTES POLICY_MAX_FILE_BYTES

/* The advice that ends the rejection of a file. */
#define EMIT_C_ADVICE "move it away or pick another --emit-c folder; nothing was written"

/* Returns 1 when text starts with the first line of a generated file:
 * output_owner.owned for the files of the C emitter. */
static int emit_c_owned(const char *text, size_t length, const void *arg) {
  (void)arg;
  size_t marker = strlen(EMIT_C_MARKER);
  if (length < marker || memcmp(text, EMIT_C_MARKER, marker) != 0)
    return 0;
  const char *line_end = memchr(text, '\n', length);
  size_t line = line_end ? (size_t)(line_end - text) : length;
  static const char emitter[] = " (C emitter";
  for (size_t i = marker; i + sizeof emitter - 1 <= line; i++)
    if (memcmp(text + i, emitter, sizeof emitter - 1) == 0)
      return 1;
  return 0;
}

/* Stores in error->path the path of name in dir. */
static void emit_c_path(emit_c_error *error, const char *dir, const char *name) {
  snprintf(error->path, sizeof error->path, "%s/%s", dir, name);
}

/* Splits a "PATH: error: MESSAGE" text of output_folder.h into *error. */
static void emit_c_take_error(emit_c_error *error, const char *text) {
  const char *mark = strstr(text, ": error: ");
  if (!mark) {
    snprintf(error->message, sizeof error->message, "%s", text);
    return;
  }
  snprintf(error->path, sizeof error->path, "%.*s", (int)(mark - text), text);
  snprintf(error->message, sizeof error->message, "%s", mark + strlen(": error: "));
}

/* Checks the file found in the folder under the name of file. */
static int emit_c_check_name(int dir_fd, const char *dir, emit_c_file *file, emit_c_error *error) {
  struct stat info;
  file->replaces = 0;
  if (fstatat(dir_fd, file->name, &info, AT_SYMLINK_NOFOLLOW) != 0) {
    if (errno == ENOENT)
      return 0;
    emit_c_path(error, dir, file->name);
    snprintf(error->message, sizeof error->message, "cannot read: %s", strerror(errno));
    return -1;
  }
  emit_c_path(error, dir, file->name);
  if (!S_ISREG(info.st_mode)) {
    snprintf(error->message, sizeof error->message, "%s, not a file that cfgate wrote: " EMIT_C_ADVICE,
             S_ISLNK(info.st_mode)   ? "a symbolic link"
             : S_ISDIR(info.st_mode) ? "a folder"
                                     : "a special file");
    return -1;
  }

  file_read_status status;
  int errno_value;
  size_t size = 0;
  char *text = file_read_regular_at(dir_fd, file->name, EMIT_C_MAX_CHECKED_BYTES, &size, &status,
                                    &errno_value);
  int owned = status == FILE_READ_OK && emit_c_owned(text, size, NULL);
  free(text);
  if (status == FILE_READ_FAILED) {
    snprintf(error->message, sizeof error->message, "cannot read: %s", strerror(errno_value));
    return -1;
  }
  if (!owned) {
    snprintf(error->message, sizeof error->message,
             "not written by cfgate (its first line is not the \"" EMIT_C_MARKER
             "... (C emitter\" comment that starts every file cfgate writes): " EMIT_C_ADVICE);
    return -1;
  }
  file->replaces = 1;
  return 0;
}

/* Checks the names, writes every file to a hidden file and renames the
 * hidden files to their names. */
static int emit_c_write_all(int dir_fd, const char *dir, emit_c_file *files, size_t count,
                            emit_c_error *error) {
  char message[sizeof error->path + sizeof error->message];
  char shown[sizeof error->path];
  for (size_t i = 0; i < count; i++)
    if (emit_c_check_name(dir_fd, dir, &files[i], error))
      return -1;

  for (size_t i = 0; i < count; i++) {
    snprintf(shown, sizeof shown, "%s/%s", dir, files[i].name);
    if (output_hidden_write(dir_fd, shown, files[i].name, files[i].text.data, files[i].text.len,
                            files[i].hidden, sizeof files[i].hidden, message, sizeof message)) {
      files[i].hidden[0] = '\0';
      emit_c_take_error(error, message);
      snprintf(error->message + strlen(error->message),
               sizeof error->message - strlen(error->message), "; nothing was written");
      return -1;
    }
  }

  output_owner owner = {emit_c_owned, NULL};
  for (size_t i = 0; i < count; i++) {
    snprintf(shown, sizeof shown, "%s/%s", dir, files[i].name);
    int result = output_hidden_place(dir_fd, shown, files[i].hidden, files[i].name,
                                     files[i].replaces ? &owner : NULL, message, sizeof message);
    files[i].hidden[0] = '\0';
    if (result) {
      emit_c_take_error(error, message);
      return -1;
    }
  }
  return 0;
}

int emit_c_output_write(const char *dir, emit_c_file *files, size_t count, emit_c_error *error) {
  int dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) {
    snprintf(error->path, sizeof error->path, "%s", dir);
    snprintf(error->message, sizeof error->message, "cannot open the folder: %s", strerror(errno));
    return -1;
  }
  for (size_t i = 0; i < count; i++)
    files[i].hidden[0] = '\0';
  int result = emit_c_write_all(dir_fd, dir, files, count, error);
  for (size_t i = 0; i < count; i++)
    if (files[i].hidden[0])
      unlinkat(dir_fd, files[i].hidden, 0);
  close(dir_fd);
  return result;
}
