/*
 * Positions of limit errors: "nesting too deep" is at the value that is one
 * level too deep and "property name too long" at the name, not at the
 * enclosing array or object.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "cfgate_ir.h"
#include "vm_harness.h"

typedef struct position_case {
  const char *schema;
  const char *document;
  unsigned line, column;
} position_case;

/* Validates each case with max_depth = 3 and max_string = 8, in one chunk
 * and in chunks of one byte, and checks the position of the limit error. */
static void check_positions(const position_case *cases, size_t count, const char *message) {
  cfgate_options options;
  cfgate_options_default(&options);
  options.limits.max_depth = 3;
  options.limits.max_string = 8;

  for (size_t i = 0; i < count; i++) {
    cfgate_validator *v = harness_build(cases[i].schema);
    for (size_t chunk = 0; chunk < 2; chunk++) {
      harness_result r;
      harness_run(v, &options, NULL, cases[i].document, strlen(cases[i].document), chunk, &r);
      assert_int_equal(r.verdict, CFGATE_FAILED);
      assert_int_equal(r.error_count, 1);
      assert_string_equal(r.errors[0].message, message);
      assert_int_equal(r.errors[0].line, cases[i].line);
      assert_int_equal(r.errors[0].column, cases[i].column);
    }
    ir_free(v);
  }
}

static void nesting_at_deep_value(void **state) {
  (void)state;
  static const position_case cases[] = {
      {"true", "[[[1]]]", 1, 4},
      {"true", "[[\n   [1]]]", 2, 5},
      {"true", "[[[\n   \"abc\"]]]", 2, 4},
      {"true", "[[[\n   true]]]", 2, 4},
      {"true", "{\"a\":{\"b\":\n  {\"c\":1}}}", 2, 8},
      {"{\"type\":\"array\"}", "[[\n {\"x\":[]}]]", 2, 7},
  };
  check_positions(cases, sizeof cases / sizeof cases[0], "nesting too deep (limit is 3)");
}

/* The property name of an object at the depth limit is checked by
 * propertyNames one level down, so the limit is reached at the name. */
static void nesting_at_checked_name(void **state) {
  (void)state;
  static const position_case cases[] = {
      {"{\"items\":{\"items\":{\"propertyNames\":{\"maxLength\":3}}}}", "[[\n  {\"ab\":1}]]", 2, 4},
  };
  check_positions(cases, sizeof cases / sizeof cases[0], "nesting too deep (limit is 3)");
}

static void long_name_at_name(void **state) {
  (void)state;
  static const position_case cases[] = {
      {"true", "{\"a\":1,\n  \"abcdefghij\":1}", 2, 3},
      {"true", "[1,\n {\"ok\":\n  {\"abcdefghijk\":2}}]", 3, 4},
      {"true", "{\"abcdefghi\":1}", 1, 2},
  };
  check_positions(cases, sizeof cases / sizeof cases[0],
                  "property name too long (limit is 8 bytes)");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(nesting_at_deep_value),
      cmocka_unit_test(nesting_at_checked_name),
      cmocka_unit_test(long_name_at_name),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
