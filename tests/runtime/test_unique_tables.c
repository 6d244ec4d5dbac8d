/*
 * uniqueItems tables: a session reserves one per array that a frame checks
 * for uniqueItems, for as many such arrays as can be open at once. Frames of
 * sibling branches apply to the same values: allOf, anyOf, oneOf, not,
 * if/then/else, dependencies, and the property and item schemas of each.
 * So an array and an array nested in it can both need a table, although no
 * single schema path contains both uniqueItems keywords.
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

typedef struct table_case {
  const char *schema;
  uint32_t tables;      /* the builder's bound: uniqueItems tables open at once */
  const char *instance;
  cfgate_verdict expected;
} table_case;

static const table_case table_cases[] = {
    /* An array and the arrays in it, from two allOf branches. */
    {"{'allOf':[{'uniqueItems':true},{'items':{'uniqueItems':true}}]}", 2, "[[]]", CFGATE_VALID},
    {"{'allOf':[{'uniqueItems':true},{'items':{'uniqueItems':true}}]}", 2, "[[1],[2]]",
     CFGATE_VALID},
    {"{'allOf':[{'uniqueItems':true},{'items':{'uniqueItems':true}}]}", 2, "[[1,1],[2]]",
     CFGATE_INVALID},
    {"{'allOf':[{'uniqueItems':true},{'items':{'uniqueItems':true}}]}", 2, "[[1],[2],[1]]",
     CFGATE_INVALID},
    /* Three sibling branches, one per nesting level. */
    {"{'allOf':[{'uniqueItems':true},{'items':{'uniqueItems':true}},"
     "{'items':{'items':{'uniqueItems':true}}}]}",
     3, "[[[]],[[1]]]", CFGATE_VALID},
    {"{'allOf':[{'uniqueItems':true},{'items':{'uniqueItems':true}},"
     "{'items':{'items':{'uniqueItems':true}}}]}",
     3, "[[[1,1]]]", CFGATE_INVALID},
    {"{'anyOf':[{'uniqueItems':true}],'oneOf':[{'items':{'uniqueItems':true}}],"
     "'allOf':[{'items':{'items':{'uniqueItems':true}}}]}",
     3, "[[[1],[2]],[[3]]]", CFGATE_VALID},
    /* A property from properties and from an allOf branch. */
    {"{'properties':{'a':{'uniqueItems':true}},"
     "'allOf':[{'properties':{'a':{'items':{'uniqueItems':true}}}}]}",
     2, "{'a':[[1],[2]]}", CFGATE_VALID},
    {"{'properties':{'a':{'uniqueItems':true}},"
     "'allOf':[{'properties':{'a':{'items':{'uniqueItems':true}}}}]}",
     2, "{'a':[[1,1]]}", CFGATE_INVALID},
    /* additionalProperties in two branches, nesting through a property. */
    {"{'allOf':[{'additionalProperties':{'uniqueItems':true}},"
     "{'additionalProperties':{'items':{'properties':{'k':{'uniqueItems':true}}}}}]}",
     2, "{'x':[{'k':[1]},{'k':[2]}]}", CFGATE_VALID},
    /* A listed name in one branch meets additionalProperties in the other. */
    {"{'properties':{'a':{'uniqueItems':true}},"
     "'allOf':[{'additionalProperties':{'items':{'uniqueItems':true}}}]}",
     2, "{'a':[[1],[2]]}", CFGATE_VALID},
    /* patternProperties beside properties. */
    {"{'patternProperties':{'^a':{'uniqueItems':true}},"
     "'properties':{'ab':{'items':{'uniqueItems':true}}}}",
     2, "{'ab':[[1],[2]]}", CFGATE_VALID},
    /* if/then/else, not and a schema dependency apply to the same value. */
    {"{'if':{'uniqueItems':true},'then':{'items':{'uniqueItems':true}},"
     "'else':{'items':{'items':{'uniqueItems':true}}}}",
     3, "[[[1]],[[2]]]", CFGATE_VALID},
    {"{'allOf':[{'uniqueItems':true}],'not':{'items':{'uniqueItems':true,'minItems':5}}}", 2,
     "[[1],[2]]", CFGATE_VALID},
    {"{'properties':{'a':{'uniqueItems':true}},"
     "'dependencies':{'a':{'properties':{'a':{'items':{'uniqueItems':true}}}}}}",
     2, "{'a':[[1],[2]]}", CFGATE_VALID},
    /* A tuple schema and contains apply to the same item. */
    {"{'items':[{'uniqueItems':true}],'contains':{'items':{'uniqueItems':true}}}", 2,
     "[[[1],[2]]]", CFGATE_VALID},
    /* Arrays that are never open together need no more tables. */
    {"{'allOf':[{'uniqueItems':true},{'uniqueItems':true}]}", 1, "[1,2]", CFGATE_VALID},
    {"{'properties':{'a':{'uniqueItems':true},'b':{'uniqueItems':true}},"
     "'allOf':[{'properties':{'c':{'uniqueItems':true}}}]}",
     1, "{'a':[1],'b':[1],'c':[1]}", CFGATE_VALID},
    {"{'uniqueItems':true,'items':{'uniqueItems':true}}", 2, "[[1],[2]]", CFGATE_VALID},
    {"{'items':{'type':'string'}}", 0, "[[1]]", CFGATE_INVALID},
};

