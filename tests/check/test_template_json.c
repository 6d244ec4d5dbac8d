/*
 * JSON template reader: the tree it builds against libyaml's reading of the
 * same text, positions and characters a YAML reader treats otherwise,
 * limits, duplicate keys, and syntax errors with line and column.
 */
#define _DEFAULT_SOURCE /* DT_DIR */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "template_json.h"
#include "template_load.h"

typedef struct loaded {
  tnode_arena arena;
  tnode *root;
  template_error error;
} loaded;

static loaded *load_bytes(loaded *result, const char *text, size_t len) {
  tnode_arena_init(&result->arena);
  result->root = template_load(&result->arena, (const unsigned char *)text, len, &result->error);
  return result;
}

static loaded *load_text(const char *text) {
  static loaded result;
  return load_bytes(&result, text, strlen(text));
}

/* Reads text with the JSON reader alone, without the jansson check. */
static loaded *read_text(const char *text) {
  static loaded result;
  tnode_arena_init(&result.arena);
  result.root = template_json_read(&result.arena, (const unsigned char *)text, strlen(text),
                                   &result.error);
  return &result;
}

static void unload(loaded *result) { tnode_arena_fini(&result->arena); }

static void assert_error(const loaded *t, uint32_t line, uint32_t column, const char *message) {
  assert_null(t->root);
  assert_string_equal(t->error.message, message);
  assert_int_equal(t->error.line, line);
  assert_int_equal(t->error.column, column);
}

/* Asserts that two trees have the same kinds, texts, keys and positions,
 * where the lines of b are line_offset lower than those of a. */
static void assert_same_tree(const tnode *a, const tnode *b, uint32_t line_offset) {
  assert_int_equal(a->kind, b->kind);
  assert_int_equal(a->line + line_offset, b->line);
  assert_int_equal(a->column, b->column);
  assert_int_equal(a->len, b->len);
  assert_memory_equal(a->text, b->text, a->len + 1);
  assert_int_equal(a->boolean, b->boolean);
  assert_int_equal(a->count, b->count);

  for (size_t i = 0; i < a->count && a->kind == TNODE_ARRAY; i++)
    assert_same_tree(a->items[i], b->items[i], line_offset);
  for (size_t i = 0; i < a->count && a->kind == TNODE_OBJECT; i++) {
    const tnode_member *x = &a->members[i], *y = &b->members[i];
    assert_int_equal(x->key_len, y->key_len);
    assert_memory_equal(x->key, y->key, x->key_len + 1);
    assert_int_equal(x->line + line_offset, y->line);
    assert_int_equal(x->column, y->column);
    assert_same_tree(x->value, y->value, line_offset);
  }
}

/* Loads text as JSON, and as YAML behind a "---" line, which sends it to
 * libyaml as a flow collection. Returns 1 when both readings succeed and
 * give the same tree; 0 when libyaml rejects the text. */
static int compare_with_yaml(const char *text, size_t len) {
  char *yaml = malloc(len + 4);
  assert_non_null(yaml);
  memcpy(yaml, "---\n", 4);
  memcpy(yaml + 4, text, len);

  loaded json_reading, yaml_reading;
  load_bytes(&json_reading, text, len);
  load_bytes(&yaml_reading, yaml, len + 4);
  int compared = json_reading.root && yaml_reading.root;
  if (compared)
    assert_same_tree(json_reading.root, yaml_reading.root, 1);
  unload(&json_reading);
  unload(&yaml_reading);
  free(yaml);
  return compared;
}

static void tree_matches_yaml_reading(void **state) {
  (void)state;
  static const char *const texts[] = {
    "{\"s\": \"x\", \"n\": -1.5e3, \"z\": 0, \"t\": true, \"f\": false, \"null\": null,\n"
    " \"a\": [], \"o\": {}, \"nested\": [[1, [2]], {\"k\": {\"k\": \"v\"}}]}",
    "[\r\n  \"crlf\",\r  \"cr\",\n\t\"tab\", \"\\u00e9\\n\\t\\\"\\\\\\/\", \"\xc3\xa9\xe4\xb8\xad\"]",
    "{\"\": \"empty key\", \"\xf0\x9f\x98\x80\": \"four-byte key\", \"\\u0041\": 1E+2}",
  };
  for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
    assert_true(compare_with_yaml(texts[i], strlen(texts[i])));
}

static char *read_file(const char *path, size_t *len) {
  FILE *file = fopen(path, "rb");
  assert_non_null(file);
  assert_int_equal(fseek(file, 0, SEEK_END), 0);
  long size = ftell(file);
  assert_true(size >= 0);
  rewind(file);

  char *text = malloc((size_t)size + 1);
  assert_non_null(text);
  *len = fread(text, 1, (size_t)size, file);
  fclose(file);
  return text;
}

