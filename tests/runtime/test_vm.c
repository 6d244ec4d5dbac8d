/*
 * Interpreter tests: keyword verdicts, error fields, first-error and
 * all-errors modes, limits, coercion, placeholders, unknown values and
 * malformed input, over the JSON lexer and the value event API.
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

typedef struct verdict_case {
  const char *schema;
  const char *instance;
  cfgate_verdict expected;
} verdict_case;

static const verdict_case verdict_cases[] = {
    {"{\"type\":[\"integer\",\"null\"]}", "1.0", CFGATE_VALID},
    {"{\"type\":[\"integer\",\"null\"]}", "1.5", CFGATE_INVALID},
    {"{\"maximum\":9223372036854775807}", "9223372036854775808", CFGATE_INVALID},
    {"{\"maximum\":9223372036854775807}", "9223372036854775807", CFGATE_VALID},
    {"{\"multipleOf\":0.01}", "19.99", CFGATE_VALID},
    {"{\"multipleOf\":0.01}", "19.999", CFGATE_INVALID},
    {"{\"exclusiveMinimum\":0,\"minimum\":-5}", "0", CFGATE_INVALID},
    {"{\"minLength\":2,\"maxLength\":2}", "\"\\u00e9\\ud83d\\ude00\"", CFGATE_VALID},
    {"{\"enum\":[\"ab\",\"abc\",\"b\"]}", "\"ab\"", CFGATE_VALID},
    {"{\"enum\":[\"ab\",\"abc\",\"b\"]}", "\"a\"", CFGATE_INVALID},
    {"{\"enum\":[\"ab\",\"abc\",\"b\"]}", "\"abcd\"", CFGATE_INVALID},
    {"{\"enum\":[1,true,null]}", "1.0", CFGATE_VALID},
    {"{\"enum\":[1,true,null]}", "false", CFGATE_INVALID},
    {"{\"const\":{\"a\":[1,{\"b\":null}]}}", "{\"a\":[1.0,{\"b\":null}]}", CFGATE_VALID},
    {"{\"const\":{\"a\":[1,{\"b\":null}]}}", "{\"a\":[1,{\"b\":null,\"c\":1}]}", CFGATE_INVALID},
    {"{\"const\":{\"a\":[1,{\"b\":null}]}}", "{\"a\":[1,{\"b\":null},2]}", CFGATE_INVALID},
    {"{\"uniqueItems\":true}", "[{\"a\":1,\"b\":2},{\"b\":2,\"a\":1}]", CFGATE_INVALID},
    {"{\"uniqueItems\":true}", "[1,1.0]", CFGATE_INVALID},
    {"{\"uniqueItems\":true}", "[[1],[\"1\"],{\"1\":1},\"1\",1,true]", CFGATE_VALID},
    {"{\"oneOf\":[{\"type\":\"integer\"},{\"minimum\":2}]}", "3", CFGATE_INVALID},
    {"{\"oneOf\":[{\"type\":\"integer\"},{\"minimum\":2}]}", "1", CFGATE_VALID},
    {"{\"if\":{\"minimum\":10},\"then\":{\"multipleOf\":2},\"else\":{\"maximum\":3}}", "12",
     CFGATE_VALID},
    {"{\"if\":{\"minimum\":10},\"then\":{\"multipleOf\":2},\"else\":{\"maximum\":3}}", "5",
     CFGATE_INVALID},
    {"{\"properties\":{\"a\":{\"$ref\":\"#\"}},\"additionalProperties\":false}",
     "{\"a\":{\"a\":{\"b\":1}}}", CFGATE_INVALID},
    {"{\"definitions\":{\"n\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/definitions/n\"}}},"
     "\"$ref\":\"#/definitions/n\"}",
     "[[],[[[]]]]", CFGATE_VALID},
    {"{\"dependencies\":{\"a\":[\"b\"],\"c\":{\"required\":[\"d\"]}}}", "{\"a\":1,\"c\":2,\"d\":3}",
     CFGATE_INVALID},
    {"{\"dependencies\":{\"a\":[\"b\"],\"c\":{\"required\":[\"d\"]}}}", "{\"a\":1,\"b\":2,\"c\":3,\"d\":4}",
     CFGATE_VALID},
    {"{\"propertyNames\":{\"pattern\":\"^[a-z]+$\"}}", "{\"abc\":1,\"aB\":2}", CFGATE_INVALID},
    /* The first branch fails on the name before its "properties" could apply. */
    {"{\"anyOf\":[{\"propertyNames\":{\"maxLength\":1},\"properties\":{\"ab\":{\"type\":\"string\"}}},"
     "{\"properties\":{\"ab\":{\"type\":\"number\"}}}]}",
     "{\"ab\":1}", CFGATE_VALID},
    {"{\"anyOf\":[{\"propertyNames\":{\"maxLength\":1},\"properties\":{\"ab\":{\"type\":\"string\"}}},"
     "{\"properties\":{\"ab\":{\"type\":\"number\"}}}]}",
     "{\"ab\":\"x\"}", CFGATE_INVALID},
    {"{\"patternProperties\":{\"^x-\":{\"type\":\"string\"}},\"additionalProperties\":false}",
     "{\"x-a\":\"1\"}", CFGATE_VALID},
    {"{\"patternProperties\":{\"^x-\":{\"type\":\"string\"}},\"additionalProperties\":false}",
     "{\"y-a\":\"1\"}", CFGATE_INVALID},
    {"{\"items\":[{\"type\":\"string\"}],\"additionalItems\":false}", "[\"a\",1]", CFGATE_INVALID},
    {"{\"contains\":{\"const\":3},\"maxItems\":3}", "[1,2,3]", CFGATE_VALID},
    {"{\"contains\":{\"const\":3},\"maxItems\":3}", "[1,2]", CFGATE_INVALID},
    {"{\"not\":{\"type\":\"object\"}}", "{}", CFGATE_INVALID},
    {"false", "null", CFGATE_INVALID},
    {"{\"enum\":[1,2,\"a\"],\"const\":2}", "2", CFGATE_VALID},
    {"{\"enum\":[1,2,\"a\"],\"const\":2}", "1", CFGATE_INVALID},
    {"true", "{\"any\":[1,2]}", CFGATE_VALID},
    {"{\"type\":\"object\"}", "{\"a\":1,}", CFGATE_MALFORMED},
    {"{\"type\":\"object\"}", "{} {}", CFGATE_MALFORMED},
};

static void keyword_verdicts(void **state) {
  (void)state;
  for (size_t i = 0; i < sizeof verdict_cases / sizeof *verdict_cases; i++) {
    const verdict_case *c = &verdict_cases[i];
    cfgate_validator *v = harness_build(c->schema);
    cfgate_verdict got = harness_verdict(v, c->instance);
    if (got != c->expected)
      fail_msg("case %zu: schema %s instance %s: expected verdict %d, got %d", i, c->schema,
               c->instance, c->expected, got);
    ir_free(v);
  }
}

/* Writes {"required":["r0",...],"properties":{"inner":{"required":[...]}}}
 * with count names at both levels, and an instance that has every name
 * except the one at skip in the inner object (skip == count: none). */
static void required_case(size_t count, size_t skip, char *schema, size_t schema_size,
                          char *instance, size_t instance_size) {
  char names[4096] = "", members[4096] = "", inner[4096] = "";
  size_t names_len = 0, members_len = 0, inner_len = 0;

  for (size_t i = 0; i < count; i++) {
    const char *comma = i ? "," : "";
    names_len += (size_t)snprintf(names + names_len, sizeof names - names_len, "%s\"r%zu\"",
                                  comma, i);
    members_len += (size_t)snprintf(members + members_len, sizeof members - members_len,
                                    "%s\"r%zu\":1", comma, i);
    if (i != skip)
      inner_len += (size_t)snprintf(inner + inner_len, sizeof inner - inner_len, "%s\"r%zu\":1",
                                    inner_len ? "," : "", i);
  }
  snprintf(schema, schema_size,
           "{\"required\":[%s],\"properties\":{\"inner\":{\"required\":[%s]}}}", names, names);
  snprintf(instance, instance_size, "{%s%s\"inner\":{%s}}", members, count ? "," : "", inner);
}

/* Required names are tracked with one presence bit each, a byte at a time:
 * counts around multiples of 8 and of 64, in an outer and an inner object. */
static void required_counts(void **state) {
  (void)state;
  static const size_t counts[] = {0, 1, 7, 8, 9, 15, 16, 17, 63, 64, 65, 128};
  static char schema[16384], instance[16384];

  for (size_t c = 0; c < sizeof counts / sizeof counts[0]; c++) {
    size_t count = counts[c];
    required_case(count, count, schema, sizeof schema, instance, sizeof instance);
    cfgate_validator *v = harness_build(schema);
    if (harness_verdict(v, instance) != CFGATE_VALID)
      fail_msg("%zu required names, all present: not valid", count);

    for (size_t skip = 0; skip < count; skip++) {
      required_case(count, skip, schema, sizeof schema, instance, sizeof instance);
      harness_result r;
      harness_run(v, NULL, NULL, instance, strlen(instance), 0, &r);
      char expected[64];
      snprintf(expected, sizeof expected, "missing required property \"r%zu\"", skip);
      if (r.verdict != CFGATE_INVALID || r.error_count != 1 ||
          strcmp(r.errors[0].message, expected) != 0 ||
          strcmp(r.errors[0].instance_path, "/inner") != 0)
        fail_msg("%zu required names, r%zu missing: verdict %d, %zu errors, first '%s' at '%s'",
                 count, skip, r.verdict, r.error_count, r.error_count ? r.errors[0].message : "",
                 r.error_count ? r.errors[0].instance_path : "");
    }
    ir_free(v);
  }
}

static const char *const s3_like_schema =
    "{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"Name\"],"
    "\"properties\":{\"Name\":{\"type\":\"string\",\"pattern\":\"^[a-z0-9.-]{3,63}$\","
    "\"x-cfgate-rule\":{\"file\":\"p.gate\",\"line\":3,\"column\":5,\"because\":\"bucket names are "
    "lowercase\"}},\"Tags\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/definitions/Tag\"}}},"
    "\"definitions\":{\"Tag\":{\"type\":\"object\",\"properties\":{\"Key\":{\"type\":\"string\"},"
    "\"Value\":{\"type\":\"string\",\"maxLength\":4}},\"required\":[\"Key\",\"Value\"],"
    "\"additionalProperties\":false}}}";

