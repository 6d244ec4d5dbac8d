/*
 * Loading a policy: reads .gate files (a folder stands for its .gate files,
 * sorted), follows `include` relative to the including file, rejects
 * include cycles, and registers let, context and type declarations.
 */
#define _DEFAULT_SOURCE /* realpath, PATH_MAX */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compile.h"
#include "dsl_limits.h"
#include "file_read.h"
#include "parse.h"

void *compile_grow(void *items, size_t *capacity, size_t count, size_t size) {
  if (count < *capacity)
    return items;
  *capacity = *capacity ? 2 * *capacity : 16;
  void *grown = realloc(items, *capacity * size);
  if (!grown)
    abort();
  return grown;
}

static void compile_report(compile_ctx *ctx, const ast_decl *from, diag_code code,
                           const char *message) {
  if (from)
    diag_report(&ctx->diags, DIAG_ERROR, code, from->span, "%s", message);
  else
    diag_report_global(&ctx->diags, DIAG_ERROR, code, "%s", message);
}

/* Reports a policy source that is neither a regular file nor a folder. An
 * include names a regular file. A command-line path may also be a FIFO,
 * such as the shell's <(command), but not a device or a socket. Returns 1
 * when the file may be read. */
static int compile_is_source_file(compile_ctx *ctx, const char *path, const ast_decl *from,
                                  mode_t mode) {
  char message[PATH_MAX + 160];
  if (S_ISREG(mode) || S_ISDIR(mode) || (S_ISFIFO(mode) && !from))
    return 1;

  if (from)
    snprintf(message, sizeof message,
             "'%s' is %s, not a regular file: an include names a .gate file%s", path,
             file_type_name(mode),
             S_ISFIFO(mode) ? " (a FIFO is read only when named on the command line)" : "");
  else
    snprintf(message, sizeof message,
             "'%s' is %s, not a policy file: pass .gate files, folders of them, or a FIFO such "
             "as the shell's <(command)",
             path, file_type_name(mode));
  compile_report(ctx, from, DIAG_IO, message);
  return 0;
}

/* Opens a policy source for reading. Only a FIFO named on the command line
 * is opened blocking, to wait for its writer. Anything else is opened with
 * O_NONBLOCK and checked with fstat before a byte is read, so an include of
 * a FIFO, or a path swapped for one after stat, cannot hang the compiler. */
static FILE *compile_open_file(compile_ctx *ctx, const char *path, const ast_decl *from,
                               struct stat *info) {
  char message[PATH_MAX + 128];
  /* A socket cannot be opened at all, so stat names it first. */
  int known = stat(path, info) == 0;
  if (known && !compile_is_source_file(ctx, path, from, info->st_mode))
    return NULL;

  int blocking = known && S_ISFIFO(info->st_mode) && !from;
  int fd = open(path, O_RDONLY | O_CLOEXEC | (blocking ? 0 : O_NONBLOCK));
  if (fd < 0) {
    /* A command-line path may name a folder of .gate files, but an include names one file. */
    snprintf(message, sizeof message, "cannot open policy %s '%s': %s",
             from ? "file" : "file or folder", path, strerror(errno));
    compile_report(ctx, from, DIAG_IO, message);
    return NULL;
  }
  if (fstat(fd, info) != 0 || !compile_is_source_file(ctx, path, from, info->st_mode) ||
      (!blocking && fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0)) {
    close(fd);
    return NULL;
  }

  FILE *file = fdopen(fd, "rb");
  if (!file)
    abort();
  return file;
}

