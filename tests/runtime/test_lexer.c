/*
 * JSON tokenizer: RFC 8259 accept and reject tables, escapes, UTF-8 edge
 * cases, error positions, limits, and stopping on an event's request. Every
 * case also runs in 1-byte and 7-byte chunks and must give the same log.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "test_lexer_recorder.h"

typedef struct lexer_case {
  const char *input;
  size_t len;         /* 0: strlen(input) */
  const char *log;    /* expected events, ending with "ok" or "rejected" */
} lexer_case;

static void check_case(const lexer_case *c) {
  static const size_t chunks[] = {0, 1, 7};
  size_t len = c->len != 0 ? c->len : strlen(c->input);

  for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
    char *log = recorder_tokenize((const unsigned char *)c->input, len, chunks[i]);

    if (strcmp(log, c->log) != 0)
      print_error("input %s in chunks of %zu\n", c->input, chunks[i]);
    assert_string_equal(log, c->log);
    free(log);
  }
}

static void check_table(const lexer_case *cases, size_t count) {
  for (size_t i = 0; i < count; i++)
    check_case(&cases[i]);
}

static void lexer_accepts_rfc8259_texts(void **state) {
  static const lexer_case cases[] = {
    {"{}", 0, "{\n}\nok\n"},
    {"[]", 0, "[\n]\nok\n"},
    {" \t\r\n[ ]\n", 0, "[\n]\nok\n"},
    {"\"\"", 0, "string \nok\n"},
    {"\"abc\"", 0, "string abc\nok\n"},
    {"0", 0, "number 0 = 0\nok\n"},
    {"-0", 0, "number -0 = 0\nok\n"},
    {"12", 0, "number 12 = 12\nok\n"},
    {"-1.50e+2", 0, "number -1.50e+2 = -150\nok\n"},
    {"1E-2", 0, "number 1E-2 = 0.01\nok\n"},
    {"9223372036854775807", 0, "number 9223372036854775807 = 9223372036854775807\nok\n"},
    {"true", 0, "true\nok\n"},
    {"false", 0, "false\nok\n"},
    {"null", 0, "null\nok\n"},
    {"{\"a\":1,\"b\":[true,null,{}],\"c\":\"x\"}", 0,
     "{\nkey a\nnumber 1 = 1\nkey b\n[\ntrue\nnull\n{\n}\n]\nkey c\nstring x\n}\nok\n"},
    {"[[[]]]", 0, "[\n[\n[\n]\n]\n]\nok\n"},
    {"[1,-2,3.5]", 0, "[\nnumber 1 = 1\nnumber -2 = -2\nnumber 3.5 = 3.5\n]\nok\n"},
    {"{ \"k\" : \"v\" }", 0, "{\nkey k\nstring v\n}\nok\n"},
    {"\"\x7f\"", 0, "string \x7f\nok\n"},
    {"[0,1]", 0, "[\nnumber 0 = 0\nnumber 1 = 1\n]\nok\n"},
    {"[12.5,3e2,45,true,false,null]", 0,
     "[\nnumber 12.5 = 12.5\nnumber 3e2 = 300\nnumber 45 = 45\ntrue\nfalse\nnull\n]\nok\n"},
  };
  (void)state;
  check_table(cases, sizeof cases / sizeof cases[0]);
}