static void error_fields(void **state) {
  (void)state;
  cfgate_validator *v = harness_build(s3_like_schema);
  const char *doc = "{\"Name\":\"Bad_Name\",\"Tags\":[{\"Key\":\"k\",\"Value\":\"12345\"},{\"Key\":\"a/b~\"}]}";
  cfgate_options options;
  cfgate_options_default(&options);
  options.all_errors = 1;
  harness_result r;
  harness_run(v, &options, NULL, doc, strlen(doc), 0, &r);

  assert_int_equal(r.verdict, CFGATE_INVALID);
  assert_int_equal(r.error_count, 3);
  assert_string_equal(r.errors[0].instance_path, "/Name");
  assert_string_equal(r.errors[0].schema_path, "/properties/Name/pattern");
  assert_string_equal(r.errors[0].keyword, "pattern");
  assert_string_equal(r.errors[0].message,
                      "\"Bad_Name\" does not match the pattern \"^[a-z0-9.-]{3,63}$\"");
  assert_string_equal(r.errors[0].because, "bucket names are lowercase");
  assert_string_equal(r.errors[1].instance_path, "/Tags/0/Value");
  assert_string_equal(r.errors[1].schema_path, "/definitions/Tag/properties/Value/maxLength");
  assert_string_equal(r.errors[1].message, "\"12345\" has 5 characters, more than the maximum 4");
  assert_string_equal(r.errors[1].because, "");
  assert_string_equal(r.errors[2].instance_path, "/Tags/1");
  assert_string_equal(r.errors[2].schema_path, "/definitions/Tag/required");
  assert_string_equal(r.errors[2].message, "missing required property \"Value\"");
  ir_free(v);
}

static void error_positions(void **state) {
  (void)state;
  cfgate_validator *v = harness_build(s3_like_schema);
  const char *doc = "{\n  \"Name\": \"B\u00e9d\",\n  \"Tags\": [ {\"Key\": \"k\"}, 7 ],\n"
                    "  \"X\": true\n}";
  cfgate_options options;
  cfgate_options_default(&options);
  options.all_errors = 1;
  harness_result r;
  harness_run(v, &options, NULL, doc, strlen(doc), 3, &r);

  assert_int_equal(r.verdict, CFGATE_INVALID);
  assert_int_equal(r.error_count, 4);
  assert_string_equal(r.errors[0].keyword, "pattern");
  assert_int_equal(r.errors[0].line, 2);
  assert_int_equal(r.errors[0].column, 11);
  assert_string_equal(r.errors[1].keyword, "required");
  assert_int_equal(r.errors[1].line, 3);
  assert_int_equal(r.errors[1].column, 13);
  assert_string_equal(r.errors[2].keyword, "type");
  assert_int_equal(r.errors[2].line, 3);
  assert_int_equal(r.errors[2].column, 27);
  assert_string_equal(r.errors[3].keyword, "additionalProperties");
  assert_int_equal(r.errors[3].line, 4);
  assert_int_equal(r.errors[3].column, 8);
  ir_free(v);
}

static void first_error_mode(void **state) {
  (void)state;
  cfgate_validator *v = harness_build(s3_like_schema);
  const char *doc = "{\"Name\":\"Bad_Name\",\"Extra\":1,\"Tags\":7}";
  harness_result r;
  harness_run(v, NULL, NULL, doc, strlen(doc), 0, &r);

  assert_int_equal(r.verdict, CFGATE_INVALID);
  assert_int_equal(r.error_count, 1);
  assert_string_equal(r.errors[0].keyword, "pattern");
  ir_free(v);
}

static void additional_property_error(void **state) {
  (void)state;
  cfgate_validator *v = harness_build(s3_like_schema);
  const char *doc = "{\"Name\":\"ok-name\",\"Extra\":1}";
  harness_result r;
  harness_run(v, NULL, NULL, doc, strlen(doc), 0, &r);

  assert_int_equal(r.verdict, CFGATE_INVALID);
  assert_string_equal(r.errors[0].instance_path, "/Extra");
  assert_string_equal(r.errors[0].schema_path, "/additionalProperties");
  assert_string_equal(r.errors[0].keyword, "additionalProperties");
  assert_string_equal(r.errors[0].message, "property \"Extra\" is not allowed");
  ir_free(v);
}

/* A name that additionalProperties rejects where patternProperties names
 * the allowed forms: the message names the patterns the name fails. */
static void pattern_property_name_error(void **state) {
  (void)state;
  static const char *const cases[][3] = {
    {"{\"type\":\"object\",\"patternProperties\":{\"^[A-Z][A-Z0-9_]+$\":{}},"
     "\"additionalProperties\":false}",
     "{\"A\":1}",
     "property \"A\" is not allowed: its name does not match the pattern \"^[A-Z][A-Z0-9_]+$\""},
    {"{\"type\":\"object\",\"patternProperties\":{\"^x-\":{},\"^y-\":{}},"
     "\"additionalProperties\":false}",
     "{\"z-1\":1}",
     "property \"z-1\" is not allowed: its name does not match the patterns \"^x-\", \"^y-\""},
    {"{\"type\":\"object\",\"properties\":{\"Name\":{}},\"patternProperties\":{\"^x-\":{}},"
     "\"additionalProperties\":false}",
     "{\"Nmae\":1}",
     "property \"Nmae\" is not allowed: it is not a named property and its name does not "
     "match the pattern \"^x-\""},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    cfgate_validator *v = harness_build(cases[i][0]);
    harness_result r;
    harness_run(v, NULL, NULL, cases[i][1], strlen(cases[i][1]), 0, &r);

    assert_int_equal(r.verdict, CFGATE_INVALID);
    assert_string_equal(r.errors[0].keyword, "additionalProperties");
    assert_string_equal(r.errors[0].message, cases[i][2]);
    ir_free(v);
  }
}

typedef struct preview_case {
  const char *document;
  const char *message;
} preview_case;

/* A message quotes a value as a JSON string, with NUL bytes, control
 * characters, quotes and backslashes escaped. A preview whose escapes do not
 * fit is cut at a code point boundary and ends with "...". */
static void string_preview_escapes(void **state) {
  static const preview_case cases[] = {
      {"\"b\\u0000c\"", "\"b\\u0000c\" is not one of the allowed values"},
      {"\"q\\\"\\\\\\n\\t\\u001f\\u007f\u00e9\"",
       "\"q\\\"\\\\\\n\\t\\u001f\\u007f\u00e9\" is not one of the allowed values"},
      {"\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"",
       "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...\" is not one of the allowed values"},
      {"\"\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\"",
       "\"\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000...\" is not one of the "
       "allowed values"},
      {"\"\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000a\u00e9\u00e9\u00e9\u00e9\"",
       "\"\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000a\u00e9\u00e9\u00e9...\" is not one "
       "of the allowed values"},
  };
  (void)state;
  cfgate_validator *v = harness_build("{\"enum\":[\"a\"]}");

  for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
    harness_result r;
    harness_run(v, NULL, NULL, cases[i].document, strlen(cases[i].document), 0, &r);
    assert_int_equal(r.verdict, CFGATE_INVALID);
    assert_int_equal(r.error_count, 1);
    assert_string_equal(r.errors[0].message, cases[i].message);
  }
  ir_free(v);
}

/* An instance path keeps every byte of a property name with a NUL byte,
 * and instance_path_len gives its length. */
static void instance_path_keeps_nul(void **state) {
  (void)state;
  cfgate_validator *v = harness_build("{\"additionalProperties\":false}");
  const char *doc = "{\"ok\":{},\"b\\u0001c\\u0000d\":1}";
  harness_result r;
  harness_run(v, NULL, NULL, doc, strlen(doc), 0, &r);

  assert_int_equal(r.verdict, CFGATE_INVALID);
  assert_int_equal(r.error_count, 1);
  assert_int_equal(r.errors[0].instance_path_len, 3);
  assert_memory_equal(r.errors[0].instance_path, "/ok", 4);
  ir_free(v);

  v = harness_build("{\"properties\":{\"ok\":true},\"additionalProperties\":false}");
  harness_run(v, NULL, NULL, doc, strlen(doc), 0, &r);
  assert_int_equal(r.verdict, CFGATE_INVALID);
  assert_int_equal(r.errors[0].instance_path_len, 6);
  assert_memory_equal(r.errors[0].instance_path, "/b\001c\000d", 7);
  ir_free(v);
}

static void malformed_position(void **state) {
  (void)state;
  cfgate_validator *v = harness_build("{\"type\":\"object\"}");
  const char *doc = "{\n  \"a\": [1, 2,]\n}";
  harness_result r;
  harness_run(v, NULL, NULL, doc, strlen(doc), 1, &r);

  assert_int_equal(r.verdict, CFGATE_MALFORMED);
  assert_int_equal(r.error_count, 1);
  assert_string_equal(r.errors[0].keyword, "syntax");
  assert_int_equal(r.errors[0].line, 2);
  assert_true(r.errors[0].column > 0);
  assert_true(strlen(r.errors[0].message) > 0);
  ir_free(v);
}

/* A '~' or '/' at any position of property names of 1 to 40 bytes is
 * escaped in the instance path of a container value. */
static void path_escapes_every_position(void **state) {
  (void)state;
  cfgate_validator *v = harness_build(
      "{\"additionalProperties\":{\"properties\":{\"z\":{\"type\":\"string\"}}}}");
  for (size_t len = 1; len <= 40; len++) {
    for (size_t at = 0; at < len; at++) {
      char key[48], doc[96], expected[96];
      memset(key, 'k', len);
      key[len] = '\0';
      key[at] = at % 2 ? '~' : '/';
      snprintf(doc, sizeof doc, "{\"%s\":{\"z\":1}}", key);
      snprintf(expected, sizeof expected, "/%.*s%s%s/z", (int)at, key, at % 2 ? "~0" : "~1",
               key + at + 1);

      harness_result r;
      harness_run(v, NULL, NULL, doc, strlen(doc), 0, &r);
      assert_int_equal(r.verdict, CFGATE_INVALID);
      assert_string_equal(r.errors[0].instance_path, expected);
    }
  }
  ir_free(v);
}

/* Property names of 1 to 40 bytes without '~' or '/' appear unchanged in
 * the instance path of a container value and of a scalar member. Each byte
 * differs from the others, so a byte copied to the wrong place shows. */
