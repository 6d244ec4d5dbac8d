/*
 * Format assertions against the optional format tests of the JSON Schema
 * Test Suite (draft 7), plus cases for uuid, regex and UTF-8 helpers. The
 * few suite cases the checkers get wrong are listed and asserted, so a fix
 * or a regression both show up.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "format.h"
#include "utf8.h"

#ifndef CFGATE_CORPUS_DIR
#error "CFGATE_CORPUS_DIR must name the corpus folder"
#endif

#define SUITE_FORMAT_DIR CFGATE_CORPUS_DIR "/json-schema-test-suite/tests/draft7/optional/format/"

/* Suite cases whose expected result the checkers do not reproduce: IDNA
 * A-labels that are valid ASCII but whose Punycode or IDNA 2008 rules fail. */
static const char *const known_wrong[] = {
  "xn--X", "xn--07jt112bpxg.xn--9t4b11yi5a", "xn--hello-txk", "xn--hello-zed", "xn--hello-6bf",
  "xn--chb89f", "xn--07jceefgh4c", "xn--al-0ea", "xn--l-fda", "xn--la-0ea", "xn--l-gda",
  "xn--S-jib3p", "xn--wva3j", "xn--A-2hc5h", "xn--5db1e", "xn--A-2hc8h", "xn--5db3e",
  "xn--defabc-k64e", "xn--vek", "xn--ngb6iyr", "xn--11b2er09f", "xn--02b508i", "XN--aa---o47jg78q",
};

static int is_known_wrong(const char *text) {
  for (size_t i = 0; i < sizeof known_wrong / sizeof known_wrong[0]; i++) {
    if (strcmp(text, known_wrong[i]) == 0)
      return 1;
  }
  return 0;
}

typedef struct suite_counts {
  size_t checked, known_wrong;
} suite_counts;

static void check_suite_file(const char *name, cfgate_ir_format format, suite_counts *counts) {
  char path[512];
  json_error_t error;
  json_t *groups, *group, *test;
  size_t i, j;

  snprintf(path, sizeof path, "%s%s.json", SUITE_FORMAT_DIR, name);
  groups = json_load_file(path, JSON_ALLOW_NUL, &error);
  if (groups == NULL)
    fail_msg("cannot read %s: %s", path, error.text);

  json_array_foreach(groups, i, group) {
    json_array_foreach(json_object_get(group, "tests"), j, test) {
      json_t *data = json_object_get(test, "data");
      int expected = json_is_true(json_object_get(test, "valid"));
      int actual;

      if (!json_is_string(data))
        continue;
      actual = format_check(format, json_string_value(data), json_string_length(data));
      counts->checked++;
      if (is_known_wrong(json_string_value(data))) {
        assert_int_equal(actual, !expected);
        counts->known_wrong++;
        continue;
      }
      if (actual != expected)
        fail_msg("%s: \"%s\" gave %d, expected %d", name, json_string_value(data), actual, expected);
    }
  }
  json_decref(groups);
}

static void format_matches_test_suite(void **state) {
  static const struct { const char *file; cfgate_ir_format format; } files[] = {
    {"date-time", CFGATE_IR_FORMAT_DATE_TIME}, {"date", CFGATE_IR_FORMAT_DATE},
    {"time", CFGATE_IR_FORMAT_TIME}, {"email", CFGATE_IR_FORMAT_EMAIL},
    {"hostname", CFGATE_IR_FORMAT_HOSTNAME}, {"ipv4", CFGATE_IR_FORMAT_IPV4},
    {"ipv6", CFGATE_IR_FORMAT_IPV6}, {"uri", CFGATE_IR_FORMAT_URI}, {"regex", CFGATE_IR_FORMAT_REGEX},
    {"ecmascript-regex", CFGATE_IR_FORMAT_REGEX},
  };
  suite_counts counts = {0, 0};

  (void)state;
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
    check_suite_file(files[i].file, files[i].format, &counts);
  print_message("format suite cases: %zu checked, %zu known wrong\n", counts.checked, counts.known_wrong);
  assert_true(counts.checked > 300);
  assert_int_equal(counts.known_wrong, sizeof known_wrong / sizeof known_wrong[0]);
}

