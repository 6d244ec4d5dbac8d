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

/* Bytes of "DIR/NAME" for a staged file, NUL included. */
#define EMIT_C_SHOWN_SIZE (sizeof((emit_c_staged *)0)->dir + sizeof((emit_c_file *)0)->name + 1)

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

/* Copies text into out[0..size), cut to fit. A copy by hand, because
 * snprintf("%s") of a longer buffer trips -Wformat-truncation in some
 * optimized builds, and the cut is intended. */
static void emit_c_copy_cut(char *out, size_t size, const char *text, size_t len) {
  if (len >= size)
    len = size - 1;
  memcpy(out, text, len);
  out[len] = '\0';
}

/* Splits a "PATH: error: MESSAGE" text of output_folder.h into *error. */
static void emit_c_take_error(emit_c_error *error, const char *text) {
  const char *mark = strstr(text, ": error: ");
  if (!mark) {
    emit_c_copy_cut(error->message, sizeof error->message, text, strlen(text));
    return;
  }
  emit_c_copy_cut(error->path, sizeof error->path, text, (size_t)(mark - text));
  const char *message = mark + strlen(": error: ");
  emit_c_copy_cut(error->message, sizeof error->message, message, strlen(message));
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

/* Returns 1 when files[] names name. */
static int emit_c_names(const emit_c_file *files, size_t count, const char *name) {
  for (size_t i = 0; i < count; i++)
    if (strcmp(files[i].name, name) == 0)
      return 1;
  return 0;
}

/* Returns 1 when the file name in the folder starts with the marker. */
static int emit_c_file_owned(int dir_fd, const char *name) {
  file_read_status status;
  int errno_value;
  size_t size = 0;
  char *text = file_read_regular_at(dir_fd, name, EMIT_C_MAX_CHECKED_BYTES, &size, &status,
                                    &errno_value);
  int owned = status == FILE_READ_OK && emit_c_owned(text, size, NULL);
  free(text);
  return owned;
}

static int is_identifier_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Adds name to staged->stale when it is a regular file that cfgate wrote
 * and files[] does not name it. */
static void emit_c_add_stale(emit_c_staged *staged, const char *name) {
  struct stat info;
  if (emit_c_names(staged->files, staged->count, name) ||
      fstatat(staged->dir_fd, name, &info, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(info.st_mode) ||
      !emit_c_file_owned(staged->dir_fd, name))
    return;
  for (size_t i = 0; i < staged->stale_count; i++)
    if (strcmp(staged->stale[i], name) == 0)
      return;

  char(*grown)[sizeof staged->stale[0]] =
      realloc(staged->stale, (staged->stale_count + 1) * sizeof staged->stale[0]);
  if (!grown)
    abort();
  staged->stale = grown;
  snprintf(staged->stale[staged->stale_count++], sizeof staged->stale[0], "%s", name);
}

/* Adds to staged->stale the type files that the registry found in the
 * folder lists ("&PREFIX_IDENT") and files[] does not name: the types a
 * policy no longer allows. Only a registry and type files that cfgate
 * wrote count, so a file written by hand is never removed, whatever its
 * name or first line. */
static void emit_c_find_stale(emit_c_staged *staged, const char *prefix) {
  char registry[sizeof staged->stale[0]];
  snprintf(registry, sizeof registry, "%s_registry.c", prefix);
  file_read_status status;
  int errno_value;
  size_t size = 0;
  char *text = file_read_regular_at(staged->dir_fd, registry, EMIT_C_MAX_CHECKED_BYTES, &size,
                                    &status, &errno_value);
  if (status != FILE_READ_OK || !emit_c_owned(text, size, NULL)) {
    free(text);
    return;
  }

  size_t prefix_len = strlen(prefix);
  for (size_t at = 0; at + prefix_len + 2 < size; at++) {
    if (text[at] != '&' || strncmp(text + at + 1, prefix, prefix_len) != 0 ||
        text[at + 1 + prefix_len] != '_')
      continue;
    size_t start = at + 1, end = start + prefix_len + 1;
    while (end < size && is_identifier_char(text[end]))
      end++;
    char name[sizeof staged->stale[0]];
    if (end - start + 3 > sizeof name)
      continue;
    snprintf(name, sizeof name, "%.*s.c", (int)(end - start), text + start);
    emit_c_add_stale(staged, name);
  }
  free(text);
}

/* Writes every file of staged to a hidden file beside its name. */
static int emit_c_write_hidden(emit_c_staged *staged, emit_c_error *error) {
  char message[sizeof error->path + sizeof error->message];
  char shown[EMIT_C_SHOWN_SIZE];
  for (size_t i = 0; i < staged->count; i++) {
    emit_c_file *file = &staged->files[i];
    snprintf(shown, sizeof shown, "%s/%s", staged->dir, file->name);
    if (output_hidden_write(staged->dir_fd, shown, file->name, file->text.data, file->text.len,
                            file->hidden, sizeof file->hidden, message, sizeof message)) {
      file->hidden[0] = '\0';
      emit_c_take_error(error, message);
      snprintf(error->message + strlen(error->message),
               sizeof error->message - strlen(error->message), "; nothing was written");
      return -1;
    }
  }
  return 0;
}

static void emit_c_free_texts(emit_c_file *files, size_t count) {
  for (size_t i = 0; i < count; i++) {
    free(files[i].text.data);
    files[i].text.data = NULL;
  }
}

int emit_c_output_stage(const char *dir, emit_c_file *files, size_t count, const char *prefix,
                        emit_c_staged *staged, emit_c_error *error) {
  memset(staged, 0, sizeof *staged);
  staged->files = files;
  staged->count = count;
  snprintf(staged->dir, sizeof staged->dir, "%s", dir);
  for (size_t i = 0; i < count; i++)
    files[i].hidden[0] = '\0';
  staged->dir_fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (staged->dir_fd < 0) {
    snprintf(error->path, sizeof error->path, "%s", dir);
    snprintf(error->message, sizeof error->message, "cannot open the folder: %s", strerror(errno));
    emit_c_output_discard(staged);
    return -1;
  }

  int result = 0;
  for (size_t i = 0; i < count && result == 0; i++)
    result = emit_c_check_name(staged->dir_fd, dir, &files[i], error);
  if (result == 0)
    emit_c_find_stale(staged, prefix);
  if (result == 0)
    result = emit_c_write_hidden(staged, error);
  emit_c_free_texts(files, count);
  if (result != 0)
    emit_c_output_discard(staged);
  return result;
}

int emit_c_output_commit(emit_c_staged *staged, emit_c_error *error) {
  char message[sizeof error->path + sizeof error->message];
  char shown[EMIT_C_SHOWN_SIZE];
  output_owner owner = {emit_c_owned, NULL};
  int result = 0;

  for (size_t i = 0; i < staged->count && result == 0; i++) {
    emit_c_file *file = &staged->files[i];
    snprintf(shown, sizeof shown, "%s/%s", staged->dir, file->name);
    result = output_hidden_place(staged->dir_fd, shown, file->hidden, file->name,
                                 file->replaces ? &owner : NULL, message, sizeof message);
    file->hidden[0] = '\0';
  }
  for (size_t i = 0; i < staged->stale_count && result == 0; i++) {
    snprintf(shown, sizeof shown, "%s/%s", staged->dir, staged->stale[i]);
    result = output_folder_remove(staged->dir_fd, shown, staged->stale[i], &owner, message,
                                  sizeof message);
  }
  if (result != 0)
    emit_c_take_error(error, message);
  staged->created = 0;
  emit_c_output_discard(staged);
  return result;
}

void emit_c_output_discard(emit_c_staged *staged) {
  for (size_t i = 0; i < staged->count; i++) {
    if (staged->dir_fd >= 0 && staged->files[i].hidden[0])
      unlinkat(staged->dir_fd, staged->files[i].hidden, 0);
    free(staged->files[i].text.data);
  }
  free(staged->files);
  free(staged->stale);
  if (staged->dir_fd >= 0)
    close(staged->dir_fd);
  if (staged->created)
    rmdir(staged->dir);
  memset(staged, 0, sizeof *staged);
  staged->dir_fd = -1;
}
