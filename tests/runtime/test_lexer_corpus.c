/*
 * JSON tokenizer on real documents: every provider schema and every file of
 * the JSON Schema Test Suite must be accepted, and feeding them whole, in
 * 1-byte and in 7-byte chunks must give identical event logs. Truncated
 * copies must be rejected with the same error in every chunking, and
 * copies with a few bytes overwritten must give the same log in every
 * chunking.
 */
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "test_lexer_recorder.h"

#ifndef CFGATE_CORPUS_DIR
#error "CFGATE_CORPUS_DIR must name the corpus folder"
#endif

/* Counts of what one walk checked, so a test can fail when it saw nothing. */
typedef struct corpus_stats {
  size_t files;
  size_t bytes;
  size_t truncations;
  size_t mutations;
} corpus_stats;

static unsigned char *read_file(const char *path, size_t *len) {
  FILE *file = fopen(path, "rb");
  unsigned char *data;
  long size;

  assert_non_null(file);
  assert_int_equal(fseek(file, 0, SEEK_END), 0);
  size = ftell(file);
  assert_true(size >= 0);
  rewind(file);

  data = malloc((size_t)size + 1);
  assert_non_null(data);
  assert_int_equal(fread(data, 1, (size_t)size, file), (size_t)size);
  fclose(file);
  *len = (size_t)size;
  return data;
}

static int has_suffix(const char *name, const char *suffix) {
  size_t n = strlen(name), s = strlen(suffix);

  return n >= s && strcmp(name + n - s, suffix) == 0;
}

/* must_accept: 1 the text is valid, 0 it is malformed, -1 either. */
static void check_chunkings(const char *path, const unsigned char *data, size_t len, int must_accept) {
  char *whole = recorder_tokenize(data, len, 0);
  char *bytewise = recorder_tokenize(data, len, 1);
  char *sevens = recorder_tokenize(data, len, 7);

  if (must_accept == 1 && !has_suffix(whole, "\nok\n"))
    print_error("%s: %s\n", path, strstr(whole, "error") ? strstr(whole, "error") : whole);
  if (must_accept == 1)
    assert_true(has_suffix(whole, "\nok\n"));
  else if (must_accept == 0)
    assert_true(has_suffix(whole, "\nrejected\n"));
  else
    assert_true(has_suffix(whole, "\nok\n") || has_suffix(whole, "\nrejected\n"));
  assert_string_equal(bytewise, whole);
  assert_string_equal(sevens, whole);
  free(whole);
  free(bytewise);
  free(sevens);
}

/* Cuts the document at a few places inside it; each prefix is malformed. */
static void check_truncations(const char *path, const unsigned char *data, size_t len, corpus_stats *stats) {
  size_t cuts[] = {len / 3, len / 2, len - 2};

  for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
    if (cuts[i] == 0 || cuts[i] >= len)
      continue;
    check_chunkings(path, data, cuts[i], 0);
    stats->truncations++;
  }
}

/* Overwrites a few bytes chosen by a fixed pseudo-random sequence with
 * bytes that often break JSON: quotes, brackets, commas, controls and
 * UTF-8 lead bytes. The result must tokenize the same in every chunking. */
static void check_mutations(const char *path, const unsigned char *data, size_t len, corpus_stats *stats) {
  static const unsigned char noise[] = {'"', '\\', '{', '}', '[', ']', ',', ':', '0', '-', 'e', '.', 0x00,
                                        0x0a, 0x1f, 0x7f, 0x80, 0xc3, 0xe2, 0xed, 0xf0, 0xf4, 0xff, ' '};
  unsigned char *copy = malloc(len);
  uint32_t seed = (uint32_t)len * 2654435761u + 1u;

  assert_non_null(copy);
  for (int round = 0; round < 4; round++) {
    memcpy(copy, data, len);
    for (int flips = 0; flips <= round; flips++) {
      seed = seed * 1103515245u + 12345u;
      copy[(seed >> 8) % len] = noise[(seed >> 3) % sizeof noise];
    }
    check_chunkings(path, copy, len, -1);
    stats->mutations++;
  }
  free(copy);
}

static void check_file(const char *path, corpus_stats *stats) {
  size_t len;
  unsigned char *data = read_file(path, &len);

  check_chunkings(path, data, len, 1);
  if (stats->files % 16 == 0)
    check_truncations(path, data, len, stats);
  if (stats->files % 8 == 0 && len > 0)
    check_mutations(path, data, len, stats);
  stats->files++;
  stats->bytes += len;
  free(data);
}

static int compare_names(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Checks every .json file below dir, in name order. */
static void walk(const char *dir, corpus_stats *stats) {
  DIR *handle = opendir(dir);
  struct dirent *entry;
  char **names = NULL;
  size_t count = 0;

  if (handle == NULL)
    fail_msg("cannot open corpus folder %s", dir);
  while ((entry = readdir(handle)) != NULL) {
    if (entry->d_name[0] == '.')
      continue;
    names = realloc(names, (count + 1) * sizeof *names);
    assert_non_null(names);
    names[count++] = strdup(entry->d_name);
  }
  closedir(handle);
  qsort(names, count, sizeof *names, compare_names);

  for (size_t i = 0; i < count; i++) {
    char path[4096];
    struct stat info;

    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    assert_int_equal(stat(path, &info), 0);
    if (S_ISDIR(info.st_mode))
      walk(path, stats);
    else if (has_suffix(names[i], ".json"))
      check_file(path, stats);
    free(names[i]);
  }
  free(names);
}

static void lexer_corpus_provider_schemas(void **state) {
  corpus_stats stats = {0, 0, 0, 0};

  (void)state;
  walk(CFGATE_CORPUS_DIR "/cfn-schemas/us-east-1", &stats);
  print_message("provider schemas: %zu files, %zu bytes, %zu truncations, %zu mutations\n", stats.files,
                stats.bytes, stats.truncations, stats.mutations);
  assert_true(stats.files >= 1000);
}

static void lexer_corpus_test_suite(void **state) {
  corpus_stats stats = {0, 0, 0, 0};

  (void)state;
  walk(CFGATE_CORPUS_DIR "/json-schema-test-suite", &stats);
  print_message("test suite: %zu files, %zu bytes, %zu truncations, %zu mutations\n", stats.files,
                stats.bytes, stats.truncations, stats.mutations);
  assert_true(stats.files >= 50);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(lexer_corpus_provider_schemas),
    cmocka_unit_test(lexer_corpus_test_suite),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