static void lexer_rejects_invalid_texts(void **state) {
  static const lexer_case cases[] = {
    {"", 0, "error 1:1 @0 empty input, expected a JSON value\nrejected\n"},
    {"  \n ", 0, "error 2:2 @4 empty input, expected a JSON value\nrejected\n"},
    {"[1,]", 0, "[\nnumber 1 = 1\nerror 1:3 @2 unexpected ',' before ']'\nrejected\n"},
    {"{\"a\":1,}", 0, "{\nkey a\nnumber 1 = 1\nerror 1:7 @6 unexpected ',' before '}'\nrejected\n"},
    {"[,1]", 0, "[\nerror 1:2 @1 unexpected ',', expected a value or ']'\nrejected\n"},
    {"NaN", 0, "error 1:1 @0 invalid literal 'NaN' (expected true, false or null)\nrejected\n"},
    {"-Infinity", 0, "error 1:1 @0 invalid literal '-Infinity' (expected true, false or null)\nrejected\n"},
    {"[Infinity]", 0, "[\nerror 1:2 @1 invalid literal 'Infinity' (expected true, false or null)\nrejected\n"},
    {"truex", 0, "error 1:1 @0 invalid literal 'truex' (expected true, false or null)\nrejected\n"},
    {"True", 0, "error 1:1 @0 invalid literal 'True' (expected true, false or null)\nrejected\n"},
    {"tru", 0, "error 1:1 @0 invalid literal 'tru' (expected true, false or null)\nrejected\n"},
    {"[true1]", 0, "[\nerror 1:2 @1 invalid literal 'true1' (expected true, false or null)\nrejected\n"},
    {"[null_]", 0, "[\nerror 1:2 @1 invalid literal 'null_' (expected true, false or null)\nrejected\n"},
    {"[falsey]", 0, "[\nerror 1:2 @1 invalid literal 'falsey' (expected true, false or null)\nrejected\n"},
    {"[123abc]", 0, "[\nnumber 123 = 123\nerror 1:5 @4 unexpected 'abc', expected ',' or ']' after the array element\nrejected\n"},
    {"01", 0, "error 1:1 @0 invalid number '01': leading zeros are not allowed\nrejected\n"},
    {"[-012]", 0, "[\nerror 1:2 @1 invalid number '-012': leading zeros are not allowed\nrejected\n"},
    {"1.", 0, "error 1:1 @0 invalid number '1.': expected a digit after '.'\nrejected\n"},
    {"1.e5", 0, "error 1:1 @0 invalid number '1.': expected a digit after '.'\nrejected\n"},
    {"1e", 0, "error 1:1 @0 invalid number '1e': expected a digit in the exponent\nrejected\n"},
    {"[1e+]", 0, "[\nerror 1:2 @1 invalid number '1e+': expected a digit in the exponent\nrejected\n"},
    {"-", 0, "error 1:1 @0 invalid number '-': expected a digit after '-'\nrejected\n"},
    {"+1", 0, "error 1:1 @0 invalid number '+1': a leading '+' is not allowed\nrejected\n"},
    {".5", 0, "error 1:1 @0 invalid number '.5': expected a digit before '.'\nrejected\n"},
    {"0x1F", 0, "number 0 = 0\nerror 1:2 @1 unexpected 'x1F', expected end of input after the JSON value\nrejected\n"},
    {"1 2", 0, "number 1 = 1\nerror 1:3 @2 unexpected number '2', expected end of input after the JSON value\nrejected\n"},
    {"{} x", 0, "{\n}\nerror 1:4 @3 unexpected 'x', expected end of input after the JSON value\nrejected\n"},
    {"{a:1}", 0, "{\nerror 1:2 @1 unexpected 'a', expected a string key or '}'\nrejected\n"},
    {"{\"a\" 1}", 0, "{\nkey a\nerror 1:6 @5 unexpected number '1', expected ':' after the object key\nrejected\n"},
    {"{\"a\":1 \"b\":2}", 0,
     "{\nkey a\nnumber 1 = 1\nerror 1:8 @7 unexpected string, expected ',' or '}' after the object member\nrejected\n"},
    {"[1 2]", 0, "[\nnumber 1 = 1\nerror 1:4 @3 unexpected number '2', expected ',' or ']' after the array element\nrejected\n"},
    {"[1}", 0, "[\nnumber 1 = 1\nerror 1:3 @2 unexpected '}', expected ',' or ']' after the array element\nrejected\n"},
    {"{\"a\":1]", 0, "{\nkey a\nnumber 1 = 1\nerror 1:7 @6 unexpected ']', expected ',' or '}' after the object member\nrejected\n"},
    {"[", 0, "[\nerror 1:2 @1 unexpected end of input, expected a value\nrejected\n"},
    {"[1", 0, "[\nnumber 1 = 1\nerror 1:3 @2 unexpected end of input, expected ',' or a closing bracket\nrejected\n"},
    {"{\"a\"", 0, "{\nkey a\nerror 1:5 @4 unexpected end of input, expected ':' after the object key\nrejected\n"},
    {"{\"a\":", 0, "{\nkey a\nerror 1:6 @5 unexpected end of input, expected a value\nrejected\n"},
    {"{\"a", 0, "{\nkey a\nerror 1:4 @3 unterminated object key at end of input\nrejected\n"},
    {"\"abc", 0, "string abc\nerror 1:5 @4 unterminated string at end of input\nrejected\n"},
    {"'a'", 0, "error 1:1 @0 unexpected '\\x27', expected a value\nrejected\n"},
    {"\xef\xbb\xbf{}", 0, "error 1:1 @0 unexpected byte 0xEF, expected a value\nrejected\n"},
    {"[1]\n\n  ]", 0, "[\nnumber 1 = 1\n]\nerror 3:3 @7 unexpected ']', expected end of input after the JSON value\nrejected\n"},
    {"{\n  \"a\": [\n    1,\n  ]\n}", 0,
     "{\nkey a\n[\nnumber 1 = 1\nerror 3:6 @16 unexpected ',' before ']'\nrejected\n"},
    {"[\"a\tb\"]", 0, "[\nstring a\nerror 1:4 @3 invalid control character U+0009 in string (escape it)\nrejected\n"},
    {"\"a\nb\"", 0, "string a\nerror 1:3 @2 invalid control character U+000A in string (escape it)\nrejected\n"},
    {"1 \x00", 3, "number 1 = 1\nerror 1:3 @2 unexpected byte 0x00, expected end of input after the JSON value\nrejected\n"},
  };
  (void)state;
  check_table(cases, sizeof cases / sizeof cases[0]);
}