static void path_copies_plain_names(void **state) {
  (void)state;
  cfgate_validator *v = harness_build(
      "{\"additionalProperties\":{\"properties\":{\"z\":{\"type\":\"string\"}},"
      "\"additionalProperties\":{\"type\":\"string\"}}}");
  const char letters[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn";
  for (size_t len = 1; len <= 40; len++) {
    char key[48], doc[96], expected[96];
    memcpy(key, letters, len);
    key[len] = '\0';

    harness_result r;
    snprintf(doc, sizeof doc, "{\"%s\":{\"z\":1}}", key);
    snprintf(expected, sizeof expected, "/%s/z", key);
    harness_run(v, NULL, NULL, doc, strlen(doc), 0, &r);
    assert_int_equal(r.verdict, CFGATE_INVALID);
    assert_string_equal(r.errors[0].instance_path, expected);

    snprintf(doc, sizeof doc, "{\"y\":{\"%s\":1}}", key);
    snprintf(expected, sizeof expected, "/y/%s", key);
    harness_run(v, NULL, NULL, doc, strlen(doc), 0, &r);
    assert_int_equal(r.verdict, CFGATE_INVALID);
    assert_string_equal(r.errors[0].instance_path, expected);
  }
  ir_free(v);
}

/* Item indexes of one, two and three digits appear in the instance path
 * of a container item and of a scalar item. */
static void path_writes_item_indexes(void **state) {
  (void)state;
  cfgate_validator *v = harness_build(
      "{\"items\":{\"properties\":{\"z\":{\"type\":\"string\"}},\"type\":\"object\"}}");
  const size_t indexes[] = {0, 9, 10, 99, 100, 1234};
  static char doc[16384];
  for (size_t k = 0; k < sizeof indexes / sizeof indexes[0]; k++) {
    for (int container = 0; container <= 1; container++) {
      size_t len = 0;
      doc[len++] = '[';
      for (size_t i = 0; i < indexes[k]; i++)
        len += (size_t)snprintf(doc + len, sizeof doc - len, "{\"z\":\"a\"},");
      len += (size_t)snprintf(doc + len, sizeof doc - len, "%s]", container ? "{\"z\":1}" : "1");

      char expected[32];
      snprintf(expected, sizeof expected, container ? "/%zu/z" : "/%zu", indexes[k]);
      harness_result r;
      harness_run(v, NULL, NULL, doc, len, 0, &r);
      assert_int_equal(r.verdict, CFGATE_INVALID);
      assert_string_equal(r.errors[0].instance_path, expected);
    }
  }
  ir_free(v);
}

/* In first-error mode the instance path stops following the text at the
 * verdict, so a later syntax error names no stale property. */
static void malformed_after_verdict(void **state) {
  (void)state;
  cfgate_validator *v = harness_build(
      "{\"properties\":{\"BucketName\":{\"type\":\"string\"}},\"additionalProperties\":false}");
  const char *doc = "{\"X\":{\"a\":1},\"BucketName\":\"acme-";
  harness_result r;
  harness_run(v, NULL, NULL, doc, strlen(doc), 0, &r);

  assert_int_equal(r.verdict, CFGATE_MALFORMED);
  assert_int_equal(r.error_count, 1);
  assert_string_equal(r.errors[0].keyword, "syntax");
  assert_string_equal(r.errors[0].instance_path, "");
  assert_int_equal(r.errors[0].column, 33);
  ir_free(v);
}

#define TEN_A "aaaaaaaaaa"
#define SIXTY_A TEN_A TEN_A TEN_A TEN_A TEN_A TEN_A

static void limit_case(const char *schema, const char *doc, cfgate_limits limits,
                       const char *message) {
  cfgate_validator *v = harness_build(schema);
  cfgate_options options;
  cfgate_options_default(&options);
  options.limits = limits;
  options.all_errors = 1;
  harness_result r;
  harness_run(v, &options, NULL, doc, strlen(doc), 0, &r);

  assert_int_equal(r.verdict, CFGATE_FAILED);
  assert_true(r.error_count >= 1);
  assert_string_equal(r.errors[r.error_count - 1].keyword, "limit");
  assert_string_equal(r.errors[r.error_count - 1].message, message);
  ir_free(v);
}

static void limits_fail_closed(void **state) {
  (void)state;
  cfgate_options defaults;
  cfgate_options_default(&defaults);
  cfgate_limits l = defaults.limits;

  l.max_depth = 3;
  limit_case("{}", "[[[[1]]]]", l, "nesting too deep (limit is 3)");
  l = defaults.limits;
  l.max_unique = 4;
  limit_case("{\"uniqueItems\":true}", "[1,2,3,4,5]", l, "too many items for uniqueItems (limit is 4)");
  l = defaults.limits;
  l.max_string = 8;
  limit_case("{}", "{\"a-long-name\":1}", l, "property name too long (limit is 8 bytes)");
  l = defaults.limits;
  l.max_path = 6;
  limit_case("{}", "{\"abc\":{\"def\":1}}", l, "instance path too long (limit is 6 bytes)");
  l = defaults.limits;
  l.max_frames = 4;
  /* Object frames stay open until the object ends, so all six are live. */
  limit_case("{\"allOf\":[{\"minProperties\":1},{\"anyOf\":[{\"maxProperties\":5},"
             "{\"maxProperties\":6},{\"maxProperties\":7}]}]}",
             "{\"a\":1}", l, "too many active schemas (limit is 4)");
  l = defaults.limits;
  l.max_members = 3;
  /* The names of every open object count; those of a closed one are freed. */
  limit_case("{}", "{\"a\":{\"b\":1,\"c\":{\"d\":1}}}", l,
             "too many property names in the open objects (limit is 3)");
  /* Overlapping repetitions after a backreference spend the backtracking
   * engine's step budget before the final "b" fails the match. */
  limit_case("{\"pattern\":\"^(x)\\\\1(a|aa|aaa)*(a|aa)*$\"}",
             "\"xx" SIXTY_A "b\"", defaults.limits,
             "too many matching steps for pattern \"^(x)\\1(a|aa|aaa)*(a|aa)*$\" (limit is 1024 "
             "per byte of the value); simplify the pattern, for example by removing nested or "
             "overlapping repetitions such as (a|aa)*");
  limit_case("{\"patternProperties\":{\"^(x)\\\\1(a|aa|aaa)*(a|aa)*$\":{}}}",
             "{\"xx" SIXTY_A "b\":1}", defaults.limits,
             "too many matching steps for pattern \"^(x)\\1(a|aa|aaa)*(a|aa)*$\" on a property "
             "name (limit is 1024 per byte of the value); simplify the pattern, for example by "
             "removing nested or overlapping repetitions such as (a|aa)*");
  cfgate_validator *v = harness_build("{}");
  cfgate_options options;
  cfgate_options_default(&options);
  options.limits.max_members = 3;
  harness_result r;
  const char *closed = "{\"a\":{\"b\":1,\"c\":1},\"d\":2}";
  harness_run(v, &options, NULL, closed, strlen(closed), 0, &r);
  assert_int_equal(r.verdict, CFGATE_VALID);
  ir_free(v);
}

/* A property name repeated in one object makes the document malformed,
 * at the repeated name, however the input is split and however the name is
 * escaped. The same name in different objects is allowed. */
static void repeated_property_name_is_malformed(void **state) {
  (void)state;
  static const struct {
    const char *schema, *document;
    cfgate_verdict expected;
    uint32_t line, column;
  } cases[] = {
      {"{}", "{\"a\":1,\"a\":2}", CFGATE_MALFORMED, 1, 8},
      {"{\"not\":{\"properties\":{\"a\":{\"const\":2}}}}", "{\"a\":1,\"a\":2}", CFGATE_MALFORMED, 1, 8},
      {"{}", "{\"x\":{\"b\":1,\n\"\\u0062\":2}}", CFGATE_MALFORMED, 2, 1},
      {"{}", "{\"a\":{\"b\":1},\"c\":{\"b\":2}}", CFGATE_VALID, 0, 0},
      {"{\"uniqueItems\":true}", "[{\"a\":1,\"a\":2},{\"a\":2}]", CFGATE_MALFORMED, 1, 9},
      {"{}", "[{\"a\":1},{\"a\":1}]", CFGATE_VALID, 0, 0},
      {"{}", "{\"a\\u0000\":1,\"a\":2}", CFGATE_VALID, 0, 0},
      {"{}", "{\"a\":[{\"a\":1}],\"b\":1,\"a\":2}", CFGATE_MALFORMED, 1, 22},
      {"{}", "{\"\u00e9\\u0000\":1,\"\u00e9\\u0000\":2}", CFGATE_MALFORMED, 1, 14},
      {"{}", "{\"\u00fc\":1,\"\u00e9\u00e9\":2,\"\u00e9\u00e9\":3}", CFGATE_MALFORMED, 1, 15},
      /* Distinct names whose hashes were equal when each word was multiplied in series. */
      {"{}", "{\"aaaaaaaaaaaYaaa0aaaaaaaaa\":1,\"aaaaaaaFaaaaaaa7aaaaaaaaa\":2}", CFGATE_VALID, 0, 0},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    cfgate_validator *v = harness_build(cases[i].schema);
    for (size_t chunk = 0; chunk <= 3; chunk++) {
      harness_result r;
      harness_run(v, NULL, NULL, cases[i].document, strlen(cases[i].document), chunk, &r);
      if (r.verdict != cases[i].expected)
        fail_msg("%s in chunks of %zu: verdict %d, expected %d", cases[i].document, chunk, r.verdict,
                 cases[i].expected);
      if (cases[i].expected != CFGATE_MALFORMED)
        continue;
      if (r.error_count != 1 || r.errors[0].line != cases[i].line || r.errors[0].column != cases[i].column)
        fail_msg("%s in chunks of %zu: %zu errors, first at %u:%u, expected %u:%u", cases[i].document, chunk,
                 r.error_count, r.errors[0].line, r.errors[0].column, cases[i].line, cases[i].column);
      assert_non_null(strstr(r.errors[0].message, "duplicate property name \""));
    }
    ir_free(v);
  }
}

static int hash_order(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return (x > y) - (x < y);
}

/* Names of 2 to 40 bytes that differ in two bytes up to 16 apart get
 * different hashes: a repeated hash would reject the object as malformed. */
static void name_hashes_differ(void **state) {
  (void)state;
  enum { MAX_LEN = 40, LETTERS = 26, DIGITS = 10 };
  size_t capacity = 0, count = 0;
  for (size_t len = 2; len <= MAX_LEN; len++)
    for (size_t first = 0; first + 1 < len; first++)
      capacity += (len - 1 - first < 16 ? len - 1 - first : 16) * LETTERS * DIGITS;
  uint64_t *hashes = malloc(capacity * sizeof *hashes);
  char name[MAX_LEN];
  assert_non_null(hashes);

  for (size_t len = 2; len <= MAX_LEN; len++)
    for (size_t first = 0; first + 1 < len; first++)
      for (size_t second = first + 1; second < len && second <= first + 16; second++)
        for (int letter = 0; letter < LETTERS; letter++)
          for (int digit = 0; digit < DIGITS; digit++) {
            memset(name, 'a', sizeof name);
            name[first] = (char)('A' + letter);
            name[second] = (char)('0' + digit);
            assert_true(count < capacity);
            hashes[count++] = cfgate_ir_hash(name, len);
          }

  qsort(hashes, count, sizeof *hashes, hash_order);
  for (size_t i = 1; i < count; i++)
    if (hashes[i] == hashes[i - 1])
      fail_msg("two of %zu names share the hash %016llx", count, (unsigned long long)hashes[i]);
  free(hashes);
}

/* Writes a property name of len letters, shifted by len through the
 * alphabet so names of nearby lengths do not share a prefix. */
static void name_of_length(char *name, size_t len) {
  for (size_t i = 0; i < len; i++)
    name[i] = (char)('a' + (len + i) % 26);
  name[len] = '\0';
}

/* Every name length takes its own path through the byte comparison of a
 * found name (under 4, 4 to 7, 8 to 16 and longer bytes), and each name
 * must select its own "properties" schema. */
static void property_names_every_length(void **state) {
  (void)state;
  enum { MAX_LEN = 40 };
  char schema[4096] = "{\"additionalProperties\":false,\"properties\":{", doc[4096] = "{";
  char name[MAX_LEN + 1];
  for (size_t len = 1; len <= MAX_LEN; len++) {
    name_of_length(name, len);
    size_t used = strlen(schema), doc_used = strlen(doc);
    snprintf(schema + used, sizeof schema - used, "%s\"%s\":{\"const\":%zu}", len > 1 ? "," : "", name,
             len);
    snprintf(doc + doc_used, sizeof doc - doc_used, "%s\"%s\":%zu", len > 1 ? "," : "", name, len);
  }
  strncat(schema, "}}", sizeof schema - strlen(schema) - 1);
  strncat(doc, "}", sizeof doc - strlen(doc) - 1);
  cfgate_validator *v = harness_build(schema);
  assert_int_equal(harness_verdict(v, doc), CFGATE_VALID);

  for (size_t len = 1; len <= MAX_LEN; len++) {
    char member[96];
    name_of_length(name, len);
    snprintf(member, sizeof member, "{\"%s\":%zu}", name, len + 1);
    assert_int_equal(harness_verdict(v, member), CFGATE_INVALID);
    name[len - 1] = '_';
    snprintf(member, sizeof member, "{\"%s\":%zu}", name, len);
    assert_int_equal(harness_verdict(v, member), CFGATE_INVALID);
  }
  ir_free(v);
}

/* Writes an enum member of len bytes whose first byte differs for each
 * length ('1' to 'X'), so that byte leaves one member to compare. */
static void member_of_length(char *member, size_t len) {
  name_of_length(member, len);
  member[0] = (char)('0' + len);
}

/* Every string length takes its own path through the comparison with the
 * last enum member left (under 4, 4 to 7, 8 to 16 and longer bytes), on
 * the fast path of a member string. A changed middle or last byte must
 * fail. */
static void enum_strings_every_length(void **state) {
  (void)state;
  enum { MAX_LEN = 40 };
  char schema[4096] = "{\"properties\":{\"v\":{\"enum\":[";
  char member[MAX_LEN + 1];
  for (size_t len = 1; len <= MAX_LEN; len++) {
    member_of_length(member, len);
    size_t used = strlen(schema);
    snprintf(schema + used, sizeof schema - used, "%s\"%s\"", len > 1 ? "," : "", member);
  }
  strncat(schema, "]}}}", sizeof schema - strlen(schema) - 1);
  cfgate_validator *v = harness_build(schema);

  for (size_t len = 1; len <= MAX_LEN; len++) {
    char doc[96];
    member_of_length(member, len);
    snprintf(doc, sizeof doc, "{\"v\":\"%s\"}", member);
    assert_int_equal(harness_verdict(v, doc), CFGATE_VALID);

    size_t changed[] = {len / 2, len - 1};
    for (size_t i = 0; i < sizeof changed / sizeof *changed; i++) {
      if (changed[i] == 0)
        continue;
      member_of_length(member, len);
      member[changed[i]] = '_';
      snprintf(doc, sizeof doc, "{\"v\":\"%s\"}", member);
      if (harness_verdict(v, doc) != CFGATE_INVALID)
        fail_msg("length %zu, byte %zu changed: %s passed", len, changed[i], doc);
    }
  }
  ir_free(v);
}

static void recursion_without_input_fails(void **state) {
  (void)state;
  cfgate_options defaults;
  cfgate_options_default(&defaults);
  char message[64];
  snprintf(message, sizeof message, "too many active schemas (limit is %u)",
           defaults.limits.max_frames);

  limit_case("{\"allOf\":[{\"$ref\":\"#\"}]}", "1", defaults.limits, message);
  limit_case("{\"anyOf\":[{\"$ref\":\"#\"},{\"$ref\":\"#\"}]}", "{}", defaults.limits, message);
}

static void deep_document_rejected(void **state) {
  (void)state;
  cfgate_validator *v = harness_build("{\"items\":{\"$ref\":\"#\"}}");
  char doc[400];
  memset(doc, '[', 200);
  memset(doc + 200, ']', 200);
  harness_result r;
  harness_run(v, NULL, NULL, doc, sizeof doc, 0, &r);

  assert_int_equal(r.verdict, CFGATE_FAILED);
  assert_string_equal(r.errors[0].message, "nesting too deep (limit is 64)");
  ir_free(v);
}

static void chunk_sizes_agree(void **state) {
  (void)state;
  cfgate_validator *v = harness_build(s3_like_schema);
  const char *doc = "{\"Name\":\"b\\u00e9ad\",\"Tags\":[{\"Key\":\"k\\ud83d\\ude00\",\"Value\":\"12345\"},"
                    "{\"Key\":\"a/b~\"},7],\"X\":[1e400,-0.0,\"\\\"\"]}";
  cfgate_options options;
  cfgate_options_default(&options);
  options.all_errors = 1;
  harness_result whole, split;
  harness_run(v, &options, NULL, doc, strlen(doc), 0, &whole);

  assert_int_equal(whole.verdict, CFGATE_INVALID);
  assert_true(whole.error_count >= 4);
  for (size_t chunk = 1; chunk <= 9; chunk++) {
    harness_run(v, &options, NULL, doc, strlen(doc), chunk, &split);
    assert_int_equal(split.verdict, whole.verdict);
    assert_int_equal(split.error_count, whole.error_count);
    for (size_t i = 0; i < whole.error_count; i++) {
      assert_string_equal(split.errors[i].instance_path, whole.errors[i].instance_path);
      assert_string_equal(split.errors[i].message, whole.errors[i].message);
      assert_int_equal(split.errors[i].line, whole.errors[i].line);
      assert_int_equal(split.errors[i].column, whole.errors[i].column);
    }
  }
  ir_free(v);
}

/* Validates document in chunks of chunk bytes (at most 16), each copied
 * into one buffer that is overwritten once cfgate_feed returns, as a
 * caller that reuses its read buffer does. */
static void run_reusing_buffer(const cfgate_validator *v, const cfgate_options *options,
                               const char *document, size_t chunk, harness_result *result) {
  size_t size = cfgate_workspace_size(v, options, NULL);
  void *workspace = aligned_alloc(16, (size + 15) & ~(size_t)15);
  assert_non_null(workspace);
  cfgate_error error;
  cfgate_session *s = cfgate_session_init(workspace, size, v, options, NULL, &error);
  assert_non_null(s);

  char buffer[16];
  size_t len = strlen(document);
  for (size_t at = 0; at < len; at += chunk) {
    size_t n = len - at < chunk ? len - at : chunk;
    memcpy(buffer, document + at, n);
    int stop = cfgate_feed(s, buffer, n);
    memset(buffer, 'X', sizeof buffer);
    if (stop)
      break;
  }
  harness_collect(s, cfgate_finish(s), result);
  free(workspace);
}

/* A finding quotes the first bytes of a string. They must be copied before
 * the input chunk that contains them is reused, on the fast path and on
 * the full path, for escapes and for strings longer than the preview. */
static void previews_from_reused_buffer(void **state) {
  (void)state;
  static const char *const schemas[] = {
      "{\"properties\":{\"s\":{\"enum\":[\"Enabled\",\"Disabled\"]},"
      "\"t\":{\"items\":{\"type\":\"string\",\"maxLength\":3}}}}",
      "{\"properties\":{\"s\":{\"allOf\":[{}],\"enum\":[\"Enabled\",\"Disabled\"]},"
      "\"t\":{\"items\":{\"allOf\":[{}],\"type\":\"string\",\"maxLength\":3}}}}",
  };
  static const char *const documents[] = {
      "{\"s\":\"Enable\",\"t\":[\"abcd\",\"ab\",\"a-string-well-beyond-the-forty-eight-bytes-of-the-preview\"]}",
      "{\"s\":\"\\u00e9nabled\",\"t\":[\"\\u00e9\\u00e9\\u00e9x\",\"x\\ny\\tz\"]}",
  };
  cfgate_options options;
  cfgate_options_default(&options);
  options.all_errors = 1;

  for (size_t i = 0; i < sizeof schemas / sizeof *schemas; i++) {
    cfgate_validator *v = harness_build(schemas[i]);
    for (size_t d = 0; d < sizeof documents / sizeof *documents; d++) {
      harness_result whole, split;
      harness_run(v, &options, NULL, documents[d], strlen(documents[d]), 0, &whole);
      assert_int_equal(whole.verdict, CFGATE_INVALID);
      assert_int_equal(whole.error_count, 3);
      for (size_t chunk = 1; chunk <= 16; chunk++) {
        run_reusing_buffer(v, &options, documents[d], chunk, &split);
        assert_int_equal(split.verdict, whole.verdict);
        assert_int_equal(split.error_count, whole.error_count);
        for (size_t e = 0; e < whole.error_count; e++)
          if (strcmp(split.errors[e].message, whole.errors[e].message) != 0)
            fail_msg("schema %zu, %s in chunks of %zu: \"%s\", expected \"%s\"", i, documents[d],
                     chunk, split.errors[e].message, whole.errors[e].message);
      }
    }
    ir_free(v);
  }
}

/* Asserts that validating document in reused chunks of every size up to
 * 16 bytes gives the verdict, instance paths and messages of whole. */
static void assert_chunks_agree(const cfgate_validator *v, const cfgate_options *options,
                                const char *document, const harness_result *whole) {
  harness_result split;
  for (size_t chunk = 1; chunk <= 16; chunk++) {
    run_reusing_buffer(v, options, document, chunk, &split);
    assert_int_equal(split.verdict, whole->verdict);
    assert_int_equal(split.error_count, whole->error_count);
    for (size_t e = 0; e < whole->error_count; e++) {
      if (strcmp(split.errors[e].instance_path, whole->errors[e].instance_path) != 0)
        fail_msg("max_path %u, chunks of %zu: path \"%s\", expected \"%s\"", options->limits.max_path,
                 chunk, split.errors[e].instance_path, whole->errors[e].instance_path);
      assert_string_equal(split.errors[e].message, whole->errors[e].message);
    }
  }
}

/* The path segments of objects and arrays are written only when a finding
 * needs them or when the input chunk that contains their names is handed
 * back. The paths must not depend on that, nor on how close the path limit
 * is, because names near the limit are written at once. */
static void deferred_paths_across_chunks(void **state) {
  (void)state;
  cfgate_validator *v = harness_build(
      "{\"additionalProperties\":{\"$ref\":\"#\"},\"items\":{\"$ref\":\"#\"},"
      "\"not\":{\"type\":\"number\"}}");
  const char *document = "{\"a/b\":[{\"c~d\":[1,{\"\\u0065\":2}]},[3]],\"s\":\"a string that spans chunks\","
                         "\"key\":{\"x\":[[4]],\"long/name~here\":\"text\",\"y\":[5]}}";
  static const char *const expected[] = {"/a~1b/0/c~0d/0", "/a~1b/0/c~0d/1/e", "/a~1b/1/0", "/key/x/0/0",
                                         "/key/y/0"};
  cfgate_options options;
  cfgate_options_default(&options);
  options.all_errors = 1;
  harness_result whole;

  harness_run(v, &options, NULL, document, strlen(document), 0, &whole);
  assert_int_equal(whole.verdict, CFGATE_INVALID);
  assert_int_equal(whole.error_count, 5);
  for (size_t e = 0; e < 5; e++)
    assert_string_equal(whole.errors[e].instance_path, expected[e]);
  assert_chunks_agree(v, &options, document, &whole);

  for (uint32_t max_path = 1; max_path <= 40; max_path++) {
    options.limits.max_path = max_path;
    harness_run(v, &options, NULL, document, strlen(document), 0, &whole);
    assert_chunks_agree(v, &options, document, &whole);
  }
  ir_free(v);
}

/* Returns the default options with CloudFormation coercion and every error
 * collected. */
static cfgate_options coercing_options(void) {
  cfgate_options options;
  cfgate_options_default(&options);
  options.coerce = 1;
  options.all_errors = 1;
  return options;
}

/* A branch without a type reads a coerced string as its parent does, so
 * its bounds and constants apply to the number or boolean it spells. */
static void coercion_reaches_branches(void **state) {
  (void)state;
  cfgate_validator *v = harness_build(
      "{\"properties\":{\"Mem\":{\"type\":\"integer\",\"allOf\":[{\"maximum\":512}]},"
      "\"On\":{\"type\":\"boolean\",\"allOf\":[{\"const\":true}]},"
      "\"Size\":{\"type\":\"integer\",\"anyOf\":[{\"maximum\":5},{\"minimum\":100}]}}}");
  cfgate_options options = coercing_options();
  harness_result r;

  const char *good = "{\"Mem\":\"512\",\"On\":\"true\",\"Size\":\"200\"}";
  harness_run(v, &options, NULL, good, strlen(good), 0, &r);
  assert_int_equal(r.verdict, CFGATE_VALID);

  const char *bad = "{\"Mem\":\"100000\",\"On\":\"false\",\"Size\":\"50\"}";
  harness_run(v, &options, NULL, bad, strlen(bad), 0, &r);
  assert_int_equal(r.verdict, CFGATE_INVALID);
  assert_int_equal(r.error_count, 3);
  assert_string_equal(r.errors[0].message, "100000 is greater than the maximum 512");
  assert_string_equal(r.errors[1].keyword, "const");
  assert_string_equal(r.errors[2].keyword, "anyOf");
  ir_free(v);
}

/* Under coercion, uniqueItems compares the values strings are read as:
 * "10" and "1e1" are one integer, while strings kept as strings differ. */
static void coercion_unique_items(void **state) {
  (void)state;
  cfgate_validator *v = harness_build(
      "{\"properties\":{\"N\":{\"type\":\"array\",\"uniqueItems\":true,"
      "\"items\":{\"type\":\"integer\"}},\"B\":{\"type\":\"array\",\"uniqueItems\":true,"
      "\"items\":{\"type\":\"boolean\"}},\"S\":{\"type\":\"array\",\"uniqueItems\":true,"
      "\"items\":{\"type\":\"string\"}}}}");
  cfgate_options options = coercing_options();
  harness_result r;

  const char *good = "{\"N\":[\"1\",\"2\"],\"B\":[\"true\",false],\"S\":[\"1\",\"1.0\"]}";
  harness_run(v, &options, NULL, good, strlen(good), 0, &r);
  assert_int_equal(r.verdict, CFGATE_VALID);

  const char *bad = "{\"N\":[\"10\",\"1e1\",10],\"B\":[\"true\",true]}";
  harness_run(v, &options, NULL, bad, strlen(bad), 0, &r);
  assert_int_equal(r.verdict, CFGATE_INVALID);
  assert_int_equal(r.error_count, 2);
  assert_string_equal(r.errors[0].message, "items 0 and 1 are equal");
  assert_string_equal(r.errors[1].message, "items 0 and 1 are equal");
  ir_free(v);
}

static void coercion_mode(void **state) {
  (void)state;
  cfgate_validator *v = harness_build(
      "{\"properties\":{\"Port\":{\"type\":\"integer\",\"minimum\":1024},\"On\":{\"type\":\"boolean\"},"
      "\"Rate\":{\"type\":\"number\",\"enum\":[1.5,2]},\"Name\":{\"type\":\"string\"}}}");
  cfgate_options options = coercing_options();
  harness_result r;

  const char *good = "{\"Port\":\"8080\",\"On\":\"true\",\"Rate\":\"1.50\",\"Name\":\"10\"}";
  harness_run(v, &options, NULL, good, strlen(good), 0, &r);
  assert_int_equal(r.verdict, CFGATE_VALID);

  const char *bad = "{\"Port\":\"80\",\"On\":\"yes\",\"Rate\":\"3\"}";
  harness_run(v, &options, NULL, bad, strlen(bad), 0, &r);
  assert_int_equal(r.verdict, CFGATE_INVALID);
  assert_int_equal(r.error_count, 3);
  assert_string_equal(r.errors[0].message, "80 is less than the minimum 1024");
  assert_string_equal(r.errors[1].message, "expected boolean, got string \"yes\"");
  assert_string_equal(r.errors[2].keyword, "enum");

  /* 70 significant digits cannot be compared exactly: a limit, not a type error. */
  const char *huge = "{\"Port\":\"1234567890123456789012345678901234567890123456789012345678901"
                     "234567890\"}";
  harness_run(v, &options, NULL, huge, strlen(huge), 0, &r);
  assert_int_equal(r.verdict, CFGATE_FAILED);
  assert_string_equal(r.errors[r.error_count - 1].keyword, "limit");
  assert_non_null(strstr(r.errors[r.error_count - 1].message,
                         "too many significant digits in number (limit is 64): \"1234"));

  options.coerce = 0;
  harness_run(v, &options, NULL, good, strlen(good), 0, &r);
  assert_int_equal(r.verdict, CFGATE_INVALID);
  ir_free(v);
}

static const char *const template_schema =
    "{\"type\":\"object\",\"x-cfgate\":{\"typeName\":\"AWS::S3::Bucket\",\"placeholders\":"
    "[\"AWS::AccountId\",\"AWS::Region\"]},\"properties\":{\"Arn\":{\"const\":"
    "\"arn:aws:s3:::logs-${AWS::AccountId}\"},\"Zone\":{\"pattern\":\"^${AWS::Region}[a-c]$\"},"
    "\"Lit\":{\"enum\":[\"${!AWS::Region}\",\"${1,128}\"]}}}";

static void placeholders_bound(void **state) {
  (void)state;
  cfgate_validator *v = harness_build(template_schema);
  cfgate_str names[] = {{"AWS::AccountId", 14}, {"AWS::Region", 11}};
  cfgate_str values[] = {{"123456789012", 12}, {"eu-west-1", 9}};
  cfgate_context context = {names, values, 2};
  harness_result r;

  const char *good = "{\"Arn\":\"arn:aws:s3:::logs-123456789012\",\"Zone\":\"eu-west-1b\","
                     "\"Lit\":\"${AWS::Region}\"}";
  harness_run(v, NULL, &context, good, strlen(good), 3, &r);
  assert_int_equal(r.verdict, CFGATE_VALID);

  const char *literal = "{\"Lit\":\"${1,128}\"}";
  harness_run(v, NULL, &context, literal, strlen(literal), 0, &r);
  assert_int_equal(r.verdict, CFGATE_VALID);

  const char *bad = "{\"Arn\":\"arn:aws:s3:::logs-000000000000\"}";
  harness_run(v, NULL, &context, bad, strlen(bad), 0, &r);
  assert_int_equal(r.verdict, CFGATE_INVALID);
  assert_string_equal(r.errors[0].keyword, "const");

  const char *zone = "{\"Zone\":\"us-east-1a\"}";
  harness_run(v, NULL, &context, zone, strlen(zone), 0, &r);
  assert_int_equal(r.verdict, CFGATE_INVALID);
  ir_free(v);
}

/* Outside a template (no x-cfgate.placeholders), "${!" is plain text: the
 * schema that cfgate instantiate prints keeps the text it means. */
static void plain_schema_keeps_escape_text(void **state) {
  (void)state;
  cfgate_validator *v = harness_build("{\"properties\":{\"A\":{\"enum\":[\"${!x\",\"a${!b}\"]},"
                                      "\"C\":{\"const\":\"${!AWS::Region}\"},"
                                      "\"P\":{\"pattern\":\"^[${!}]$\"}}}");
  harness_result r;
  const char *cases[][2] = {
      {"{\"A\":\"${!x\"}", "valid"},  {"{\"A\":\"a${!b}\"}", "valid"},
      {"{\"A\":\"${x\"}", "invalid"}, {"{\"A\":\"a${b}\"}", "invalid"},
      {"{\"C\":\"${!AWS::Region}\"}", "valid"}, {"{\"C\":\"${AWS::Region}\"}", "invalid"},
      {"{\"P\":\"!\"}", "valid"},     {"{\"P\":\"}\"}", "valid"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    harness_run(v, NULL, NULL, cases[i][0], strlen(cases[i][0]), 0, &r);
    if ((r.verdict == CFGATE_VALID) != (strcmp(cases[i][1], "valid") == 0))
      fail_msg("%s: expected %s", cases[i][0], cases[i][1]);
  }
  ir_free(v);
}

static void placeholder_missing(void **state) {
  (void)state;
  cfgate_validator *v = harness_build(template_schema);
  cfgate_str names[] = {{"AWS::AccountId", 14}};
  cfgate_str values[] = {{"123456789012", 12}};
  cfgate_context context = {names, values, 1};
  cfgate_options options;
  cfgate_options_default(&options);
  char workspace[4096];
  cfgate_error error;

  cfgate_session *s = cfgate_session_init(workspace, sizeof workspace, v, &options, &context, &error);
  assert_null(s);
  assert_string_equal(error.message, "missing value for placeholder ${AWS::Region} in the context");
  ir_free(v);
}

/* max_depth counts every value on the path, the top-level one as 1 and a
 * scalar as a level too, on the fast path and the full path alike. */
static void max_depth_counts_scalars(void **state) {
  (void)state;
  static const struct {
    const char *schema, *document;
    cfgate_verdict verdict;
  } cases[] = {
      {"{}", "{\"a\":1}", CFGATE_VALID},
      {"{}", "{\"a\":{}}", CFGATE_VALID},
      {"{}", "{\"a\":[]}", CFGATE_VALID},
      {"{}", "{\"a\":{\"b\":1}}", CFGATE_FAILED},
      {"{}", "[[1]]", CFGATE_FAILED},
      {"{\"properties\":{\"a\":{\"properties\":{\"b\":{\"type\":\"string\"}}}}}",
       "{\"a\":{\"b\":\"x\"}}", CFGATE_FAILED},
  };
  cfgate_options options;
  cfgate_options_default(&options);
  options.limits.max_depth = 2;

  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    cfgate_validator *v = harness_build(cases[i].schema);
    harness_result r;
    harness_run(v, &options, NULL, cases[i].document, strlen(cases[i].document), 0, &r);
    assert_int_equal(r.verdict, cases[i].verdict);
    if (cases[i].verdict == CFGATE_FAILED)
      assert_string_equal(r.errors[r.error_count - 1].message, "nesting too deep (limit is 2)");
    ir_free(v);
  }
}

/* After a limit of cfgate_limits the tokenizer reads on, so later bad
 * syntax makes the document malformed. After a number limit it stops. */
static void syntax_after_limits(void **state) {
  (void)state;
  cfgate_validator *v = harness_build("{}");
  cfgate_options options;
  cfgate_options_default(&options);
  options.limits.max_depth = 2;
  harness_result r;

  const char *deep = "{\"a\":{\"b\":1},}";
  harness_run(v, &options, NULL, deep, strlen(deep), 0, &r);
  assert_int_equal(r.verdict, CFGATE_MALFORMED);

  const char *number = "{\"X\":1e1000000000,\"Y\":2,}";
  harness_run(v, NULL, NULL, number, strlen(number), 0, &r);
  assert_int_equal(r.verdict, CFGATE_FAILED);
  assert_string_equal(r.errors[r.error_count - 1].message,
                      "number exponent out of range (limit is 999999999): '1e1000000000'");

  /* Zero with an exponent past the limit fails the same way. */
  const char *zero = "{\"X\":0e1000000000}";
  harness_run(v, NULL, NULL, zero, strlen(zero), 0, &r);
  assert_int_equal(r.verdict, CFGATE_FAILED);
  assert_string_equal(r.errors[r.error_count - 1].message,
                      "number exponent out of range (limit is 999999999): '0e1000000000'");
  ir_free(v);
}

/* Starts a session in a workspace of the size the context needs, so that
 * a failure comes from the bindings and not from the workspace. */
static cfgate_session *bound_session(const cfgate_validator *v, const cfgate_context *context,
                                     void **workspace, cfgate_error *error) {
  cfgate_options options;
  cfgate_options_default(&options);
  size_t size = cfgate_workspace_size(v, &options, context);
  assert_true(size > 0);
  *workspace = aligned_alloc(_Alignof(max_align_t), (size + 63) & ~(size_t)63);
  return cfgate_session_init(*workspace, size, v, &options, context, error);
}

static void placeholder_empty_value(void **state) {
  (void)state;
  cfgate_validator *v = harness_build(template_schema);
  cfgate_str names[] = {{"AWS::AccountId", 14}, {"AWS::Region", 11}};
  cfgate_str values[] = {{"123456789012", 12}, {"", 0}};
  cfgate_context context = {names, values, 2};
  cfgate_error error;
  void *workspace = NULL;

  assert_null(bound_session(v, &context, &workspace, &error));
  assert_string_equal(error.keyword, "session");
  assert_string_equal(error.message, "empty value for placeholder ${AWS::Region} in the context: "
                                     "a placeholder needs a value");
  free(workspace);
  ir_free(v);
}

static void placeholder_value_not_text(void **state) {
  (void)state;
  cfgate_validator *v = harness_build(template_schema);
  static const char *const bad[] = {"us-\xff" "east", "us\0east", "\xed\xa0\x80"};
  static const size_t bad_len[] = {8, 7, 3};

  for (size_t i = 0; i < 3; i++) {
    cfgate_str names[] = {{"AWS::AccountId", 14}, {"AWS::Region", 11}};
    cfgate_str values[] = {{"123456789012", 12}, {bad[i], bad_len[i]}};
    cfgate_context context = {names, values, 2};
    cfgate_error error;
    void *workspace = NULL;

    assert_null(bound_session(v, &context, &workspace, &error));
    assert_string_equal(error.message, "value of placeholder ${AWS::Region} in the context is "
                                       "not valid UTF-8 text or contains NUL");
    free(workspace);
  }
  ir_free(v);
}

static void placeholder_bound_twice(void **state) {
  (void)state;
  cfgate_validator *v = harness_build(template_schema);
  cfgate_str names[] = {{"AWS::AccountId", 14}, {"AWS::Region", 11}, {"AWS::AccountId", 14}};
  cfgate_str values[] = {{"123456789012", 12}, {"eu-west-1", 9}, {"210987654321", 12}};
  cfgate_context context = {names, values, 3};
  cfgate_error error;
  void *workspace = NULL;

  assert_null(bound_session(v, &context, &workspace, &error));
  assert_string_equal(error.keyword, "session");
  assert_string_equal(error.message, "two values for placeholder ${AWS::AccountId} in the "
                                     "context: bind each name once");
  free(workspace);

  context.count = 2;
  cfgate_session *s = bound_session(v, &context, &workspace, &error);
  assert_non_null(s);
  const char *good = "{\"Arn\":\"arn:aws:s3:::logs-123456789012\"}";
  cfgate_feed(s, good, strlen(good));
  assert_int_equal(cfgate_finish(s), CFGATE_VALID);
  free(workspace);
  ir_free(v);
}

static cfgate_session *event_session(const cfgate_validator *v, void **workspace) {
  cfgate_options options;
  cfgate_options_default(&options);
  options.all_errors = 1;
  size_t size = cfgate_workspace_size(v, &options, NULL);
  *workspace = aligned_alloc(16, (size + 15) & ~(size_t)15);
  cfgate_error error;
  cfgate_session *s = cfgate_session_init(*workspace, size, v, &options, NULL, &error);
  assert_non_null(s);
  return s;
}

static void unknown_values(void **state) {
  (void)state;
  cfgate_validator *v = harness_build(s3_like_schema);
  void *workspace;
  cfgate_session *s = event_session(v, &workspace);

  cfgate_event_begin_object(s);
  cfgate_event_key(s, "Name", 4);
  cfgate_event_unknown(s);
  cfgate_event_key(s, "Tags", 4);
  cfgate_event_unknown(s);
  cfgate_event_end_object(s);
  assert_int_equal(cfgate_finish(s), CFGATE_UNVERIFIED);
  assert_int_equal(cfgate_error_count(s), 2);
  assert_int_equal(cfgate_error_at(s, 0)->unverified, 1);
  assert_string_equal(cfgate_error_at(s, 0)->instance_path, "/Name");

  cfgate_session_reset(s);
  cfgate_event_begin_object(s);
  cfgate_event_key(s, "Name", 4);
  cfgate_event_unknown(s);
  cfgate_event_key(s, "Other", 5);
  cfgate_event_unknown(s);
  cfgate_event_end_object(s);
  assert_int_equal(cfgate_finish(s), CFGATE_INVALID);

  cfgate_session_reset(s);
  cfgate_event_begin_object(s);
  cfgate_event_key(s, "Name", 4);
  cfgate_event_string(s, "good-name", 9);
  cfgate_event_key(s, "Tags", 4);
  cfgate_event_begin_array(s);
  cfgate_event_begin_object(s);
  cfgate_event_key(s, "Key", 3);
  cfgate_event_string(s, "k", 1);
  cfgate_event_key(s, "Value", 5);
  cfgate_event_number(s, "1e2", 3);
  cfgate_event_end_object(s);
  cfgate_event_end_array(s);
  cfgate_event_end_object(s);
  assert_int_equal(cfgate_finish(s), CFGATE_INVALID);
  assert_string_equal(cfgate_error_at(s, 0)->message, "expected string, got number 1e2");
  free(workspace);
  ir_free(v);
}

static void event_order_checked(void **state) {
  (void)state;
  cfgate_validator *v = harness_build("{}");
  void *workspace;
  cfgate_session *s = event_session(v, &workspace);

  cfgate_event_begin_object(s);
  assert_int_not_equal(cfgate_event_string(s, "x", 1), 0);
  assert_int_equal(cfgate_finish(s), CFGATE_MALFORMED);
  assert_string_equal(cfgate_error_at(s, 0)->message,
                      "a value event in an object must follow a key event");

  cfgate_session_reset(s);
  cfgate_event_begin_array(s);
  assert_int_equal(cfgate_finish(s), CFGATE_MALFORMED);

  /* After events, a reset session reads JSON text again: the number 12 is
   * only complete once cfgate_finish() ends the input. */
  cfgate_session_reset(s);
  assert_int_equal(cfgate_feed(s, "12", 2), 0);
  assert_int_equal(cfgate_finish(s), CFGATE_VALID);
  free(workspace);
  ir_free(v);
}

/* Runs each case whole and in 1-byte chunks and checks both verdicts. */
static void check_verdicts(const verdict_case *cases, size_t count) {
  for (size_t i = 0; i < count; i++) {
    cfgate_validator *v = harness_build(cases[i].schema);
    harness_result whole, bytewise;
    harness_run(v, NULL, NULL, cases[i].instance, strlen(cases[i].instance), 0, &whole);
    harness_run(v, NULL, NULL, cases[i].instance, strlen(cases[i].instance), 1, &bytewise);
    if (whole.verdict != cases[i].expected || bytewise.verdict != cases[i].expected)
      fail_msg("case %zu: %s against %s: verdicts %d and %d, expected %d", i, cases[i].instance,
               cases[i].schema, whole.verdict, bytewise.verdict, cases[i].expected);
    ir_free(v);
  }
}

/* With an empty array of items, additionalItems applies to every item.
 * Const and enum arrays compile to such tuples. */
static void empty_tuple_additional_items(void **state) {
  (void)state;
  static const verdict_case cases[] = {
      {"{\"items\":[],\"additionalItems\":false}", "[1]", CFGATE_INVALID},
      {"{\"items\":[],\"additionalItems\":false}", "[]", CFGATE_VALID},
      {"{\"items\":[],\"additionalItems\":{\"type\":\"string\"}}", "[\"a\",2]", CFGATE_INVALID},
      {"{\"items\":[]}", "[1,\"a\"]", CFGATE_VALID},
      {"{\"const\":[]}", "[\"\"]", CFGATE_INVALID},
      {"{\"const\":[]}", "[]", CFGATE_VALID},
      {"{\"enum\":[[]]}", "[[]]", CFGATE_INVALID},
      {"{\"const\":{\"a\":[]}}", "{\"a\":[1]}", CFGATE_INVALID},
  };
  check_verdicts(cases, sizeof cases / sizeof cases[0]);
}

/* Scalars whose schemas are settled by type and value pass without a
 * level or frame of their own. */
static void scalar_fast_path_agrees(void **state) {
  (void)state;
  static const verdict_case cases[] = {
      {"{\"properties\":{\"n\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":5}}}", "{\"n\":3}", CFGATE_VALID},
      {"{\"properties\":{\"n\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":5}}}", "{\"n\":6}", CFGATE_INVALID},
      {"{\"properties\":{\"n\":{\"type\":\"integer\"}}}", "{\"n\":2.5}", CFGATE_INVALID},
      {"{\"properties\":{\"n\":{\"exclusiveMaximum\":2}}}", "{\"n\":2}", CFGATE_INVALID},
      {"{\"properties\":{\"n\":{\"multipleOf\":0.5}}}", "{\"n\":1.5}", CFGATE_VALID},
      {"{\"properties\":{\"n\":{\"multipleOf\":0.5}}}", "{\"n\":1.25}", CFGATE_INVALID},
      {"{\"properties\":{\"n\":{\"enum\":[1,2]}}}", "{\"n\":2.0}", CFGATE_VALID},
      {"{\"properties\":{\"n\":{\"enum\":[1,2]}}}", "{\"n\":\"1\"}", CFGATE_INVALID},
      {"{\"properties\":{\"b\":{\"const\":true}}}", "{\"b\":false}", CFGATE_INVALID},
      {"{\"properties\":{\"b\":{\"enum\":[null,true]}}}", "{\"b\":null}", CFGATE_VALID},
      {"{\"properties\":{\"s\":{\"type\":\"string\"}}}", "{\"s\":\"a\\u0041\"}", CFGATE_VALID},
      {"{\"properties\":{\"s\":{\"type\":\"string\"}}}", "{\"s\":7}", CFGATE_INVALID},
      {"{\"additionalProperties\":false}", "{\"x\":1}", CFGATE_INVALID},
      {"{\"additionalProperties\":{\"type\":\"boolean\"}}", "{\"x\":true,\"y\":1}", CFGATE_INVALID},
      {"{\"patternProperties\":{\"^x\":{\"type\":\"string\"}}}", "{\"x1\":1}", CFGATE_INVALID},
      {"{\"items\":{\"type\":\"string\"},\"uniqueItems\":true}", "[\"a\",\"b\",\"a\"]", CFGATE_INVALID},
      {"{\"items\":{\"type\":\"string\"},\"uniqueItems\":true}", "[\"a\",\"ab\",\"b\"]", CFGATE_VALID},
      {"{\"uniqueItems\":true}", "[1,1.0]", CFGATE_INVALID},
      {"{\"uniqueItems\":true}", "[[true],[false],[true]]", CFGATE_INVALID},
      {"{\"items\":[{\"type\":\"string\"}],\"additionalItems\":false}", "[\"a\",1]", CFGATE_INVALID},
      {"{\"contains\":{\"const\":2}}", "[1,3]", CFGATE_INVALID},
      {"{\"properties\":{\"n\":{\"anyOf\":[{\"type\":\"string\"},{\"minimum\":3}]}}}", "{\"n\":2}", CFGATE_INVALID},
      {"{\"maxItems\":2,\"items\":{\"type\":\"number\"}}", "[1,2,3]", CFGATE_INVALID},
  };
  check_verdicts(cases, sizeof cases / sizeof cases[0]);
}

