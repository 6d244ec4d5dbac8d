/*
 * uniqueItems tables: a session reserves one per array that a frame checks
 * for uniqueItems, for as many such arrays as can be open at once. Frames of
 * sibling branches (allOf, anyOf, oneOf, not, if/then/else, dependencies, and
 * the property and item schemas of each) apply to the same values, so an
 * array and an array nested in it can both need a table although no single
 * schema path contains both uniqueItems keywords.
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

/* The cases write JSON with single quotes, which quoted() turns into double
 * quotes. */
#define CASE_TEXT_SIZE 512

static const char *quoted(const char *text, char *buffer) {
  size_t len = strlen(text);
  assert_true(len < CASE_TEXT_SIZE);
  for (size_t i = 0; i <= len; i++)
    buffer[i] = text[i] == '\'' ? '"' : text[i];
  return buffer;
}

static cfgate_validator *build(const char *schema) {
  char buffer[CASE_TEXT_SIZE];
  return harness_build(quoted(schema, buffer));
}

/* When more arrays need a table than the validator's bound, the session
 * fails closed and names the count that ran out. */
static void too_many_tables_named(void **state) {
  (void)state;
  cfgate_validator *v = build("{'allOf':[{'uniqueItems':true},{'items':{'uniqueItems':true}}]}");
  v->unique_nodes = 1;
  cfgate_options options;
  cfgate_options_default(&options);
  harness_result r;
  harness_run(v, &options, NULL, "[[]]", 4, 0, &r);

  assert_int_equal(r.verdict, CFGATE_FAILED);
  assert_int_equal(r.error_count, 1);
  assert_string_equal(r.errors[0].keyword, "limit");
  assert_string_equal(r.errors[0].message, "too many uniqueItems arrays open at once (limit is 1)");
  assert_string_equal(r.errors[0].instance_path, "/0");

  /* Arrays one after the other reuse the table. */
  harness_run(v, &options, NULL, "[1,2]", 5, 0, &r);
  assert_int_equal(r.verdict, CFGATE_VALID);
  v->unique_nodes = 2;
  harness_run(v, &options, NULL, "[[],[1],[2,3]]", 14, 0, &r);
  assert_int_equal(r.verdict, CFGATE_VALID);
  ir_free(v);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(too_many_tables_named),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
