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

typedef struct output_folder {
  char name[OUTPUT_FOLDER_MAX_NAME + 1]; /* as given, for messages */
  int fd;                                /* the output folder */
  int templates_fd;                      /* its templates/ folder, or -1 while missing */
  json_t *old_types; /* "types" of the manifest found, or NULL when there was none */
  char **old_names;  /* template file names that manifest lists, sorted */
  size_t old_count;
} output_folder;

/* Creates folder when missing and checks its contents. manifest.json must
 * be missing or a regular file with a valid manifest, and templates/
 * missing or a folder. templates/ must contain no .json file (in any
 * letter case) that the manifest does not list, and only regular files
 * under the names it lists. Returns 0, or -1 with "PATH: error: ..." in
 * error and nothing written but the created folder. */
int output_folder_open(output_folder *out, const char *folder, char *error, size_t error_size);

/* Returns 1 when the manifest found lists the template file name. */
int output_folder_lists(const output_folder *out, const char *file_name);

/* Creates templates/ when it is missing. Returns 0, or -1 with a message. */
int output_folder_make_templates(output_folder *out, char *error, size_t error_size);

/* Writes text to the file name in the folder open as dir_fd: first to a
 * new hidden file beside it, then renamed over name, so name contains either
 * its old or its new bytes at any time. shown is the path for messages.
 * Returns 0, or -1 with a message. */
int output_folder_replace(int dir_fd, const char *shown, const char *name, const char *text,
                          size_t length, char *error, size_t error_size);

void output_folder_close(output_folder *out);

#endif
