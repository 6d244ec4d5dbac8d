/*
 * Byte DFA construction. The syntax tree becomes a byte-level term: classes
 * become UTF-8 sequences, lookahead an intersection or complement with the
 * rest of the pattern, and lookbehind a tracker term run from the start of
 * the string. The DFA states are the Brzozowski derivatives of that term.
 */
#ifndef RE_DFA_H
#define RE_DFA_H

#include "re_ast.h"

/* Builds the DFA tables of re from ast. Returns 0 on success, or a
 * CFGATE_RE_REASON_* code (> 0) when the pattern needs the backtracking
 * engine, or -1 when memory runs out. */
int re_dfa_build(const re_ast *ast, unsigned max_states, cfgate_re *re);

#endif /* RE_DFA_H */
