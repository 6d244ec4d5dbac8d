/*
 * Registration of the declarations of one parsed file: let and context
 * names must be unique, a type may be declared once per policy, and an
 * include loads its file relative to the including one.
 */
#define _DEFAULT_SOURCE /* realpath, PATH_MAX */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "compile.h"

static const char *const builtin_placeholders[] = {"AWS::AccountId", "AWS::Region",
                                                   "AWS::Partition", "AWS::URLSuffix"};

static int compile_is_builtin(const char *name, size_t len) {
  for (size_t i = 0; i < sizeof builtin_placeholders / sizeof builtin_placeholders[0]; i++)
    if (strlen(builtin_placeholders[i]) == len && memcmp(builtin_placeholders[i], name, len) == 0)
      return 1;
  return 0;
}

static compile_context *compile_find_context(const compile_ctx *ctx, const char *name,
                                             size_t len) {
  for (size_t i = 0; i < ctx->context_count; i++) {
    const ast_string *declared = &ctx->contexts[i]->decl->name;
    if (declared->len == len && memcmp(declared->text, name, len) == 0)
      return ctx->contexts[i];
  }
  return NULL;
}

int compile_is_placeholder(const compile_ctx *ctx, const char *name, size_t len) {
  return compile_is_builtin(name, len) || compile_find_context(ctx, name, len) != NULL;
}

int compile_use_placeholder(compile_ctx *ctx, const char *name, size_t len) {
  if (compile_is_builtin(name, len))
    return 1;
  compile_context *context = compile_find_context(ctx, name, len);
  if (context)
    context->used = 1;
  return context != NULL;
}

/* Returns 1 when decl refers to the let named target through its let
 * references. visited has one flag per let and stops repeated walks. */
static int let_refers_to(const compile_ctx *ctx, const ast_decl *decl, const char *target,
                         unsigned char *visited) {
  for (const ast_constraint *c = decl->constraints; c; c = c->next) {
    if (c->kind != AST_LET_REF)
      continue;
    if (strcmp(c->name.text, target) == 0)
      return 1;
    const compile_let *next = compile_find_let(ctx, c->name.text);
    if (!next || visited[next - ctx->lets])
      continue;
    visited[next - ctx->lets] = 1;
    if (let_refers_to(ctx, next->decl, target, visited))
      return 1;
  }
  return 0;
}

/* Reports a let that no rule uses: a cycle is an error, as it is in a
 * used let, and otherwise it gets a warning. */
static void report_unused_let(compile_ctx *ctx, const compile_let *let) {
  unsigned char *visited = calloc(ctx->let_count ? ctx->let_count : 1, 1);
  int cycle = visited && let_refers_to(ctx, let->decl, let->decl->name.text, visited);
  free(visited);

  if (cycle)
    diag_report(&ctx->diags, DIAG_ERROR, DIAG_LET_CYCLE, let->decl->name.span,
                "let cycle: '%s' refers back to itself through other lets", let->decl->name.text);
  else
    diag_report(&ctx->diags, DIAG_WARNING, DIAG_UNUSED, let->decl->name.span,
                "let '%s' is never used", let->decl->name.text);
}

void compile_warn_unused(compile_ctx *ctx) {
  for (size_t i = 0; i < ctx->let_count; i++)
    if (!ctx->lets[i].used)
      report_unused_let(ctx, &ctx->lets[i]);
  for (size_t i = 0; i < ctx->context_count; i++)
    if (!ctx->contexts[i]->used)
      diag_report(&ctx->diags, DIAG_WARNING, DIAG_UNUSED, ctx->contexts[i]->decl->name.span,
                  "context '%s' is never used: no string or pattern contains '${%s}'",
                  ctx->contexts[i]->decl->name.text, ctx->contexts[i]->decl->name.text);
}

const compile_let *compile_find_let(const compile_ctx *ctx, const char *name) {
  for (size_t i = 0; i < ctx->let_count; i++)
    if (strcmp(ctx->lets[i].decl->name.text, name) == 0)
      return &ctx->lets[i];
  return NULL;
}

static void compile_report_duplicate(compile_ctx *ctx, diag_code code, const ast_decl *decl,
                                     const ast_decl *first, const char *what) {
  uint32_t line, column;
  src_position(&ctx->sources.files[first->span.file], first->span.start, &line, &column);
  diag_report(&ctx->diags, DIAG_ERROR, code, decl->name.span,
              "%s '%s' is already declared at %s:%u:%u", what, decl->name.text,
              ctx->sources.files[first->span.file].path, line, column);
}

static void compile_add_let(compile_ctx *ctx, const ast_decl *decl) {
  if (!decl->constraints && !decl->invalid)
    diag_report(&ctx->diags, DIAG_ERROR, DIAG_SYNTAX, decl->name.span,
                "let '%s' has no constraints: write them after '=' on the same line, as in "
                "'let %s = pattern \"^arn:\"'", decl->name.text, decl->name.text);

  const compile_let *first = compile_find_let(ctx, decl->name.text);
  if (first) {
    compile_report_duplicate(ctx, DIAG_DUPLICATE_LET, decl, first->decl, "let");
    return;
  }
  ctx->lets = compile_grow(ctx->lets, &ctx->let_capacity, ctx->let_count, sizeof ctx->lets[0]);
  ctx->lets[ctx->let_count++] = (compile_let){decl, 0, 0};
}