typedef struct format_case {
  cfgate_ir_format format;
  const char *text;
  int valid;
} format_case;

static void format_extra_cases(void **state) {
  static const format_case cases[] = {
    {CFGATE_IR_FORMAT_UUID, "2EB8AA08-AA98-11EA-B4AA-73B441D16380", 1},
    {CFGATE_IR_FORMAT_UUID, "2eb8aa08-aa98-11ea-b4aa-73b441d16380", 1},
    {CFGATE_IR_FORMAT_UUID, "00000000-0000-0000-0000-000000000000", 1},
    {CFGATE_IR_FORMAT_UUID, "2eb8aa08-aa98-11ea-b4aa-73b441d1638", 0},
    {CFGATE_IR_FORMAT_UUID, "2eb8aa08aa98-11ea-b4aa-73b441d163800", 0},
    {CFGATE_IR_FORMAT_UUID, "2eb8aa08-aa98-11ea-b4ga-73b441d16380", 0},
    {CFGATE_IR_FORMAT_UUID, "{2eb8aa08-aa98-11ea-b4aa-73b441d16380}", 0},
    {CFGATE_IR_FORMAT_REGEX, "^[a-zA-Z0-9-]{1,63}$", 1},
    {CFGATE_IR_FORMAT_REGEX, "^arn:aws[a-z-]*:s3:::[a-z0-9.-]+(/.*)?$", 1},
    {CFGATE_IR_FORMAT_REGEX, "(?<year>\\d{4})-(?:x|y)(?=z)(?!w)(?<=a)(?<!b)\\k<year>", 1},
    {CFGATE_IR_FORMAT_REGEX, "[\\d-z]{2,}?|a{,5}|}|]", 1},
    {CFGATE_IR_FORMAT_REGEX, "[\\u0041-\\u005A\\x61-\\x7a]", 1},
    {CFGATE_IR_FORMAT_REGEX, "[^]", 1},
    {CFGATE_IR_FORMAT_REGEX, "", 1},
    {CFGATE_IR_FORMAT_REGEX, "a{2,1}", 0},
    {CFGATE_IR_FORMAT_REGEX, "*a", 0},
    {CFGATE_IR_FORMAT_REGEX, "a|+", 0},
    {CFGATE_IR_FORMAT_REGEX, "(a", 0},
    {CFGATE_IR_FORMAT_REGEX, "a)", 0},
    {CFGATE_IR_FORMAT_REGEX, "[z-a]", 0},
    {CFGATE_IR_FORMAT_REGEX, "[a", 0},
    {CFGATE_IR_FORMAT_REGEX, "a\\", 0},
    {CFGATE_IR_FORMAT_REGEX, "(?P<name>a)", 0},
    {CFGATE_IR_FORMAT_REGEX, "^*", 0},
    {CFGATE_IR_FORMAT_REGEX, "\\b+", 0},
    {CFGATE_IR_FORMAT_REGEX, "(?<=a)*", 0},
    {CFGATE_IR_FORMAT_REGEX, "{1}", 0},
    {CFGATE_IR_FORMAT_REGEX, "\\a", 0},
    {CFGATE_IR_FORMAT_REGEX, "[\\q]", 0},
    {CFGATE_IR_FORMAT_REGEX, "\\-\\.\\/\\[\\]", 1},
    {CFGATE_IR_FORMAT_REGEX, "\\cJ\\k<n>\\p{L}", 1},
    {CFGATE_IR_FORMAT_EMAIL, "user@[192.168.0.1]", 1},
    {CFGATE_IR_FORMAT_EMAIL, "user@[IPv6:2001:db8::1]", 1},
    {CFGATE_IR_FORMAT_EMAIL, "user@[300.1.1.1]", 0},
    {CFGATE_IR_FORMAT_URI, "urn:isbn:0451450523", 1},
    {CFGATE_IR_FORMAT_URI, "http://[v1.fe80::a+en1]/", 1},
    {CFGATE_IR_FORMAT_URI, "http://user:pass@host:8080/p?q#f", 1},
    {CFGATE_IR_FORMAT_URI, "http://h/a#b#c", 0},
    {CFGATE_IR_FORMAT_DATE_TIME, "2020-02-29T00:00:00+14:00", 1},
    {CFGATE_IR_FORMAT_DATE_TIME, "2020-02-29 00:00:00Z", 0},
    {CFGATE_IR_FORMAT_TIME, "23:59:60.5Z", 1},
    {CFGATE_IR_FORMAT_TIME, "12:00:00.Z", 0},
    {CFGATE_IR_FORMAT_IPV6, "::ffff:1.2.3.4", 1},
    {CFGATE_IR_FORMAT_IPV6, "1:2:3:4:5:6:7::", 1},
    {CFGATE_IR_FORMAT_IPV6, "1:2:3:4:5:6:7:8::", 0},
    {CFGATE_IR_FORMAT_HOSTNAME, "a.b-c.d", 1},
    {CFGATE_IR_FORMAT_HOSTNAME, "ab--c.d", 0},
  };

  (void)state;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    int actual = format_check(cases[i].format, cases[i].text, strlen(cases[i].text));

    if (actual != cases[i].valid)
      fail_msg("format %d: \"%s\" gave %d, expected %d", (int)cases[i].format, cases[i].text, actual,
               cases[i].valid);
  }
  assert_int_equal(format_check(CFGATE_IR_FORMAT_NONE, "x", 1), -1);
}

