/*
 * Entry point of the front end for one file: sets up the scanner over the
 * file's text and runs the generated parser.
 */
#include <string.h>

#include "parse.h"
#include "parser.h"

size_t parse_file(arena *a, diag_sink *diags, const src_set *sources, uint32_t file,
                  ast_file *out) {
  const src_file *source = &sources->files[file];
  size_t errors_before = diags->errors;

  parse_ctx ctx;
  memset(&ctx, 0, sizeof ctx);
  ctx.arena = a;
  ctx.diags = diags;
  ctx.file = file;
  ctx.text = (const unsigned char *)source->text;
  ctx.cursor = ctx.text;
  ctx.limit = ctx.text + source->len;

  dsl_parse(&ctx);

  out->file = file;
  out->decls = ctx.decls;
  return diags->errors - errors_before;
}
