/*
 * The ${NAME} variables of an Fn::Sub format string, as the reference and
 * dependency passes read them.
 */
#ifndef CFGATE_CLI_SUB_VARIABLES_H
#define CFGATE_CLI_SUB_VARIABLES_H

#include <stddef.h>

/* One variable: name[0..len), with the spaces around it trimmed. */
typedef struct sub_variable {
  const char *name;
  size_t len;
} sub_variable;

/* Finds the next ${NAME} at or after *cursor, skipping ${!Literal}, and
 * moves *cursor past its "${". Returns 0 when no variable follows, also at
 * a "${" without a closing '}'. */
int sub_next_variable(const char **cursor, sub_variable *out);

#endif