/* A passing array frame finishes without the general checks, so every
 * array keyword that can fail must still send it down the general path:
 * at the top level and nested, where the frame's role is a child. */
static void array_finish_checks(void **state) {
  (void)state;
  static const verdict_case cases[] = {
      {"{\"minItems\":2}", "[1]", CFGATE_INVALID},
      {"{\"minItems\":2}", "[1,2]", CFGATE_VALID},
      {"{\"maxItems\":1}", "[1,2]", CFGATE_INVALID},
      {"{\"maxItems\":2}", "[1,2]", CFGATE_VALID},
      {"{\"items\":{\"minItems\":1}}", "[[1],[]]", CFGATE_INVALID},
      {"{\"properties\":{\"a\":{\"maxItems\":0}}}", "{\"a\":[1]}", CFGATE_INVALID},
      {"{\"properties\":{\"a\":{\"uniqueItems\":true}}}", "{\"a\":[[1],[1]]}", CFGATE_INVALID},
      {"{\"properties\":{\"a\":{\"uniqueItems\":true}}}", "{\"a\":[[1],[2]]}", CFGATE_VALID},
      {"{\"properties\":{\"a\":{\"contains\":{\"const\":2}}}}", "{\"a\":[1]}", CFGATE_INVALID},
      {"{\"allOf\":[{\"minItems\":3}]}", "[1,2]", CFGATE_INVALID},
      {"{\"anyOf\":[{\"minItems\":3},{\"maxItems\":1}]}", "[1,2]", CFGATE_INVALID},
      {"{\"anyOf\":[{\"minItems\":3},{\"maxItems\":2}]}", "[1,2]", CFGATE_VALID},
      {"{\"not\":{\"maxItems\":2}}", "[1,2]", CFGATE_INVALID},
      {"{\"enum\":[[1,2]]}", "[1,3]", CFGATE_INVALID},
      {"{\"items\":false}", "[1]", CFGATE_INVALID},
  };
  check_verdicts(cases, sizeof cases / sizeof cases[0]);
}

