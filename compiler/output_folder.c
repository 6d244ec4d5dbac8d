/*
 * Checks of an existing output folder before `cfgate compile` writes to it
 * (output_folder.h).
 */
#define _DEFAULT_SOURCE /* strcasecmp, fdopendir, openat, fstatat */
#include "output_folder.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file_read.h"
#include "policy_manifest.h"
#include "sha256.h"

#define OUTPUT_MANIFEST "manifest.json"
#define OUTPUT_TEMPLATES "templates"
/* The advice that ends every rejection of the folder's contents. */
#define OUTPUT_ADVICE "remove it or pick another output folder; nothing was written"

static void output_fail(char *error, size_t error_size, const char *format, ...) {
  va_list args;
  va_start(args, format);
  vsnprintf(error, error_size, format, args);
  va_end(args);
}

/* Names what lstat found at a path that should be a regular file or a
 * folder. */
static const char *output_kind(mode_t mode) {
  if (S_ISLNK(mode))
    return "a symbolic link";
  if (S_ISDIR(mode))
    return "a folder";
  if (S_ISREG(mode))
    return "a regular file";
  return "a special file";
}

/* Creates folder and any missing parent folders, like `mkdir -p`. */
static int output_mkdir(const char *folder, char *error, size_t error_size) {
  char path[OUTPUT_FOLDER_MAX_NAME + 1];
  size_t len = strlen(folder);
  memcpy(path, folder, len + 1);

  for (size_t i = 1; i <= len; i++) {
    if (path[i] != '/' && path[i] != '\0')
      continue;
    char saved = path[i];
    path[i] = '\0';
    if (mkdir(path, 0777) != 0 && errno != EEXIST) {
      output_fail(error, error_size, "%s: error: cannot create folder: %s", path,
                  strerror(errno));
      return -1;
    }
    path[i] = saved;
  }
  return 0;
}

static int output_compare_listed(const void *a, const void *b) {
  return strcmp(((const output_listed *)a)->name, ((const output_listed *)b)->name);
}

/* Stores the template file names of the manifest's "types" and their
 * digests, sorted by name. */
static void output_collect_names(output_folder *out) {
  size_t count = json_array_size(out->old_types), i;
  json_t *entry;
  out->old = calloc(count ? count : 1, sizeof out->old[0]);
  if (!out->old)
    abort();
  json_array_foreach(out->old_types, i, entry) {
    /* The scan checked that each template is "templates/" and a file name,
     * and that each entry has a templateSha256 of 64 hexadecimal digits. */
    const char *template_path = json_string_value(json_object_get(entry, "template"));
    const char *digest = json_string_value(json_object_get(entry, "templateSha256"));
    const char *previous = json_string_value(json_object_get(entry, "previousTemplateSha256"));
    output_listed *listed = &out->old[out->old_count++];
    if (!(listed->name = strdup(strchr(template_path, '/') + 1)))
      abort();
    snprintf(listed->digest, sizeof listed->digest, "%s", digest);
    snprintf(listed->previous, sizeof listed->previous, "%s", previous ? previous : "");
  }
  qsort(out->old, out->old_count, sizeof out->old[0], output_compare_listed);
}

/* Returns NULL when the manifest has the top-level members cfgate compile
 * writes and no others, else a static description of the first problem.
 * Another tool's manifest.json with a "types" array is not replaced. */
static const char *output_manifest_members(json_t *manifest) {
  static const char *const required[] = {"cfgateVersion", "sources", "types", "denied",
                                         "placeholders"};
  for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
    if (!json_object_get(manifest, required[i]))
      return "it lacks a member that every cfgate manifest has (cfgateVersion, sources, types, "
             "denied and placeholders)";
  if (json_object_size(manifest) != sizeof required / sizeof required[0])
    return "it has top-level members that cfgate does not write";
  if (!json_is_string(json_object_get(manifest, "cfgateVersion")))
    return "its cfgateVersion is not a string";
  return NULL;
}

