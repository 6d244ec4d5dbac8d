/* Patterns and strings shared by the emitter fixture generator and the emitted-C test. */
#ifndef EMIT_CASES_H
#define EMIT_CASES_H

static const char *const emit_patterns[] = {
    "^[a-z0-9-]{3,63}$",
    "^arn:aws[a-z-]*:s3:::(?!xn--)[a-z0-9.-]+$",
    "^(?! )[\\p{L}\\p{N}\\p{Z}-_]*(?<! )$",
    "^(\\d{4})-(\\d\\d)-\\2$",
    "(?i)^ab\\b",        /* DFA: \b under (?i) becomes lookaround */
    "(?i)^(?:ab\\b.)+$", /* NFA: \b under (?i) inside an unbounded repetition */
};

static const struct {
  unsigned pattern;
  const char *text;
  int expected;
} emit_cases[] = {
    {0, "my-bucket", 1}, {0, "ab", 0}, {0, "UPPER", 0},
    {1, "arn:aws:s3:::logs.example", 1}, {1, "arn:aws:s3:::xn--bad", 0},
    {2, "caf\xc3\xa9 1", 1}, {2, "trailing ", 0},
    {3, "2024-05-05", 1}, {3, "2024-05-06", 0},
    {4, "ab\xe2\x84\xaa", 0}, {4, "ab\xc3\xa9", 1},
    {5, "ab-", 1}, {5, "ab\xc5\xbf", 0}, {5, "ab-ab\xe2\x84\xaa", 0},
};

#endif /* EMIT_CASES_H */
