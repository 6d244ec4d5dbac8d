/*
 * Unit tests of the DSL compiler's small modules: SHA-256, placeholder
 * scanning and substitution, "did you mean" suggestions, and template
 * instantiation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "instantiate.h"
#include "placeholder.h"
#include "sha256.h"
#include "suggest.h"
#include "template_verify.h"

static void sha256_known_vectors(void **state) {
  char hex[SHA256_HEX_SIZE];
  sha256_hex("", 0, hex);
  assert_string_equal(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  sha256_hex("abc", 3, hex);
  assert_string_equal(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  const char *two_blocks = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
  sha256_hex(two_blocks, strlen(two_blocks), hex);
  assert_string_equal(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void sha256_million_a_in_chunks(void **state) {
  char chunk[1001];
  memset(chunk, 'a', sizeof chunk);
  sha256_ctx ctx;
  sha256_init(&ctx);
  for (int i = 0; i < 1000; i++)
    sha256_update(&ctx, chunk, i % 2 ? 999 : 1001);

  unsigned char digest[SHA256_DIGEST_SIZE];
  sha256_final(&ctx, digest);
  static const unsigned char expected[4] = {0xcd, 0xc7, 0x6e, 0x5c};
  assert_memory_equal(digest, expected, sizeof expected);
  assert_int_equal(digest[31], 0xd0);
}

static void placeholder_name_forms(void **state) {
  assert_int_equal(placeholder_name_length("AWS::Region}"), 11);
  assert_int_equal(placeholder_name_length("OrganizationId}x"), 14);
  assert_int_equal(placeholder_name_length("1,128}"), 0);
  assert_int_equal(placeholder_name_length("AWS::}"), 0);
  assert_int_equal(placeholder_name_length("AWS::Region"), 0);
}

/* Escapes the first len bytes of text and checks the result, NUL bytes included. */
static void assert_escape(const char *text, size_t len, const char *expected, size_t expected_len) {
  size_t escaped_len = 0;
  char *escaped = placeholder_escape(text, len, &escaped_len);
  assert_int_equal(escaped_len, expected_len);
  assert_memory_equal(escaped, expected, expected_len);
  assert_int_equal(escaped[escaped_len], '\0');
  free(escaped);
}

#define ASSERT_ESCAPE(text, expected) \
  assert_escape(text, sizeof text - 1, expected, sizeof expected - 1)

static void placeholder_escape_provider_text(void **state) {
  ASSERT_ESCAPE("^[a-z]${1,128}$", "^[a-z]${1,128}$");
  ASSERT_ESCAPE("x${AWS::Region}y", "x${!AWS::Region}y");
  ASSERT_ESCAPE("${!z", "${!!z");
}

static void placeholder_escape_keeps_nul_bytes(void **state) {
  ASSERT_ESCAPE("a${AWS::Region}\0b${!c\0", "a${!AWS::Region}\0b${!!c\0");
  ASSERT_ESCAPE("\0${X}\0", "\0${!X}\0");
  ASSERT_ESCAPE("${\0X}", "${\0X}");
  ASSERT_ESCAPE("${X\0}", "${X\0}");

  /* The '}' after the bound is not read, so "${AB" is not a placeholder. */
  assert_escape("x${AB}", 5, "x${AB", 5);
  assert_escape("x${!", 3, "x${", 3);
}

static const char *lookup_region(void *data, const char *name, size_t len, int *missing) {
  if (len == 11 && memcmp(name, "AWS::Region", len) == 0)
    return data;
  if (len == 14 && memcmp(name, "AWS::AccountId", len) == 0)
    *missing = 1;
  return NULL;
}

/* Substitutes text (a C string) with lookup_region and the value region. */
static char *substitute(const char *text, int regex, const char *region, char *missing,
                        size_t missing_size) {
  size_t len = 0;
  char *result = placeholder_substitute(text, strlen(text), regex, lookup_region, (void *)region,
                                        missing, missing_size, &len);
  if (result)
    assert_int_equal(len, strlen(result));
  return result;
}

