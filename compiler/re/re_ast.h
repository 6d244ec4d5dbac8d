/*
 * Pattern syntax tree, shared by the DFA builder (re_dfa.c) and the
 * backtracking program builder (re_program.c). Nodes live in one pool owned
 * by re_ast and are freed together.
 */
#ifndef RE_AST_H
#define RE_AST_H

#include <stddef.h>
#include <stdint.h>

#include "re/cfgate_re.h"
#include "re_charset.h"
#include "re_compile.h"

#define RE_REPEAT_INFINITE UINT32_MAX

typedef enum re_node_kind {
  RE_NODE_EMPTY,       /* matches the empty string */
  RE_NODE_CLASS,       /* one code point of set */
  RE_NODE_CONCAT,      /* children in order */
  RE_NODE_ALTERNATE,   /* any one child */
  RE_NODE_REPEAT,      /* child min..max times (max may be RE_REPEAT_INFINITE) */
  RE_NODE_GROUP,       /* capturing group number capture */
  RE_NODE_ASSERT,      /* zero-width CFGATE_RE_ASSERT_* */
  RE_NODE_LOOK,        /* CFGATE_RE_LOOK_* around child */
  RE_NODE_BACKREF,     /* text of group capture */
  RE_NODE_PLACEHOLDER  /* bound value of placeholder id, literally */
} re_node_kind;

typedef struct re_node re_node;
struct re_node {
  re_node_kind kind;
  size_t offset;          /* byte offset in the pattern, for errors */
  re_node **children;
  size_t child_count;
  size_t child_capacity;
  re_charset set;         /* RE_NODE_CLASS */
  uint32_t min, max;      /* RE_NODE_REPEAT */
  int greedy;             /* RE_NODE_REPEAT */
  uint32_t capture;       /* RE_NODE_GROUP, RE_NODE_BACKREF */
  int ignore_case;        /* RE_NODE_BACKREF */
  int assertion;          /* RE_NODE_ASSERT */
  int look;               /* RE_NODE_LOOK */
  uint32_t placeholder;   /* RE_NODE_PLACEHOLDER */
};

typedef struct re_ast {
  re_node *root;
  re_node **nodes; /* every node, for freeing */
  size_t node_count;
  size_t node_capacity;
  uint32_t capture_count;     /* groups including group 0 */
  uint32_t placeholder_count; /* highest placeholder id + 1 */
  int has_backref;
  int has_placeholder;
} re_ast;

/* Parses pattern[0..len) into *ast. Returns 0, or -1 with *error filled. */
int re_parse(const char *pattern, size_t len, const re_compile_options *options, re_ast *ast,
             re_error *error);

/* Allocates a node in ast's pool. Returns NULL when memory runs out. */
re_node *re_ast_node(re_ast *ast, re_node_kind kind, size_t offset);

/* Appends child to parent. Returns 0 or -1. */
int re_ast_add_child(re_node *parent, re_node *child);

/* Returns 1 when node can only match the empty string (assertions, lookarounds). */
int re_ast_is_zero_width(const re_node *node);

void re_ast_free(re_ast *ast);

#endif /* RE_AST_H */
