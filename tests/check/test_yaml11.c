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
  static const char *const words[] = {"yes", "Yes", "YES", "no", "No", "NO",
                                      "on",  "On",  "ON",  "off", "Off", "OFF"};
  for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
    assert_string_equal(kind_of(words[i]), "boolean");
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
  static const char *const texts[] = {"y",      "n",         "True",   "yess",  "2012-10-17",
                                      "1.2.3",  "0o17",      "v1",     "1e",    "_",
                                      "0x",     "0b",        "1:",     "1:61",  "abc",
                                      "10.0.0.0/16", "t3.micro", "-",   ".",     ""};
  for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
    assert_null(kind_of(texts[i]));
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(booleans),
      cmocka_unit_test(numbers),
      cmocka_unit_test(same_in_both),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
