/*
 * Grammar of .gate policy files. A file is a list of declarations, one per
 * line or separated by ';'. The lexer ends a line before a '}' and at the
 * end of the file, so the last rule of a block needs no separator. Actions
 * only call the AST constructors of compiler/ast_build.c.
 */
%require "3.8"
%define api.pure full
%define api.prefix {dsl_}
%define parse.error detailed
%locations
%expect 0
%param {parse_ctx *ctx}

%code requires {
#include "parse.h"
#define DSL_LTYPE src_span
#define YYLLOC_DEFAULT(Current, Rhs, N)                                    \
  do {                                                                     \
    if (N) {                                                               \
      (Current).file = YYRHSLOC(Rhs, 1).file;                              \
      (Current).start = YYRHSLOC(Rhs, 1).start;                            \
      (Current).end = YYRHSLOC(Rhs, N).end;                                \
    } else {                                                               \
      (Current) = YYRHSLOC(Rhs, 0);                                        \
      (Current).start = (Current).end;                                     \
    }                                                                      \
  } while (0)
}

%code provides {
int dsl_lex(DSL_STYPE *value, DSL_LTYPE *span, parse_ctx *ctx);
void dsl_error(DSL_LTYPE *span, parse_ctx *ctx, const char *message);
}

%union {
  ast_string string;
  ast_literal *literal;
  ast_constraint *constraint;
  ast_segment *segment;
  ast_rule *rule;
  ast_decl *decl;
}

%token <string> IDENT "identifier" TYPE_NAME "type name" STRING "string" NUMBER "number"
%token NEWLINE "end of line"
%token KW_TYPE "'type'" KW_LET "'let'" KW_INCLUDE "'include'" KW_CONTEXT "'context'"
%token KW_DENY "'deny'" KW_REQUIRED "'required'" KW_IN "'in'" KW_PATTERN "'pattern'"
%token KW_LENGTH "'length'" KW_RANGE "'range'" KW_ITEMS "'items'" KW_UNIQUE "'unique'"
%token KW_BECAUSE "'because'" KW_TRUE "'true'" KW_FALSE "'false'" KW_NULL "'null'"
%token DOTDOT "'..'" ITEMS_SEGMENT "'[]'" MAP_SEGMENT "'{}'"
%token '.' "'.'" '*' "'*'" '=' "'='" '[' "'['" ']' "']'" '{' "'{'" '}' "'}'" ',' "','" ';' "';'"

%nterm <decl> decl
%nterm <rule> rules rule_item rule block
%nterm <segment> path segment
%nterm <string> name
%nterm <constraint> constraints constraint
%nterm <literal> literals literal

%%

file:
  %empty
| file stmt
;

/* After a syntax error, skip to the end of the line, or over the block that
 * starts on it, so that one mistake gives one error. */
stmt:
  terminator
| decl terminator                   { ast_decl_add(ctx, $1); }
| error terminator                  { yyerrok; }
| error block terminator            { yyerrok; }
/* A let with a syntax error after its name still declares the name, so
 * that its uses give no "unknown let" errors after the syntax error. The
 * parser reduces a let before it reads the token after its constraints,
 * so an error there follows a whole decl. */
| KW_LET IDENT error terminator     { ast_decl_add(ctx, ast_let_invalid(ctx, &@2, $2)); yyerrok; }
| KW_LET IDENT error block terminator
                                    { ast_decl_add(ctx, ast_let_invalid(ctx, &@2, $2)); yyerrok; }
| decl error terminator             { ast_decl_add_invalid(ctx, $1); yyerrok; }
| decl error block terminator       { ast_decl_add_invalid(ctx, $1); yyerrok; }
;

terminator: NEWLINE | ';' ;

decl:
  KW_TYPE TYPE_NAME                 { $$ = ast_decl_new(ctx, AST_DECL_TYPE, &@2, $2); }
| KW_TYPE TYPE_NAME block           { $$ = ast_decl_new(ctx, AST_DECL_TYPE, &@2, $2);
                                      $$->has_block = 1; $$->rules = $3; }
| KW_TYPE TYPE_NAME MAP_SEGMENT     { $$ = ast_decl_new(ctx, AST_DECL_TYPE, &@2, $2); $$->has_block = 1; }
| KW_LET IDENT '=' constraints      { $$ = ast_decl_new(ctx, AST_DECL_LET, &@2, $2); $$->constraints = $4; }
| KW_CONTEXT IDENT                  { $$ = ast_decl_new(ctx, AST_DECL_CONTEXT, &@2, $2); }
| KW_CONTEXT TYPE_NAME              { $$ = ast_decl_new(ctx, AST_DECL_CONTEXT, &@2, $2); }
| KW_INCLUDE STRING                 { $$ = ast_decl_new(ctx, AST_DECL_INCLUDE, &@2, $2); }
;

block: '{' rules '}'                { $$ = $2; } ;

rules:
  %empty                            { $$ = NULL; }
| rules rule_item                   { $$ = ast_rule_append($1, $2); }
;

rule_item:
  terminator                        { $$ = NULL; }
| rule terminator                   { $$ = $1; }
| error terminator                  { $$ = NULL; yyerrok; }
| error block terminator            { $$ = NULL; yyerrok; }
;

rule:
  path constraints                  { $$ = ast_rule_new(ctx, $1, $2); }
| path constraints KW_BECAUSE STRING { $$ = ast_rule_new(ctx, $1, $2); $$->has_because = 1; $$->because = $4; }
| path constraints block            { $$ = ast_rule_new(ctx, $1, $2); $$->has_block = 1; $$->block = $3; }
| path constraints KW_BECAUSE STRING block
                                    { $$ = ast_rule_new(ctx, $1, $2); $$->has_because = 1; $$->because = $4;
                                      $$->has_block = 1; $$->block = $5; }
