/* Rewrites a pattern of the schema dialect into PCRE2 syntax with the same meaning. */
#ifndef PCRE2_DIALECT_H
#define PCRE2_DIALECT_H

#include "re_generate.h"

/* Rewrites ECMA-262 escapes PCRE2 reads differently in UTF+UCP mode: \d \w
 * \s \b and their negations become ASCII or ECMA sets, \uXXXX becomes
 * \x{XXXX}, and '.' excludes the four ECMA line terminators (unless the
 * pattern starts with (?s)). Returns 0 or -1. */
int pcre2_dialect_translate(const char *pattern, size_t len, re_text *out);

#endif /* PCRE2_DIALECT_H */
