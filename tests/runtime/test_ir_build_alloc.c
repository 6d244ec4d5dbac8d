/*
 * Failing-allocator loop for ir_build: the n-th allocation fails, for every
 * n until a build succeeds. Each failed build must report "out of memory"
 * and release everything it allocated. Linked with --wrap for malloc,
 * calloc, realloc and free, so the count covers the compiler and runtime
 * libraries (but not jansson, a shared library with its own allocator).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "ir/ir_build.h"

void *__real_malloc(size_t size);
void *__real_calloc(size_t count, size_t size);
void *__real_realloc(void *pointer, size_t size);
void __real_free(void *pointer);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t count, size_t size);
void *__wrap_realloc(void *pointer, size_t size);
void __wrap_free(void *pointer);

static long allocations_left = -1; /* -1: no failure planned */
static long outstanding;

static int allocation_fails(void) {
  if (allocations_left == 0)
    return 1;
  if (allocations_left > 0)
    allocations_left--;
  return 0;
}

void *__wrap_malloc(size_t size) {
  void *p = allocation_fails() ? NULL : __real_malloc(size);
  outstanding += p != NULL;
  return p;
}

void *__wrap_calloc(size_t count, size_t size) {
  void *p = allocation_fails() ? NULL : __real_calloc(count, size);
  outstanding += p != NULL;
  return p;
}

void *__wrap_realloc(void *pointer, size_t size) {
  void *p = allocation_fails() ? NULL : __real_realloc(pointer, size);
  outstanding += p != NULL && pointer == NULL;
  return p;
}

void __wrap_free(void *pointer) {
  outstanding -= pointer != NULL;
  __real_free(pointer);
}

static const char *const schema_text =
    "{\"$id\":\"http://example.com/root.json\",\"type\":\"object\","
    "\"x-cfgate\":{\"placeholders\":[\"AWS::Region\"]},\"required\":[\"a\",\"b\"],"
    "\"properties\":{\"a\":{\"$ref\":\"#/definitions/name\"},\"b\":{\"enum\":[\"x\",\"${AWS::Region}-y\","
    "{\"k\":[1,2.5]},null]},\"c\":{\"items\":[{\"type\":\"integer\",\"minimum\":1}],"
    "\"additionalItems\":false,\"uniqueItems\":true}},\"patternProperties\":{\"^x-\":true},"
    "\"dependencies\":{\"a\":[\"b\"],\"c\":{\"not\":{\"required\":[\"z\"]}}},"
    "\"additionalProperties\":false,\"anyOf\":[{\"maxProperties\":3},{\"if\":{\"minProperties\":1},"
    "\"then\":{\"propertyNames\":{\"maxLength\":8}}}],"
    "\"definitions\":{\"name\":{\"type\":\"string\",\"pattern\":\"^[a-z]+$\",\"maxLength\":10}}}";

static void every_allocation_failure(void **state) {
  (void)state;
  json_t *schema = json_loads(schema_text, 0, NULL);
  assert_non_null(schema);

  long n;
  for (n = 0; n < 100000; n++) {
    ir_error error;
    outstanding = 0;
    allocations_left = n;
    cfgate_validator *v = ir_build(schema, NULL, &error);
    allocations_left = -1;
    if (v) {
      ir_free(v);
      assert_int_equal(outstanding, 0);
      break;
    }
    if (!strstr(error.message, "out of memory"))
      fail_msg("allocation %ld failed: expected \"out of memory\", got \"%s\"", n, error.message);
    if (outstanding != 0)
      fail_msg("allocation %ld failed: %ld blocks not released", n, outstanding);
  }
  print_message("the build succeeds from %ld allocations on\n", n);
  assert_true(n > 10);
  assert_true(n < 100000);
  json_decref(schema);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(every_allocation_failure),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