/* uniqueItems hashes strings a word at a time, and the last bytes of a
 * chunk as overlapping words. Equal strings must hash equal wherever the
 * input splits them, escapes included. Strings that differ only in a
 * trailing NUL or in their last word must not. */
static void unique_strings_across_chunks(void **state) {
  (void)state;
  static const verdict_case cases[] = {
      {"{\"uniqueItems\":true}", "[\"abcdefghijk\",\"abcdefghijk\"]", CFGATE_INVALID},
      {"{\"uniqueItems\":true}", "[\"abcdefghijk\",\"abcdefghijx\"]", CFGATE_VALID},
      {"{\"uniqueItems\":true}", "[\"abcdefgh\",\"abcdefgh\\u0000\"]", CFGATE_VALID},
      {"{\"uniqueItems\":true}", "[\"\",\"\\u0000\"]", CFGATE_VALID},
      {"{\"uniqueItems\":true}", "[\"abcdefgh12345678\",\"abcdefgh12345678\"]", CFGATE_INVALID},
      {"{\"uniqueItems\":true}", "[\"abcdefgh12345678\",\"abcdefgh1234567\"]", CFGATE_VALID},
      {"{\"uniqueItems\":true}", "[\"a\\u0062cdefghij\\u00e9\",\"abcdefghij\\u00e9\"]", CFGATE_INVALID},
      {"{\"uniqueItems\":true}", "[{\"k\":\"abcdefghij\"},{\"k\":\"abcdefghij\"}]", CFGATE_INVALID},
      {"{\"items\":{\"type\":\"string\"},\"uniqueItems\":true}", "[\"0123456789\",\"0123456789\"]", CFGATE_INVALID},
      {"{\"uniqueItems\":true}", "[\"abcd\",\"abce\"]", CFGATE_VALID},
      {"{\"uniqueItems\":true}", "[\"abcde\",\"abcdf\"]", CFGATE_VALID},
      {"{\"uniqueItems\":true}", "[\"abcdefg\",\"abcdxfg\"]", CFGATE_VALID},
      {"{\"uniqueItems\":true}", "[\"abcdefg\",\"abcdefg\"]", CFGATE_INVALID},
      {"{\"uniqueItems\":true}", "[\"abcdefghijklm\",\"abcdefghijkxm\"]", CFGATE_VALID},
      {"{\"uniqueItems\":true}", "[\"abcdefghijklm\",\"abcdefghijklm\"]", CFGATE_INVALID},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    cfgate_validator *v = harness_build(cases[i].schema);
    for (size_t chunk = 0; chunk <= 9; chunk++) {
      harness_result r;
      harness_run(v, NULL, NULL, cases[i].instance, strlen(cases[i].instance), chunk, &r);
      if (r.verdict != cases[i].expected)
        fail_msg("%s in chunks of %zu: verdict %d, expected %d", cases[i].instance, chunk, r.verdict,
                 cases[i].expected);
    }
    ir_free(v);
  }
}

