/*
 * Input discovery and reading for `cfgate check`.
 */
#define _POSIX_C_SOURCE 200809L

#include "template_files.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file_read.h"

/* Writes why path cannot be opened: a symbolic link whose target is missing
 * gets its own message, because "not found" would contradict the listing. */
static void describe_open_error(const char *path, int error_number, const char *what, char *error,
                                size_t error_size) {
  struct stat info;
  char target[1024];
  ssize_t len = -1;

  if (error_number == ENOENT && lstat(path, &info) == 0 && S_ISLNK(info.st_mode))
    len = readlink(path, target, sizeof target - 1);
  if (len < 0) {
    snprintf(error, error_size, "%s: %s: %s", path, what, strerror(error_number));
    return;
  }
  target[len] = '\0';
  snprintf(error, error_size, "%s: broken symbolic link: its target '%s' does not exist", path,
           target);
}

static int push_path(template_files *files, const char *path, char *error, size_t error_size) {
  if (files->count >= TEMPLATE_MAX_FILES) {
    snprintf(error, error_size, "too many template files (limit is %d)", TEMPLATE_MAX_FILES);
    return -1;
  }
  if (files->count == files->capacity) {
    size_t capacity = files->capacity ? files->capacity * 2 : 64;
    char **paths = realloc(files->paths, capacity * sizeof *paths);
    if (!paths) {
      snprintf(error, error_size, "out of memory");
      return -1;
    }
    files->paths = paths;
    files->capacity = capacity;
  }

  files->paths[files->count] = strdup(path);
  if (!files->paths[files->count]) {
    snprintf(error, error_size, "out of memory");
    return -1;
  }
  files->count++;
  return 0;
}

static int has_template_extension(const char *name) {
  static const char *const extensions[] = {".json", ".yaml", ".yml", ".template"};
  size_t len = strlen(name);
  for (size_t i = 0; i < sizeof extensions / sizeof extensions[0]; i++) {
    size_t ext_len = strlen(extensions[i]);
    if (len > ext_len && strcasecmp(name + len - ext_len, extensions[i]) == 0)
      return 1;
  }
  return 0;
}

