/* Which plain scalars YAML 1.1 reads as a boolean or a number where YAML
 * 1.2 reads a string. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "template_yaml11.h"

static const char *kind_of(const char *text) { return template_yaml11_kind(text, strlen(text)); }

static void booleans(void **state) {
  (void)state;
  static const struct {
    const char *text;
    int value;
  } words[] = {{"yes", 1}, {"Yes", 1}, {"YES", 1}, {"no", 0},   {"No", 0},    {"NO", 0},
               {"on", 1},  {"On", 1},  {"ON", 1},  {"off", 0},  {"Off", 0},   {"OFF", 0},
               {"y", 1},   {"Y", 1},   {"n", 0},   {"N", 0},    {"yEs", 1},   {"oN", 1},
               {"tRue", 1}, {"fALSE", 0}};
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
    int value = -1;
    assert_string_equal(kind_of(words[i].text), "boolean");
    assert_true(template_yaml11_boolean(words[i].text, strlen(words[i].text), &value));
    assert_int_equal(value, words[i].value);
  }
}

static void numbers(void **state) {
  (void)state;
  static const char *const forms[] = {"0777", "08",     "012345678910", "0x1F",  "0b1010",
                                      "1_000", "+5",    "1:30",         "190:20:30.15", ".5",
                                      "1.",    "1_000.5", ".inf",       "-.Inf", ".NaN"};
  for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
    const char *kind = kind_of(forms[i]);
    assert_non_null(kind);
    assert_string_equal(kind, "number");
  }
}

static void same_in_both(void **state) {
  (void)state;
  static const char *const texts[] = {"ye",     "of",        "yess",   "onn",   "2012-10-17",
                                      "1.2.3",  "0o17",      "v1",     "1e",    "_",
                                      "0x",     "0b",        "1:",     "1:61",  "abc",
                                      "10.0.0.0/16", "t3.micro", "-",   ".",     ""};
  for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
    assert_null(kind_of(texts[i]));
}

/* A JSON number that a YAML 1.1 reader writes back in another form. */
static void rewritten_numbers(void **state) {
  (void)state;
  static const char *const rewritten[] = {"10.10", "1.50", "1e3", "2E-1", "0.250",
                                          "0.1234567890123456", "12345678.123456789", "-0",
                                          "-0.0", "0.00001", "0.0001", "12345678.5",
                                          "10000000.0"};
  static const char *const kept[] = {"10", "1.0", "1.5", "-0.25", "100.0", "0", "0.0",
                                     "0.001", "9999999.5", "12345678901234567890", "-5"};
  for (size_t i = 0; i < sizeof rewritten / sizeof rewritten[0]; i++)
    assert_true(template_yaml11_number_rewritten(rewritten[i], strlen(rewritten[i])));
  for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
    assert_false(template_yaml11_number_rewritten(kept[i], strlen(kept[i])));
}

/* The booleans every YAML 1.1 reader agrees on, and those some keep as
 * strings. */
static void agreed_booleans(void **state) {
  (void)state;
  static const char *const agreed[] = {"yes", "Yes", "YES", "no", "NO", "on", "Off", "OFF"};
  static const char *const disputed[] = {"y", "Y", "n", "N", "yEs", "oN", "tRue", "fALSE"};
  for (size_t i = 0; i < sizeof agreed / sizeof agreed[0]; i++)
    assert_true(template_yaml11_boolean_agreed(agreed[i], strlen(agreed[i])));
  for (size_t i = 0; i < sizeof disputed / sizeof disputed[0]; i++)
    assert_false(template_yaml11_boolean_agreed(disputed[i], strlen(disputed[i])));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(booleans),
      cmocka_unit_test(numbers),
      cmocka_unit_test(same_in_both),
      cmocka_unit_test(rewritten_numbers),
      cmocka_unit_test(agreed_booleans),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
