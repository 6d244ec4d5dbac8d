/*
 * Abstract syntax tree of a .gate file. Every node has a span; every node
 * and string comes from the compilation's arena.
 */
#ifndef CFGATE_AST_H
#define CFGATE_AST_H

#include "arena.h"
#include "source.h"

typedef struct ast_string {
  const char *text; /* decoded, NUL-terminated; may contain ${NAME} placeholders */
  size_t len;
  src_span span;
} ast_string;

typedef enum ast_literal_kind {
  AST_LITERAL_STRING,
  AST_LITERAL_NUMBER,
  AST_LITERAL_TRUE,
  AST_LITERAL_FALSE,
  AST_LITERAL_NULL
} ast_literal_kind;

typedef struct ast_literal {
  ast_literal_kind kind;
  ast_string text; /* string value, or the number's source text */
  struct ast_literal *next;
  struct ast_literal *last; /* in the first literal of a list: its last literal */
  size_t count;             /* in the first literal of a list: its length */
} ast_literal;

/* One bound of a range; absent when `..M` or `N..` leaves it open. */
typedef struct ast_bound {
  int present;
  ast_string number;
} ast_bound;

#define AST_CONSTRAINT_KINDS(X)                                                                    \
  X(AST_REQUIRED, "required")                                                                      \
  X(AST_CONST, "=")                                                                                \
  X(AST_ENUM, "in")                                                                                \
  X(AST_PATTERN, "pattern")                                                                        \
  X(AST_LENGTH, "length")                                                                          \
  X(AST_RANGE, "range")                                                                            \
  X(AST_ITEMS, "items")                                                                            \
  X(AST_UNIQUE, "unique")                                                                          \
  X(AST_LET_REF, "let reference")

typedef enum ast_constraint_kind {
#define AST_CONSTRAINT_ENUM(name, text) name,
  AST_CONSTRAINT_KINDS(AST_CONSTRAINT_ENUM)
#undef AST_CONSTRAINT_ENUM
} ast_constraint_kind;

typedef struct ast_constraint {
  ast_constraint_kind kind;
  src_span span;
  ast_literal *values; /* AST_CONST: one value; AST_ENUM: the list */
  ast_string pattern;  /* AST_PATTERN */
  ast_bound low, high; /* AST_LENGTH, AST_RANGE, AST_ITEMS */
  ast_string name;     /* AST_LET_REF */
  struct ast_constraint *next;
} ast_constraint;

typedef enum ast_segment_kind {
  AST_SEGMENT_NAME,  /* Name: an object property */
  AST_SEGMENT_ITEMS, /* Name[]: the items of an array property */
  AST_SEGMENT_MAP,   /* Name{}: the values of a patternProperties map */
  AST_SEGMENT_STAR   /* *: every property at this level */
} ast_segment_kind;

typedef struct ast_segment {
  ast_segment_kind kind;
  ast_string name; /* empty for AST_SEGMENT_STAR */
  src_span span;
  struct ast_segment *next;
} ast_segment;

typedef struct ast_rule {
  int deny;      /* `deny PATH` */
  src_span span; /* the path */
  ast_segment *path;
  ast_constraint *constraints;
  int has_because;
  ast_string because;
  int has_block;
  struct ast_rule *block; /* rules relative to the path */
  struct ast_rule *next;
} ast_rule;

typedef enum ast_decl_kind {
  AST_DECL_TYPE,
  AST_DECL_LET,
  AST_DECL_CONTEXT,
  AST_DECL_INCLUDE
} ast_decl_kind;

typedef struct ast_decl {
  ast_decl_kind kind;
  src_span span;
  ast_string name;             /* type name, let name, context name or include path */
  int has_block;               /* AST_DECL_TYPE: 0 denies the type */
  ast_rule *rules;             /* AST_DECL_TYPE */
  ast_constraint *constraints; /* AST_DECL_LET */
  int invalid;                 /* AST_DECL_LET: 1 after a syntax error in its definition */
  struct ast_decl *next;
} ast_decl;

typedef struct ast_file {
  uint32_t file; /* index in the source set */
  ast_decl *decls;
} ast_file;

/* Returns the keyword of a constraint kind, for messages. */
const char *ast_constraint_name(ast_constraint_kind kind);

#endif