static int compare_paths(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

static int add_folder(template_files *files, const char *folder, char *error, size_t error_size);

static int add_entry(template_files *files, const char *folder, const char *name, char *error,
                     size_t error_size) {
  char path[4096];
  struct stat info;
  if (name[0] == '.')
    return 0;
  /* A folder given as templates/ is joined without a second slash. */
  size_t folder_len = strlen(folder);
  while (folder_len > 0 && folder[folder_len - 1] == '/')
    folder_len--;
  if (snprintf(path, sizeof path, "%.*s/%s", (int)folder_len, folder, name) >= (int)sizeof path) {
    snprintf(error, error_size, "%s/%s: path too long (limit is %zu bytes)", folder, name,
             sizeof path - 1);
    return -1;
  }
  /* Symbolic links to folders are not followed, so a link cycle cannot recurse. */
  if (lstat(path, &info) != 0) {
    snprintf(error, error_size, "%s: cannot read folder entry: %s", path, strerror(errno));
    return -1;
  }
  if (S_ISDIR(info.st_mode))
    return add_folder(files, path, error, error_size);

  /* A broken link named like a template is kept, so reading it reports it
   * as unparseable instead of skipping it. */
  if (S_ISLNK(info.st_mode) && stat(path, &info) != 0)
    return has_template_extension(name) ? push_path(files, path, error, error_size) : 0;

  if (!has_template_extension(name) || S_ISDIR(info.st_mode))
    return 0;
  if (S_ISREG(info.st_mode))
    return push_path(files, path, error, error_size);

  /* Skipping a FIFO, socket or device named like a template would leave it
   * unchecked, and opening a FIFO would wait for a writer. */
  snprintf(error, error_size,
           "%s: is %s, not a regular file: templates in a folder must be regular files%s", path,
           file_type_name(info.st_mode),
           S_ISFIFO(info.st_mode) ? " (a FIFO is read only when named on the command line)" : "");
  return -1;
}

static int add_folder(template_files *files, const char *folder, char *error, size_t error_size) {
  DIR *dir = opendir(folder);
  if (!dir) {
    snprintf(error, error_size, "%s: cannot open folder: %s", folder, strerror(errno));
    return -1;
  }

  size_t first = files->count;
  int status = 0;
  for (struct dirent *entry = readdir(dir); entry && status == 0; entry = readdir(dir))
    status = add_entry(files, folder, entry->d_name, error, error_size);
  closedir(dir);

  if (files->count > first)
    qsort(files->paths + first, files->count - first, sizeof *files->paths, compare_paths);
  return status;
}

/* Adds a folder named on the command line. A folder without templates is
 * an error, so a mistyped or empty folder in CI cannot pass unchecked. */
static int add_top_folder(template_files *files, const char *folder, char *error,
                          size_t error_size) {
  size_t first = files->count;
  if (add_folder(files, folder, error, error_size) != 0)
    return -1;
  if (files->count > first)
    return 0;

  snprintf(error, error_size,
           "%s: no templates in this folder: cfgate check reads files named *.json, *.yaml, "
           "*.yml or *.template (in any letter case) in it and its subfolders, and skips "
           "hidden entries",
           folder);
  return -1;
}

int template_files_add(template_files *files, const char *path, char *error, size_t error_size) {
  struct stat info;
  if (strcmp(path, "-") == 0) {
    for (size_t i = 0; i < files->count; i++) {
      if (files->paths[i] && strcmp(files->paths[i], "-") == 0) {
        snprintf(error, error_size, "-: standard input is named twice, but it can be read once");
        return -1;
      }
    }
    return push_path(files, path, error, error_size);
  }
  if (stat(path, &info) != 0) {
    describe_open_error(path, errno, "not found", error, error_size);
    return -1;
  }
  if (S_ISDIR(info.st_mode))
    return add_top_folder(files, path, error, error_size);
  return push_path(files, path, error, error_size);
}

typedef struct file_identity {
  dev_t device;
  ino_t inode;
  size_t index;
} file_identity;

static int compare_identities(const void *a, const void *b) {
  const file_identity *x = a, *y = b;
  if (x->device != y->device)
    return x->device < y->device ? -1 : 1;
  if (x->inode != y->inode)
    return x->inode < y->inode ? -1 : 1;
  return x->index < y->index ? -1 : x->index > y->index;
}

/* Marks each path naming the same file (device and inode) as an earlier
 * one by freeing it and setting it to NULL. */
static void mark_duplicates(template_files *files, file_identity *identities) {
  size_t count = 0;
  for (size_t i = 0; i < files->count; i++) {
    struct stat info;
    if (strcmp(files->paths[i], "-") != 0 && stat(files->paths[i], &info) == 0)
      identities[count++] = (file_identity){info.st_dev, info.st_ino, i};
  }

  qsort(identities, count, sizeof *identities, compare_identities);
  for (size_t i = 1; i < count; i++) {
    if (identities[i].device != identities[i - 1].device ||
        identities[i].inode != identities[i - 1].inode)
      continue;
    free(files->paths[identities[i].index]);
    files->paths[identities[i].index] = NULL;
  }
}

int template_files_remove_duplicates(template_files *files) {
  file_identity *identities = malloc((files->count ? files->count : 1) * sizeof *identities);
  if (!identities)
    return -1;
  mark_duplicates(files, identities);
  free(identities);

  size_t kept = 0;
  for (size_t i = 0; i < files->count; i++)
    if (files->paths[i])
      files->paths[kept++] = files->paths[i];
  files->count = kept;
  return 0;
}

void template_files_fini(template_files *files) {
  for (size_t i = 0; i < files->count; i++)
    free(files->paths[i]);
  free(files->paths);
  memset(files, 0, sizeof *files);
}

static unsigned char *read_stream(FILE *in, const char *path, size_t *size, char *error,
                                  size_t error_size) {
  size_t capacity = 64 * 1024, len = 0;
  unsigned char *data = malloc(capacity);
  while (data) {
    len += fread(data + len, 1, capacity - len, in);
    if (len < capacity || ferror(in))
      break;
    if (capacity >= TEMPLATE_MAX_FILE_BYTES) {
      snprintf(error, error_size, "%s: input too large (limit is %d bytes)", path,
               TEMPLATE_MAX_FILE_BYTES);
      free(data);
      errno = EFBIG;
      return NULL;
    }
    capacity *= 2;
    unsigned char *grown = realloc(data, capacity);
    if (!grown)
      free(data);
    data = grown;
  }

  if (!data || ferror(in)) {
    snprintf(error, error_size, "%s: read failed: %s", path, data ? strerror(errno) : "out of memory");
    free(data);
    return NULL;
  }
  *size = len;
  return data;
}

unsigned char *template_read_file(const char *path, size_t *size, char *error, size_t error_size) {
  if (strcmp(path, "-") == 0)
    return read_stream(stdin, "<stdin>", size, error, error_size);

  FILE *in = fopen(path, "rb");
  if (!in) {
    describe_open_error(path, errno, "cannot open", error, error_size);
    return NULL;
  }
  unsigned char *data = read_stream(in, path, size, error, error_size);
  fclose(in);
  return data;
}
