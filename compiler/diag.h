/*
 * Diagnostics of one compilation. The front end and the policy join report
 * into a sink; only the CLI prints. Each diagnostic has a stable code (the
 * name shown in brackets), a severity, a span and a message.
 */
#ifndef CFGATE_DIAG_H
#define CFGATE_DIAG_H

#include <stdio.h>

#include "source.h"

/* Diagnostic codes: enum name, printed name. */
#define DIAG_CODES(X)                                                                              \
  X(DIAG_SYNTAX, "syntax")                                                                         \
  X(DIAG_UNEXPECTED_CHARACTER, "unexpected-character")                                             \
  X(DIAG_UNTERMINATED_STRING, "unterminated-string")                                               \
  X(DIAG_INVALID_ESCAPE, "invalid-escape")                                                         \
  X(DIAG_INVALID_UTF8, "invalid-utf8")                                                             \
  X(DIAG_INVALID_NUMBER, "invalid-number")                                                         \
  X(DIAG_IO, "io")                                                                                 \
  X(DIAG_INCLUDE_CYCLE, "include-cycle")                                                           \
  X(DIAG_LIMIT, "limit")                                                                           \
  X(DIAG_UNKNOWN_TYPE, "unknown-type")                                                             \
  X(DIAG_DUPLICATE_TYPE, "duplicate-type")                                                         \
  X(DIAG_UNKNOWN_PROPERTY, "unknown-property")                                                     \
  X(DIAG_READ_ONLY_PROPERTY, "read-only-property")                                                 \
  X(DIAG_NOT_AN_OBJECT, "not-an-object")                                                           \
  X(DIAG_NOT_AN_ARRAY, "not-an-array")                                                             \
  X(DIAG_NOT_A_MAP, "not-a-map")                                                                   \
  X(DIAG_UNKNOWN_LET, "unknown-let")                                                               \
  X(DIAG_LET_CYCLE, "let-cycle")                                                                   \
  X(DIAG_UNUSED, "unused")                                                                         \
  X(DIAG_DUPLICATE_LET, "duplicate-let")                                                           \
  X(DIAG_DUPLICATE_CONTEXT, "duplicate-context")                                                   \
  X(DIAG_UNKNOWN_PLACEHOLDER, "unknown-placeholder")                                               \
  X(DIAG_INVALID_PLACEHOLDER, "invalid-placeholder")                                               \
  X(DIAG_WRONG_KIND, "wrong-kind")                                                                 \
  X(DIAG_VALUE_REJECTED, "value-rejected")                                                         \
  X(DIAG_OUT_OF_BOUNDS, "out-of-bounds")                                                           \
  X(DIAG_INVALID_RANGE, "invalid-range")                                                           \
  X(DIAG_INVALID_PATTERN, "invalid-pattern")                                                       \
  X(DIAG_NONSTANDARD_PATTERN, "nonstandard-pattern")                                               \
  X(DIAG_CONFLICT, "conflict")                                                                     \
  X(DIAG_DUPLICATE_CONSTRAINT, "duplicate-constraint")                                             \
  X(DIAG_DUPLICATE_VALUE, "duplicate-value")                                                       \
  X(DIAG_DENY_UNLISTED, "deny-unlisted")                                                           \
  X(DIAG_DEAD_RULE, "dead-rule")                                                                   \
  X(DIAG_DENY_PARTIAL, "deny-partial")                                                             \
  X(DIAG_RESTRICT_PARTIAL, "restrict-partial")                                                     \
  X(DIAG_EMPTY_POLICY, "empty-policy")                                                             \
  X(DIAG_SNAPSHOT, "snapshot")                                                                     \
  X(DIAG_UNSATISFIABLE, "unsatisfiable")                                                           \
  X(DIAG_INTERNAL, "internal")

typedef enum diag_code {
#define DIAG_ENUM(name, text) name,
  DIAG_CODES(DIAG_ENUM)
#undef DIAG_ENUM
      DIAG_CODE_COUNT
} diag_code;

typedef enum diag_severity { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE } diag_severity;

typedef struct diag {
  diag_severity severity;
  diag_code code;
  int has_span; /* 0 for diagnostics about the whole run */
  src_span span;
  const char *message; /* arena-allocated */
} diag;

typedef struct diag_sink {
  arena *arena;
  const src_set *sources;
  diag *items;
  size_t count, capacity;
  size_t errors, warnings;
  size_t max_errors; /* further errors are counted but not stored */
  int overflowed;    /* 1 once max_errors was reached */
  int repeating;     /* 1 after a repeated diagnostic was dropped: its notes are dropped too */
  size_t *slots;     /* hash set of item indexes + 1 (notes left out), to find repeats */
  size_t slot_count; /* a power of two, or 0 */
} diag_sink;

void diag_sink_init(diag_sink *sink, arena *a, const src_set *sources, size_t max_errors);
void diag_sink_fini(diag_sink *sink);

/* Records one diagnostic, unless the sink contains one with the same severity,
 * code, span and message (then it and its notes are dropped). Returns 1
 * while the sink accepts more errors. */
int diag_report(diag_sink *sink, diag_severity severity, diag_code code, src_span span,
                const char *format, ...) __attribute__((format(printf, 5, 6)));

/* Records one diagnostic that has no location in a .gate file. */
void diag_report_global(diag_sink *sink, diag_severity severity, diag_code code, const char *format,
                        ...) __attribute__((format(printf, 4, 5)));

/* Orders the diagnostics by file and position, those without a location
 * first, keeping each note after the diagnostic it belongs to. */
void diag_sort(diag_sink *sink);

/* Returns the printed name of a severity ("error", "warning" or "note"). */
const char *diag_severity_name(diag_severity severity);

/* Returns the printed name of a code ("unknown-property"). */
const char *diag_code_name(diag_code code);

/* Fills the 1-based line and column where a diagnostic starts (0 when it has
 * no span). */
void diag_position(const diag_sink *sink, const diag *d, uint32_t *line, uint32_t *column);

/* Prints every diagnostic as `file:line:col: error: message [code]`, then
 * the source line and a caret underline, then a summary line when the error
 * cap was reached. */
void diag_print(const diag_sink *sink, FILE *out);

/* Copies text to out (size bytes, NUL included; cut when it does not fit)
 * with control characters escaped: C0 and DEL as \xHH, the characters of
 * utf8_invisible() as JSON escapes (utf8_escape()). A value decoded from a
 * policy string ("\u001b") or a file name must not reach the terminal raw. */
void diag_escape(const char *text, char *out, size_t size);

#endif