static void placeholder_substitute_cases(void **state) {
  char missing[64] = "";
  char *regex = substitute("^${AWS::Region}$", 1, "us.east(1)", missing, sizeof missing);
  assert_string_equal(regex, "^us\\.east\\(1\\)$");
  char *plain = substitute("${AWS::Region}", 0, "us.east", missing, sizeof missing);
  assert_string_equal(plain, "us.east");
  char *escaped =
      substitute("${!AWS::Region} ${1,2} ${Other}", 1, "r", missing, sizeof missing);
  assert_string_equal(escaped, "${AWS::Region} ${1,2} ${Other}");
  char *failed = substitute("a${AWS::AccountId}", 0, "r", missing, sizeof missing);
  assert_null(failed);
  assert_string_equal(missing, "AWS::AccountId");
  free(regex);
  free(plain);
  free(escaped);
}

static void placeholder_substitute_keeps_nul_bytes(void **state) {
  static const char text[] = "${AWS::Region}\0${!AWS::Region}\0${AWS::Region\0}";
  static const char expected[] = "us\0${AWS::Region}\0${AWS::Region\0}";
  char missing[64] = "";
  size_t len = 0;
  char *result = placeholder_substitute(text, sizeof text - 1, 0, lookup_region, "us", missing,
                                        sizeof missing, &len);
  assert_non_null(result);
  assert_int_equal(len, sizeof expected - 1);
  assert_memory_equal(result, expected, len);
  free(result);

  /* The '}' after the bound is not read, so "${AWS::Region" stays text. */
  result = placeholder_substitute("${AWS::Region}", 13, 0, lookup_region, "us", missing,
                                  sizeof missing, &len);
  assert_int_equal(len, 13);
  assert_memory_equal(result, "${AWS::Region", 13);
  free(result);
}

static void suggest_closest_names(void **state) {
  suggest s;
  suggest_init(&s, "BuckName");
  suggest_offer(&s, "Tags");
  suggest_offer(&s, "BucketName");
  suggest_offer(&s, "BuckNames");
  suggest_offer(&s, "BucketNamesList");
  char text[128];
  suggest_format(&s, text, sizeof text);
  assert_string_equal(text, " (did you mean 'BuckNames' or 'BucketName'?)");

  suggest_init(&s, "Zzzzzz");
  suggest_offer(&s, "Tags");
  suggest_format(&s, text, sizeof text);
  assert_string_equal(text, "");
}

static void instantiate_keywords_only(void **state) {
  json_t *template_schema = json_loads(
      "{\"properties\": {\"pattern\": {\"pattern\": \"^${AWS::Region}$\"},"
      " \"enum\": {\"enum\": [\"${AWS::Region}\"], \"description\": \"${AWS::Region}\"}},"
      " \"x-cfgate\": {\"placeholders\": [\"AWS::Region\"]}}",
      0, NULL);
  assert_non_null(template_schema);
  instantiate_value values[] = {{"AWS::Region", "eu.west"}};
  char error[256];
  json_t *out = instantiate_template(template_schema, values, 1, error, sizeof error);
  assert_non_null(out);

  json_t *properties = json_object_get(out, "properties");
  assert_string_equal(
      json_string_value(json_object_get(json_object_get(properties, "pattern"), "pattern")),
      "^eu\\.west$");
  json_t *enum_node = json_object_get(properties, "enum");
  assert_string_equal(json_string_value(json_array_get(json_object_get(enum_node, "enum"), 0)),
                      "eu.west");
  assert_string_equal(json_string_value(json_object_get(enum_node, "description")),
                      "${AWS::Region}");
  assert_null(json_object_get(json_object_get(out, "x-cfgate"), "placeholders"));

  json_t *missing = instantiate_template(template_schema, NULL, 0, error, sizeof error);
  assert_null(missing);
  assert_string_equal(error,
                      "no value for placeholder 'AWS::Region' (pass --context AWS::Region=VALUE)");
  json_decref(out);
  json_decref(template_schema);
}

