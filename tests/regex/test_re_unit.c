#define _POSIX_C_SOURCE 200809L /* fmemopen */

/* Unit tests of the pattern compiler and matcher: dialect, errors, engines, placeholders, limits, emitter. */
#include <setjmp.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "re/re_compile.h"

typedef struct match_case {
  const char *pattern;
  const char *text;
  int expected;
} match_case;

static int match_with(const cfgate_re *re, const cfgate_str *values, const char *text, size_t chunk) {
  size_t size = cfgate_re_state_size(re, values);
  void *state = aligned_alloc(alignof(max_align_t), (size + 15) / 16 * 16);
  size_t len = strlen(text);

  assert_non_null(state);
  cfgate_re_begin(re, state, values);
  for (size_t i = 0; i < len; i += chunk) {
    size_t n = len - i < chunk ? len - i : chunk;
    cfgate_re_feed(re, state, (const unsigned char *)text + i, n);
  }
  int result = cfgate_re_end(re, state);
  int whole = cfgate_re_match(re, state, values, (const unsigned char *)text, len);
  assert_int_equal(whole, result);
  free(state);
  return result;
}

enum { ENGINE_AUTO, ENGINE_BACKTRACK, ENGINE_NFA };

static cfgate_re *compile_with(const char *pattern, int engine) {
  re_compile_options options;
  re_error error;

  re_compile_options_default(&options);
  options.force_backtrack = engine == ENGINE_BACKTRACK;
  options.force_nfa = engine == ENGINE_NFA;
  cfgate_re *re = re_compile(pattern, strlen(pattern), &options, &error);
  if (!re) fail_msg("pattern %s: offset %zu: %s", pattern, error.offset, error.message);
  return re;
}

/* Each case runs on the DFA and the NFA (whole and one byte at a time) and
 * on the backtracking engine. */
static void check_cases(const match_case *cases, size_t count) {
  for (size_t i = 0; i < count; i++) {
    cfgate_re *dfa = compile_with(cases[i].pattern, ENGINE_AUTO);
    cfgate_re *backtrack = compile_with(cases[i].pattern, ENGINE_BACKTRACK);
    cfgate_re *nfa = compile_with(cases[i].pattern, ENGINE_NFA);
    int results[5] = {match_with(dfa, NULL, cases[i].text, 1 << 20), match_with(dfa, NULL, cases[i].text, 1),
                      match_with(backtrack, NULL, cases[i].text, 3), match_with(nfa, NULL, cases[i].text, 1 << 20),
                      match_with(nfa, NULL, cases[i].text, 1)};
    for (int r = 0; r < 5; r++) {
      if (results[r] != cases[i].expected) {
        fail_msg("pattern %s on \"%s\": engine %d returned %d, expected %d", cases[i].pattern, cases[i].text, r,
                 results[r], cases[i].expected);
      }
    }
    re_free(dfa);
    re_free(backtrack);
    re_free(nfa);
  }
}

static void ecma_anchors_and_escapes(void **unused) {
  static const match_case cases[] = {
      {"^abc$", "abc", 1},          {"^abc$", "abc\n", 0},      {"abc\\Z", "abc\n", 1},
      {"abc\\z", "abc\n", 0},       {"\\Aabc", "xabc", 0},      {"^\\t$", "\t", 1},
      {"^\\cC$", "\x03", 1},        {"^\\d$", "\xdf\x80", 0},   {"^\\D$", "\xdf\x80", 1},
      {"^\\w$", "\xc3\xa9", 0},     {"^\\s$", "\xef\xbb\xbf", 1}, {"^\\s$", "\xe2\x80\x93", 0},
      {"^\\S$", "\x01", 1},         {"^.$", "\xe2\x80\xa8", 0}, {"(?s)^.$", "\n", 1},
      {"^\\x41\\u0042$", "AB", 1},  {"^\\x{1F432}$", "\xf0\x9f\x90\xb2", 1},
      {"^\\uD83D\\uDC32*$", "\xf0\x9f\x90\xb2\xf0\x9f\x90\xb2", 1}, {"^\\uD83D\\uDC32*$", "\xf0\x9f\x90\x89", 0},
      {"\\bfoo\\b", "a foo.", 1},   {"\\bfoo\\b", "afoo", 0},   {"\\Bfoo", "afoo", 1},
      {"(?m)^b$", "a\nb", 1},       {"^b$", "a\nb", 0},         {"a{,2}", "a{,2}", 1},
      {"\\B", "a\xc3\xa9" "a", 0},  {"(?m).^", "1\n\n\nc", 0},
      {"(?m)^b", "a\xe2\x80\xa8" "b", 1}, {"(?m)a$", "a\xe2\x80\xa9" "b", 1},
      {"(?m)a$", "a\xe2\x80\x93" "b", 0}, {"(?m)^b", "a\xe2\x80\x93" "b", 0},
      {"(?m)^a$", "\r\na\r\n", 1},
  };
  (void)unused;
  check_cases(cases, sizeof cases / sizeof *cases);
}

