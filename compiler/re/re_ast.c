/* Node pool of the pattern syntax tree. */
#include "re_ast.h"

#include <stdlib.h>

re_node *re_ast_node(re_ast *ast, re_node_kind kind, size_t offset) {
  if (ast->node_count == ast->node_capacity) {
    size_t capacity = ast->node_capacity ? ast->node_capacity * 2 : 32;
    re_node **nodes = realloc(ast->nodes, capacity * sizeof *nodes);
    if (!nodes) return NULL;
    ast->nodes = nodes;
    ast->node_capacity = capacity;
  }

  re_node *node = calloc(1, sizeof *node);
  if (!node) return NULL;
  node->kind = kind;
  node->offset = offset;
  node->greedy = 1;
  ast->nodes[ast->node_count++] = node;
  return node;
}

int re_ast_add_child(re_node *parent, re_node *child) {
  if (parent->child_count == parent->child_capacity) {
    size_t capacity = parent->child_capacity ? parent->child_capacity * 2 : 4;
    re_node **children = realloc(parent->children, capacity * sizeof *children);
    if (!children) return -1;
    parent->children = children;
    parent->child_capacity = capacity;
  }
  parent->children[parent->child_count++] = child;
  return 0;
}

int re_ast_is_zero_width(const re_node *node) {
  switch (node->kind) {
  case RE_NODE_EMPTY:
  case RE_NODE_ASSERT:
  case RE_NODE_LOOK:
    return 1;
  case RE_NODE_GROUP:
  case RE_NODE_REPEAT:
    return re_ast_is_zero_width(node->children[0]);
  case RE_NODE_CONCAT:
  case RE_NODE_ALTERNATE:
    for (size_t i = 0; i < node->child_count; i++) {
      if (!re_ast_is_zero_width(node->children[i])) return 0;
    }
    return 1;
  default:
    return 0;
  }
}

void re_ast_free(re_ast *ast) {
  for (size_t i = 0; i < ast->node_count; i++) {
    re_charset_free(&ast->nodes[i]->set);
    free(ast->nodes[i]->children);
    free(ast->nodes[i]);
  }
  free(ast->nodes);
  ast->nodes = NULL;
  ast->node_count = ast->node_capacity = 0;
  ast->root = NULL;
}