static void verify_template_cases(void **state) {
  static const struct {
    const char *schema;
    int ok;
    const char *problem;
  } cases[] = {
      {"{\"properties\": {\"A\": {\"type\": \"string\"}}, \"additionalProperties\": false}", 1, ""},
      {"{\"properties\": {\"A\": {\"properties\": {}}}, \"additionalProperties\": false}", 0,
       "schema location '/properties/A/additionalProperties': an object with properties has no "
       "additionalProperties false"},
      {"{\"properties\": {\"A\": {\"$ref\": \"#/definitions/B\"}}, \"additionalProperties\": "
       "false}",
       0, "schema location '/properties/A/$ref': reference to a missing definition "
          "\"#/definitions/B\""},
      {"{\"properties\": {\"A\": {\"$ref\": \"#/definitions/B\"}}, \"additionalProperties\": false,"
       " \"definitions\": {\"B\": {\"oneOf\": [{\"properties\": {}}]}}}",
       0, "schema location '/definitions/B/oneOf/0/additionalProperties': an object with properties "
          "has no additionalProperties false"},
      {"{\"properties\": {}, \"additionalProperties\": false, \"enum\": [{\"properties\": {}}]}", 1,
       ""},
      {"{\"properties\": {\"A\": {}}, \"additionalProperties\": false, \"patternProperties\": "
       "{\".*\": {}}}",
       0, "schema location '/patternProperties': patternProperties next to properties let names "
          "through that additionalProperties false rejects"},
      {"{\"properties\": {\"A\": {\"patternProperties\": {\"^x$\": {}}, \"additionalProperties\": "
       "true}}, \"additionalProperties\": false}",
       0, "schema location '/properties/A/additionalProperties': additionalProperties is not false, "
          "so names outside properties pass"},
      {"{\"properties\": {\"A\": {\"additionalProperties\": {}}}, \"additionalProperties\": false}",
       0, "schema location '/properties/A/additionalProperties': additionalProperties is not false, "
          "so names outside properties pass"},
      {"{\"properties\": {\"A\": {\"items\": [{}], \"additionalItems\": {}}}, "
       "\"additionalProperties\": false}",
       0, "schema location '/properties/A/additionalItems': additionalItems is not false, so items "
          "past the listed ones pass"},
      {"{\"properties\": {\"A\": {\"$ref\": \"#/definitions/B\", \"properties\": {}, "
       "\"additionalProperties\": false}}, \"additionalProperties\": false, \"definitions\": "
       "{\"B\": {}}}",
       0, "schema location '/properties/A/properties': a keyword next to $ref, which draft-07 "
          "ignores"},
      {"{\"properties\": {\"A\": {\"$id\": \"http://example.com/a.json\", \"properties\": "
       "{\"B\": {\"$ref\": \"#/definitions/X\"}}, \"additionalProperties\": false, \"definitions\": "
       "{\"X\": {}}}}, \"additionalProperties\": false, \"definitions\": {\"X\": {\"maxLength\": 1}}}",
       0, "schema location '/properties/A/$id': $id would make a $ref below it resolve to other "
          "definitions"},
      {"{\"properties\": {\"A\": {\"$ref\": \"#/definitions/B\", \"description\": \"d\"}, "
       "\"M\": {\"patternProperties\": {\"^x$\": {}}, \"additionalProperties\": false}}, "
       "\"additionalProperties\": false, \"definitions\": {\"B\": {}}}",
       1, ""},
  };

  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    json_t *schema = json_loads(cases[i].schema, 0, NULL);
    assert_non_null(schema);
    char problem[256];
    assert_int_equal(template_verify(schema, problem, sizeof problem), cases[i].ok);
    assert_string_equal(problem, cases[i].problem);
    json_decref(schema);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(sha256_known_vectors),
      cmocka_unit_test(sha256_million_a_in_chunks),
      cmocka_unit_test(placeholder_name_forms),
      cmocka_unit_test(placeholder_escape_provider_text),
      cmocka_unit_test(placeholder_escape_keeps_nul_bytes),
      cmocka_unit_test(placeholder_substitute_cases),
      cmocka_unit_test(placeholder_substitute_keeps_nul_bytes),
      cmocka_unit_test(suggest_closest_names),
      cmocka_unit_test(instantiate_keywords_only),
      cmocka_unit_test(verify_template_cases),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
