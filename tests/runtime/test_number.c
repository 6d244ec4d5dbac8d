/*
 * Exact decimal numbers: parsing edge cases and limits, comparison across
 * magnitudes, integer test, exact multipleOf, int64 conversion and text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "number.h"

static cfgate_number parse(const char *text) {
  cfgate_number n;

  if (number_parse(text, strlen(text), &n) != NUMBER_OK)
    fail_msg("number_parse rejected %s", text);
  return n;
}

static void assert_formats_as(const char *text, const char *expected) {
  cfgate_number n = parse(text);
  char out[CFGATE_NUMBER_FORMAT_SIZE];

  number_format(&n, out, sizeof out);
  assert_string_equal(out, expected);
}

static void number_parse_accepts_json_numbers(void **state) {
  (void)state;
  assert_formats_as("0", "0");
  assert_formats_as("-0", "0");
  assert_formats_as("-0.0e-5", "0");
  assert_formats_as("10", "10");
  assert_formats_as("1.5", "1.5");
  assert_formats_as("1.50", "1.5");
  assert_formats_as("-20", "-20");
  assert_formats_as("0.000123", "0.000123");
  assert_formats_as("0.0000001", "1e-7");
  assert_formats_as("1E+2", "100");
  assert_formats_as("1e400", "1e+400");
  assert_formats_as("-1.25e-400", "-1.25e-400");
  assert_formats_as("9223372036854775807", "9223372036854775807");
  assert_formats_as("18446744073709551615", "18446744073709551615");
  assert_formats_as("12345678910111213141516171819202122232425262728293031",
                    "12345678910111213141516171819202122232425262728293031");
  assert_formats_as("972783798187987123879878123.188781371", "972783798187987123879878123.188781371");
  assert_formats_as("0.1e1", "1");
  assert_formats_as("100e-2", "1");
}

static void number_parse_rejects_non_json(void **state) {
  static const char *const invalid[] = {
    "", "-", "+1", "01", "-01", "00", "1.", ".5", "1e", "1e+", "1.e5", "0x10", "1 ", " 1",
    "NaN", "Infinity", "-Infinity", "1,5", "1.5.2", "--1", "1e5.5", "١",
  };
  cfgate_number n;

  (void)state;
  for (size_t i = 0; i < sizeof invalid / sizeof invalid[0]; i++) {
    if (number_parse(invalid[i], strlen(invalid[i]), &n) != NUMBER_INVALID)
      fail_msg("number_parse accepted '%s'", invalid[i]);
    assert_int_equal(n.count, 0);
  }
}

static void number_parse_enforces_limits(void **state) {
  char text[CFGATE_MAX_NUMBER_LENGTH + 2];
  cfgate_number n;

  (void)state;
  memset(text, '7', CFGATE_MAX_NUMBER_DIGITS + 1);
  assert_int_equal(number_parse(text, CFGATE_MAX_NUMBER_DIGITS, &n), NUMBER_OK);
  assert_int_equal(number_parse(text, CFGATE_MAX_NUMBER_DIGITS + 1, &n), NUMBER_TOO_MANY_DIGITS);
  assert_string_equal(number_status_message(NUMBER_TOO_MANY_DIGITS),
                      "too many significant digits in number (limit is 64)");

  /* Trailing zeros are not significant, so a 1 followed by 200 zeros fits. */
  memset(text, '0', sizeof text);
  text[0] = '1';
  assert_int_equal(number_parse(text, 201, &n), NUMBER_OK);
  assert_int_equal(n.count, 1);
  assert_int_equal(n.exponent, 200);
  assert_int_equal(number_parse(text, CFGATE_MAX_NUMBER_LENGTH + 1, &n), NUMBER_TOO_LONG);
  assert_string_equal(number_status_message(NUMBER_TOO_LONG), "number too long (limit is 256 characters)");

  assert_int_equal(number_parse("1e999999999", 11, &n), NUMBER_OK);
  assert_int_equal(number_parse("1e1000000000", 12, &n), NUMBER_EXPONENT_RANGE);
  assert_int_equal(number_parse("1e-1000000000", 13, &n), NUMBER_EXPONENT_RANGE);
  assert_int_equal(number_parse("1e-99999999999999999999", 23, &n), NUMBER_EXPONENT_RANGE);

  /* The limit is on the exponent as written: a zero coefficient does not
   * lift it, and fraction digits or trailing zeros do not count. */
  assert_int_equal(number_parse("0e1000000000", 12, &n), NUMBER_EXPONENT_RANGE);
  assert_int_equal(number_parse("-0.0E+1000000000", 16, &n), NUMBER_EXPONENT_RANGE);
  assert_int_equal(number_parse("0e99999999999999999999", 22, &n), NUMBER_EXPONENT_RANGE);
  assert_int_equal(number_parse("0e999999999", 11, &n), NUMBER_OK);
  assert_int_equal(n.count, 0);
  assert_int_equal(number_parse("1e0000000000999999999", 21, &n), NUMBER_OK);
  assert_int_equal(n.exponent, 999999999);
  assert_int_equal(number_parse("10e999999999", 12, &n), NUMBER_OK);
  assert_int_equal(n.count, 1);
  assert_int_equal(n.exponent, 1000000000);
  assert_int_equal(number_parse("-0.01e-999999999", 16, &n), NUMBER_OK);
  assert_int_equal(n.negative, 1);
  assert_int_equal(n.exponent, -1000000001);
  assert_string_equal(number_status_message(NUMBER_EXPONENT_RANGE),
                      "number exponent out of range (limit is 999999999)");
}