/* Parses a manifest that the scan accepted. */
static int output_parse_manifest(output_folder *out, const char *text, size_t size, char *error,
                                 size_t error_size) {
  json_error_t jerror;
  json_t *manifest = json_loadb(text, size, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &jerror);
  if (!manifest) {
    output_fail(error, error_size,
                "%s/" OUTPUT_MANIFEST ":%d:%d: error: not a manifest written by cfgate compile: "
                "%s: " OUTPUT_ADVICE,
                out->name, jerror.line, jerror.column < 1 ? 1 : jerror.column, jerror.text);
    return -1;
  }
  const char *problem = output_manifest_members(manifest);
  if (problem) {
    output_fail(error, error_size,
                "%s/" OUTPUT_MANIFEST ": error: not a manifest written by cfgate compile: %s: "
                OUTPUT_ADVICE,
                out->name, problem);
    json_decref(manifest);
    return -1;
  }
  out->old_types = json_incref(json_object_get(manifest, "types"));
  json_decref(manifest);
  output_collect_names(out);
  return 0;
}

/* Reads and checks manifest.json when the folder has one. */
static int output_read_manifest(output_folder *out, char *error, size_t error_size) {
  file_read_status status;
  int errno_value;
  size_t size = 0;
  char *text = file_read_regular_at(out->fd, OUTPUT_MANIFEST, POLICY_MAX_FILE_BYTES, &size,
                                    &status, &errno_value);
  if (status == FILE_READ_FAILED && errno_value == ENOENT)
    return 0;
  if (status == FILE_READ_NOT_REGULAR || (status == FILE_READ_FAILED && errno_value == ELOOP)) {
    struct stat info;
    const char *kind = "a symbolic link";
    if (fstatat(out->fd, OUTPUT_MANIFEST, &info, AT_SYMLINK_NOFOLLOW) == 0)
      kind = output_kind(info.st_mode);
    output_fail(error, error_size,
                "%s/" OUTPUT_MANIFEST ": error: %s, not a regular file that cfgate wrote: "
                OUTPUT_ADVICE,
                out->name, kind);
    return -1;
  }
  if (status == FILE_READ_TOO_LARGE) {
    output_fail(error, error_size,
                "%s/" OUTPUT_MANIFEST ": error: too large for a manifest (limit is %u bytes): "
                OUTPUT_ADVICE,
                out->name, POLICY_MAX_FILE_BYTES);
    return -1;
  }
  if (status != FILE_READ_OK) {
    output_fail(error, error_size, "%s/" OUTPUT_MANIFEST ": error: cannot read file: %s",
                out->name, status == FILE_READ_CHANGED ? "its size changed while it was read"
                                                       : strerror(errno_value));
    return -1;
  }

  /* A byte order mark is skipped, as when the folder is loaded. */
  sha256_hex(text, size, out->manifest_digest);
  size_t skip = size >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
  char problem[600];
  policy_manifest_match match;
  int result = policy_manifest_scan(text + skip, size - skip, NULL, &match, problem,
                                    sizeof problem);
  if (result != 0)
    output_fail(error, error_size,
                "%s/" OUTPUT_MANIFEST ": error: not a manifest written by cfgate compile: %s: "
                OUTPUT_ADVICE,
                out->name, problem);
  else
    result = output_parse_manifest(out, text + skip, size - skip, error, error_size);
  free(text);
  return result;
}

/* Returns 1 when name ends in ".json" in any letter case: on a file system
 * that ignores case, AWS-S3-Bucket.JSON is the file aws-s3-bucket.json. */
static int output_is_json_name(const char *name) {
  size_t len = strlen(name);
  return len > 5 && strcasecmp(name + len - 5, ".json") == 0;
}

/* Opens templates/ without following a symbolic link. A missing folder
 * leaves templates_fd at -1. */
