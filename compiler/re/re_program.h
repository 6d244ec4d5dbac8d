/* Backtracking program generation from the pattern syntax tree. */
#ifndef RE_PROGRAM_H
#define RE_PROGRAM_H

#include "re_ast.h"

#define RE_MAX_PROGRAM_WORDS (1u << 20) /* instruction words after unrolling {m,n} */

/* Fills the program, ranges and slot fields of re. Returns 0, or -1 with
 * *error filled (program too large or out of memory). */
int re_program_build(const re_ast *ast, cfgate_re *re, re_error *error);

#endif /* RE_PROGRAM_H */