/* A value unknown offline never takes the fast path: an untyped minimum
 * on it is unverified, not passed. */
static void unknown_scalar_unverified(void **state) {
  (void)state;
  cfgate_validator *v = harness_build("{\"properties\":{\"n\":{\"minimum\":1}}}");
  void *workspace;
  cfgate_session *s = event_session(v, &workspace);

  cfgate_event_begin_object(s);
  cfgate_event_key(s, "n", 1);
  cfgate_event_unknown(s);
  cfgate_event_end_object(s);
  assert_int_equal(cfgate_finish(s), CFGATE_UNVERIFIED);
  assert_int_equal(cfgate_error_count(s), 1);
  assert_string_equal(cfgate_error_at(s, 0)->keyword, "minimum");
  free(workspace);
  ir_free(v);
}

/* Runs one unknown string under property "p" of schema and returns the
 * verdict; *keyword gets the first finding's keyword or "". */
static cfgate_verdict unknown_string_verdict(const char *schema, const char **keyword,
                                             int *unverified) {
  static char kept[32];
  cfgate_validator *v = harness_build(schema);
  void *workspace;
  cfgate_session *s = event_session(v, &workspace);

  cfgate_event_begin_object(s);
  cfgate_event_key(s, "p", 1);
  cfgate_event_unknown_string(s);
  cfgate_event_end_object(s);
  cfgate_verdict verdict = cfgate_finish(s);
  const cfgate_error *first = cfgate_error_count(s) ? cfgate_error_at(s, 0) : NULL;
  snprintf(kept, sizeof kept, "%s", first && first->keyword ? first->keyword : "");
  *unverified = first ? first->unverified : 0;
  *keyword = kept;

  free(workspace);
  ir_free(v);
  return verdict;
}

