#include "ast.h"

const char *ast_constraint_name(ast_constraint_kind kind) {
  switch (kind) {
#define AST_CONSTRAINT_CASE(name, text)                                                            \
  case name:                                                                                       \
    return text;
    AST_CONSTRAINT_KINDS(AST_CONSTRAINT_CASE)
#undef AST_CONSTRAINT_CASE
  }
  return "constraint";
}