static void unicode_properties(void **unused) {
  static const match_case cases[] = {
      {"\\p{Letter}cole", "l'\xc3\xa9" "cole", 1}, {"\\p{L}cole", "L'\xc3\x89" "COLE", 0},
      {"^\\p{digit}+$", "\xe0\xa7\xaa\xe0\xa7\xa8", 1}, {"^\\p{Lu}$", "\xc3\x89", 1},
      {"^\\P{Lu}$", "\xc3\x89", 0}, {"^\\p{Script=Greek}$", "\xce\xb1", 1}, {"^\\p{IsLatin}$", "a", 1},
      {"^[\\p{L}\\p{N}\\p{Z}-_]*$", "a-_ 1", 1}, {"^\\p{Graph}+$", "a~", 1}, {"^\\p{Graph}$", " ", 0},
      {"(?i)^[\\W]+$", "skks", 0},       {"(?i)^[^\\W]+$", "stack", 1},
      {"(?i)^\\w$", "\xc5\xbf", 1},     {"(?i)^\\W$", "\xe2\x84\xaa", 0},
      {"(?i)^[^\\w]$", "\xc5\xbf", 0},  {"^\\w$", "\xc5\xbf", 0},
      {"(?i)^(?!\\P{Lu}).*$", "A", 0},   {"(?i)^(?!.*\\P{Ll}).*$", "Ab", 0},
      {"(?i)^[\\P{Lu}]$", "A", 1},       {"(?i)^\\P{Lu}$", "A", 1},
      {"(?i)^[^\\P{Lu}]$", "A", 0},      {"(?i)^[^\\p{Lu}]$", "a", 0},
      {"(?i)^\\u212a$", "k", 1}, {"(?i)^stra\\u00dfe$", "STRA\xc3\x9f" "E", 1},
  };
  (void)unused;
  check_cases(cases, sizeof cases / sizeof *cases);
}

/* Under (?i) ECMA-262 counts U+017F and U+212A, which fold to 's' and 'k',
 * as word characters for \b and \B. Other non-ASCII letters stay non-word.
 * The expected values come from Node.js 20 with the flags iu (u without (?i)). */
static void word_boundaries_under_ignore_case(void **unused) {
  static const match_case cases[] = {
      {"(?i)^ab\\b", "ab\xc5\xbf", 0},         {"(?i)^ab\\b", "ab\xe2\x84\xaa", 0},
      {"(?i)^ab\\b", "abK", 0},                {"(?i)^ab\\b", "abs", 0},
      {"(?i)^ab\\b", "ab", 1},                 {"(?i)^ab\\b", "ab-", 1},
      {"(?i)^ab\\b", "ab\xc3\xa9", 1},         {"(?i)^ab\\b", "ab\xe1\xba\x9e", 1},
      {"(?i)^ab\\b", "ab\xc4\xb0", 1},         {"(?i)^ab\\b", "ab\xc4\xb1", 1},
      {"(?i)^ab\\b", "ab\xe2\x84\xab", 1},     {"(?i)^ab\\b", "ab\xef\xbc\xab", 1},
      {"(?i)^ab\\b", "ab\xf0\x9d\x90\x80", 1}, {"(?i)^ab\\B", "ab\xc5\xbf", 1},
      {"(?i)^ab\\B", "ab\xe2\x84\xaa", 1},     {"(?i)^ab\\B", "ab\xc3\xa9", 0},
      {"(?i)^ab\\B", "ab", 0},                 {"^ab\\b", "ab\xc5\xbf", 1},
      {"^ab\\b", "ab\xe2\x84\xaa", 1},         {"^ab\\b", "abk", 0},
      {"^ab\\B", "ab\xc5\xbf", 0},             {"^ab\\B", "ab\xe2\x84\xaa", 0},
      {"^ab\\B", "abk", 1},                    {"(?i)ab\\b", "xab\xc5\xbf", 0},
      {"(?i)ab\\b", "ab\xc5\xbf ab", 1},        {"(?i)ab\\b", "ab\xe2\x84\xaa" "ab", 1},
      {"(?i)\\b\xc5\xbf", "\xc5\xbf", 1},       {"(?i)\\b\xc5\xbf", "a\xc5\xbf", 0},
      {"(?i)\\b\xc5\xbf", "-\xc5\xbf", 1},      {"(?i)\\b\xc5\xbf", "\xc3\xa9\xc5\xbf", 1},
      {"(?i)\\u212a\\b", "\xe2\x84\xaa", 1},    {"(?i)\\u212a\\b", "ka", 0},
      {"(?i)\\u212a\\b", "k-", 1},              {"(?i)\\u212a\\b", "\xe2\x84\xaa\xc5\xbf", 0},
      {"(?i)\\u212a\\b", "\xe2\x84\xaa\xc3\xa9", 1}, {"(?i)\\Bs", "\xc5\xbfs", 1},
      {"(?i)\\Bs", "\xe2\x84\xaas", 1},        {"(?i)\\Bs", "\xc3\xa9s", 0},
      {"(?i)\\Bs", "s", 0},                    {"(?i)s\\B", "s\xe2\x84\xaa", 1},
      {"(?i)s\\B", "s\xc5\xbf", 1},            {"(?i)s\\B", "s\xc3\xa9", 0},
      {"(?i)s\\B", "s", 0},                    {"(?i)^(?:.\\b)+$", "a", 1},
      {"(?i)^(?:.\\b)+$", "a-", 0},            {"(?i)^(?:.\\b)+$", "a\xc5\xbf", 0},
      {"(?i)^(?:.\\b)+$", "-\xc5\xbf", 1},      {"(?i)^(?:.\\b)+$", "\xc5\xbf-", 0},
      {"(?i)^(?:.\\b)+$", "-\xe2\x84\xaa", 1},  {"^(?:.\\b)+$", "-\xc5\xbf", 0},
      {"^(?:.\\b)+$", "a\xc5\xbf", 0},          {"(?i)(?<=\\bk)x", "kx", 1},
      {"(?i)(?<=\\bk)x", "\xc5\xbfkx", 0},      {"(?i)(?<=\\bk)x", "\xc3\xa9kx", 1},
      {"(?i)(?<=\\bk)x", "\xe2\x84\xaax", 1},   {"(?i)^(?:.\\B){2}.$", "\xc5\xbfk\xe2\x84\xaa", 1},
      {"(?i)^(?:.\\B){2}.$", "\xc3\xa9\xc3\x9f\xc4\xb1", 1}, {"(?i)^(?:.\\B){2}.$", "a\xc5\xbf-", 0},
      /* The flag applies up to the end of its group, as ECMA-262 modifiers do. */
      {"(?i:ab\\b)", "ab\xc5\xbf", 0},         {"(?i:ab)\\b", "ab\xc5\xbf", 1},
      {"(?i)ab(?-i)\\b", "ab\xc5\xbf", 1},     {"(?i)ab(?-i:\\B)", "ab\xe2\x84\xaa", 0},
  };
  (void)unused;
  check_cases(cases, sizeof cases / sizeof *cases);

  /* The DFA decides them exactly. Inside an unbounded repetition the NFA decides them. */
  re_stats stats;
  cfgate_re *re = compile_with("(?i)^ab\\b", ENGINE_AUTO);
  re_get_stats(re, &stats);
  assert_string_equal(stats.engine_name, "dfa");
  re_free(re);
  re = compile_with("(?i)^(?:.\\b)+$", ENGINE_AUTO);
  re_get_stats(re, &stats);
  assert_string_equal(stats.engine_name, "nfa");
  assert_int_equal(stats.reason, CFGATE_RE_REASON_LOOKAROUND);
  re_free(re);
}