/* A string known only at deployment has a known type: only the keywords its
 * text decides are unverified. */
static void unknown_string_typed(void **state) {
  (void)state;
  const char *keyword;
  int unverified;

  assert_int_equal(unknown_string_verdict("{\"properties\":{\"p\":{\"type\":\"string\"}}}",
                                          &keyword, &unverified),
                   CFGATE_VALID);
  assert_int_equal(unknown_string_verdict("{\"properties\":{\"p\":{\"minimum\":1}}}", &keyword,
                                          &unverified),
                   CFGATE_VALID);
  assert_int_equal(unknown_string_verdict("{\"properties\":{\"p\":{\"type\":\"array\"}}}",
                                          &keyword, &unverified),
                   CFGATE_INVALID);
  assert_string_equal(keyword, "type");
  assert_int_equal(unverified, 0);
  assert_int_equal(
      unknown_string_verdict("{\"properties\":{\"p\":{\"type\":\"string\",\"pattern\":\"^a\"}}}",
                             &keyword, &unverified),
      CFGATE_UNVERIFIED);
  assert_string_equal(keyword, "pattern");
  assert_int_equal(unverified, 1);
  assert_int_equal(unknown_string_verdict("{\"properties\":{\"p\":{\"enum\":[\"a\"]}}}",
                                          &keyword, &unverified),
                   CFGATE_UNVERIFIED);
  assert_string_equal(keyword, "enum");
}