static void lexer_decodes_every_escape(void **state) {
  static const lexer_case cases[] = {
    {"\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", 0, "string \"\\/\b\f\n\r\t\nok\n"},
    {"\"\\u0041\\u00e9\\u20AC\"", 0, "string A\xc3\xa9\xe2\x82\xac\nok\n"},
    {"\"\\u0080\\u07ff\\u0800\\uffff\"", 0, "string \xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf\nok\n"},
    {"\"\\ud83d\\ude00\"", 0, "string \xf0\x9f\x98\x80\nok\n"},
    {"\"\\uD800\\uDC00\\uDBFF\\uDFFF\"", 0, "string \xf0\x90\x80\x80\xf4\x8f\xbf\xbf\nok\n"},
    {"{\"\\u006b\":1}", 0, "{\nkey k\nnumber 1 = 1\n}\nok\n"},
    {"\"x\\qy\"", 0, "string x\nerror 1:3 @2 invalid escape '\\q'\nrejected\n"},
    {"\"\\x41\"", 0, "string \nerror 1:2 @1 invalid escape '\\x'\nrejected\n"},
    {"\"\\u12G4\"", 0, "string \nerror 1:2 @1 invalid escape '\\u12': expected four hex digits after '\\u'\nrejected\n"},
    {"\"\\u12\"", 0, "string \nerror 1:2 @1 invalid escape '\\u12': expected four hex digits after '\\u'\nrejected\n"},
    {"\"\\ud83d\"", 0, "string \nerror 1:2 @1 invalid escape '\\ud83d': unpaired UTF-16 surrogate\nrejected\n"},
    {"\"\\ud83dx\"", 0, "string \nerror 1:2 @1 invalid escape '\\ud83d': unpaired UTF-16 surrogate\nrejected\n"},
    {"\"\\ud83d\\u0041\"", 0, "string \nerror 1:2 @1 invalid escape '\\ud83d': unpaired UTF-16 surrogate\nrejected\n"},
    {"\"\\ude00\"", 0, "string \nerror 1:2 @1 invalid escape '\\ude00': unpaired UTF-16 surrogate\nrejected\n"},
    {"\"ab\\", 0, "string ab\nerror 1:4 @3 unterminated string at end of input\nrejected\n"},
    {"\"\\'\"", 0, "string \nerror 1:2 @1 invalid escape '\\\\x27'\nrejected\n"},
  };
  (void)state;
  check_table(cases, sizeof cases / sizeof cases[0]);
}

