/*
 * State of one policy compilation, shared by the loading, joining and
 * emitting passes. Internal to the compiler library.
 */
#ifndef CFGATE_COMPILE_H
#define CFGATE_COMPILE_H

#include <jansson.h>

#include "ast.h"
#include "diag.h"
#include "dsl_limits.h"
#include "snapshot.h"

typedef struct compile_let {
  const ast_decl *decl;
  int expanding; /* 1 while its constraints are being expanded, to catch self-reference */
  int used;      /* 1 once a rule refers to it */
} compile_let;

typedef struct compile_context {
  const ast_decl *decl;
  int used; /* 1 once a string or pattern of a joined type uses it */
} compile_context;

typedef struct compile_ctx {
  arena arena;
  src_set sources;
  diag_sink diags;
  snapshot *snap;

  ast_file *files;
  const char **real_paths; /* parallel to files: resolved path, to load a file once */
  size_t file_count, file_capacity;
  const char *loading[DSL_MAX_INCLUDE_DEPTH]; /* real paths being loaded, for include cycles */
  const char *loading_names[DSL_MAX_INCLUDE_DEPTH]; /* the same files, named as given */
  size_t loading_depth;

  compile_let *lets;
  size_t let_count, let_capacity;
  compile_context **contexts; /* arena-allocated entries */
  size_t context_count, context_capacity;
  const ast_decl **types;
  size_t type_count, type_capacity;
} compile_ctx;

/* Grows an array of `size`-byte elements to hold one more. */
void *compile_grow(void *items, size_t *capacity, size_t count, size_t size);

/* Loads a .gate file or a folder of them, with its includes. `from` is the
 * include declaration, NULL for a path given by the caller. */
void compile_load_path(compile_ctx *ctx, const char *path, const ast_decl *from);

/* Registers the declarations of a parsed file and loads its includes. */
void compile_register(compile_ctx *ctx, const ast_file *file);

const compile_let *compile_find_let(const compile_ctx *ctx, const char *name);

/* Returns 1 when name is a built-in placeholder or a declared context. */
int compile_is_placeholder(const compile_ctx *ctx, const char *name, size_t len);

/* Like compile_is_placeholder, and marks a context as used. */
int compile_use_placeholder(compile_ctx *ctx, const char *name, size_t len);

/* Warns about each let that no rule uses and each context that no string
 * or pattern uses. Call after every type was joined. */
void compile_warn_unused(compile_ctx *ctx);

/* Joins one type declaration with its provider schema and returns the
 * restricted template (new reference), or NULL after reporting errors. */
json_t *compile_type(compile_ctx *ctx, const ast_decl *decl, const snapshot_schema *schema);

/* Checks a joined template with template_verify() and builds its validator
 * once with ir_build(). A failure is reported as a defect of the provider
 * schema, with its file, the template location and the value there.
 * Returns 1 when both pass. */
int compile_verify_template(compile_ctx *ctx, const ast_decl *decl,
                            const snapshot_schema *schema, json_t *template_schema);

#endif