static int output_open_templates(output_folder *out, char *error, size_t error_size) {
  out->templates_fd =
      openat(out->fd, OUTPUT_TEMPLATES, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (out->templates_fd >= 0 || errno == ENOENT)
    return 0;

  int saved = errno;
  struct stat info;
  if (fstatat(out->fd, OUTPUT_TEMPLATES, &info, AT_SYMLINK_NOFOLLOW) == 0 &&
      !S_ISDIR(info.st_mode)) {
    output_fail(error, error_size,
                "%s/" OUTPUT_TEMPLATES ": error: %s, not a folder that cfgate created: "
                OUTPUT_ADVICE,
                out->name, output_kind(info.st_mode));
    return -1;
  }
  output_fail(error, error_size, "%s/" OUTPUT_TEMPLATES ": error: cannot open folder: %s",
              out->name, strerror(saved));
  return -1;
}

/* What output_check_entry() found in templates/. */
typedef struct output_scan {
  char *unlisted;        /* smallest .json name the manifest does not list */
  size_t unlisted_count; /* all such names */
} output_scan;

/* Stores the digest of a listed template in listed->found and checks that
 * it is one that its entry records. A compilation that stopped may have
 * left a manifest that lists a template it never wrote; a file put under
 * that name since is not cfgate's and must stay. An entry without a digest
 * (a manifest of an older cfgate) accepts the file found. */
static int output_check_digest(output_folder *out, output_listed *listed, char *error,
                               size_t error_size) {
  file_read_status status;
  int errno_value;
  size_t size = 0;
  char *text = file_read_regular_at(out->templates_fd, listed->name, POLICY_MAX_FILE_BYTES, &size,
                                    &status, &errno_value);
  if (status == FILE_READ_OK)
    sha256_hex(text, size, listed->found);
  free(text);
  if (status == FILE_READ_FAILED && errno_value != ELOOP) {
    output_fail(error, error_size, "%s/" OUTPUT_TEMPLATES "/%s: error: cannot read: %s",
                out->name, listed->name, strerror(errno_value));
    return -1;
  }
  if (status == FILE_READ_TOO_LARGE) {
    output_fail(error, error_size,
                "%s/" OUTPUT_TEMPLATES "/%s: error: too large for a template (limit is %u "
                "bytes): " OUTPUT_ADVICE,
                out->name, listed->name, POLICY_MAX_FILE_BYTES);
    return -1;
  }
  if (status == FILE_READ_OK &&
      (strcmp(listed->found, listed->digest) == 0 || strcmp(listed->found, listed->previous) == 0))
    return 0;
  listed->found[0] = '\0';
  output_fail(error, error_size,
              "%s/" OUTPUT_TEMPLATES "/%s: error: not the file cfgate wrote (its SHA-256 differs "
              "from the templateSha256 that %s/" OUTPUT_MANIFEST " records): move it away or "
              "pick another output folder; nothing was written",
              out->name, listed->name, out->name);
  return -1;
}

/* Checks one name in templates/. Returns -1 with a message for a listed
 * name that is not a regular file. */
static int output_check_entry(output_folder *out, const char *name, output_scan *scan,
                              char *error, size_t error_size) {
  if (!output_is_json_name(name))
    return 0;
  if (!output_folder_lists(out, name)) {
    scan->unlisted_count++;
    if (!scan->unlisted || strcmp(name, scan->unlisted) < 0) {
      free(scan->unlisted);
      if (!(scan->unlisted = strdup(name)))
        abort();
    }
    return 0;
  }

  struct stat info;
  if (fstatat(out->templates_fd, name, &info, AT_SYMLINK_NOFOLLOW) != 0) {
    output_fail(error, error_size, "%s/" OUTPUT_TEMPLATES "/%s: error: cannot read: %s",
                out->name, name, strerror(errno));
    return -1;
  }
  if (!S_ISREG(info.st_mode)) {
    output_fail(error, error_size,
                "%s/" OUTPUT_TEMPLATES "/%s: error: %s, not a template file that cfgate wrote: "
                OUTPUT_ADVICE,
                out->name, name, output_kind(info.st_mode));
    return -1;
  }
  return output_check_digest(out, (output_listed *)output_folder_listed(out, name), error,
                             error_size);
}

/* Reports the first .json file of templates/ that the manifest does not
 * list. */
static void output_report_unlisted(const output_folder *out, const output_scan *scan,
                                   char *error, size_t error_size) {
  char files[80] = "this file";
  if (scan->unlisted_count > 1)
    snprintf(files, sizeof files, "this file and %zu other .json file%s there",
             scan->unlisted_count - 1, scan->unlisted_count > 2 ? "s" : "");
  char reason[OUTPUT_FOLDER_MAX_NAME + 100];
  if (out->old_types)
    snprintf(reason, sizeof reason, "%s/" OUTPUT_MANIFEST " does not list it", out->name);
  else
    snprintf(reason, sizeof reason, "there is no %s/" OUTPUT_MANIFEST, out->name);
  output_fail(error, error_size,
              "%s/" OUTPUT_TEMPLATES "/%s: error: not written by cfgate (%s); the templates "
              "folder may hold only the templates cfgate writes: move %s away or pick another "
              "output folder; nothing was written",
              out->name, scan->unlisted, reason, files);
}

/* Checks every name in templates/. */
static int output_scan_templates(output_folder *out, char *error, size_t error_size) {
  int fd = dup(out->templates_fd);
  DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;
  if (!dir) {
    if (fd >= 0)
      close(fd);
    output_fail(error, error_size, "%s/" OUTPUT_TEMPLATES ": error: cannot read folder: %s",
                out->name, strerror(errno));
    return -1;
  }

  output_scan scan = {NULL, 0};
  int result = 0;
  struct dirent *item;
  while (result == 0 && (item = readdir(dir)) != NULL)
    result = output_check_entry(out, item->d_name, &scan, error, error_size);
  closedir(dir);

  if (result == 0 && scan.unlisted) {
    output_report_unlisted(out, &scan, error, error_size);
    result = -1;
  }
  free(scan.unlisted);
  return result;
}

int output_folder_open(output_folder *out, const char *folder, char *error, size_t error_size) {
  memset(out, 0, sizeof *out);
  out->fd = out->templates_fd = -1;
  if (strlen(folder) > OUTPUT_FOLDER_MAX_NAME) {
    output_fail(error, error_size, "%.200s...: error: output folder name is too long (limit is %d bytes)",
                folder, OUTPUT_FOLDER_MAX_NAME);
    return -1;
  }
  strcpy(out->name, folder);
  if (output_mkdir(folder, error, error_size))
    return -1;

  out->fd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (out->fd < 0) {
    output_fail(error, error_size, "%s: error: cannot open output folder: %s", folder,
                strerror(errno));
    return -1;
  }
  /* Two compiles into one folder would each check it and then write over
   * the other's files, so the second one waits for none and fails. The
   * lock ends when the folder is closed, also when the process dies. */
  if (flock(out->fd, LOCK_EX | LOCK_NB) != 0) {
    output_fail(error, error_size,
                "%s: error: another cfgate compile is writing this folder (%s): wait for it "
                "to finish or pick another output folder; nothing was written",
                folder, strerror(errno));
    output_folder_close(out);
    return -1;
  }
  if (output_read_manifest(out, error, error_size) ||
      output_open_templates(out, error, error_size) ||
      (out->templates_fd >= 0 && output_scan_templates(out, error, error_size))) {
    output_folder_close(out);
    return -1;
  }
  return 0;
}

const output_listed *output_folder_listed(const output_folder *out, const char *file_name) {
  if (out->old_count == 0)
    return NULL;
  output_listed key = {.name = (char *)file_name};
  return bsearch(&key, out->old, out->old_count, sizeof out->old[0], output_compare_listed);
}

int output_folder_lists(const output_folder *out, const char *file_name) {
  return output_folder_listed(out, file_name) != NULL;
}

int output_owned_digest(const char *text, size_t length, const void *arg) {
  char digest[SHA256_HEX_SIZE];
  sha256_hex(text, length, digest);
  return strcmp(digest, (const char *)arg) == 0;
}

/* output_owner.owned that accepts no file. */
static int output_owned_none(const char *text, size_t length, const void *arg) {
  (void)text;
  (void)length;
  (void)arg;
  return 0;
}

void output_listed_owner(const output_listed *listed, output_owner *owner) {
  owner->owned = listed->found[0] ? output_owned_digest : output_owned_none;
  owner->arg = listed->found;
}

int output_folder_make_templates(output_folder *out, char *error, size_t error_size) {
  if (out->templates_fd >= 0)
    return 0;
  if (mkdirat(out->fd, OUTPUT_TEMPLATES, 0777) != 0 && errno != EEXIST) {
    output_fail(error, error_size, "%s/" OUTPUT_TEMPLATES ": error: cannot create folder: %s",
                out->name, strerror(errno));
    return -1;
  }
  /* A link or file put in its place since the checks fails here:
   * O_NOFOLLOW and O_DIRECTORY. */
  if (output_open_templates(out, error, error_size))
    return -1;
  if (out->templates_fd >= 0)
    return 0;
  output_fail(error, error_size, "%s/" OUTPUT_TEMPLATES ": error: cannot open folder: %s",
              out->name, strerror(ENOENT));
  return -1;
}

void output_folder_close(output_folder *out) {
  if (out->fd >= 0)
    close(out->fd);
  if (out->templates_fd >= 0)
    close(out->templates_fd);
  for (size_t i = 0; i < out->old_count; i++)
    free(out->old[i].name);
  free(out->old);
  json_decref(out->old_types);
  out->fd = out->templates_fd = -1;
  out->old = NULL;
  out->old_count = 0;
  out->old_types = NULL;
}