static void lexer_decodes_nul_escape(void **state) {
  static const char expected[] = "string a<NUL>b\nok\n";
  const char *text = "\"a\\u0000b\"";

  (void)state;
  for (size_t chunk = 0; chunk < 3; chunk++) {
    char *log = recorder_tokenize((const unsigned char *)text, strlen(text), chunk);

    assert_string_equal(log, expected);
    free(log);
  }
}

static void lexer_validates_utf8(void **state) {
  static const lexer_case cases[] = {
    {"\"\xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf\"", 0, "string \xc2\x80\xdf\xbf\xe0\xa0\x80\xef\xbf\xbf\nok\n"},
    {"\"\xf0\x90\x80\x80\xf4\x8f\xbf\xbf\"", 0, "string \xf0\x90\x80\x80\xf4\x8f\xbf\xbf\nok\n"},
    {"\"\xed\x9f\xbf\xee\x80\x80\"", 0, "string \xed\x9f\xbf\xee\x80\x80\nok\n"},
    {"[\"\xc3\xa9\",\n\"\xc3\xa9\" x]", 0,
     "[\nstring \xc3\xa9\nstring \xc3\xa9\nerror 2:5 @12 unexpected 'x', expected ',' or ']' after the array element\nrejected\n"},
    {"\"\xc3\xa9t\xc3\xa9\" x", 0,
     "string \xc3\xa9t\xc3\xa9\nerror 1:7 @8 unexpected 'x', expected end of input after the JSON value\nrejected\n"},
    {"[\"\xc3\xa9\", ]", 0, "[\nstring \xc3\xa9\nerror 1:5 @5 unexpected ',' before ']'\nrejected\n"},
    {"[\"\xc3\xa9\",\n ]", 0, "[\nstring \xc3\xa9\nerror 1:5 @5 unexpected ',' before ']'\nrejected\n"},
    {"[\"\xc3\xa9\",\n\"\xc3\xa9\",\n\n]", 0,
     "[\nstring \xc3\xa9\nstring \xc3\xa9\nerror 2:4 @11 unexpected ',' before ']'\nrejected\n"},
    {"\"a\xc0\x80\"", 0, "string a\nerror 1:3 @2 invalid UTF-8 in string: bytes C0 80 are an overlong encoding of U+0000\nrejected\n"},
    {"\"\xc1\xbf\"", 0, "string \nerror 1:2 @1 invalid UTF-8 in string: bytes C1 BF are an overlong encoding of U+007F\nrejected\n"},
    {"\"\xe0\x80\x80\"", 0, "string \nerror 1:2 @1 invalid UTF-8 in string: bytes E0 80 80 are an overlong encoding of U+0000\nrejected\n"},
    {"\"\xf0\x80\x80\x80\"", 0, "string \nerror 1:2 @1 invalid UTF-8 in string: bytes F0 80 80 80 are an overlong encoding of U+0000\nrejected\n"},
    {"\"\xed\xa0\x80\"", 0, "string \nerror 1:2 @1 invalid UTF-8 in string: bytes ED A0 80 encode U+D800, a UTF-16 surrogate\nrejected\n"},
    {"\"\xed\xbf\xbf\"", 0, "string \nerror 1:2 @1 invalid UTF-8 in string: bytes ED BF BF encode U+DFFF, a UTF-16 surrogate\nrejected\n"},
    {"\"\xf4\x90\x80\x80\"", 0, "string \nerror 1:2 @1 invalid UTF-8 in string: bytes F4 90 80 80 encode U+110000, above U+10FFFF\nrejected\n"},
    {"\"\xf5\x80\x80\x80\"", 0, "string \nerror 1:2 @1 invalid UTF-8 in string: bytes F5 80 80 80 encode U+140000, above U+10FFFF\nrejected\n"},
    {"\"\xff\"", 0, "string \nerror 1:2 @1 invalid UTF-8 in string: byte FF never occurs in UTF-8\nrejected\n"},
    {"\"\x80\"", 0, "string \nerror 1:2 @1 invalid UTF-8 in string: byte 80 is a continuation byte without a lead byte\nrejected\n"},
    {"\"\xc3\"", 0, "string \nerror 1:2 @1 invalid UTF-8 in string: byte C3 is a truncated sequence: C3 starts a sequence of 2 bytes\nrejected\n"},
    {"\"\xe2\x82\"", 0, "string \nerror 1:2 @1 invalid UTF-8 in string: bytes E2 82 are a truncated sequence: E2 starts a sequence of 3 bytes\nrejected\n"},
    {"\"\xf0\x9f\x98", 0, "string \nerror 1:2 @1 invalid UTF-8 in string: bytes F0 9F 98 are a truncated sequence: F0 starts a sequence of 4 bytes\nrejected\n"},
    {"\"\xe2\x82x\"", 0, "string \nerror 1:2 @1 invalid UTF-8 in string: bytes E2 82 are a truncated sequence: E2 starts a sequence of 3 bytes\nrejected\n"},
  };
  (void)state;
  check_table(cases, sizeof cases / sizeof cases[0]);
}

