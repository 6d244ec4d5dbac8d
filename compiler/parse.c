/*
 * Entry point of the front end for one file: sets up the scanner over the
 * file's text and runs the generated parser.
 */
#include <string.h>

#include "parse.h"
#include "parser.h"

/* Reports the first carriage return that no line feed follows. Lines end
 * with LF or CRLF, so a lone CR (an old Mac line end) would not end a
 * comment: the rule after it would silently become part of the comment. */
static void parse_check_lone_cr(diag_sink *diags, uint32_t file, const char *text, size_t len) {
  size_t first = len, count = 0;
  for (size_t i = 0; i < len; i++) {
    if (text[i] != '\r' || (i + 1 < len && text[i + 1] == '\n'))
      continue;
    if (count++ == 0)
      first = i;
  }
  if (count == 0)
    return;

  src_span span = {file, (uint32_t)first, (uint32_t)first + 1};
  diag_report(diags, DIAG_ERROR, DIAG_UNEXPECTED_CHARACTER, span,
              "carriage return without a line feed (%zu in the file): lines end with LF or "
              "CRLF, so a lone CR does not end a line or a comment; convert the line ends",
              count);
}

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
  parse_check_lone_cr(diags, file, source->text, source->len);

  dsl_parse(&ctx);

  out->file = file;
  out->decls = ctx.decls;
  return diags->errors - errors_before;
}