static void utf8_decode_and_count(void **state) {
  uint32_t cp;

  (void)state;
  assert_int_equal(utf8_decode("A", 1, &cp), 1);
  assert_int_equal(cp, 0x41);
  assert_int_equal(utf8_decode("\xc3\xa9", 2, &cp), 2);
  assert_int_equal(cp, 0xe9);
  assert_int_equal(utf8_decode("\xe2\x82\xac", 3, &cp), 3);
  assert_int_equal(cp, 0x20ac);
  assert_int_equal(utf8_decode("\xf4\x8f\xbf\xbf", 4, &cp), 4);
  assert_int_equal(cp, 0x10ffff);
  assert_int_equal(utf8_decode("\xf4\x90\x80\x80", 4, &cp), 0);
  assert_int_equal(cp, 0xfffd);
  assert_int_equal(utf8_decode("\xed\xa0\x80", 3, &cp), 0);
  assert_int_equal(utf8_decode("\xe0\x80\x80", 3, &cp), 0);
  assert_int_equal(utf8_decode("\xc0\x80", 2, &cp), 0);
  assert_int_equal(utf8_decode("\xe2\x82", 2, &cp), 0);
  assert_int_equal(utf8_decode("", 0, &cp), 0);

  assert_int_equal(utf8_count("", 0), 0);
  assert_int_equal(utf8_count("abc", 3), 3);
  assert_int_equal(utf8_count("\xc3\xa9t\xf0\x9f\x98\x80", 7), 3);
}

/* Writes code as UTF-8 into out (5 bytes, NUL-terminated). */
static void encode_utf8(uint32_t code, char out[5]) {
  unsigned char *bytes = (unsigned char *)out;
  memset(out, 0, 5);
  if (code < 0x800) {
    bytes[0] = (unsigned char)(0xc0 | code >> 6);
    bytes[1] = (unsigned char)(0x80 | (code & 0x3f));
  } else if (code < 0x10000) {
    bytes[0] = (unsigned char)(0xe0 | code >> 12);
    bytes[1] = (unsigned char)(0x80 | (code >> 6 & 0x3f));
    bytes[2] = (unsigned char)(0x80 | (code & 0x3f));
  } else {
    bytes[0] = (unsigned char)(0xf0 | code >> 18);
    bytes[1] = (unsigned char)(0x80 | (code >> 12 & 0x3f));
    bytes[2] = (unsigned char)(0x80 | (code >> 6 & 0x3f));
    bytes[3] = (unsigned char)(0x80 | (code & 0x3f));
  }
}

/* The invisible characters are Default_Ignorable_Code_Point, the format
 * characters (Cf), the bidirectional controls, the C1 controls and the line
 * and paragraph separators. The cases include the ends of each range. */