static void lookaround_and_quantifiers(void **unused) {
  static const match_case cases[] = {
      {"^(?!aws:).+$", "aws:x", 0},         {"^(?!aws:).+$", "awsx", 1},
      {"^(?! )[a-z ]*(?<! )$", "ab c", 1},  {"^(?! )[a-z ]*(?<! )$", "ab ", 0},
      {"^(?! )[a-z ]*(?<! )$", " ab", 0},   {"^[0-9A-Za-z.]*(?<!\\.)$", "a.b", 1},
      {"^[0-9A-Za-z.]*(?<!\\.)$", "a.", 0}, {"(?<=a)b", "ab", 1},
      {"(?<=a)b", "cb", 0},                 {"^(?=.{3,5}$)[a-z]+$", "abcd", 1},
      {"(?<=b(?<=ab))c", "abc", 1},         {"(?<=b(?<=xb))c", "abc", 0},
      {"^(?=.{3,5}$)[a-z]+$", "abcdef", 0}, {"^(?!(?i)aws)[a-z]+$", "AWSx", 0},
      {"^(?!.*--)[a-z-]+$", "a-b-c", 1},    {"^(?!.*--)[a-z-]+$", "a--b", 0},
      {"^((?!-)[a-z-]{1,3}\\.)+$", "ab.c-.", 1}, {"^((?!-)[a-z-]{1,3}\\.)+$", "ab.-c.", 0},
      {"^[a-z]+{1,3}$", "abcdef", 1},       {"^a*?b$", "aab", 1},
      {"^(a|ab)(c|bcd)$", "abcd", 1},       {"^a{2,3}$", "aaaa", 0},
      {"^(a*)*b$", "aaab", 1},              {"^x${1,128}", "x", 1},
      {"^(\\d+)-\\1$", "12-12", 1},         {"^(\\d+)-\\1$", "12-13", 0},
      {"^(?:(a)b)?c\\1$", "abca", 1},        {"^(?:(a)b)?c\\1$", "c", 1},
      {"^(?:(a)b)?c\\1$", "abc", 0},
      {"^(?P<n>\\d+)-\\1$", "12-12", 1},    {"^(?P<n>\\d+)-\\1$", "12-13", 0},
      {"^(?<n>\\d)(\\d)\\2$", "122", 1},       {"^(?P<n>\\d)(\\d)\\2$", "121", 0},
  };
  (void)unused;
  check_cases(cases, sizeof cases / sizeof *cases);
}

/* Groups that match empty only where an assertion is true, repeated: (?:^a?){2}$ reads "a" as ^
 * then ^a. The expected values come from Node.js 20 with the flag u (iu under (?i)). */
