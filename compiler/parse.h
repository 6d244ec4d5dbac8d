/*
 * Parsing of one .gate file into an AST. The re2c lexer (grammar/lexer.re)
 * feeds the bison parser (grammar/parser.y). Both report into the
 * compilation's diagnostic sink and print nothing.
 */
#ifndef CFGATE_PARSE_H
#define CFGATE_PARSE_H

#include "ast.h"
#include "diag.h"
#include "dsl_limits.h"

typedef struct parse_ctx {
  arena *arena;
  diag_sink *diags;
  uint32_t file;
  const unsigned char *text; /* NUL-terminated */
  const unsigned char *cursor, *limit, *marker, *token;
  int last_token;  /* the token returned before, 0 at the start */
  uint32_t ident_start, ident_end; /* the last identifier token, for "did you mean" */
  int ident_age;   /* tokens returned since that identifier: 0 when it is the latest */
  int ident_is_let_name; /* 1 when that identifier is the name a let declares */
  int previous_token;  /* the token returned before last_token, for error hints */
  int statement_token; /* the first token of the current statement */
  uint32_t open_braces[DSL_MAX_BLOCK_DEPTH]; /* offsets of the '{' not yet closed */
  uint32_t brace_depth; /* how many '{' are open; only the first offsets are kept */
  int skipping_block; /* 1 while dropping the tokens of a block nested too deep */
  int has_pending; /* 1 when a token is held back after a virtual end of line */
  int pending_token;
  src_span pending_span;
  ast_decl *decls, *decls_tail;
} parse_ctx;

/* Parses file `file` of `sources` into `out`. Returns the number of errors
 * reported; the AST is partial when it is not 0. */
size_t parse_file(arena *a, diag_sink *diags, const src_set *sources, uint32_t file, ast_file *out);

/* Returns the next token for the parser, filling its value and span. The
 * value and location types come from the generated parser header. */
union DSL_STYPE;
int lex_next(parse_ctx *ctx, union DSL_STYPE *value, src_span *span);

/* Decodes the string literal token at `span` (with its quotes; `closed` is 0
 * when the closing quote is missing), reporting invalid escapes. */
ast_string lex_decode_string(parse_ctx *ctx, const src_span *span, int closed);

/* Returns the length of the valid UTF-8 sequence at p, before end (RFC 3629:
 * no overlong forms, no surrogates, at most U+10FFFF), or 0. */
size_t lex_utf8_length(const unsigned char *p, const unsigned char *end);

/* Returns the code point of the valid UTF-8 sequence of len bytes at p. */
unsigned lex_utf8_code(const unsigned char *p, size_t len);

/* AST constructors called by the parser's actions. */
ast_string ast_string_from_token(parse_ctx *ctx, const src_span *span);
ast_decl *ast_decl_new(parse_ctx *ctx, ast_decl_kind kind, const src_span *span, ast_string name);
void ast_decl_add(parse_ctx *ctx, ast_decl *decl);
/* Returns the declaration of a let whose definition has a syntax error. */
ast_decl *ast_let_invalid(parse_ctx *ctx, const src_span *span, ast_string name);
/* Adds a let that a syntax error follows on its line, marked invalid, and
 * drops any other declaration in that place. */
void ast_decl_add_invalid(parse_ctx *ctx, ast_decl *decl);
ast_rule *ast_rule_new(parse_ctx *ctx, ast_segment *path, ast_constraint *constraints);
ast_rule *ast_rule_append(ast_rule *list, ast_rule *rule);
ast_segment *ast_segment_new(parse_ctx *ctx, ast_segment_kind kind, const src_span *span,
                             ast_string name);
ast_segment *ast_segment_append(ast_segment *path, ast_segment *segment);
ast_constraint *ast_constraint_new(parse_ctx *ctx, ast_constraint_kind kind, const src_span *span);
ast_constraint *ast_constraint_append(ast_constraint *list, ast_constraint *constraint);
ast_constraint *ast_constraint_range(parse_ctx *ctx, ast_constraint_kind kind, const src_span *span,
                                     const ast_string *low, const ast_string *high);
ast_literal *ast_literal_new(parse_ctx *ctx, ast_literal_kind kind, ast_string text);
/* Appends literal to an 'in' list, reporting a list longer than
 * DSL_MAX_LIST_VALUES. */
ast_literal *ast_literal_append(parse_ctx *ctx, ast_literal *list, ast_literal *literal);
/* Ends an 'in' list: drops each value repeated in it, with a warning naming
 * the value and where it was first given. Returns list, in linear time. */
ast_literal *ast_literal_list_end(parse_ctx *ctx, ast_literal *list);
/* Reports an 'in' list with no value at span and returns NULL, so the
 * constraint is left out. */
ast_constraint *ast_empty_list(parse_ctx *ctx, const src_span *span);

#endif
