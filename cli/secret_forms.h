/*
 * The forms in which a finding message may show a hidden value: as written,
 * escaped as the runtime quotes a value, and for a NoEcho parameter's value
 * also as Fn::ToJsonString and Fn::Base64 rewrite it, once or nested.
 */
#ifndef CFGATE_CLI_SECRET_FORMS_H
#define CFGATE_CLI_SECRET_FORMS_H

#include <stddef.h>

typedef struct secret_forms {
  char **items; /* distinct, non-empty, each at most max_len bytes */
  size_t count, capacity;
} secret_forms;

/* Fills forms with value and its escape as the runtime quotes it (\" \\
 * \b \f \n \r \t, \u00XX for other control characters). With rewritten
 * set, adds the forms that nested Fn::ToJsonString and Fn::Base64 calls
 * write: ToJsonString escapes only " and \ and writes each control
 * character as \u00XX, applied up to INTRINSIC_MAX_DEPTH times, each also
 * quoted, and Base64 applied up to INTRINSIC_MAX_DEPTH times. A form longer
 * than max_len is kept as its first max_len bytes, which is all that a
 * message of max_len - 1 bytes can show of it. Exits the process when
 * memory runs out. */
void secret_forms_build(secret_forms *forms, const char *value, int rewritten, size_t max_len);

void secret_forms_fini(secret_forms *forms);

#endif