static char *repeat(const char *head, const char *unit, size_t count, const char *tail) {
  size_t len = strlen(head) + strlen(unit) * count + strlen(tail);
  char *text = malloc(len + 1);

  assert_non_null(text);
  strcpy(text, head);
  for (size_t i = 0; i < count; i++)
    strcat(text, unit);
  strcat(text, tail);
  return text;
}

static void lexer_limits_depth(void **state) {
  char *deep = repeat("", "[", CFGATE_MAX_DEPTH, "");
  char *too_deep = repeat("", "[", CFGATE_MAX_DEPTH + 1, "");
  char *log;
  char expected[128];

  (void)state;
  log = recorder_tokenize((const unsigned char *)deep, strlen(deep), 0);
  assert_null(strstr(log, "too many"));
  assert_non_null(strstr(log, "unexpected end of input, expected a value"));
  free(log);

  snprintf(expected, sizeof expected, "error 1:%d @%d too many nested arrays and objects (limit is %d)\n",
           CFGATE_MAX_DEPTH + 1, CFGATE_MAX_DEPTH, CFGATE_MAX_DEPTH);
  for (size_t chunk = 0; chunk < 8; chunk += 7) {
    log = recorder_tokenize((const unsigned char *)too_deep, strlen(too_deep), chunk);
    assert_non_null(strstr(log, expected));
    free(log);
  }
  free(deep);
  free(too_deep);
}