static void tables_for_sibling_branches(void **state) {
  (void)state;
  int failed = 0;
  for (size_t i = 0; i < sizeof table_cases / sizeof *table_cases; i++) {
    const table_case *c = &table_cases[i];
    cfgate_validator *v = build(c->schema);
    char buffer[CASE_TEXT_SIZE];
    cfgate_verdict verdict = harness_verdict(v, quoted(c->instance, buffer));
    if (v->unique_nodes != c->tables || verdict != c->expected) {
      print_error("case %zu: %s on %s: %u tables, verdict %d (expected %u tables, verdict %d)\n", i,
                  c->schema, c->instance, (unsigned)v->unique_nodes, (int)verdict,
                  (unsigned)c->tables, (int)c->expected);
      failed = 1;
    }
    ir_free(v);
  }
  assert_false(failed);
}

/* A recursive schema leaves the count unbounded: one table per level. */
static void recursion_reserves_a_table_per_level(void **state) {
  (void)state;
  cfgate_validator *v =
      build("{'definitions':{'n':{'uniqueItems':true,'items':{'$ref':'#/definitions/n'}}},"
            "'$ref':'#/definitions/n'}");
  assert_int_equal(v->unique_nodes, CFGATE_IR_NONE);
  assert_int_equal(harness_verdict(v, "[[[[]]],[[]],[]]"), CFGATE_VALID);
  assert_int_equal(harness_verdict(v, "[[[[]]],[[[]]]]"), CFGATE_INVALID);
  ir_free(v);
}

/* Returns a schema whose level k gives both of its properties the same two
 * nodes of level k - 1, so the two-node sets of the walk double per level. */
static char *doubling_schema(int levels) {
  size_t size = 256 + (size_t)levels * 512;
  char *text = malloc(size);
  assert_non_null(text);
  size_t len = (size_t)snprintf(text, size, "{\"definitions\":{\"d0\":{\"uniqueItems\":true}");
  for (int k = 1; k <= levels; k++)
    len += (size_t)snprintf(
        text + len, size - len,
        ",\"x%d\":{\"allOf\":[{\"$ref\":\"#/definitions/d%d\"}]},"
        "\"y%d\":{\"allOf\":[{\"$ref\":\"#/definitions/d%d\"}],\"minProperties\":0},"
        "\"d%d\":{\"allOf\":[{\"properties\":{\"a\":{\"$ref\":\"#/definitions/x%d\"},"
        "\"b\":{\"$ref\":\"#/definitions/x%d\"}}},{\"properties\":{\"a\":{\"$ref\":"
        "\"#/definitions/y%d\"},\"b\":{\"$ref\":\"#/definitions/y%d\"}}}]}",
        k, k - 1, k, k - 1, k, k, k, k, k);
  snprintf(text + len, size - len, "},\"$ref\":\"#/definitions/d%d\"}", levels);
  return text;
}

/* A walk past its work budget leaves the count unbounded, so the session
 * reserves one table per level and still validates. */
static void walk_budget_falls_back(void **state) {
  (void)state;
  char *text = doubling_schema(4);
  cfgate_validator *v = harness_build(text);
  assert_int_equal(v->unique_nodes, 1);
  ir_free(v);
  free(text);

  text = doubling_schema(24);
  v = harness_build(text);
  assert_int_equal(v->unique_nodes, CFGATE_IR_NONE);
  assert_int_equal(harness_verdict(v, "{\"a\":{\"b\":[1,2]}}"), CFGATE_VALID);
  ir_free(v);
  free(text);
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

/* max_depth caps the tables, since each open array sits at its own depth. */
static void tables_capped_by_depth(void **state) {
  (void)state;
  cfgate_validator *v = build("{'allOf':[{'uniqueItems':true},{'items':{'uniqueItems':true}},"
                              "{'items':{'items':{'uniqueItems':true}}}]}");
  cfgate_options options;
  cfgate_options_default(&options);
  options.limits.max_depth = 2;
  harness_result r;
  harness_run(v, &options, NULL, "[[]]", 4, 0, &r);
  assert_int_equal(r.verdict, CFGATE_VALID);
  harness_run(v, &options, NULL, "[[[]]]", 6, 0, &r);
  assert_int_equal(r.verdict, CFGATE_FAILED);
  assert_string_equal(r.errors[r.error_count - 1].message, "nesting too deep (limit is 2)");
  ir_free(v);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(tables_for_sibling_branches),
      cmocka_unit_test(recursion_reserves_a_table_per_level),
      cmocka_unit_test(walk_budget_falls_back),
      cmocka_unit_test(too_many_tables_named),
      cmocka_unit_test(tables_capped_by_depth),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