static void repeat_counts_copies_matching_empty(void **unused) {
  static const match_case cases[] = {
      {"(?:^a?){2}$", "a", 1},                   {"(?:^a?){2}$", "aa", 0},
      {"(?:^a?){2}$", "", 1},                    {"(?:^a?)(?:^a?)$", "a", 1},
      {"(?:^a?){3,5}$", "a", 1},                 {"(?:^a?){2,}$", "a", 1},
      {"(?:^a?){2}?$", "a", 1},                  {"(?:(?:^a?){2}){2}$", "a", 1},
      {"(?:(?<!a)a?){2}$", "a", 1},              {"(?:(?<!a)a?){2}$", "aa", 0},
      {"(?:(?<![a-z])[a-z]*){2}$", "abc", 1},    {"(?:(?<![a-z])[a-z]*){2}$", "ab-c", 1},
      {"^(?!(?:^a?){2}$)", "a", 0},              {"^(?!(?:(?<![a-z])[a-z]*){2}$)", "abc", 0},
      {"^(?=(?:^a?){2}$)", "a", 1},              {"(?i)(?:^k?){2}\\b$", "K", 1},
      {"(?:a?(?<=\\b)a*){2}b$", "ab", 1},        {"(?:a?(?<=\\b)a*){2}b$", "-b", 1},
      {"a(?:(?<=a)-|(?<=a)){2,}$", "a-", 1},     {"(?:(?<=^)\\W?){4}\\B$", "-", 1},
      {"a(?:b?\\B[a-z]*){2}\\b", "aa", 1},       {"(?<=(?:^a?){2})b", "ab", 1},
      {"(?<=(?:^a?){2})b", "aab", 0},
  };
  (void)unused;
  check_cases(cases, sizeof cases / sizeof *cases);

  re_stats stats;
  cfgate_re *re = compile_with("(?:^a?){2}$", ENGINE_AUTO);
  re_get_stats(re, &stats);
  assert_string_equal(stats.engine_name, "dfa");
  re_free(re);
}

typedef struct error_case {
  const char *pattern;
  size_t offset;
  const char *message;
} error_case;

static void parse_errors_have_offsets(void **unused) {
  static const error_case cases[] = {
      {"(abc", 0, "unterminated group: missing ')'"},
      {"ab)", 2, "unmatched ')'"},
      {"a|*b", 2, "nothing to repeat before '*'"},
      {"x[ab", 1, "unterminated character class: missing ']'"},
      {"\\p{Klingon}", 0, "unknown Unicode property 'Klingon'"},
      {"a{3,2}", 1, "invalid quantifier: maximum 2 is below minimum 3"},
      {"a{20000}", 1, "repetition count too large (limit is 10000)"},
      {"\\q", 0, "invalid escape '\\q'"},
      {"[z-a]", 1, "invalid class range: U+007A is above U+0061"},
      {"(a)\\2", 3, "invalid backreference '\\2': the pattern has 1 group"},
      {"(?i)(a)\\1", 7, "backreference '\\1' in case-insensitive mode is not supported"},
      {"^(?:(a)|b)*\\1$", 11, "backreference to group 1, which is inside a repetition, is not "
                              "supported (ECMA-262 clears the group on each repetition)"},
      {"^((a)|b){2}\\2$", 11, "backreference to group 2, which is inside a repetition, is not "
                              "supported (ECMA-262 clears the group on each repetition)"},
      {"^(?=(a))[a-z]\\1$", 13, "backreference to group 1, which is inside a lookaround, is not "
                               "supported (ECMA-262 keeps what a lookaround captured)"},
      {"(?<=(a))b\\1", 9, "backreference to group 1, which is inside a lookaround, is not "
                          "supported (ECMA-262 keeps what a lookaround captured)"},
      {"(a)(?<=\\1)", 7, "backreference inside a lookbehind is not supported (ECMA-262 "
                         "matches a lookbehind right to left)"},
      {"^\\P{Alpha}+$", 1, "ambiguous Unicode property 'Alpha': ECMA-262 reads it as Unicode "
                          "Alphabetic and Java as [A-Za-z]; write \\p{L} or [A-Za-z]"},
      {"[\\p{lower}]", 1, "ambiguous Unicode property 'lower': ECMA-262 reads it as Unicode "
                          "Lowercase and Java as [a-z]; write \\p{Ll} or [a-z]"},
      {"\\p{Upper}", 0, "ambiguous Unicode property 'Upper': ECMA-262 reads it as Unicode "
                        "Uppercase and Java as [A-Z]; write \\p{Lu} or [A-Z]"},
      {"\\p{Space}", 0, "ambiguous Unicode property 'Space': ECMA-262 reads it as Unicode "
                        "White_Space and Java as [\\t\\n\\x0B\\f\\r ]; write \\s or the class"},
      {"^\\P{scx=Greek}+$", 1, "ambiguous Unicode property 'scx=Greek': Script_Extensions is "
                               "not supported; write Script=NAME"},
      {"a\\", 1, "pattern ends with a backslash"},
      {"\\xZZ", 0, "invalid escape '\\x': expected two hex digits"},
      {"(?q)", 0, "invalid group: unknown inline flag 'q'"},
  };
  (void)unused;
  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    re_error error;
    cfgate_re *re = re_compile(cases[i].pattern, strlen(cases[i].pattern), NULL, &error);
    assert_null(re);
    assert_int_equal(error.offset, cases[i].offset);
    assert_string_equal(error.message, cases[i].message);
  }
}

/* Compiles pattern (NUL-free, of len bytes) and checks the error offset and
 * message, or success when message is NULL. */
static void check_limit(const char *pattern, size_t len, size_t offset, const char *message) {
  re_error error;
  cfgate_re *re = re_compile(pattern, len, NULL, &error);

  if (!message) {
    assert_non_null(re);
    re_free(re);
    return;
  }
  assert_null(re);
  assert_int_equal(error.offset, offset);
  assert_string_equal(error.message, message);
}

/* Pattern length, group nesting and the capture count compile at their
 * limit and fail one past it. Group 0, the whole match, counts as a
 * capturing group, so a pattern may contain at most 255 parenthesized ones. */