static int compare(const char *a, const char *b) {
  cfgate_number x = parse(a), y = parse(b);

  return number_compare(&x, &y);
}

static void number_compare_is_exact(void **state) {
  (void)state;
  assert_int_equal(compare("1e400", "1e308"), 1);
  assert_int_equal(compare("1e308", "1e400"), -1);
  assert_int_equal(compare("-1e400", "-1e308"), -1);
  assert_int_equal(compare("1e-400", "0"), 1);
  assert_int_equal(compare("-1e-400", "0"), -1);
  assert_int_equal(compare("0", "-0"), 0);
  assert_int_equal(compare("1.0", "1"), 0);
  assert_int_equal(compare("100", "1e2"), 0);
  assert_int_equal(compare("9223372036854775807", "9223372036854775806"), 1);
  assert_int_equal(compare("9223372036854775808", "9223372036854775807"), 1);
  assert_int_equal(compare("18446744073709551615", "18446744073709551600"), 1);
  assert_int_equal(compare("972783798187987123879878123.18878137", "972783798187987123879878123.188781371"), -1);
  assert_int_equal(compare("0.1", "0.10000000000000000001"), -1);
  assert_int_equal(compare("12", "9"), 1);
  assert_int_equal(compare("-12", "9"), -1);
  assert_int_equal(compare("1.5", "1.25"), 1);
  assert_int_equal(compare("0.3", "0.30"), 0);
}

static void number_is_integer_cases(void **state) {
  static const struct { const char *text; int integer; } cases[] = {
    {"0", 1}, {"-0.0", 1}, {"1.0", 1}, {"1e400", 1}, {"1.5e1", 1}, {"12.000", 1},
    {"1.5", 0}, {"1e-1", 0}, {"1.25e1", 0}, {"9223372036854775807.5", 0},
  };

  (void)state;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    cfgate_number n = parse(cases[i].text);

    if (number_is_integer(&n) != cases[i].integer)
      fail_msg("number_is_integer(%s) is not %d", cases[i].text, cases[i].integer);
  }
}

static void number_multiple_of_is_exact(void **state) {
  static const struct { const char *value, *divisor; int multiple; } cases[] = {
    {"0.3", "0.1", 1}, {"19.99", "0.01", 1}, {"19.999", "0.01", 0}, {"0.0075", "0.0001", 1},
    {"0.00751", "0.0001", 0}, {"4.5", "1.5", 1}, {"35", "1.5", 0}, {"1", "0.25", 1},
    {"0.5", "2", 0}, {"20", "4", 1}, {"4", "20", 0}, {"10", "0.01", 1}, {"3e-8", "1e-8", 1},
    {"1e-9", "1e-8", 0}, {"1e400", "0.0001", 1}, {"1e400", "3", 0}, {"6e400", "3", 1},
    {"1e308", "7", 0}, {"0", "7", 1}, {"-9", "3", 1}, {"9", "-3", 1},
    {"9223372036854775807", "7", 1}, {"9223372036854775807", "2", 0},
    {"12345678910111213141516171819202122232425262728293031", "3", 0},
    {"12345678910111213141516171819202122232425262728293030", "3", 1},
    {"98249283749234923498293171823948729348710298301928331", "98249283749234923498293171823948729348710298301928331", 1},
    {"0.000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000002",
     "1e-216", 1}, {"1e-217", "2e-216", 0}, {"2e-216", "1e-217", 1},
    {"1", "0", 0},
  };

  (void)state;
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    cfgate_number value = parse(cases[i].value), divisor = parse(cases[i].divisor);

    if (number_is_multiple_of(&value, &divisor) != cases[i].multiple)
      fail_msg("number_is_multiple_of(%s, %s) is not %d", cases[i].value, cases[i].divisor,
               cases[i].multiple);
  }
}

static void number_int64_round_trip(void **state) {
  static const int64_t values[] = {0, 1, -1, 10, 120, -4500, INT64_MAX, INT64_MIN, 1000000000000};
  cfgate_number n;
  int64_t back;

  (void)state;
  for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
    number_from_int64(values[i], &n);
    assert_int_equal(number_to_int64(&n, &back), 1);
    assert_true(back == values[i]);
  }

  n = parse("9223372036854775808");
  assert_int_equal(number_to_int64(&n, &back), 0);
  n = parse("-9223372036854775809");
  assert_int_equal(number_to_int64(&n, &back), 0);
  n = parse("1.5");
  assert_int_equal(number_to_int64(&n, &back), 0);
  n = parse("1e19");
  assert_int_equal(number_to_int64(&n, &back), 0);
  n = parse("1e18");
  assert_int_equal(number_to_int64(&n, &back), 1);
  assert_true(back == 1000000000000000000);
}

static void number_format_truncates(void **state) {
  cfgate_number n = parse("-123.456");
  char small[5];

  (void)state;
  assert_int_equal(number_format(&n, small, sizeof small), 8);
  assert_string_equal(small, "-123");
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(number_parse_accepts_json_numbers),
    cmocka_unit_test(number_parse_rejects_non_json),
    cmocka_unit_test(number_parse_enforces_limits),
    cmocka_unit_test(number_compare_is_exact),
    cmocka_unit_test(number_is_integer_cases),
    cmocka_unit_test(number_multiple_of_is_exact),
    cmocka_unit_test(number_int64_round_trip),
    cmocka_unit_test(number_format_truncates),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