static void lexer_limits_numbers(void **state) {
  char *long_number = repeat("[", "1", CFGATE_MAX_NUMBER_LENGTH + 1, "]");
  char *longest_number = repeat("[1", "0", CFGATE_MAX_NUMBER_LENGTH - 1, "]");
  char *many_digits = repeat("[0.", "1", CFGATE_MAX_NUMBER_DIGITS + 1, "]");
  char *long_word = repeat("[", "a", 2 * CFGATE_LEXER_CARRY_SIZE, "]");
  const size_t chunks[] = {0, 1, 7, 4096};

  (void)state;
  for (size_t i = 0; i < sizeof chunks / sizeof chunks[0]; i++) {
    char *log = recorder_tokenize((const unsigned char *)long_number, strlen(long_number), chunks[i]);

    assert_non_null(strstr(log, "limit 1:2 @1 number too long (limit is 256 characters): '1111"));
    free(log);

    log = recorder_tokenize((const unsigned char *)longest_number, strlen(longest_number), chunks[i]);
    assert_non_null(strstr(log, "\nok\n"));
    assert_non_null(strstr(log, "= 1e+255\n"));
    free(log);

    log = recorder_tokenize((const unsigned char *)many_digits, strlen(many_digits), chunks[i]);
    assert_non_null(strstr(log, "limit 1:2 @1 too many significant digits in number (limit is 64): '0.1111"));
    free(log);

    log = recorder_tokenize((const unsigned char *)long_word, strlen(long_word), chunks[i]);
    assert_non_null(strstr(log, "error 1:2 @1 invalid literal 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...'"));
    free(log);
  }
  free(long_number);
  free(longest_number);
  free(many_digits);
  free(long_word);
}

static void lexer_stops_when_event_decides(void **state) {
  const char *text = "[1,2,3]      ";
  cfgate_session recorder;
  cfgate_lexer lexer;

  (void)state;
  recorder_init(&recorder);
  recorder.stop_after = 2;
  lexer_init(&lexer);
  assert_int_not_equal(lexer_feed(&lexer, &recorder, (const unsigned char *)text, 9), 0);
  assert_string_equal(recorder.log, "[\nnumber 1 = 1\n");
  assert_int_not_equal(lexer_feed(&lexer, &recorder, (const unsigned char *)text + 9, 4), 0);
  assert_int_not_equal(lexer_finish(&lexer, &recorder), 0);
  assert_string_equal(recorder.log, "[\nnumber 1 = 1\n");
  recorder_free(&recorder);
}

static void lexer_ignores_empty_chunks(void **state) {
  cfgate_session recorder;
  cfgate_lexer lexer;

  (void)state;
  recorder_init(&recorder);
  lexer_init(&lexer);
  assert_int_equal(lexer_feed(&lexer, &recorder, NULL, 0), 0);
  assert_int_equal(lexer_feed(&lexer, &recorder, (const unsigned char *)"[1", 2), 0);
  assert_int_equal(lexer_feed(&lexer, &recorder, NULL, 0), 0);
  assert_int_equal(lexer_feed(&lexer, &recorder, (const unsigned char *)"]", 1), 0);
  assert_int_equal(lexer_finish(&lexer, &recorder), 0);
  assert_string_equal(recorder.log, "[\nnumber 1 = 1\n]\n");
  recorder_free(&recorder);
}

static void lexer_reports_origin_positions(void **state) {
  cfgate_session recorder;
  cfgate_lexer lexer;

  (void)state;
  recorder_init(&recorder);
  lexer_init(&lexer);
  lexer_set_origin(&lexer, 100, 7);
  assert_int_equal(lexer_feed(&lexer, &recorder, (const unsigned char *)"[1,]", 4), 0);
  assert_int_equal(lexer_finish(&lexer, &recorder), 1);
  assert_string_equal(recorder.log, "[\nnumber 1 = 1\nerror 7:3 @102 unexpected ',' before ']'\n");
  recorder_free(&recorder);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(lexer_accepts_rfc8259_texts),
    cmocka_unit_test(lexer_rejects_invalid_texts),
    cmocka_unit_test(lexer_decodes_every_escape),
    cmocka_unit_test(lexer_decodes_nul_escape),
    cmocka_unit_test(lexer_validates_utf8),
    cmocka_unit_test(lexer_limits_depth),
    cmocka_unit_test(lexer_limits_numbers),
    cmocka_unit_test(lexer_stops_when_event_decides),
    cmocka_unit_test(lexer_ignores_empty_chunks),
    cmocka_unit_test(lexer_reports_origin_positions),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