| KW_DENY path                      { $$ = ast_rule_new(ctx, $2, NULL); $$->deny = 1; }
;

path:
  segment                           { $$ = $1; }
| path '.' segment                  { $$ = ast_segment_append($1, $3); }
;

segment:
  name                              { $$ = ast_segment_new(ctx, AST_SEGMENT_NAME, &@$, $1); }
| name ITEMS_SEGMENT                { $$ = ast_segment_new(ctx, AST_SEGMENT_ITEMS, &@$, $1); }
| name MAP_SEGMENT                  { $$ = ast_segment_new(ctx, AST_SEGMENT_MAP, &@$, $1); }
| '*'                               { $$ = ast_segment_new(ctx, AST_SEGMENT_STAR, &@$, (ast_string){"*", 1, @1}); }
;

/* Keywords other than 'deny' may also name a property. */
name:
  IDENT | KW_TYPE { $$ = ast_string_from_token(ctx, &@1); } | KW_LET { $$ = ast_string_from_token(ctx, &@1); }
| KW_INCLUDE { $$ = ast_string_from_token(ctx, &@1); } | KW_CONTEXT { $$ = ast_string_from_token(ctx, &@1); }
| KW_REQUIRED { $$ = ast_string_from_token(ctx, &@1); } | KW_IN { $$ = ast_string_from_token(ctx, &@1); }
| KW_PATTERN { $$ = ast_string_from_token(ctx, &@1); } | KW_LENGTH { $$ = ast_string_from_token(ctx, &@1); }
| KW_RANGE { $$ = ast_string_from_token(ctx, &@1); } | KW_ITEMS { $$ = ast_string_from_token(ctx, &@1); }
| KW_UNIQUE { $$ = ast_string_from_token(ctx, &@1); } | KW_BECAUSE { $$ = ast_string_from_token(ctx, &@1); }
| KW_TRUE { $$ = ast_string_from_token(ctx, &@1); } | KW_FALSE { $$ = ast_string_from_token(ctx, &@1); }
| KW_NULL { $$ = ast_string_from_token(ctx, &@1); }
;

constraints:
  %empty                            { $$ = NULL; }
| constraints constraint            { $$ = ast_constraint_append($1, $2); }
;

constraint:
  KW_REQUIRED                       { $$ = ast_constraint_new(ctx, AST_REQUIRED, &@$); }
| '=' literal                       { $$ = ast_constraint_new(ctx, AST_CONST, &@$); $$->values = $2; }
| KW_IN '[' literals ']'            { $$ = ast_constraint_new(ctx, AST_ENUM, &@$); $$->values = ast_literal_list_end(ctx, $3); }
| KW_IN ITEMS_SEGMENT               { $$ = ast_empty_list(ctx, &@2); }
| KW_IN '[' ']'                     { $$ = ast_empty_list(ctx, &@2); }
| KW_PATTERN STRING                 { $$ = ast_constraint_new(ctx, AST_PATTERN, &@$); $$->pattern = $2; }
| KW_LENGTH NUMBER DOTDOT NUMBER    { $$ = ast_constraint_range(ctx, AST_LENGTH, &@$, &$2, &$4); }
| KW_LENGTH NUMBER DOTDOT           { $$ = ast_constraint_range(ctx, AST_LENGTH, &@$, &$2, NULL); }
| KW_LENGTH DOTDOT NUMBER           { $$ = ast_constraint_range(ctx, AST_LENGTH, &@$, NULL, &$3); }
| KW_RANGE NUMBER DOTDOT NUMBER     { $$ = ast_constraint_range(ctx, AST_RANGE, &@$, &$2, &$4); }
| KW_RANGE NUMBER DOTDOT            { $$ = ast_constraint_range(ctx, AST_RANGE, &@$, &$2, NULL); }
| KW_RANGE DOTDOT NUMBER            { $$ = ast_constraint_range(ctx, AST_RANGE, &@$, NULL, &$3); }
| KW_ITEMS NUMBER DOTDOT NUMBER     { $$ = ast_constraint_range(ctx, AST_ITEMS, &@$, &$2, &$4); }
| KW_ITEMS NUMBER DOTDOT            { $$ = ast_constraint_range(ctx, AST_ITEMS, &@$, &$2, NULL); }
| KW_ITEMS DOTDOT NUMBER            { $$ = ast_constraint_range(ctx, AST_ITEMS, &@$, NULL, &$3); }
| KW_UNIQUE                         { $$ = ast_constraint_new(ctx, AST_UNIQUE, &@$); }
| IDENT                             { $$ = ast_constraint_new(ctx, AST_LET_REF, &@$); $$->name = $1; }
;

literals:
  literal                           { $$ = $1; }
| literals ',' literal              { $$ = ast_literal_append(ctx, $1, $3); }
;

literal:
  STRING                            { $$ = ast_literal_new(ctx, AST_LITERAL_STRING, $1); }
| NUMBER                            { $$ = ast_literal_new(ctx, AST_LITERAL_NUMBER, $1); }
| KW_TRUE                           { $$ = ast_literal_new(ctx, AST_LITERAL_TRUE, ast_string_from_token(ctx, &@1)); }
| KW_FALSE                          { $$ = ast_literal_new(ctx, AST_LITERAL_FALSE, ast_string_from_token(ctx, &@1)); }
| KW_NULL                           { $$ = ast_literal_new(ctx, AST_LITERAL_NULL, ast_string_from_token(ctx, &@1)); }
;