/* One item is always unique, even when its value is unknown. */
static void unique_one_unknown_item(void **state) {
  (void)state;
  cfgate_validator *v = harness_build("{\"type\":\"array\",\"uniqueItems\":true}");
  void *workspace;
  cfgate_session *s = event_session(v, &workspace);

  cfgate_event_begin_array(s);
  cfgate_event_unknown_string(s);
  cfgate_event_end_array(s);
  assert_int_equal(cfgate_finish(s), CFGATE_VALID);

  cfgate_session_reset(s);
  cfgate_event_begin_array(s);
  cfgate_event_unknown_string(s);
  cfgate_event_string(s, "a", 1);
  cfgate_event_end_array(s);
  assert_int_equal(cfgate_finish(s), CFGATE_UNVERIFIED);
  assert_string_equal(cfgate_error_at(s, 0)->keyword, "uniqueItems");
  free(workspace);
  ir_free(v);
}

/* A type error on a boolean names the value, as it does for a number. */
static void boolean_type_error_names_value(void **state) {
  (void)state;
  cfgate_validator *v = harness_build("{\"type\":\"integer\"}");
  cfgate_options options;
  cfgate_options_default(&options);
  harness_result result;

  harness_run(v, &options, NULL, "false", 5, 5, &result);
  assert_int_equal(result.verdict, CFGATE_INVALID);
  assert_string_equal(result.errors[0].message, "expected integer, got boolean false");
  ir_free(v);
}

/* Runs document against both validators with every finding kept and
 * fails the test when the findings differ in anything but schema path. */
static void assert_same_findings(const cfgate_validator *fast, const cfgate_validator *full,
                                 const char *document, size_t chunk) {
  cfgate_options options;
  cfgate_options_default(&options);
  options.all_errors = 1;
  harness_result a, b;
  harness_run(fast, &options, NULL, document, strlen(document), chunk, &a);
  harness_run(full, &options, NULL, document, strlen(document), chunk, &b);

  if (a.verdict != b.verdict || a.error_count != b.error_count)
    fail_msg("%s (chunk %zu): verdicts %d and %d, %zu and %zu findings", document, chunk,
             a.verdict, b.verdict, a.error_count, b.error_count);
  for (size_t i = 0; i < a.error_count; i++) {
    const harness_error *x = &a.errors[i], *y = &b.errors[i];
    if (strcmp(x->message, y->message) != 0 || strcmp(x->keyword, y->keyword) != 0 ||
        strcmp(x->instance_path, y->instance_path) != 0 || x->line != y->line ||
        x->column != y->column)
      fail_msg("%s (chunk %zu): finding %zu differs: %s %s %u:%u \"%s\" against %s %s %u:%u \"%s\"",
               document, chunk, i, x->instance_path, x->keyword, x->line, x->column, x->message,
               y->instance_path, y->keyword, y->line, y->column, y->message);
  }
}

/* A string checked in a frame off the stack, and replayed through the
 * full path when it fails, gets the same findings at the same positions
 * as a string that takes the full path from the start. An empty allOf
 * next to the same keywords keeps a schema off the fast path. */
static void string_fast_path_findings(void **state) {
  (void)state;
  static const char *const strings[] = {
      "\"type\":\"string\",\"maxLength\":5",
      "\"type\":\"string\",\"minLength\":2,\"maxLength\":3",
      "\"enum\":[\"Enabled\",\"Disabled\",\"En\"]",
      "\"type\":\"string\",\"pattern\":\"^[a-z]+$\"",
      "\"pattern\":\"^[a-z]+$\",\"maxLength\":4,\"enum\":[\"abc\",\"abcdef\",\"Enabled\"]",
      "\"const\":\"abc\"",
  };
  static const char *const documents[] = {
      "{\n  \"s\": \"abc\"\n}",
      "{\n  \"s\": \"\",\n  \"t\": [\"Enabled\",\n  \"x\\ny\", \"abc\"]\n}",
      "{\"s\":\"Enabled\",\"t\":[\"\\u00e9\\u00e9\\u00e9\",\"En\",\"Disabled\",\"abcdef\"]}",
      "{\"s\":\"a-string-well-beyond-the-forty-eight-bytes-of-the-preview\",\"t\":[\"abc\",\"abc\"]}",
      "{\"t\":[\"Enabled\",\"\\ud83d\\ude00\",\"ab\"],\"s\":\"abcd\"}",
  };

  for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++) {
    char fast_text[512], full_text[512];
    snprintf(fast_text, sizeof fast_text,
             "{\"properties\":{\"s\":{%s},\"t\":{\"items\":{%s},\"uniqueItems\":true}}}", strings[i],
             strings[i]);
    snprintf(full_text, sizeof full_text,
             "{\"properties\":{\"s\":{\"allOf\":[{}],%s},\"t\":{\"items\":{\"allOf\":[{}],%s},"
             "\"uniqueItems\":true}}}",
             strings[i], strings[i]);
    cfgate_validator *fast = harness_build(fast_text);
    cfgate_validator *full = harness_build(full_text);
    for (size_t d = 0; d < sizeof documents / sizeof documents[0]; d++) {
      assert_same_findings(fast, full, documents[d], 0);
      assert_same_findings(fast, full, documents[d], 1);
      assert_same_findings(fast, full, documents[d], 7);
    }
    ir_free(fast);
    ir_free(full);
  }
}

/* A string replayed after failing on the fast path needs no more arena
 * than the full path: at the smallest limits that fit, it still reports
 * its pattern finding instead of a limit. */
static void string_replay_within_limits(void **state) {
  (void)state;
  cfgate_validator *v = harness_build("{\"required\":[\"a\"],\"properties\":{\"a\":{\"pattern\":\"^x+$\"}}}");
  cfgate_options options;
  cfgate_options_default(&options);
  options.limits.max_frames = 2;
  harness_result r;
  harness_run(v, &options, NULL, "{\"a\":\"y\"}", 9, 0, &r);

  assert_int_equal(r.verdict, CFGATE_INVALID);
  assert_int_equal(r.error_count, 1);
  assert_string_equal(r.errors[0].keyword, "pattern");
  harness_run(v, &options, NULL, "{\"a\":\"xx\"}", 10, 0, &r);
  assert_int_equal(r.verdict, CFGATE_VALID);
  ir_free(v);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(keyword_verdicts),
      cmocka_unit_test(required_counts),    cmocka_unit_test(error_fields),
      cmocka_unit_test(error_positions),
      cmocka_unit_test(first_error_mode),    cmocka_unit_test(additional_property_error),
      cmocka_unit_test(pattern_property_name_error),
      cmocka_unit_test(malformed_position),  cmocka_unit_test(malformed_after_verdict),
      cmocka_unit_test(path_escapes_every_position), cmocka_unit_test(path_copies_plain_names), cmocka_unit_test(path_writes_item_indexes),  cmocka_unit_test(limits_fail_closed),
      cmocka_unit_test(chunk_sizes_agree),   cmocka_unit_test(unique_strings_across_chunks),
      cmocka_unit_test(previews_from_reused_buffer), cmocka_unit_test(deferred_paths_across_chunks),
      cmocka_unit_test(repeated_property_name_is_malformed),   cmocka_unit_test(coercion_mode),
      cmocka_unit_test(name_hashes_differ), cmocka_unit_test(property_names_every_length),
      cmocka_unit_test(enum_strings_every_length),
      cmocka_unit_test(coercion_reaches_branches),
      cmocka_unit_test(coercion_unique_items),
      cmocka_unit_test(placeholders_bound),
      cmocka_unit_test(plain_schema_keeps_escape_text),
      cmocka_unit_test(placeholder_missing),
      cmocka_unit_test(placeholder_empty_value), cmocka_unit_test(placeholder_bound_twice),
      cmocka_unit_test(placeholder_value_not_text),
      cmocka_unit_test(max_depth_counts_scalars), cmocka_unit_test(syntax_after_limits),
      cmocka_unit_test(unknown_values),      cmocka_unit_test(event_order_checked),
      cmocka_unit_test(recursion_without_input_fails), cmocka_unit_test(deep_document_rejected),
      cmocka_unit_test(scalar_fast_path_agrees),
      cmocka_unit_test(array_finish_checks), cmocka_unit_test(unknown_scalar_unverified),
      cmocka_unit_test(string_fast_path_findings), cmocka_unit_test(empty_tuple_additional_items),
      cmocka_unit_test(string_replay_within_limits), cmocka_unit_test(string_preview_escapes),
      cmocka_unit_test(instance_path_keeps_nul), cmocka_unit_test(unknown_string_typed),
      cmocka_unit_test(boolean_type_error_names_value), cmocka_unit_test(unique_one_unknown_item),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