static void utf8_invisible_ignorable_and_format(void **state) {
  static const uint32_t invisible[] = {
    0x80,    0x85,    0x9f,    0xad,    0x34f,   0x600,   0x605,   0x61c,   0x6dd,
    0x180e,  0x200b,  0x200e,  0x200f,  0x2028,  0x2029,  0x202a,  0x202e,  0x2060,
    0x2064,  0x2065,  0x2066,  0x2069,  0x206f,  0x3164,  0xfe00,  0xfe0f,  0xfeff,
    0xffa0,  0xfff0,  0xfffb,  0x110bd, 0x13430, 0x1bca0, 0x1d173, 0x1d17a, 0xe0000,
    0xe0001, 0xe0061, 0xe007f, 0xe0100, 0xe0fff};
  static const uint32_t visible[] = {
    0xa0,    0xa9,    0xe9,    0x34e,   0x2010,  0x2027,  0x202f,  0x205f,  0x2070,
    0x3000,  0xfe10,  0xfffc,  0xfffd,  0x1d172, 0x1d17b, 0x1f600, 0xe1000, 0x10ffff};
  char text[5];
  size_t len;

  (void)state;
  for (size_t i = 0; i < sizeof invisible / sizeof invisible[0]; i++) {
    encode_utf8(invisible[i], text);
    len = 0;
    if (utf8_invisible(text, &len) != invisible[i] || len != strlen(text))
      fail_msg("U+%04X is not named invisible", (unsigned)invisible[i]);
  }
  for (size_t i = 0; i < sizeof visible / sizeof visible[0]; i++) {
    encode_utf8(visible[i], text);
    if (utf8_invisible(text, &len) != 0)
      fail_msg("U+%04X is named invisible", (unsigned)visible[i]);
  }
  assert_int_equal(utf8_invisible("\x1b", &len), 0);
  assert_int_equal(utf8_invisible("\xe2\x80", &len), 0); /* cut short */
}

static void utf8_escape_writes_json_escapes(void **state) {
  char out[UTF8_ESCAPE_SIZE];

  (void)state;
  assert_int_equal(utf8_escape(0x85, out), 6);
  assert_string_equal(out, "\\u0085");
  assert_int_equal(utf8_escape(0x202e, out), 6);
  assert_string_equal(out, "\\u202e");
  assert_int_equal(utf8_escape(0x1d173, out), 12);
  assert_string_equal(out, "\\ud834\\udd73");
  assert_int_equal(utf8_escape(0xe0061, out), 12);
  assert_string_equal(out, "\\udb40\\udc61");
  assert_int_equal(utf8_escape(0x10ffff, out), 12);
  assert_string_equal(out, "\\udbff\\udfff");
}

static void expect_fault(const char *text, size_t len, utf8_fault fault, size_t length,
                         uint32_t code_point) {
  size_t actual_length;
  uint32_t actual_code_point;

  assert_int_equal(utf8_diagnose(text, len, &actual_length, &actual_code_point), fault);
  assert_int_equal(actual_length, length);
  assert_int_equal(actual_code_point, code_point);
}

static void utf8_diagnose_names_faults(void **state) {
  (void)state;
  expect_fault("\xc0\xaf", 2, UTF8_OVERLONG, 2, 0x2f);
  expect_fault("\xe0\x80\xaf", 3, UTF8_OVERLONG, 3, 0x2f);
  expect_fault("\xf0\x82\x82\xac", 4, UTF8_OVERLONG, 4, 0x20ac);
  expect_fault("\xc1x", 2, UTF8_OVERLONG, 1, 0xfffd);
  expect_fault("\xed\xa0\x80", 3, UTF8_SURROGATE, 3, 0xd800);
  expect_fault("\xed\xbf\xbf", 3, UTF8_SURROGATE, 3, 0xdfff);
  expect_fault("\xed\xa0", 2, UTF8_SURROGATE, 2, 0xfffd);
  expect_fault("\xf4\x90\x80\x80", 4, UTF8_ABOVE_MAXIMUM, 4, 0x110000);
  expect_fault("\xf7\xbf\xbf\xbf", 4, UTF8_ABOVE_MAXIMUM, 4, 0x1fffff);
  expect_fault("\xf5", 1, UTF8_ABOVE_MAXIMUM, 1, 0xfffd);
  expect_fault("\xe2\x82", 2, UTF8_TRUNCATED, 2, 0xfffd);
  expect_fault("\xe2\x82x", 3, UTF8_TRUNCATED, 2, 0xfffd);
  expect_fault("\xf0\x9f\x98\xe2", 4, UTF8_TRUNCATED, 3, 0xfffd);
  expect_fault("\x80\x80", 2, UTF8_CONTINUATION, 1, 0xfffd);
  expect_fault("\xbf", 1, UTF8_CONTINUATION, 1, 0xfffd);
  expect_fault("\xf8\x88\x80\x80\x80", 5, UTF8_NEVER, 1, 0xfffd);
  expect_fault("\xff", 1, UTF8_NEVER, 1, 0xfffd);
  expect_fault("\xef\xbf\xbe", 3, UTF8_VALID, 3, 0xfffe);
  expect_fault("a", 1, UTF8_VALID, 1, 0x61);
}

