/*
 * Template inputs of `cfgate check`: files, folders searched recursively for
 * *.json, *.yaml, *.yml and *.template, and "-" for standard input.
 */
#ifndef CFGATE_CLI_TEMPLATE_FILES_H
#define CFGATE_CLI_TEMPLATE_FILES_H

#include <stddef.h>

enum {
  TEMPLATE_MAX_FILES = 100000,               /* template files in one run */
  TEMPLATE_MAX_FILE_BYTES = 64 * 1024 * 1024  /* bytes read from one template */
};

typedef struct template_files {
  char **paths;
  size_t count, capacity;
} template_files;

/* Adds path: a file as given, a folder's matching files sorted by path, or
 * "-". Returns 0, or -1 with a message in error (missing path, a folder
 * without templates, too many files). */
int template_files_add(template_files *files, const char *path, char *error, size_t error_size);

/* Removes each path that names the same file as an earlier path (the same
 * file given twice, or through a folder and by name), keeping the first.
 * Returns 0, or -1 when memory runs out. */
int template_files_remove_duplicates(template_files *files);

void template_files_fini(template_files *files);

/* Reads a whole file ("-" is standard input) into a new buffer the caller
 * frees. Returns NULL with a message in error, and with errno set to EFBIG
 * when the input is larger than TEMPLATE_MAX_FILE_BYTES. */
unsigned char *template_read_file(const char *path, size_t *size, char *error, size_t error_size);

#endif
