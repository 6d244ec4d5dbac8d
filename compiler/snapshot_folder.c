/*
 * The subfolders of a provider schema folder. A schema file must sit at the
 * top level, so a ".json" file in a subfolder at any depth is an error, as a
 * ".json" zip entry inside a folder is, because the file was likely meant
 * to be read. Symbolic links to folders are followed, so the walk is
 * bounded by a depth and a file count.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "snapshot_internal.h"

/* Subfolder levels searched below the snapshot folder. */
#define SNAPSHOT_MAX_FOLDER_DEPTH 16
/* Names read in the snapshot folder and its subfolders together. */
#define SNAPSHOT_MAX_FOLDER_FILES 100000

typedef struct folder_walk {
  const snapshot *snap;
  size_t files; /* names read so far */
  char *error;
  size_t error_size;
} folder_walk;

static int folder_has_json_suffix(const char *name) {
  size_t len = strlen(name);
  return len >= 5 && strcasecmp(name + len - 5, ".json") == 0;
}

/* Returns 1 when relative (a path below the snapshot folder) is a folder or
 * a link to one. d_type saves the stat call for most names. */
static int folder_is_folder(const folder_walk *walk, const struct dirent *item,
                            const char *relative) {
#ifdef DT_DIR
  if (item->d_type == DT_DIR)
    return 1;
  if (item->d_type != DT_LNK && item->d_type != DT_UNKNOWN)
    return 0;
#else
  (void)item;
#endif
  char path[8192];
  struct stat info;
  snprintf(path, sizeof path, "%s/%s", walk->snap->path, relative);
  return stat(path, &info) == 0 && S_ISDIR(info.st_mode);
}

static int folder_walk_dir(folder_walk *walk, const char *relative, unsigned depth);

/* Checks one name of the folder at relative ("" for the top level). */
static int folder_walk_item(folder_walk *walk, const char *relative, unsigned depth,
                            const struct dirent *item) {
  const char *snapshot_path = walk->snap->path;
  if (++walk->files > SNAPSHOT_MAX_FOLDER_FILES) {
    snprintf(walk->error, walk->error_size,
             "too many files in provider schema folder '%s' and its subfolders (limit is %d)",
             snapshot_path, SNAPSHOT_MAX_FOLDER_FILES);
    return 0;
  }

  char child[4096];
  if (snprintf(child, sizeof child, "%s%s%s", relative, *relative ? "/" : "", item->d_name) >=
      (int)sizeof child) {
    snprintf(walk->error, walk->error_size,
             "provider schema folder '%s' has a path longer than %zu bytes below '%s'",
             snapshot_path, sizeof child - 1, relative);
    return 0;
  }
  if (depth > 0 && folder_has_json_suffix(item->d_name)) {
    snprintf(walk->error, walk->error_size,
             "provider schema folder '%s' has the file '%s' in a subfolder; provider schema "
             "files must sit at the top level of the folder",
             snapshot_path, child);
    return 0;
  }

  /* A top-level .json name is a schema file name, checked when the file is read. */
  if ((depth == 0 && folder_has_json_suffix(item->d_name)) ||
      !folder_is_folder(walk, item, child))
    return 1;
  if (depth + 1 > SNAPSHOT_MAX_FOLDER_DEPTH) {
    snprintf(walk->error, walk->error_size,
             "too many nested subfolders in provider schema folder '%s' at '%s' (limit is %d)",
             snapshot_path, child, SNAPSHOT_MAX_FOLDER_DEPTH);
    return 0;
  }
  return folder_walk_dir(walk, child, depth + 1);
}

static int folder_walk_dir(folder_walk *walk, const char *relative, unsigned depth) {
  char path[8192];
  snprintf(path, sizeof path, "%s%s%s", walk->snap->path, *relative ? "/" : "", relative);
  DIR *dir = opendir(path);
  if (!dir) {
    snprintf(walk->error, walk->error_size,
             "cannot open the subfolder '%s' of provider schema folder '%s': %s", relative,
             walk->snap->path, strerror(errno));
    return 0;
  }

  struct dirent *item;
  int ok = 1;
  while (ok && (item = readdir(dir)) != NULL)
    if (strcmp(item->d_name, ".") != 0 && strcmp(item->d_name, "..") != 0)
      ok = folder_walk_item(walk, relative, depth, item);
  closedir(dir);
  return ok;
}

int snapshot_check_subfolders(const snapshot *snap, char *error, size_t error_size) {
  folder_walk walk = {snap, 0, error, error_size};
  return folder_walk_dir(&walk, "", 0);
}