static void pattern_limits_reported(void **unused) {
  static char text[RE_MAX_PATTERN_LENGTH + 2];
  size_t len;
  (void)unused;

  memset(text, 'a', RE_MAX_PATTERN_LENGTH + 1);
  check_limit(text, RE_MAX_PATTERN_LENGTH, 0, NULL);
  check_limit(text, RE_MAX_PATTERN_LENGTH + 1, 0, "pattern too long (limit is 65536 bytes)");

  for (size_t depth = RE_MAX_NESTING; depth <= RE_MAX_NESTING + 1; depth++) {
    memset(text, '(', depth);
    text[depth] = 'a';
    memset(text + depth + 1, ')', depth);
    const char *message = depth > RE_MAX_NESTING ? "too many nested groups (limit is 64)" : NULL;
    check_limit(text, 2 * depth + 1, RE_MAX_NESTING, message);
  }

  for (size_t groups = RE_MAX_CAPTURES - 1; groups <= RE_MAX_CAPTURES; groups++) {
    len = 0;
    for (size_t i = 0; i < groups; i++) len += (size_t)sprintf(text + len, "(a)");
    const char *message = groups == RE_MAX_CAPTURES ? "too many capturing groups (limit is 256)" : NULL;
    check_limit(text, len, 0, message);
  }
}

/* A group name may appear once per pattern, even in different alternatives,
 * as in PCRE2 without (?J) and in Python's re. A name is a letter, '_' or
 * '$', then letters, ASCII digits, '_' or '$', in (?<name>), (?P<name>) and
 * \k<name>. */
static void named_groups_need_valid_unique_names(void **unused) {
  static const match_case cases[] = {
      {"^(?<y>\\d{4})-(?<m>\\d\\d)$", "2024-01", 1}, {"^(?<y>\\d{4})-(?<m>\\d\\d)$", "2024-1", 0},
      {"^(?<n>a)(?<nn>b)$", "ab", 1},                 {"^(?<n>a)(?P<N>b)$", "ab", 1},
      {"^(?<$_a9>a)(?P<_$>b)\\1$", "aba", 1},       {"^(?<\u00e9t\u00e91>a)$", "a", 1},
  };
  static const error_case errors[] = {
      {"(?<n>a)(?<n>b)", 7, "duplicate group name 'n' (first used at offset 0)"},
      {"(?<n>a)|(?<n>b)", 8, "duplicate group name 'n' (first used at offset 0)"},
      {"x(?P<id>a)((?<id>b))", 11, "duplicate group name 'id' (first used at offset 1)"},
      {"(?<a>.)(?<b>.)(?<a>.)", 14, "duplicate group name 'a' (first used at offset 0)"},
      {"(?<a b>x)", 4, "invalid character U+0020 in a group name (a name holds letters, ASCII "
                       "digits, '_' and '$')"},
      {"x(?P<1a>x)", 5, "a group name cannot start with U+0031 (a name starts with a letter, '_' or '$')"},
      {"(?<a-b>x)", 4, "invalid character U+002D in a group name (a name holds letters, ASCII "
                       "digits, '_' and '$')"},
      {"(?<a\u0661>x)", 4, "invalid character U+0661 in a group name (a name holds letters, ASCII "
                                 "digits, '_' and '$')"},
      {"(?<\u00b2>x)", 3, "a group name cannot start with U+00B2 (a name starts with a letter, '_' or '$')"},
      {"(?<a\x01>x)", 4, "invalid character U+0001 in a group name (a name holds letters, ASCII "
                          "digits, '_' and '$')"},
      {"(?<>x)", 2, "invalid group name: the name is empty"},
      {"(?<ab", 0, "invalid group name: missing '>'"},
      {"(?<a>x)\\k<a b>", 11, "invalid character U+0020 in a group name (a name holds letters, "
                              "ASCII digits, '_' and '$')"},
      {"(?<a>x)\\k<a>", 7, "named backreference '\\k<a>' is not supported; refer to the group by number"},
      {"(?P<a>x)(?P=a)", 8, "named backreference '(?P=a)' is not supported; refer to the group by number"},
      {"\\k<>", 2, "invalid group name: the name is empty"},
  };
  (void)unused;
  check_cases(cases, sizeof cases / sizeof *cases);
  for (size_t i = 0; i < sizeof errors / sizeof *errors; i++) {
    re_error error;
    cfgate_re *re = re_compile(errors[i].pattern, strlen(errors[i].pattern), NULL, &error);
    assert_null(re);
    assert_int_equal(error.offset, errors[i].offset);
    assert_string_equal(error.message, errors[i].message);
  }
}

static int lookup_placeholder(void *user_data, const char *name, size_t len) {
  static const char *names[] = {"AWS::AccountId", "AWS::Region"};
  (void)user_data;
  for (int i = 0; i < 2; i++) {
    if (strlen(names[i]) == len && memcmp(names[i], name, len) == 0) return i;
  }
  return -1;
}

static cfgate_re *compile_placeholders(const char *pattern) {
  re_compile_options options;
  re_error error;

  re_compile_options_default(&options);
  options.placeholder_id = lookup_placeholder;
  cfgate_re *re = re_compile(pattern, strlen(pattern), &options, &error);
  if (!re) fail_msg("pattern %s: %s", pattern, error.message);
  return re;
}

