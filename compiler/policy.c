/*
 * Compiling a policy into a policy_set: load the .gate files, then join
 * every type declaration with its provider schema.
 */
#include "policy.h"
#include "pattern_check.h"

#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "suggest.h"

static char *policy_strdup(const char *text) {
  char *copy = malloc(strlen(text) + 1);
  if (!copy)
    abort();
  strcpy(copy, text);
  return copy;
}

static int policy_compare_types(const void *a, const void *b) {
  return strcmp(((const policy_type *)a)->type_name, ((const policy_type *)b)->type_name);
}

static void policy_compile_type(compile_ctx *ctx, const ast_decl *decl, policy_type *out) {
  const src_file *file = &ctx->sources.files[decl->span.file];
  out->type_name = policy_strdup(decl->name.text);
  out->file = policy_strdup(file->path);
  src_position(file, decl->span.start, &out->line, &out->column);

  char error[1024];
  snapshot_failure failure;
  const snapshot_schema *schema =
      snapshot_find(ctx->snap, decl->name.text, &failure, error, sizeof error);
  if (!schema) {
    diag_code code = failure == SNAPSHOT_INVALID ? DIAG_SNAPSHOT : DIAG_UNKNOWN_TYPE;
    diag_report(&ctx->diags, DIAG_ERROR, code, decl->name.span, "%s", error);
    return;
  }
  if (!decl->has_block)
    return;

  strcpy(out->provider_sha256, schema->sha256);
  out->template_schema = compile_type(ctx, decl, schema);
  if (!out->template_schema)
    return;

  size_t errors = ctx->diags.errors;
  pattern_check_template(ctx, decl, out->template_schema);
  if (ctx->diags.errors == errors &&
      !compile_verify_template(ctx, decl, schema, out->template_schema)) {
    json_decref(out->template_schema);
    out->template_schema = NULL;
  }
}

static policy_set *policy_collect(compile_ctx *ctx) {
  policy_set *set = calloc(1, sizeof *set);
  if (!set)
    abort();
  set->types = calloc(ctx->type_count ? ctx->type_count : 1, sizeof set->types[0]);
  set->sources = calloc(ctx->file_count ? ctx->file_count : 1, sizeof set->sources[0]);
  if (!set->types || !set->sources)
    abort();

  for (size_t i = 0; i < ctx->file_count; i++)
    set->sources[set->source_count++] = policy_strdup(ctx->sources.files[ctx->files[i].file].path);
  for (size_t i = 0; i < ctx->type_count && ctx->diags.errors < ctx->diags.max_errors; i++)
    policy_compile_type(ctx, ctx->types[i], &set->types[set->count++]);
  if (ctx->diags.errors == 0)
    compile_warn_unused(ctx);

  qsort(set->types, set->count, sizeof set->types[0], policy_compare_types);
  return set;
}

static void policy_report(const diag_sink *sink, const policy_options *options) {
  for (size_t i = 0; i < sink->count; i++) {
    const diag *d = &sink->items[i];
    policy_diagnostic out = {diag_severity_name(d->severity),
                             diag_code_name(d->code),
                             d->has_span ? sink->sources->files[d->span.file].path : NULL,
                             0,
                             0,
                             d->message};
    uint32_t line, column;
    diag_position(sink, d, &line, &column);
    out.line = line;
    out.column = column;
    options->on_diagnostic(options->diagnostic_data, &out);
  }
}

static void policy_ctx_init(compile_ctx *ctx, const policy_options *options) {
  memset(ctx, 0, sizeof *ctx);
  arena_init(&ctx->arena);
  src_set_init(&ctx->sources, &ctx->arena);
  diag_sink_init(&ctx->diags, &ctx->arena, &ctx->sources, options ? options->max_errors : 0);

  char error[1024];
  ctx->snap = snapshot_open_default(options ? options->schemas : NULL, error, sizeof error);
  if (!ctx->snap)
    diag_report_global(&ctx->diags, DIAG_ERROR, DIAG_SNAPSHOT, "%s", error);
}

static void policy_ctx_fini(compile_ctx *ctx) {
  snapshot_free(ctx->snap);
  free(ctx->files);
  free(ctx->real_paths);
  free(ctx->lets);
  free(ctx->contexts);
  free(ctx->types);
  diag_sink_fini(&ctx->diags);
  src_set_fini(&ctx->sources);
  arena_fini(&ctx->arena);
}

static void policy_deliver(compile_ctx *ctx, const policy_options *options,
                           size_t *error_count) {
  diag_sort(&ctx->diags);
  if (options && options->diagnostics)
    diag_print(&ctx->diags, options->diagnostics);
  if (options && options->on_diagnostic)
    policy_report(&ctx->diags, options);
  if (error_count)
    *error_count = ctx->diags.errors;
}

/* Reports a policy without types, naming what was read: no .gate file at
 * all (an empty folder), or files that declare no type. */
static void report_empty_policy(compile_ctx *ctx, const char *const *paths, size_t path_count) {
  const char *first = path_count > 0 ? paths[0] : "the input";
  int several = path_count > 1;

  if (ctx->file_count == 0)
    diag_report_global(&ctx->diags, DIAG_ERROR, DIAG_EMPTY_POLICY,
                       "%s%s no .gate file, so the policy would deny everything", first,
                       several ? " and the other inputs hold" : " holds");
  else
    diag_report_global(&ctx->diags, DIAG_ERROR, DIAG_EMPTY_POLICY,
                       "%s%s no resource type, so the policy would deny everything (allow one "
                       "with 'type AWS::S3::Bucket { ... }')", first,
                       several ? " and the other inputs declare" : " declares");
}

policy_set *policy_compile(const char *const *paths, size_t path_count,
                           const policy_options *options, size_t *error_count) {
  compile_ctx ctx;
  policy_ctx_init(&ctx, options);

  for (size_t i = 0; ctx.snap && i < path_count; i++)
    compile_load_path(&ctx, paths[i], NULL);
  if (ctx.snap && ctx.diags.errors == 0 && ctx.type_count == 0)
    report_empty_policy(&ctx, paths, path_count);

  /* The join also runs after syntax errors, on the rules that parsed, so one
   * run reports the semantic errors of a file as well. */
  policy_set *set = ctx.snap && ctx.type_count ? policy_collect(&ctx) : NULL;
  if (set && ctx.diags.errors) {
    policy_set_free(set);
    set = NULL;
  }

  policy_deliver(&ctx, options, error_count);
  policy_ctx_fini(&ctx);
  return set;
}

const policy_type *policy_set_find(const policy_set *set, const char *type_name) {
  policy_type key = {.type_name = (char *)type_name};
  return bsearch(&key, set->types, set->count, sizeof set->types[0], policy_compare_types);
}

void policy_set_free(policy_set *set) {
  if (!set)
    return;
  for (size_t i = 0; i < set->count; i++) {
    free(set->types[i].type_name);
    free(set->types[i].file);
    json_decref(set->types[i].template_schema);
  }
  for (size_t i = 0; i < set->source_count; i++)
    free(set->sources[i]);
  free(set->types);
  free(set->sources);
  free(set);
}
