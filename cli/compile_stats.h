/*
 * `cfgate compile --stats`: how the patterns of the compiled templates are
 * matched (byte DFA or a fallback engine) and why each fallback was needed.
 */
#ifndef CFGATE_CLI_COMPILE_STATS_H
#define CFGATE_CLI_COMPILE_STATS_H

#include <stdio.h>

#include "policy.h"

/* Compiles every distinct `pattern` value and `patternProperties` key of the
 * set's templates, then writes the engine counts and one line per fallback
 * (type, schema location, reason, pattern) to out. Returns 0, or -1 when a
 * pattern does not compile (the error is written to err). */
int compile_stats_print(const policy_set *set, FILE *out, FILE *err);

#endif