/* utf8_diagnose() finds a sequence valid exactly when utf8_decode() decodes
 * it, with the same code point: every sequence of 1 to 3 bytes, and of 4
 * bytes for every first three bytes followed by 80. */
static void utf8_diagnose_agrees_with_decode(void **state) {
  (void)state;
  for (uint32_t n = 0; n < 1u << 24; n++) {
    unsigned char bytes[4] = {(unsigned char)(n >> 16), (unsigned char)(n >> 8),
                              (unsigned char)n, 0x80};
    size_t len = bytes[0] >= 0xf0 ? 4 : 3;
    uint32_t decoded, diagnosed;
    size_t length;
    size_t n_decoded = utf8_decode((const char *)bytes, len, &decoded);
    utf8_fault fault = utf8_diagnose((const char *)bytes, len, &length, &diagnosed);
    if ((fault == UTF8_VALID) != (n_decoded > 0) || (n_decoded && length != n_decoded) ||
        (n_decoded && diagnosed != decoded))
      fail_msg("%02x %02x %02x: fault %d, decoded %zu", bytes[0], bytes[1], bytes[2],
               (int)fault, n_decoded);
  }
}

/* "a", U+00E9, U+20AC and U+1F600: sequences of 1, 2, 3 and 4 bytes. */
static const char mixed[] = "a\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80";

static void utf8_cut_at_code_points(void **state) {
  /* Expected prefix length for each maximum from 0 to the whole text. */
  static const size_t expected[] = {0, 1, 1, 3, 3, 3, 6, 6, 6, 6, 10, 10};

  (void)state;
  for (size_t max = 0; max < sizeof expected / sizeof expected[0]; max++)
    assert_int_equal(utf8_cut(mixed, 10, max), expected[max]);

  assert_int_equal(utf8_cut("", 0, 5), 0);
  assert_int_equal(utf8_cut("abc", 3, 2), 2);
}

static void utf8_cut_drops_incomplete_end(void **state) {
  (void)state;
  assert_int_equal(utf8_cut(mixed, 2, 10), 1);
  assert_int_equal(utf8_cut(mixed, 5, 10), 3);
  assert_int_equal(utf8_cut(mixed, 9, 48), 6);
}

static void utf8_cut_keeps_invalid_bytes(void **state) {
  (void)state;
  /* Continuation bytes without a lead byte are not a sequence to protect. */
  assert_int_equal(utf8_cut("\x80\x80\x80\x80\x80", 5, 4), 4);
  assert_int_equal(utf8_cut("a\xff", 2, 2), 2);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(utf8_cut_at_code_points),
    cmocka_unit_test(utf8_cut_drops_incomplete_end),
    cmocka_unit_test(utf8_cut_keeps_invalid_bytes),
    cmocka_unit_test(format_matches_test_suite),
    cmocka_unit_test(format_extra_cases),
    cmocka_unit_test(utf8_decode_and_count),
    cmocka_unit_test(utf8_invisible_ignorable_and_format),
    cmocka_unit_test(utf8_escape_writes_json_escapes),
    cmocka_unit_test(utf8_diagnose_names_faults),
    cmocka_unit_test(utf8_diagnose_agrees_with_decode),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