static void compile_add_context(compile_ctx *ctx, const ast_decl *decl) {
  if (strncmp(decl->name.text, "AWS::", 5) == 0) {
    diag_report(&ctx->diags, DIAG_ERROR, DIAG_INVALID_PLACEHOLDER, decl->name.span,
                "context '%s' is in the AWS:: namespace, which is reserved for "
                "CloudFormation's pseudo parameters: pick a name such as 'Org::%s'",
                decl->name.text, decl->name.text + 5);
    return;
  }

  const compile_context *first = compile_find_context(ctx, decl->name.text, decl->name.len);
  if (first) {
    compile_report_duplicate(ctx, DIAG_DUPLICATE_CONTEXT, decl, first->decl, "context");
    return;
  }

  compile_context *context = arena_alloc(&ctx->arena, sizeof *context);
  context->decl = decl;
  ctx->contexts = compile_grow(ctx->contexts, &ctx->context_capacity, ctx->context_count,
                               sizeof ctx->contexts[0]);
  ctx->contexts[ctx->context_count++] = context;
}

static void compile_add_type(compile_ctx *ctx, const ast_decl *decl) {
  for (size_t i = 0; i < ctx->type_count; i++)
    if (strcmp(ctx->types[i]->name.text, decl->name.text) == 0) {
      compile_report_duplicate(ctx, DIAG_DUPLICATE_TYPE, decl, ctx->types[i], "type");
      return;
    }
  ctx->types = compile_grow(ctx->types, &ctx->type_capacity, ctx->type_count, sizeof ctx->types[0]);
  ctx->types[ctx->type_count++] = decl;
}

/* Returns 1 when path names a file that an include may load: a name that
 * ends in .gate, or a folder, which compile_load_path() reports itself. */
static int include_target_allowed(const char *path) {
  size_t len = strlen(path);
  struct stat info;

  if (len > 5 && strcmp(path + len - 5, ".gate") == 0)
    return 1;
  return stat(path, &info) == 0 && S_ISDIR(info.st_mode);
}

/* Returns 1 when path[0..len) is a folder and not a symbolic link, so that
 * "path/.." is the folder that contains it. */
static int is_plain_folder(const char *path, size_t len) {
  char prefix[PATH_MAX];
  struct stat info;
  if (len == 0 || len >= sizeof prefix)
    return 0;
  memcpy(prefix, path, len);
  prefix[len] = '\0';
  return lstat(prefix, &info) == 0 && S_ISDIR(info.st_mode);
}

/* Removes "." segments, repeated slashes and each "NAME/.." whose NAME is
 * a folder and not a symbolic link, so messages and the manifest name an
 * included file as "inc/c.gate" and not "inc/sub/../c.gate". A ".." after
 * a link stays, because the link's target decides which folder it is. */
static void normalize_include_path(char *path) {
  size_t read = 0, write = 0;
  int absolute = path[0] == '/';
  if (absolute)
    read = write = 1;

  while (path[read]) {
    size_t end = read;
    while (path[end] && path[end] != '/')
      end++;
    size_t len = end - read;
    size_t next = path[end] ? end + 1 : end;

    if (len == 0 || (len == 1 && path[read] == '.')) {
      read = next;
      continue;
    }
    if (len == 2 && path[read] == '.' && path[read + 1] == '.' && write > (size_t)absolute) {
      size_t last = write - 1; /* the slash after the previous segment */
      size_t start = last;
      while (start > (size_t)absolute && path[start - 1] != '/')
        start--;
      int parent_is_dots = last - start == 2 && path[start] == '.' && path[start + 1] == '.';
      if (!parent_is_dots && is_plain_folder(path, last)) {
        write = start;
        read = next;
        continue;
      }
    }

    memmove(path + write, path + read, len);
    write += len;
    if (path[end])
      path[write++] = '/';
    read = next;
  }
  if (write > (size_t)absolute && path[write - 1] == '/')
    write--;
  if (write == 0)
    path[write++] = '.';
  path[write] = '\0';
}

static void compile_include(compile_ctx *ctx, const ast_decl *decl) {
  const char *including = ctx->sources.files[decl->span.file].path;
  const char *slash = strrchr(including, '/');
  char path[PATH_MAX];
  if (decl->name.text[0] == '/' || !slash)
    snprintf(path, sizeof path, "%s", decl->name.text);
  else
    snprintf(path, sizeof path, "%.*s/%s", (int)(slash - including), including, decl->name.text);
  normalize_include_path(path);

  if (!include_target_allowed(path)) {
    diag_report(&ctx->diags, DIAG_ERROR, DIAG_IO, decl->name.span,
                "include '%s' is not a .gate file: an include loads policy files only, whose "
                "names end in .gate", decl->name.text);
    return;
  }
  compile_load_path(ctx, path, decl);
}

void compile_register(compile_ctx *ctx, const ast_file *file) {
  for (const ast_decl *decl = file->decls; decl; decl = decl->next) {
    switch (decl->kind) {
    case AST_DECL_LET:
      compile_add_let(ctx, decl);
      break;
    case AST_DECL_CONTEXT:
      compile_add_context(ctx, decl);
      break;
    case AST_DECL_TYPE:
      compile_add_type(ctx, decl);
      break;
    case AST_DECL_INCLUDE:
      compile_include(ctx, decl);
      break;
    }
  }
}