/* Compares every JSON template of the corpus that libyaml reads. */
static size_t compare_folder(const char *folder) {
  DIR *dir = opendir(folder);
  assert_non_null(dir);
  size_t compared = 0;
  struct dirent *entry;
  while ((entry = readdir(dir)) != NULL) {
    char path[4096];
    size_t name_len = strlen(entry->d_name);
    if (entry->d_name[0] == '.')
      continue;
    snprintf(path, sizeof path, "%s/%s", folder, entry->d_name);
    if (entry->d_type == DT_DIR) {
      compared += compare_folder(path);
    } else if (name_len > 5 && strcmp(entry->d_name + name_len - 5, ".json") == 0) {
      size_t len;
      char *text = read_file(path, &len);
      compared += (size_t)compare_with_yaml(text, len);
      free(text);
    }
  }
  closedir(dir);
  return compared;
}

static void corpus_matches_yaml_reading(void **state) {
  (void)state;
  /* 37 of the 40 JSON templates load; the other three have a duplicate
   * key or a syntax error. */
  assert_true(compare_folder(CFGATE_TEMPLATES_DIR) >= 37);
}

static void scalar_kinds_and_positions(void **state) {
  (void)state;
  loaded *t = load_text("{\"n\": 12345678901234567890123,\n \"t\": true, \"z\": null, "
                        "\"s\": \"1\"}");
  assert_non_null(t->root);

  const tnode *number = tnode_get(t->root, "n");
  assert_int_equal(number->kind, TNODE_NUMBER);
  assert_string_equal(number->text, "12345678901234567890123");
  assert_int_equal(number->line, 1);
  assert_int_equal(number->column, 7);

  const tnode *yes = tnode_get(t->root, "t");
  assert_int_equal(yes->kind, TNODE_BOOL);
  assert_int_equal(yes->boolean, 1);
  assert_string_equal(yes->text, "true");
  assert_int_equal(tnode_get(t->root, "z")->kind, TNODE_NULL);
  assert_string_equal(tnode_get(t->root, "z")->text, "null");
  assert_int_equal(tnode_get(t->root, "s")->kind, TNODE_STRING);

  assert_int_equal(t->root->members[3].line, 2);
  assert_int_equal(t->root->members[3].column, 24);
  unload(t);
}

/* U+0085, U+2028 and U+2029 stay in the string and count as one column. */
static void line_breaks_in_strings_are_text(void **state) {
  (void)state;
  loaded *t = load_text("{\"a\": \"x\xc2\x85  y\", \"b\": \"\xe2\x80\xa8\xe2\x80\xa9\", \"c\": 1}");
  assert_non_null(t->root);

  assert_string_equal(tnode_get(t->root, "a")->text, "x\xc2\x85  y");
  assert_string_equal(tnode_get(t->root, "b")->text, "\xe2\x80\xa8\xe2\x80\xa9");
  const tnode *after = tnode_get(t->root, "c");
  assert_int_equal(after->line, 1);
  assert_int_equal(after->column, 32);
  unload(t);
}

static void surrogate_pairs_keep_columns(void **state) {
  (void)state;
  loaded *t = load_text("{\"k\": \"\\ud83d\\ude00\\uD83D\\uDE00\", \"after\": 1}");
  assert_non_null(t->root);

  assert_string_equal(tnode_get(t->root, "k")->text, "\xf0\x9f\x98\x80\xf0\x9f\x98\x80");
  assert_int_equal(tnode_get(t->root, "after")->column, 44);
  unload(t);
}

static void nul_in_key_or_value_fails(void **state) {
  (void)state;
  loaded *t = load_text("{\"a\": 1,\n \"b\": \"x\\u0000y\"}");
  assert_error(t, 2, 7, "NUL character in a string is not allowed");
  unload(t);

  /* jansson rejects a NUL in a key first; the reader rejects it too. */
  t = read_text("{\"a\": 1,\n \"b\\u0000\": 2}");
  assert_error(t, 2, 2, "NUL character in a string is not allowed");
  unload(t);
}

static void duplicate_keys_fail(void **state) {
  (void)state;
  loaded *t = load_text("{\"a\": 1,\n \"\\u0061\": 2}");
  assert_error(t, 2, 2, "duplicate key 'a' (first at line 1)");
  unload(t);

  /* Past eight keys the search goes through a hash table. */
  t = load_text("{\"k0\": 0, \"k1\": 1, \"k2\": 2, \"k3\": 3, \"k4\": 4,\n"
                " \"k5\": 5, \"k6\": 6, \"k7\": 7, \"k8\": 8, \"k9\": 9,\n"
                " \"k10\": 10, \"k5\": 11}");
  assert_error(t, 3, 13, "duplicate key 'k5' (first at line 2)");
  unload(t);

  t = load_text("a0: 0\na1: 1\na2: 2\na3: 3\na4: 4\na5: 5\na6: 6\na7: 7\na8: 8\na9: 9\na2: 10\n");
  assert_error(t, 11, 1, "duplicate key 'a2' (first at line 3)");
  unload(t);
}