static char *compile_read_file(compile_ctx *ctx, const char *path, const ast_decl *from,
                               size_t *len) {
  char message[PATH_MAX + 128];
  struct stat info;
  FILE *file = compile_open_file(ctx, path, from, &info);
  if (!file)
    return NULL;

  /* A regular file is read in one piece of its size; a pipe up to the limit. */
  size_t size = DSL_MAX_SOURCE_BYTES;
  if (S_ISDIR(info.st_mode)) {
    snprintf(message, sizeof message,
             "'%s' is a folder: an include names one .gate file (only the command line takes "
             "folders)",
             path);
    compile_report(ctx, from, DIAG_IO, message);
    fclose(file);
    return NULL;
  }
  if (S_ISREG(info.st_mode))
    size = (size_t)info.st_size;
  if (size > DSL_MAX_SOURCE_BYTES)
    size = DSL_MAX_SOURCE_BYTES;
  char *text = malloc(size + 2);
  if (!text)
    abort();
  *len = fread(text, 1, size + 1, file);
  int failed = ferror(file);
  fclose(file);
  if (failed) {
    snprintf(message, sizeof message, "cannot read policy file '%s'", path);
    compile_report(ctx, from, DIAG_IO, message);
    free(text);
    return NULL;
  }
  if (*len > DSL_MAX_SOURCE_BYTES) {
    snprintf(message, sizeof message, "policy file '%s' is too large (limit is %u bytes)", path,
             DSL_MAX_SOURCE_BYTES);
    compile_report(ctx, from, DIAG_LIMIT, message);
    free(text);
    return NULL;
  }
  return text;
}

/* Reports the include cycle that an include of the file at loading[first]
 * closes, naming each file of the cycle in include order. */
static void compile_report_cycle(compile_ctx *ctx, size_t first, const ast_decl *from) {
  char message[PATH_MAX + 128];
  if (first + 1 == ctx->loading_depth) {
    snprintf(message, sizeof message, "include cycle: '%s' includes itself",
             ctx->loading_names[first]);
    compile_report(ctx, from, DIAG_INCLUDE_CYCLE, message);
    return;
  }

  /* "'a' includes 'b', which includes 'a'", naming the closing file as it
   * was first reached rather than by the path of the include that closes
   * the cycle (sub/../a). A chain longer than the message is cut off at the
   * end of the buffer. */
  size_t used = (size_t)snprintf(message, sizeof message, "include cycle: '%s'",
                                 ctx->loading_names[first]);
  for (size_t i = first + 1; i <= ctx->loading_depth && used < sizeof message; i++) {
    const char *next = ctx->loading_names[i < ctx->loading_depth ? i : first];
    used += (size_t)snprintf(message + used, sizeof message - used, "%s includes '%s'",
                             i > first + 1 ? ", which" : "", next);
  }
  compile_report(ctx, from, DIAG_INCLUDE_CYCLE, message);
}

static int compile_enter(compile_ctx *ctx, const char *real, const char *path,
                         const ast_decl *from) {
  for (size_t i = 0; i < ctx->loading_depth; i++) {
    if (strcmp(ctx->loading[i], real) == 0) {
      compile_report_cycle(ctx, i, from);
      return 0;
    }
  }

  if (ctx->loading_depth >= DSL_MAX_INCLUDE_DEPTH || ctx->file_count >= DSL_MAX_FILES) {
    char message[128];
    snprintf(message, sizeof message,
             "too many nested includes or files (limit is %d deep, %d files)",
             DSL_MAX_INCLUDE_DEPTH, DSL_MAX_FILES);
    compile_report(ctx, from, DIAG_LIMIT, message);
    return 0;
  }

  ctx->loading_names[ctx->loading_depth] = arena_strndup(&ctx->arena, path, strlen(path));
  ctx->loading[ctx->loading_depth++] = arena_strndup(&ctx->arena, real, strlen(real));
  return 1;
}

static int compile_already_loaded(const compile_ctx *ctx, const char *real) {
  for (size_t i = 0; i < ctx->file_count; i++)
    if (strcmp(ctx->real_paths[i], real) == 0)
      return 1;
  return 0;
}