static void placeholders_bind_per_session(void **unused) {
  cfgate_re *re = compile_placeholders("^arn:aws:iam::${AWS::AccountId}:role/.+$");
  cfgate_str account[] = {{"123456789012", 12}, {"us-east-1", 9}};
  cfgate_str other[] = {{"210987654321", 12}, {"us-east-1", 9}};
  cfgate_str regex_chars[] = {{"1.3", 3}, {"", 0}};
  (void)unused;

  assert_int_equal(re->engine, CFGATE_RE_ENGINE_BACKTRACK);
  assert_int_equal(re->reason, CFGATE_RE_REASON_PLACEHOLDER);
  assert_int_equal(re->placeholder_count, 1);
  assert_int_equal(match_with(re, account, "arn:aws:iam::123456789012:role/admin", 5), 1);
  assert_int_equal(match_with(re, other, "arn:aws:iam::123456789012:role/admin", 5), 0);
  assert_int_equal(match_with(re, NULL, "arn:aws:iam::123456789012:role/admin", 5), -1);
  re_free(re);

  re = compile_placeholders("^a${AWS::AccountId}c$");
  assert_int_equal(match_with(re, regex_chars, "a1.3c", 2), 1);
  assert_int_equal(match_with(re, regex_chars, "a1x3c", 2), 0);
  re_free(re);
}

static void placeholder_escapes_stay_regex_text(void **unused) {
  cfgate_re *escaped = compile_placeholders("^x${!AWS::AccountId}");
  cfgate_re *unknown = compile_placeholders("^[a-z]*${1,128}");
  (void)unused;

  assert_int_equal(escaped->engine, CFGATE_RE_ENGINE_DFA);
  assert_int_equal(escaped->placeholder_count, 0);

  /* In a class "${!" is the members '$' and '{': the '!' is not one. */
  cfgate_re *in_class = compile_placeholders("^[${!}]$");
  assert_int_equal(match_with(in_class, NULL, "$", 1), 1);
  assert_int_equal(match_with(in_class, NULL, "{", 1), 1);
  assert_int_equal(match_with(in_class, NULL, "}", 1), 1);
  assert_int_equal(match_with(in_class, NULL, "!", 1), 0);
  re_free(in_class);

  /* A plain pattern has no escape: "!" is a member of the class. */
  re_error error;
  cfgate_re *plain = re_compile("^[${!}]$", 8, NULL, &error);
  assert_non_null(plain);
  assert_int_equal(match_with(plain, NULL, "!", 1), 1);
  assert_int_equal(match_with(plain, NULL, "$", 1), 1);
  re_free(plain);
  assert_int_equal(unknown->engine, CFGATE_RE_ENGINE_DFA);
  assert_int_equal(match_with(unknown, NULL, "abc", 1), 1);
  assert_int_equal(match_with(unknown, NULL, "abc1", 1), 0);
  re_free(escaped);
  re_free(unknown);
}

/* Matches text in one call and returns why matching failed closed. */
static cfgate_re_failure failure_of(const cfgate_re *re, const cfgate_str *values, const char *text) {
  size_t size = cfgate_re_state_size(re, values);
  void *state = aligned_alloc(alignof(max_align_t), (size + 15) / 16 * 16);

  assert_non_null(state);
  cfgate_re_match(re, state, values, (const unsigned char *)text, strlen(text));
  cfgate_re_failure reason = cfgate_re_failure_reason(state);
  free(state);
  return reason;
}

static void backtracking_fails_closed_on_limits(void **unused) {
  re_compile_options options;
  re_error error;
  char text[64];
  (void)unused;

  re_compile_options_default(&options);
  options.force_backtrack = 1;
  options.step_limit_per_byte = 16;
  cfgate_re *re = re_compile("^(a|aa)*$", 9, &options, &error);
  memset(text, 'a', sizeof text - 2);
  text[sizeof text - 2] = 'b';
  text[sizeof text - 1] = '\0';
  assert_int_equal(match_with(re, NULL, text, 7), -1);
  assert_int_equal(failure_of(re, NULL, text), CFGATE_RE_FAILURE_STEPS);
  assert_int_equal(failure_of(re, NULL, "aa"), CFGATE_RE_FAILURE_NONE);
  re_free(re);

  options.buffer_limit = 8;
  re = re_compile("^(a)\\1", 6, &options, &error);
  assert_int_equal(match_with(re, NULL, "aa", 1), 1);
  assert_int_equal(match_with(re, NULL, "aaaaaaaaa", 1), -1);
  assert_int_equal(failure_of(re, NULL, "aaaaaaaaa"), CFGATE_RE_FAILURE_LENGTH);
  re_free(re);

  /* Each repetition of a group pushes entries, so a long string fills a
   * small stack before the step budget runs out. */
  re_compile_options_default(&options);
  options.force_backtrack = 1;
  options.stack_limit = 8;
  re = re_compile("^(a)*$", 6, &options, &error);
  assert_int_equal(match_with(re, NULL, "aaaaaaaaaaaaaaaaaaaa", 1), -1);
  assert_int_equal(failure_of(re, NULL, "aaaaaaaaaaaaaaaaaaaa"), CFGATE_RE_FAILURE_STACK);
  re_free(re);
}

static void dfa_decides_early_and_reports_stats(void **unused) {
  cfgate_re *re = compile_with("abc", ENGINE_AUTO);
  void *state = aligned_alloc(alignof(max_align_t), 64);
  re_stats stats;
  (void)unused;

  assert_true(cfgate_re_state_size(re, NULL) <= 64);
  cfgate_re_begin(re, state, NULL);
  cfgate_re_feed(re, state, (const unsigned char *)"xxabcyy", 7);
  assert_int_equal(cfgate_re_decided(re, state), 1);
  assert_int_equal(cfgate_re_end(re, state), 1);
  re_get_stats(re, &stats);
  assert_string_equal(stats.engine_name, "dfa");
  assert_string_equal(stats.reason_text, "");
  assert_true(stats.dfa_states >= 4);
  free(state);
  re_free(re);
}