static char *repeat(const char *prefix, const char *unit, size_t count, const char *suffix) {
  size_t unit_len = strlen(unit);
  char *text = malloc(strlen(prefix) + unit_len * count + strlen(suffix) + 1);
  assert_non_null(text);
  strcpy(text, prefix);
  char *end = text + strlen(prefix);
  for (size_t i = 0; i < count; i++, end += unit_len)
    memcpy(end, unit, unit_len);
  strcpy(end, suffix);
  return text;
}

static void limits_fail_at_the_value(void **state) {
  (void)state;
  /* The innermost array is at depth 201: [ is its column 202. */
  char *deep = repeat("", "[", TEMPLATE_MAX_DEPTH + 2, "]");
  loaded *t = read_text(deep);
  assert_error(t, 1, TEMPLATE_MAX_DEPTH + 2, "too many nested values (limit is 200)");
  unload(t);
  free(deep);

  /* The array and 199999 items fit; the 200000th item does not. */
  char *wide = repeat("[", "1,", TEMPLATE_MAX_NODES - 1, "2]");
  t = read_text(wide);
  assert_error(t, 1, 2 + 2 * (TEMPLATE_MAX_NODES - 1), "too many values (limit is 200000)");
  unload(t);
  free(wide);

  static loaded small;
  static const char text[] = "{\"a\": \"b\"}";
  tnode_arena_init(&small.arena);
  small.arena.max_bytes = 1;
  small.root = template_json_read(&small.arena, (const unsigned char *)text, strlen(text),
                                  &small.error);
  assert_error(&small, 1, 1, "template too large: its values need more than 134217728 bytes of memory (limit is "
               "134217728 bytes)");
  unload(&small);
}

/* Syntax errors that the reader finds on its own, as it does after a
 * number that jansson cannot hold. */
static void syntax_errors_name_position(void **state) {
  (void)state;
  static const struct {
    const char *text;
    uint32_t line, column;
    const char *message;
  } cases[] = {
    {"{\"a\": 1,\n}", 2, 1, "invalid JSON: expected a string key, found '}'"},
    {"{\"a\" 1}", 1, 6, "invalid JSON: expected ':', found '1'"},
    {"[1 2]", 1, 4, "invalid JSON: expected ',' or ']', found '2'"},
    {"{\"a\": 1 \"b\"}", 1, 9, "invalid JSON: expected ',' or '}', found '\"'"},
    {"[1] x", 1, 5, "invalid JSON: expected the end of the text after the value, found 'x'"},
    {"[tru]", 1, 2, "invalid JSON: expected a value, found 't'"},
    {"[01]", 1, 2, "invalid JSON: invalid number '01'"},
    {"[1.]", 1, 2, "invalid JSON: invalid number '1.'"},
    {"[\"a\\x\"]", 1, 4, "invalid JSON: invalid escape '\\x' in a string"},
    {"[\"\\u12\"]", 1, 3, "invalid JSON: \\u must be followed by four hex digits"},
    {"[\"\\ud83d x\"]", 1, 3, "invalid JSON: \\uD83D is a lone UTF-16 surrogate"},
    {"[\"\\ude00\"]", 1, 3, "invalid JSON: \\uDE00 is a lone UTF-16 surrogate"},
    {"[\"a\tb\"]", 1, 4,
     "invalid JSON: U+0009 (byte 09), a C0 control character, must be escaped in a string: "
     "write \\t"},
    {"[\"a\x1f\"]", 1, 4,
     "invalid JSON: U+001F (byte 1F), a C0 control character, must be escaped in a string: "
     "write \\u001f"},
    {"[\"a\xff\"]", 1, 4, "invalid UTF-8: byte FF never occurs in UTF-8"},
    {"[\"a\xed\xa0\x80\"]", 1, 4,
     "invalid UTF-8: bytes ED A0 80 encode U+D800, a UTF-16 surrogate"},
    {"[\"a\xc0\xaf\"]", 1, 4, "invalid UTF-8: bytes C0 AF are an overlong encoding of U+002F"},
    {"[\"abc", 1, 2, "invalid JSON: string without its closing quote"},
    {"[1,", 1, 4, "invalid JSON: expected a value, found the end of the text"},
    {"\xef\xbb\xbf[1]", 1, 1, "invalid JSON: expected a value, found byte 0xef"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    loaded *t = read_text(cases[i].text);
    assert_error(t, cases[i].line, cases[i].column, cases[i].message);
    unload(t);
  }
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(tree_matches_yaml_reading),
    cmocka_unit_test(corpus_matches_yaml_reading),
    cmocka_unit_test(scalar_kinds_and_positions),
    cmocka_unit_test(line_breaks_in_strings_are_text),
    cmocka_unit_test(surrogate_pairs_keep_columns),
    cmocka_unit_test(nul_in_key_or_value_fails),
    cmocka_unit_test(duplicate_keys_fail),
    cmocka_unit_test(limits_fail_at_the_value),
    cmocka_unit_test(syntax_errors_name_position),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
