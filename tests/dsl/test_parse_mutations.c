/*
 * Parser robustness: thousands of byte-level mutations of the example
 * policy go through the lexer and parser. Each run must finish, and every
 * diagnostic must point inside the file it names.
 *
 * usage: test_dsl_parse_mutations EXAMPLE_POLICY
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "parse.h"

enum { MUTATION_RUNS = 3000, MAX_SOURCE = 1 << 16 };

static char original[MAX_SOURCE];
static size_t original_len;

/* A fixed-seed linear congruential generator, so failures reproduce. */
static uint32_t next_random(uint32_t *state) {
  *state = *state * 1103515245u + 12345u;
  return *state >> 8;
}

static size_t mutate(char *text, size_t len, uint32_t *state) {
  static const char pieces[] = "{}[].*=;\"#\n\\$!:,0123456789 \t\x80\xff";
  int edits = 1 + (int)(next_random(state) % 4);
  for (int e = 0; e < edits && len > 0; e++) {
    size_t at = next_random(state) % len;
    char byte = pieces[next_random(state) % (sizeof pieces - 1)];
    switch (next_random(state) % 3) {
    case 0:
      text[at] = byte;
      break;
    case 1:
      memmove(text + at, text + at + 1, len - at - 1);
      len--;
      break;
    default:
      if (len + 1 < MAX_SOURCE) {
        memmove(text + at + 1, text + at, len - at);
        text[at] = byte;
        len++;
      }
      break;
    }
  }
  return len;
}

static void check_positions(const diag_sink *sink, const src_file *file) {
  for (size_t i = 0; i < sink->count; i++) {
    const diag *d = &sink->items[i];
    assert_true(d->has_span);
    assert_true(d->span.start <= d->span.end);
    assert_true(d->span.end <= file->len);

    uint32_t line, column;
    diag_position(sink, d, &line, &column);
    assert_true(line >= 1 && line <= file->line_count);
    assert_true(column >= 1);
    assert_non_null(d->message);
  }
}

static void parse_mutated_policies(void **state) {
  static char text[MAX_SOURCE];
  uint32_t seed = 20261204u;
  size_t with_errors = 0;

  for (int run = 0; run < MUTATION_RUNS; run++) {
    memcpy(text, original, original_len);
    size_t len = mutate(text, original_len, &seed);

    arena a;
    arena_init(&a);
    src_set sources;
    src_set_init(&sources, &a);
    diag_sink sink;
    diag_sink_init(&sink, &a, &sources, 0);
    uint32_t file = src_set_add(&sources, "mutated.gate", text, len);

    ast_file parsed;
    size_t errors = parse_file(&a, &sink, &sources, file, &parsed);
    assert_int_equal(errors, sink.errors);
    check_positions(&sink, &sources.files[file]);
    with_errors += errors > 0;

    diag_sink_fini(&sink);
    src_set_fini(&sources);
    arena_fini(&a);
  }

  /* Most mutations break the syntax; a run where none does would mean the
   * mutations never reached the parser. */
  assert_true(with_errors > MUTATION_RUNS / 4);
}

static void parse_unmodified_policy(void **state) {
  arena a;
  arena_init(&a);
  src_set sources;
  src_set_init(&sources, &a);
  diag_sink sink;
  diag_sink_init(&sink, &a, &sources, 0);
  uint32_t file = src_set_add(&sources, "example.gate", original, original_len);

  ast_file parsed;
  assert_int_equal(parse_file(&a, &sink, &sources, file, &parsed), 0);
  size_t decls = 0;
  for (const ast_decl *decl = parsed.decls; decl; decl = decl->next)
    decls++;
  assert_int_equal(decls, 6); /* context, let and four types */

  diag_sink_fini(&sink);
  src_set_fini(&sources);
  arena_fini(&a);
}

int main(int argc, char **argv) {
  FILE *file = argc == 2 ? fopen(argv[1], "rb") : NULL;
  if (!file) {
    fprintf(stderr, "usage: test_dsl_parse_mutations EXAMPLE_POLICY\n");
    return 2;
  }
  original_len = fread(original, 1, sizeof original - 1, file);
  fclose(file);

  const struct CMUnitTest tests[] = {
      cmocka_unit_test(parse_unmodified_policy),
      cmocka_unit_test(parse_mutated_policies),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