/* A DFA with more than 65536 table cells keeps 32-bit transitions. */
static void dfa_wide_tables_match(void **unused) {
  char text[256];
  cfgate_re *re = compile_with("^\\S{1,200}$", ENGINE_AUTO);
  (void)unused;

  assert_int_equal(re->engine, CFGATE_RE_ENGINE_DFA);
  assert_non_null(re->transitions);
  assert_null(re->transitions16);
  assert_true((size_t)re->state_count * re->class_count > 65536);
  memset(text, 'x', 200);
  text[200] = '\0';
  assert_int_equal(match_with(re, NULL, text, 1 << 20), 1);
  assert_int_equal(match_with(re, NULL, text, 1), 1);
  text[200] = 'x';
  text[201] = '\0';
  assert_int_equal(match_with(re, NULL, text, 1 << 20), 0);
  assert_int_equal(match_with(re, NULL, "a\xc3\xa9 b", 3), 0);
  assert_int_equal(match_with(re, NULL, "a\xc3\xa9" "b", 3), 1);
  re_free(re);
}

static void dfa_limit_falls_back_to_nfa(void **unused) {
  re_compile_options options;
  re_error error;
  re_stats stats;
  (void)unused;

  re_compile_options_default(&options);
  options.max_dfa_states = 16;
  cfgate_re *re = re_compile("^[a-z]{0,40}$", 13, &options, &error);
  re_get_stats(re, &stats);
  assert_string_equal(stats.engine_name, "nfa");
  assert_string_equal(stats.reason_text, "DFA exceeds its state limit");
  assert_int_equal(re->buffered, 0);
  assert_int_equal(match_with(re, NULL, "abc", 1), 1);
  assert_int_equal(match_with(re, NULL, "abc1", 1), 0);
  re_free(re);

  re = re_compile("(?!x)[a-z]{0,40}\\Z", 18, &options, &error);
  assert_int_equal(re->engine, CFGATE_RE_ENGINE_NFA);
  assert_int_equal(re->buffered, 1);
  assert_int_equal(match_with(re, NULL, "abc\n", 1), 1);
  re_free(re);
}

/* Returns the DFA state count of pattern, failing the test when it is not a DFA. */
static unsigned dfa_states(const char *pattern) {
  re_stats stats;
  cfgate_re *re = compile_with(pattern, ENGINE_AUTO);

  re_get_stats(re, &stats);
  if (re->engine != CFGATE_RE_ENGINE_DFA) fail_msg("pattern %s: engine %s", pattern, stats.engine_name);
  re_free(re);
  return stats.dfa_states;
}

/* Compares the DFA with the NFA and the backtracking engine on every string
 * of up to max_len symbols drawn from alphabet. */
static void engines_agree_on_all_strings(const char *pattern, const char *const *alphabet, size_t symbols,
                                         size_t max_len) {
  cfgate_re *engines[3] = {compile_with(pattern, ENGINE_AUTO), compile_with(pattern, ENGINE_NFA),
                           compile_with(pattern, ENGINE_BACKTRACK)};
  size_t digits[16] = {0};
  char text[128];

  for (size_t len = 0; len <= max_len; len++) {
    memset(digits, 0, sizeof digits);
    for (;;) {
      text[0] = '\0';
      for (size_t i = 0; i < len; i++) strcat(text, alphabet[digits[i]]);
      int expected = match_with(engines[1], NULL, text, 1 << 20);
      if (match_with(engines[0], NULL, text, 1 << 20) != expected ||
          match_with(engines[2], NULL, text, 1 << 20) != expected)
        fail_msg("pattern %s: engines disagree on \"%s\"", pattern, text);
      size_t i = 0;
      while (i < len && ++digits[i] == symbols) digits[i++] = 0;
      if (i == len) break;
    }
  }
  for (int e = 0; e < 3; e++) re_free(engines[e]);
}

/* A bounded repeat next to an unbounded repeat of a wider class, and a
 * repeat of an unbounded repeat, need no counter in the DFA. The rewrites
 * must keep every verdict, including where they do not apply. */