static void compile_load_file(compile_ctx *ctx, const char *path, const ast_decl *from) {
  char real[PATH_MAX];
  if (!realpath(path, real))
    snprintf(real, sizeof real, "%s", path);
  if (compile_already_loaded(ctx, real) && !from)
    return;
  if (!compile_enter(ctx, real, path, from))
    return;

  size_t len = 0;
  char *text = compile_read_file(ctx, path, from, &len);
  if (text && !compile_already_loaded(ctx, real)) {
    /* A UTF-8 byte order mark, which some editors write, is not part of the
     * policy: skipping it keeps line 1's columns what the editor shows. */
    size_t skip = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    uint32_t file = src_set_add(&ctx->sources, path, text + skip, len - skip);
    ast_file parsed;
    parse_file(&ctx->arena, &ctx->diags, &ctx->sources, file, &parsed);

    size_t capacity = ctx->file_capacity;
    ctx->files =
        compile_grow(ctx->files, &ctx->file_capacity, ctx->file_count, sizeof ctx->files[0]);
    ctx->real_paths =
        compile_grow(ctx->real_paths, &capacity, ctx->file_count, sizeof ctx->real_paths[0]);
    ctx->files[ctx->file_count] = parsed;
    ctx->real_paths[ctx->file_count++] = ctx->loading[ctx->loading_depth - 1];
    compile_register(ctx, &parsed);
  }
  free(text);
  ctx->loading_depth--;
}

static int compile_compare_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reports a folder without .gate files that has the templates/ folder of
 * cfgate compile's output but no manifest.json: without the manifest it is
 * not a compiled policy, and read as sources it would declare nothing. */
static void compile_check_compiled_remains(compile_ctx *ctx, const char *path) {
  char templates[PATH_MAX];
  struct stat info;
  snprintf(templates, sizeof templates, "%s/templates", path);
  if (stat(templates, &info) != 0 || !S_ISDIR(info.st_mode))
    return;

  diag_report_global(&ctx->diags, DIAG_ERROR, DIAG_IO,
                     "'%s' has no manifest.json, so it is not a compiled policy folder, and it "
                     "contains no .gate files: run cfgate compile POLICY.gate -o %s to write it "
                     "again, or pass the .gate sources",
                     path, path);
}

/* Reports a .gate entry of a policy folder that is not a regular file (a
 * link is followed). Opening a FIFO would wait for a writer, so only a path
 * given on the command line may be one, such as the shell's <(command). */
static int compile_is_regular_entry(compile_ctx *ctx, const char *folder, const char *path) {
  struct stat info;
  if (stat(path, &info) != 0 || S_ISREG(info.st_mode))
    return 1;

  diag_report_global(&ctx->diags, DIAG_ERROR, DIAG_IO,
                     "'%s' in policy folder '%s' is %s, not a regular file%s", path, folder,
                     file_type_name(info.st_mode),
                     S_ISFIFO(info.st_mode) ? ": a FIFO is read only when named on the command line" : "");
  return 0;
}

static void compile_load_folder(compile_ctx *ctx, const char *path) {
  DIR *dir = opendir(path);
  if (!dir) {
    diag_report_global(&ctx->diags, DIAG_ERROR, DIAG_IO, "cannot open policy folder '%s': %s", path,
                       strerror(errno));
    return;
  }

  char **names = NULL;
  size_t count = 0, capacity = 0;
  struct dirent *item;
  while ((item = readdir(dir)) != NULL) {
    size_t len = strlen(item->d_name);
    if (len <= 5 || strcmp(item->d_name + len - 5, ".gate") != 0)
      continue;
    names = compile_grow(names, &capacity, count, sizeof names[0]);
    names[count++] = arena_printf(&ctx->arena, "%s/%s", path, item->d_name);
  }
  closedir(dir);

  if (count > DSL_MAX_FILES) {
    diag_report_global(&ctx->diags, DIAG_ERROR, DIAG_LIMIT,
                       "too many .gate files in policy folder '%s': %zu (limit is %d)", path,
                       count, DSL_MAX_FILES);
    free(names);
    return;
  }

  if (count == 0)
    compile_check_compiled_remains(ctx, path);
  /* qsort's first argument must not be NULL, even for zero items. */
  if (count > 0)
    qsort(names, count, sizeof names[0], compile_compare_names);
  for (size_t i = 0; i < count; i++)
    if (compile_is_regular_entry(ctx, path, names[i]))
      compile_load_file(ctx, names[i], NULL);
  free(names);
}

void compile_load_path(compile_ctx *ctx, const char *path, const ast_decl *from) {
  struct stat info;
  if (!from && stat(path, &info) == 0 && S_ISDIR(info.st_mode))
    compile_load_folder(ctx, path);
  else
    compile_load_file(ctx, path, from);
}
