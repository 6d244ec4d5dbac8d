/*
 * The output folder of `cfgate compile` as found before a compilation
 * writes to it. cfgate replaces or removes only the files that the
 * folder's manifest.json lists. So other .json files in templates/, a
 * manifest that cfgate did not write, and a symbolic link in place of
 * templates/ or manifest.json are rejected before anything is written.
 * Every file is reached through the open folder without following a
 * symbolic link, so a link swapped in after the checks is not followed
 * either.
 */
#ifndef CFGATE_OUTPUT_FOLDER_H
#define CFGATE_OUTPUT_FOLDER_H

#include <jansson.h>
#include <stddef.h>

/* Maximum length of the output folder name, NUL excluded: PATH_MAX on
 * Linux (4096) less room for "/templates/" and a template file name. */
#define OUTPUT_FOLDER_MAX_NAME 3500

/* Decides whether a file found in an output folder is one that cfgate
 * wrote: owned(text, length, arg) returns 1 for the bytes of such a file. */
typedef struct output_owner {
  int (*owned)(const char *text, size_t length, const void *arg);
  const void *arg;
} output_owner;

/* Bytes of a SHA-256 digest in hexadecimal with its NUL. */
#define OUTPUT_DIGEST_SIZE 65

/* One template that the manifest found lists. */
typedef struct output_listed {
  char *name;                        /* its file name in templates/ */
  char digest[OUTPUT_DIGEST_SIZE];   /* its templateSha256 */
  char previous[OUTPUT_DIGEST_SIZE]; /* its previousTemplateSha256, "" when it has none */
  char found[OUTPUT_DIGEST_SIZE];    /* the digest of the file found, "" when it is missing */
} output_listed;

typedef struct output_folder {
  char name[OUTPUT_FOLDER_MAX_NAME + 1]; /* as given, for messages */
  int fd;                                /* the output folder */
  int templates_fd;                      /* its templates/ folder, or -1 while missing */
  json_t *old_types; /* "types" of the manifest found, or NULL when there was none */
  output_listed *old; /* the templates that manifest lists, sorted by name */
  size_t old_count;
  /* SHA-256 of the manifest.json in the folder, "" when there is none */
  char manifest_digest[OUTPUT_DIGEST_SIZE];
} output_folder;

/* Creates folder when missing and checks its contents. manifest.json must
 * be missing or a regular file with a valid manifest, and templates/
 * missing or a folder. templates/ must contain no .json file (in any
 * letter case) that the manifest does not list, and only regular files
 * under the names it lists, each with the bytes whose SHA-256 its entry
 * records as templateSha256 or previousTemplateSha256. Returns 0, or -1 with "PATH: error: ..." in
 * error and nothing written but the created folder. */
int output_folder_open(output_folder *out, const char *folder, char *error, size_t error_size);

/* Returns the entry of the template file name in the manifest found, or
 * NULL when it does not list it. */
const output_listed *output_folder_listed(const output_folder *out, const char *file_name);

/* Returns 1 when the manifest found lists the template file name. */
int output_folder_lists(const output_folder *out, const char *file_name);

/* Sets *owner to accept only the file found under the name of listed
 * when the folder was checked: its bytes, or none when it was missing. */
void output_listed_owner(const output_listed *listed, output_owner *owner);

/* Creates templates/ when it is missing. Returns 0, or -1 with a message. */
int output_folder_make_templates(output_folder *out, char *error, size_t error_size);

/* Returns 1 when text is the bytes whose SHA-256 is the hexadecimal
 * digest arg: output_owner.owned for a file whose digest was recorded. */
int output_owned_digest(const char *text, size_t length, const void *arg);

/* Writes text to a new hidden file beside name in the folder open as
 * dir_fd and stores its name in temporary. shown is the path of name for
 * messages. Returns 0, or -1 with a message. */
int output_hidden_write(int dir_fd, const char *shown, const char *name, const char *text,
                        size_t length, char *temporary, size_t temporary_size, char *error,
                        size_t error_size);

/* Renames the hidden file temporary to name, so name contains either its old
 * or its new bytes at any time. With owner NULL, name must be free: a file
 * that took the name since the folder was checked stays (RENAME_NOREPLACE).
 * Otherwise a file at name is replaced only when owner accepts it, checked
 * after an atomic swap (RENAME_EXCHANGE) that is undone when it rejects
 * the file.
 * The hidden file is removed on failure. Returns 0, or -1 with a message. */
int output_hidden_place(int dir_fd, const char *shown, const char *temporary, const char *name,
                        const output_owner *owner, char *error, size_t error_size);

/* output_hidden_write() and output_hidden_place() together. */
int output_folder_replace(int dir_fd, const char *shown, const char *name, const char *text,
                          size_t length, const output_owner *owner, char *error,
                          size_t error_size);

/* Removes name when owner accepts the file. The file is first renamed to a
 * hidden name, checked there and renamed back when owner rejects it, so a
 * file put at name after the folder was checked is never removed. A
 * missing name is not an error. Returns 0, or -1 with a message. */
int output_folder_remove(int dir_fd, const char *shown, const char *name,
                         const output_owner *owner, char *error, size_t error_size);

void output_folder_close(output_folder *out);

#endif