static void dfa_drops_counters_that_cannot_matter(void **unused) {
  static const char *const alphabet[] = {"a", "b", "c", "-", " ", "\xc3\xa9"};
  static const char *const patterns[] = {
      "^[a-c-]+{1,5}$",     "^[ab]+[a]{1,4}$",     "^[a]{1,4}[ab]+$",    "^[ab]*[a]{2,4}$",
      "^[ab]+[abc]{1,4}$",  "^(a+){2,3}$",         "^(a{2,}){2,3}$",     "^(a{2,}){0,2}$",
      "^(?:a+){0,3}b$",     "[ab]+(?:[a]){0,3}c",  "^[\\w-]+\\s{1,3}$",   "^\\S*\\w{2,5}$",
      "^[^b]+[ac]{1,3}$",   "^[a-c]+(b{1,2})$",    "^(ab)+{1,3}$",       "^[ab]+[a-c]{3,4}[ab]+$",
      "[a-c]{2,4}$",        "^[ab]{2,4}",          "a[bc]{1,3}",         "[ab]{2,3}\\b",
      "\\b[ab]{1,3}-",      "(?:[a]{1,3}|b{2,5}c)", "^a|[bc]{2,3}$",      "(?<=a)[bc]{1,3}",
      "[ab]{0,2}",          "(?=ab)[ab]{1,3}c",    "^(?:[ab]{2,3}c)$",    "^a(?:[bc]{1,3})$",
  };
  (void)unused;

  for (size_t i = 0; i < sizeof patterns / sizeof *patterns; i++)
    engines_agree_on_all_strings(patterns[i], alphabet, sizeof alphabet / sizeof *alphabet, 6);

  /* Two patterns of the WAFv2 provider schema: without the rewrites their
   * DFAs count up to 255 (265 states) and past the state limit. */
  assert_true(dfa_states("^[a-zA-Z0-9-]+{1,255}$") < 16);
  assert_true(dfa_states("^[a-zA-Z0-9=:#@/\\-,.][a-zA-Z0-9+=:#@/\\-,.\\s]+[a-zA-Z0-9+=:#@/\\-,.]{1,256}$") < 64);
  /* Without ^, "anything" comes before the repeat. */
  assert_true(dfa_states("[a-zA-Z0-9_\\-]{1,2048}$") < 16);
  /* Not a subset ('c' is not in [ab]), so the counter stays. */
  assert_true(dfa_states("^[ab]+[abc]{1,40}$") > 40);
}

/* Nested quantifiers that take exponential time to backtrack stay linear on the NFA. */
static void nfa_avoids_catastrophic_backtracking(void **unused) {
  char text[4096];
  (void)unused;

  memset(text, 'a', sizeof text - 2);
  text[sizeof text - 2] = '!';
  text[sizeof text - 1] = '\0';
  cfgate_re *nfa = compile_with("^([a-z]+/?){3,100}$", ENGINE_NFA);
  cfgate_re *backtrack = compile_with("^([a-z]+/?){3,100}$", ENGINE_BACKTRACK);
  assert_int_equal(nfa->engine, CFGATE_RE_ENGINE_NFA);
  assert_int_equal(match_with(nfa, NULL, text, 64), 0);
  assert_int_equal(match_with(backtrack, NULL, text, 64), -1);
  re_free(nfa);
  re_free(backtrack);
}

static void stats_summary_counts_engines(void **unused) {
  static const char *patterns[] = {"^a+$", "(a)\\1", "^.{0,1500}$"};
  re_stats_summary summary = {0};
  char text[512] = {0};
  (void)unused;

  for (size_t i = 0; i < 3; i++) {
    cfgate_re *re = compile_with(patterns[i], ENGINE_AUTO);
    re_stats_summary_add(&summary, re);
    re_free(re);
  }
  FILE *out = fmemopen(text, sizeof text - 1, "w");
  assert_non_null(out);
  assert_int_equal(re_stats_summary_print(&summary, out), 0);
  fclose(out);

  assert_int_equal(summary.patterns, 3);
  assert_int_equal(summary.engines[CFGATE_RE_ENGINE_DFA], 1);
  assert_int_equal(summary.engines[CFGATE_RE_ENGINE_NFA], 1);
  assert_int_equal(summary.engines[CFGATE_RE_ENGINE_BACKTRACK], 1);
  assert_non_null(strstr(text, "patterns: 3 (1 dfa, 1 nfa, 1 backtrack), "));
  assert_non_null(strstr(text, "fallback: 1 backreference (the language is not regular)\n"));
  assert_non_null(strstr(text, "fallback: 1 DFA exceeds its state limit\n"));
}

static void emitter_writes_tables_and_initializer(void **unused) {
  cfgate_re *re = compile_with("^a+$", ENGINE_AUTO);
  re_buffer buffer = {0};
  (void)unused;

  assert_int_equal(re_emit_c(re, "pattern_0", &buffer), 0);
  assert_non_null(strstr(buffer.data, "static const uint8_t pattern_0_byte_classes[256] = {"));
  assert_non_null(strstr(buffer.data, "static const uint16_t pattern_0_transitions16["));
  assert_non_null(strstr(buffer.data, ".transitions = NULL,"));
  assert_non_null(strstr(buffer.data, "static const cfgate_re pattern_0 = {"));
  assert_non_null(strstr(buffer.data, ".program = NULL,"));
  free(buffer.data);
  re_free(re);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(ecma_anchors_and_escapes),
      cmocka_unit_test(unicode_properties),
      cmocka_unit_test(word_boundaries_under_ignore_case),
      cmocka_unit_test(lookaround_and_quantifiers),
      cmocka_unit_test(repeat_counts_copies_matching_empty),
      cmocka_unit_test(parse_errors_have_offsets),
      cmocka_unit_test(named_groups_need_valid_unique_names),
      cmocka_unit_test(pattern_limits_reported),
      cmocka_unit_test(placeholders_bind_per_session),
      cmocka_unit_test(placeholder_escapes_stay_regex_text),
      cmocka_unit_test(backtracking_fails_closed_on_limits),
      cmocka_unit_test(dfa_decides_early_and_reports_stats),
      cmocka_unit_test(dfa_wide_tables_match),
      cmocka_unit_test(dfa_limit_falls_back_to_nfa),
      cmocka_unit_test(dfa_drops_counters_that_cannot_matter),
      cmocka_unit_test(nfa_avoids_catastrophic_backtracking),
      cmocka_unit_test(stats_summary_counts_engines),
      cmocka_unit_test(emitter_writes_tables_and_initializer),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
