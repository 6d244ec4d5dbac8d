/* Parser state shared by re_parse.c (structure) and re_parse_escape.c (escapes, classes). */
#ifndef RE_PARSE_INTERNAL_H
#define RE_PARSE_INTERNAL_H

#include "re_ast.h"

/* The name of a named group, as an offset and length into the pattern text. */
typedef struct re_group_name {
  size_t offset; /* the group's '(' */
  size_t name_offset, name_len;
} re_group_name;

typedef struct re_parser {
  const char *text;
  size_t len;
  size_t pos;
  const re_compile_options *options;
  re_ast *ast;
  re_error *error;
  int ignore_case;
  int dot_all;
  int multiline;
  unsigned depth;
  uint32_t group_total; /* capturing groups in the whole pattern, for backreferences */
  size_t skip_bang;     /* position of the '!' of an escaped "${!", or SIZE_MAX */
  re_group_name names[RE_MAX_CAPTURES]; /* named groups seen so far, to reject duplicates */
  uint32_t name_count;
} re_parser;

/* Records an error at offset with a printf-style message; returns -1 (or NULL via the callers). */
int re_parse_fail(re_parser *ps, size_t offset, const char *format, ...);

/* Passes a form that ECMA-262's u mode rejects, at text[offset, offset +
 * len), to the nonstandard callback of the options, when one is set. */
void re_parse_nonstandard(re_parser *ps, size_t offset, size_t len, const char *format, ...)
    __attribute__((format(printf, 4, 5)));

/* Decodes the UTF-8 code point at ps->pos and advances. Returns -1 on invalid UTF-8. */
int re_parse_code_point(re_parser *ps, uint32_t *code);

/* Checks that text[offset, offset + len) is a group name: a letter, '_' or
 * '$', then letters, digits, '_' or '$'. Returns 0, or -1 after recording an
 * error at the offending character. */
int re_parse_check_name(re_parser *ps, size_t offset, size_t len);

/* Parses the escape after a backslash at ps->pos (outside classes). */
re_node *re_parse_escape(re_parser *ps);

/* Rejects backreferences that ECMA-262 reads differently from the
 * backtracking engine: to a group inside a repetition or a lookaround, or
 * inside a lookbehind. Returns 0, or -1 after recording an error. */
int re_parse_check_backrefs(re_parser *ps);

/* Parses a class starting at '['. */
re_node *re_parse_class(re_parser *ps);

/* Returns a class node for the single code point c, case-folded in (?i). */
re_node *re_parse_literal_node(re_parser *ps, uint32_t c, size_t offset);

#endif /* RE_PARSE_INTERNAL_H */
