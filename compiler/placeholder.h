/*
 * Placeholders in template strings (docs/TEMPLATE-FORMAT.md): `${NAME}` is
 * a placeholder when NAME is declared, `${!` is a literal `${`, and any
 * other `${` is literal text.
 */
#ifndef CFGATE_PLACEHOLDER_H
#define CFGATE_PLACEHOLDER_H

#include <stddef.h>

/* Returns the length of a placeholder name at text (the NAME of `${NAME}`,
 * up to but not including '}'), or 0 when text does not start with a name
 * followed by '}'. Names are `[A-Za-z_][A-Za-z0-9_]*` joined by `::`. */
size_t placeholder_name_length(const char *text);

/* Calls visit for each `${NAME}` of text whose name is well formed, with
 * the offset of the '$'. Escapes (`${!`) are skipped. */
void placeholder_each(const char *text,
                      void (*visit)(void *data, const char *name, size_t len, size_t offset),
                      void *data);

/* A `${` of a policy string that starts a placeholder without completing
 * one, such as `${AWS::AccountId` or `${}`. */
typedef struct placeholder_defect {
  size_t offset;       /* of the '$' */
  size_t len;          /* bytes from the '$' to quote in the message */
  const char *problem; /* what is wrong: "unterminated placeholder", ... */
  const char *fix;     /* how to write it instead */
} placeholder_defect;

/* Finds the first `${` of text that is followed by a name character, by
 * '}' or by the end of text, but does not begin a well-formed `${NAME}`.
 * Any other `${` (as in the regex text `${1,128}`) and the escape `${!`
 * are literal text. In a pattern (is_pattern 1), so is a `${` after a
 * backslash or inside [...]. Returns 1 and fills *defect when there is
 * one, else 0. */
int placeholder_find_defect(const char *text, int is_pattern, placeholder_defect *defect);

/* Returns a malloc'ed copy of the len bytes of literal text in which every
 * `${` that could be read as a placeholder or an escape is written `${!`.
 * The text may contain NUL bytes. The copy is NUL-terminated after
 * *escaped_len bytes. */
char *placeholder_escape(const char *text, size_t len, size_t *escaped_len);

/* Looks up a placeholder value: returns NULL when name is not a placeholder
 * of the template, or *missing = 1 when it is one without a value. */
typedef const char *(*placeholder_lookup)(void *data, const char *name, size_t len, int *missing);

/* Returns a malloc'ed copy of the text_len bytes of text with placeholders
 * replaced by their values (regex-escaped when regex is 1) and `${!`
 * replaced by `${`, its length in *result_len. The text may contain NUL
 * bytes. On a missing value returns NULL and copies the name into
 * missing_name. */
char *placeholder_substitute(const char *text, size_t text_len, int regex,
                             placeholder_lookup lookup, void *data, char *missing_name,
                             size_t missing_size, size_t *result_len);

#endif
