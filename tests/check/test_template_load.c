/*
 * Template loader: positions in YAML and JSON, short-form tags, scalar
 * typing, aliases and their limits, and parse errors with line and column.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "template_load.h"
#include "template_pointer.h"

typedef struct loaded {
  tnode_arena arena;
  tnode *root;
  template_error error;
} loaded;

static loaded *load_text(const char *text) {
  static loaded result;
  tnode_arena_init(&result.arena);
  result.root = template_load(&result.arena, (const unsigned char *)text, strlen(text),
                              &result.error);
  return &result;
}

static void unload(loaded *result) { tnode_arena_fini(&result->arena); }

static const tnode *path(const tnode *node, const char *a, const char *b) {
  node = tnode_get(node, a);
  return b ? tnode_get(node, b) : node;
}

static void yaml_positions(void **state) {
  (void)state;
  loaded *t = load_text("Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n"
                        "    Properties:\n      BucketName: logs\n");
  assert_non_null(t->root);

  const tnode *props = path(path(t->root, "Resources", "Bucket"), "Properties", NULL);
  const tnode *name = tnode_get(props, "BucketName");
  assert_non_null(name);
  assert_int_equal(name->kind, TNODE_STRING);
  assert_string_equal(name->text, "logs");
  assert_int_equal(name->line, 5);
  assert_int_equal(name->column, 19);
  assert_int_equal(props->members[0].line, 5);
  assert_int_equal(props->members[0].column, 7);
  unload(t);
}

static void json_positions(void **state) {
  (void)state;
  loaded *t = load_text("{\n  \"Resources\": {\n    \"Q\": {\"Type\": \"AWS::SQS::Queue\",\n"
                        "      \"Properties\": {\"DelaySeconds\": 5, \"Fifo\": true}}}}\n");
  assert_non_null(t->root);

  const tnode *props = path(path(t->root, "Resources", "Q"), "Properties", NULL);
  const tnode *delay = tnode_get(props, "DelaySeconds");
  assert_int_equal(delay->kind, TNODE_NUMBER);
  assert_string_equal(delay->text, "5");
  assert_int_equal(delay->line, 4);
  assert_int_equal(delay->column, 38);
  const tnode *fifo = tnode_get(props, "Fifo");
  assert_int_equal(fifo->kind, TNODE_BOOL);
  assert_int_equal(fifo->boolean, 1);
  unload(t);
}

static void json_escapes_decoded(void **state) {
  (void)state;
  loaded *t = load_text("{\"k\": \"a\\/b\\b\\f\\n\\r\\t\\\"\\\\\\u00e9\",\n"
                        " \"pair\": \"\\ud83d\\ude00 \\\\ud83d\\\\ude00\", \"after\": 1}\n");
  assert_non_null(t->root);

  const tnode *key = tnode_get(t->root, "k");
  static const char expected[] = "a/b\b\f\n\r\t\"\\\xc3\xa9";
  assert_int_equal(key->len, sizeof expected - 1);
  assert_memory_equal(key->text, expected, sizeof expected);

  const tnode *pair = tnode_get(t->root, "pair");
  assert_string_equal(pair->text, "\xf0\x9f\x98\x80 \\ud83d\\ude00");

  const tnode *after = tnode_get(t->root, "after");
  assert_int_equal(after->line, 2);
  assert_int_equal(after->column, 50);
  unload(t);
}

static void yaml11_scalars_stay_strings(void **state) {
  (void)state;
  loaded *t = load_text("a: yes\nb: off\nc: 0777\nd: 2012-10-17\ne: 1_000\nf: 1e3\n"
                        "g: '10'\nh: ~\ni: False\nj: 0x1F\nk: -0.5\n");
  assert_non_null(t->root);

  const char *strings[] = {"a", "b", "c", "d", "e", "j"};
  for (size_t i = 0; i < sizeof strings / sizeof strings[0]; i++)
    assert_int_equal(tnode_get(t->root, strings[i])->kind, TNODE_STRING);
  assert_string_equal(tnode_get(t->root, "c")->text, "0777");
  assert_int_equal(tnode_get(t->root, "f")->kind, TNODE_NUMBER);
  assert_int_equal(tnode_get(t->root, "g")->kind, TNODE_STRING);
  assert_int_equal(tnode_get(t->root, "h")->kind, TNODE_NULL);
  assert_int_equal(tnode_get(t->root, "i")->kind, TNODE_BOOL);
  assert_int_equal(tnode_get(t->root, "i")->boolean, 0);
  assert_int_equal(tnode_get(t->root, "k")->kind, TNODE_NUMBER);
  unload(t);
}

/* Each short-form tag and the long-form key it must become. */
static void short_form_tags(void **state) {
  (void)state;
  static const struct {
    const char *yaml;
    const char *function;
  } cases[] = {
    {"v: !Ref Name\n", "Ref"},
    {"v: !Sub 'a-${AWS::Region}'\n", "Fn::Sub"},
    {"v: !GetAtt Res.Arn\n", "Fn::GetAtt"},
    {"v: !If [C, a, b]\n", "Fn::If"},
    {"v: !Join [',', [a, b]]\n", "Fn::Join"},
    {"v: !Select [0, [a]]\n", "Fn::Select"},
    {"v: !Split [',', 'a,b']\n", "Fn::Split"},
    {"v: !FindInMap [M, k, v]\n", "Fn::FindInMap"},
    {"v: !Base64 text\n", "Fn::Base64"},
    {"v: !GetAZs ''\n", "Fn::GetAZs"},
    {"v: !ImportValue Export\n", "Fn::ImportValue"},
    {"v: !Cidr [10.0.0.0/16, 4, 8]\n", "Fn::Cidr"},
    {"v: !Equals [a, b]\n", "Fn::Equals"},
    {"v: !And [!Condition A, !Condition B]\n", "Fn::And"},
    {"v: !Or [!Condition A, !Condition B]\n", "Fn::Or"},
    {"v: !Not [!Condition A]\n", "Fn::Not"},
    {"v: !Condition A\n", "Condition"},
    {"v: !Transform {Name: M}\n", "Fn::Transform"},
    {"v: !Contains [[a], a]\n", "Fn::Contains"},
    {"v: !EachMemberEquals [[a], a]\n", "Fn::EachMemberEquals"},
    {"v: !EachMemberIn [[a], [a]]\n", "Fn::EachMemberIn"},
    {"v: !RefAll AWS::EC2::VPC::Id\n", "Fn::RefAll"},
    {"v: !ValueOf [P, Attr]\n", "Fn::ValueOf"},
    {"v: !ValueOfAll [T, Attr]\n", "Fn::ValueOfAll"},
    {"v: !Length [a]\n", "Fn::Length"},
    {"v: !ToJsonString {a: b}\n", "Fn::ToJsonString"},
  };

  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    loaded *t = load_text(cases[i].yaml);
    assert_non_null(t->root);
    const tnode *value = tnode_get(t->root, "v");
    assert_int_equal(value->kind, TNODE_OBJECT);
    assert_int_equal(value->count, 1);
    assert_string_equal(value->members[0].key, cases[i].function);
    unload(t);
  }
}

static void get_att_dotted_string(void **state) {
  (void)state;
  loaded *t = load_text("v: !GetAtt Bucket.Arn\nw: !Ref 10\n");
  assert_non_null(t->root);

  const tnode *args = tnode_get(tnode_get(t->root, "v"), "Fn::GetAtt");
  assert_int_equal(args->kind, TNODE_ARRAY);
  assert_int_equal(args->count, 2);
  assert_string_equal(args->items[0]->text, "Bucket");
  assert_string_equal(args->items[1]->text, "Arn");
  assert_int_equal(tnode_get(tnode_get(t->root, "w"), "Ref")->kind, TNODE_STRING);
  unload(t);
}

static void get_att_without_dot_fails(void **state) {
  (void)state;
  loaded *t = load_text("a: 1\nv: !GetAtt Bucket\n");
  assert_null(t->root);
  assert_int_equal(t->error.line, 2);
  assert_int_equal(t->error.column, 4);
  assert_string_equal(t->error.message, "invalid !GetAtt 'Bucket': expected LogicalId.Attribute");
  unload(t);
}

static void foreign_tag_is_unknown(void **state) {
  (void)state;
  loaded *t = load_text("v: !Rain::Embed file.sh\n");
  assert_non_null(t->root);
  const tnode *value = tnode_get(t->root, "v");
  assert_int_equal(value->kind, TNODE_UNKNOWN);
  assert_int_equal(value->line, 1);
  assert_int_equal(value->column, 4);
  assert_non_null(strstr(value->text, "YAML tag !Rain::Embed is not a CloudFormation function"));
  unload(t);
}

static void global_tag_fails(void **state) {
  (void)state;
  loaded *t = load_text("v: !<tag:example.com,2024:thing> x\n");
  assert_null(t->root);
  assert_int_equal(t->error.line, 1);
  assert_int_equal(t->error.column, 4);
  assert_string_equal(t->error.message, "unknown tag 'tag:example.com,2024:thing'");
  unload(t);
}

static void core_tags_keep_meaning(void **state) {
  (void)state;
  loaded *t = load_text("a: !!int \"5\"\nb: !!float '1.5'\nc: !!bool \"false\"\n"
                        "d: !!null ''\ne: !!str x\nf: !!seq [1]\ng: !!map {k: v}\n");
  assert_non_null(t->root);
  assert_int_equal(tnode_get(t->root, "a")->kind, TNODE_NUMBER);
  assert_string_equal(tnode_get(t->root, "a")->text, "5");
  assert_int_equal(tnode_get(t->root, "b")->kind, TNODE_NUMBER);
  assert_int_equal(tnode_get(t->root, "c")->kind, TNODE_BOOL);
  assert_int_equal(tnode_get(t->root, "c")->boolean, 0);
  assert_int_equal(tnode_get(t->root, "d")->kind, TNODE_NULL);
  assert_int_equal(tnode_get(t->root, "e")->kind, TNODE_STRING);
  assert_int_equal(tnode_get(t->root, "f")->kind, TNODE_ARRAY);
  assert_int_equal(tnode_get(t->root, "g")->kind, TNODE_OBJECT);
  unload(t);
}

static void other_yaml_tags_fail(void **state) {
  (void)state;
  static const struct {
    const char *text;
    unsigned line, column;
    const char *message;
  } cases[] = {
    {"a: 1\nv: !!python/object:os.system \"acme-a\"\n", 2, 4,
     "YAML tag !!python/object:os.system is not supported: only the YAML 1.2 core tags "
     "!!str, !!int, !!float, !!bool, !!null, !!seq and !!map are read"},
    {"v: !!binary YWNtZS0K\n", 1, 4,
     "YAML tag !!binary is not supported: only the YAML 1.2 core tags !!str, !!int, "
     "!!float, !!bool, !!null, !!seq and !!map are read"},
    {"v: [1, !!timestamp 2001-12-14]\n", 1, 8,
     "YAML tag !!timestamp is not supported: only the YAML 1.2 core tags !!str, !!int, "
     "!!float, !!bool, !!null, !!seq and !!map are read"},
    {"v: !!int 0x10\n", 1, 4, "'0x10' is not a valid !!int value: write it as a JSON integer"},
    {"v: !!int 1.5\n", 1, 4, "'1.5' is not a valid !!int value: write it as a JSON integer"},
    {"v: !!float .inf\n", 1, 4, "'.inf' is not a valid !!float value: write it as a JSON number"},
    {"v: !!bool yes\n", 1, 4, "'yes' is not a valid !!bool value: write it as a JSON bool"},
    {"v: !!int [1]\n", 1, 4, "YAML tag !!int is not allowed on a sequence"},
    {"v: !!seq x\n", 1, 4, "YAML tag !!seq is not allowed on a scalar"},
    {"a: 1\n!!int 5: x\n", 2, 1, "YAML tag '!!int' on a mapping key is not allowed"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    loaded *t = load_text(cases[i].text);
    assert_null(t->root);
    assert_int_equal(t->error.line, cases[i].line);
    assert_int_equal(t->error.column, cases[i].column);
    assert_string_equal(t->error.message, cases[i].message);
    unload(t);
  }
}

static void merge_key_fails_at_key(void **state) {
  (void)state;
  loaded *t = load_text("Base: &b\n  QueueName: acme-a\nQ:\n  Properties:\n"
                        "    <<: *b\n    DelaySeconds: 1\n");
  assert_null(t->root);
  assert_int_equal(t->error.line, 5);
  assert_int_equal(t->error.column, 5);
  assert_string_equal(t->error.message,
                      "YAML merge key '<<' is not supported: write the merged keys out");
  unload(t);

  t = load_text("\"<<\": x\n");
  assert_non_null(t->root);
  assert_string_equal(tnode_get(t->root, "<<")->text, "x");
  unload(t);
}

static void wide_encodings_fail(void **state) {
  (void)state;
  static const struct {
    const char *bytes;
    size_t size;
    const char *encoding;
  } cases[] = {
    {"\xff\xfe" "a\0:\0 \0" "1\0\n\0", 12, "UTF-16LE"},
    {"\xfe\xff" "\0a\0:\0 \0" "1\0\n", 12, "UTF-16BE"},
    {"\xff\xfe\0\0{\0\0\0}\0\0\0", 12, "UTF-32LE"},
    {"\0\0\xfe\xff\0\0\0{\0\0\0}", 12, "UTF-32BE"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    loaded t;
    tnode_arena_init(&t.arena);
    t.root = template_load(&t.arena, (const unsigned char *)cases[i].bytes, cases[i].size,
                           &t.error);
    assert_null(t.root);
    assert_int_equal(t.error.line, 1);
    assert_int_equal(t.error.column, 1);
    char expected[256];
    snprintf(expected, sizeof expected,
             "the template is %s (it starts with a byte order mark); cfgate reads UTF-8 "
             "templates only: convert it, for example with iconv -f %s -t UTF-8",
             cases[i].encoding, cases[i].encoding);
    assert_string_equal(t.error.message, expected);
    unload(&t);
  }
}

/* Text that is not UTF-8, or that has a character YAML does not allow, is
 * an error that names its bytes and what is wrong with them, at its line
 * and column, the same way in YAML and in JSON. */
static void encoding_errors_name_bytes(void **state) {
  (void)state;
  static const struct {
    const char *bytes;
    unsigned line, column;
    const char *message;
  } cases[] = {
    {"a: 1\nb: x\xc0\xaf\n", 2, 5, "invalid UTF-8: bytes C0 AF are an overlong encoding of U+002F"},
    {"{\"a\":\n \"x\xc0\xaf\"}", 2, 4,
     "invalid UTF-8: bytes C0 AF are an overlong encoding of U+002F"},
    {"a: \xe0\x80x\n", 1, 4, "invalid UTF-8: bytes E0 80 start an overlong encoding"},
    {"a: \"\xed\xa0\x80\"\n", 1, 5, "invalid UTF-8: bytes ED A0 80 encode U+D800, a UTF-16 surrogate"},
    {"[\"\xed\xbf\xbf\"]", 1, 3, "invalid UTF-8: bytes ED BF BF encode U+DFFF, a UTF-16 surrogate"},
    {"a: \xf4\x90\x80\x80\n", 1, 4, "invalid UTF-8: bytes F4 90 80 80 encode U+110000, above U+10FFFF"},
    {"a: \xf5\n", 1, 4, "invalid UTF-8: byte F5 starts a code point above U+10FFFF"},
    {"a: \xc3\xa9\xe2\x82" "b\n", 1, 5,
     "invalid UTF-8: bytes E2 82 are a truncated sequence: E2 starts a sequence of 3 bytes"},
    {"[\"\xf0\x9f\x98", 1, 3,
     "invalid UTF-8: bytes F0 9F 98 are a truncated sequence: F0 starts a sequence of 4 bytes"},
    {"a: \xe9t\xe9\n", 1, 4,
     "invalid UTF-8: byte E9 is a truncated sequence: E9 starts a sequence of 3 bytes"},
    {"a: \x80\n", 1, 4, "invalid UTF-8: byte 80 is a continuation byte without a lead byte"},
    {"[1, \xff]", 1, 5, "invalid UTF-8: byte FF never occurs in UTF-8"},
    {"a: \"x\xef\xbf\xbe\"\n", 1, 6, "YAML does not allow U+FFFE (bytes EF BF BE), a noncharacter"},
    {"a: \xef\xbf\xbf\n", 1, 4, "YAML does not allow U+FFFF (bytes EF BF BF), a noncharacter"},
    {"a: 1\r\nb: \"\x07\"\n", 2, 5, "YAML does not allow U+0007 (byte 07), a C0 control character"},
    {"# \x1b[31m\na: 1\n", 1, 3, "YAML does not allow U+001B (byte 1B), a C0 control character"},
    {"a: x\x7f\n", 1, 5, "YAML does not allow U+007F (byte 7F), the control character DEL"},
    {"a: \xc2\x9b\n", 1, 4, "YAML does not allow U+009B (bytes C2 9B), a C1 control character"},
    /* YAML counts U+0085, U+2028 and U+2029 as line breaks, as libyaml does.
     * JSON does not. */
    {"a: \"x\xc2\x85y\xe2\x80\xa8z\"\nb: \xff\n", 4, 4, "invalid UTF-8: byte FF never occurs in UTF-8"},
    {"[\"x\xc2\x85y\xe2\x80\xa8z\",\r \xff]", 2, 2, "invalid UTF-8: byte FF never occurs in UTF-8"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    loaded *t = load_text(cases[i].bytes);
    assert_null(t->root);
    assert_string_equal(t->error.message, cases[i].message);
    assert_int_equal(t->error.line, cases[i].line);
    assert_int_equal(t->error.column, cases[i].column);
    unload(t);
  }
}

/* Characters YAML allows pass: tab, U+0085 (a line break), U+00A0 and
 * U+FEFF inside the text, and the largest code point. */
static void yaml_allowed_characters_load(void **state) {
  (void)state;
  loaded *t = load_text("a: \"x\ty\xc2\xa0\xef\xbb\xbf\xef\xbf\xbd\xf4\x8f\xbf\xbf\"\n");
  assert_non_null(t->root);
  assert_string_equal(tnode_get(t->root, "a")->text,
                      "x\ty\xc2\xa0\xef\xbb\xbf\xef\xbf\xbd\xf4\x8f\xbf\xbf");
  unload(t);
}

/* A NUL byte is an error in both YAML and JSON, with the encoding that
 * usually causes it. */
static void nul_byte_fails(void **state) {
  (void)state;
  static const char message[] =
      "byte 00 (U+0000) is not allowed in a template: text with NUL bytes may be UTF-16 or "
      "UTF-32 without a byte order mark, convert it to UTF-8";
  static const struct {
    const char bytes[8];
    size_t size;
  } cases[] = {{"a\0:\0 \0" "1\0", 8}, {"{\0\"\0a\0\"\0", 8}};
  for (size_t i = 0; i < 2; i++) {
    loaded t;
    tnode_arena_init(&t.arena);
    t.root = template_load(&t.arena, (const unsigned char *)cases[i].bytes, cases[i].size,
                           &t.error);
    assert_null(t.root);
    assert_int_equal(t.error.line, 1);
    assert_int_equal(t.error.column, 2);
    assert_string_equal(t.error.message, message);
    unload(&t);
  }
}

static void aliases_are_expanded(void **state) {
  (void)state;
  loaded *t = load_text("base: &b {Key: v}\ncopy: *b\n");
  assert_non_null(t->root);
  assert_string_equal(tnode_get(tnode_get(t->root, "copy"), "Key")->text, "v");
  unload(t);
}

static void billion_laughs_fails(void **state) {
  (void)state;
  loaded *t = load_text("a: &a [x, x, x, x, x, x, x, x, x, x]\n"
                        "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
                        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
                        "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
                        "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
                        "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
                        "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n");
  assert_null(t->root);
  assert_int_equal(t->error.line, 1);
  assert_string_equal(t->error.message,
                      "too many values, counting each alias expansion (limit is 200000)");
  unload(t);
}

static void nul_in_string_fails(void **state) {
  (void)state;
  static const char *const texts[] = {"a: 1\nb: \"x\\0y\"\n", "a: 1\n\"k\\0\": 2\n",
                                      "{\"a\": 1,\n \"b\": \"x\\u0000y\"}\n"};
  static const unsigned columns[] = {4, 1, 7};
  for (size_t i = 0; i < 3; i++) {
    loaded *t = load_text(texts[i]);
    assert_null(t->root);
    assert_int_equal(t->error.line, 2);
    assert_int_equal(t->error.column, columns[i]);
    assert_string_equal(t->error.message, "NUL character in a string is not allowed");
    unload(t);
  }
}

static void tag_on_key_fails(void **state) {
  (void)state;
  loaded *t = load_text("a: 1\n  \n!Ref b: 2\n");
  assert_null(t->root);
  assert_int_equal(t->error.line, 3);
  assert_int_equal(t->error.column, 1);
  assert_string_equal(t->error.message, "YAML tag '!Ref' on a mapping key is not allowed");
  unload(t);
}

static void deep_nesting_fails(void **state) {
  (void)state;
  static char text[1024];
  size_t depth = 300;
  memcpy(text, "v: ", 3);
  memset(text + 3, '[', depth);
  memset(text + 3 + depth, ']', depth);
  text[3 + 2 * depth] = '\n';

  loaded *t = load_text(text);
  assert_null(t->root);
  assert_int_equal(t->error.line, 1);
  assert_int_equal(t->error.column, 4 + TEMPLATE_MAX_DEPTH);
  assert_string_equal(t->error.message, "too many nested values (limit is 200)");
  unload(t);
}

static void syntax_error_position(void **state) {
  (void)state;
  loaded *t = load_text("Resources:\n  A: [1, 2\n  B: 3\n");
  assert_null(t->root);
  assert_int_equal(t->error.line, 3);
  assert_int_equal(t->error.column, 4);
  assert_non_null(strstr(t->error.message, "did not find expected ',' or ']'"));
  unload(t);
}

/* libyaml's errors for a tab in the indentation and for a flow collection
 * left open name the cause, and a recursive alias is named at its anchor
 * instead of reaching the nesting limit. */
static void yaml_errors_name_cause(void **state) {
  (void)state;
  static const struct {
    const char *text;
    unsigned line, column;
    const char *message;
  } cases[] = {
      {"Resources:\n\tQ:\n    Type: x\n", 2, 1,
       "a tab is not allowed for indentation: indent with spaces"},
      {"Resources:\n  Q:\n    - a\n\t- b\n", 4, 1,
       "a tab is not allowed for indentation: indent with spaces"},
      {"Resources: [\n", 1, 12,
       "unclosed flow sequence: the '[' at line 1, column 12 has no matching ']' before the "
       "end of the text"},
      {"Resources:\n  Q: {Type: x\n# end\n", 2, 6,
       "unclosed flow mapping: the '{' at line 2, column 6 has no matching '}' before the end "
       "of the text"},
      {"Resources: &a\n  Q: *a\n", 1, 12,
       "recursive alias: *a is inside the value that &a names, so the value would contain "
       "itself"},
      {"Resources:\n  X: &a {Q: &b [*a]}\n  Y: *b\n", 2, 6,
       "recursive alias: *a is inside the value that &a names, so the value would contain "
       "itself"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    loaded *t = load_text(cases[i].text);
    assert_null(t->root);
    assert_string_equal(t->error.message, cases[i].message);
    assert_int_equal(t->error.line, cases[i].line);
    assert_int_equal(t->error.column, cases[i].column);
    unload(t);
  }
}

static void json_syntax_error_position(void **state) {
  (void)state;
  loaded *t = load_text("{\"a\": 1,\n \"b\": }\n");
  assert_null(t->root);
  assert_int_equal(t->error.line, 2);
  assert_int_equal(t->error.column, 7);
  assert_string_equal(t->error.message, "invalid JSON: unexpected token near '}'");
  unload(t);
}

/* An error inside a JSON string is reported at the character or escape,
 * in the words of the YAML reader, not where jansson stops. jansson names a
 * control character at the character before it and a lone surrogate at the
 * end of its string. */
static void json_string_error_at_character(void **state) {
  (void)state;
  static const struct {
    const char *text;
    unsigned line, column;
    const char *message;
  } cases[] = {
    {"{\"a\": 1,\n \"b\": \"abc\x07" "def\"}", 2, 11,
     "invalid JSON: U+0007 (byte 07), a C0 control character, must be escaped in a string: "
     "write \\u0007"},
    {"{\"a\": \"x\ty\"}", 1, 9,
     "invalid JSON: U+0009 (byte 09), a C0 control character, must be escaped in a string: "
     "write \\t"},
    {"{\"a\": \"abc\r\n\"}", 1, 11,
     "invalid JSON: U+000D (byte 0D), a C0 control character, must be escaped in a string: "
     "write \\r"},
    {"{\"a\": \"\xc3\xa9\x1b\"}", 1, 9,
     "invalid JSON: U+001B (byte 1B), a C0 control character, must be escaped in a string: "
     "write \\u001b"},
    {"{\"a\":\n \"abc\\udc00def\\ud83d\\ude00xyz\"}", 2, 6,
     "invalid JSON: \\uDC00 is a lone UTF-16 surrogate"},
    {"[\"\\ud83d x\"]", 1, 3, "invalid JSON: \\uD83D is a lone UTF-16 surrogate"},
    {"[\"ab\\q\"]", 1, 5, "invalid JSON: invalid escape '\\q' in a string"},
    {"[\"\\u12\"]", 1, 3, "invalid JSON: \\u must be followed by four hex digits"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    loaded *t = load_text(cases[i].text);
    assert_null(t->root);
    assert_string_equal(t->error.message, cases[i].message);
    assert_int_equal(t->error.line, cases[i].line);
    assert_int_equal(t->error.column, cases[i].column);
    unload(t);
  }

  /* An error before the string keeps jansson's message. */
  loaded *t = load_text("{\"a\": tru, \"b\": \"\x07\"}");
  assert_null(t->root);
  assert_string_equal(t->error.message, "invalid JSON: invalid token near 'tru'");
  unload(t);
}

static void duplicate_key_fails(void **state) {
  (void)state;
  loaded *t = load_text("a: 1\nb: 2\na: 3\n");
  assert_null(t->root);
  assert_int_equal(t->error.line, 3);
  assert_int_equal(t->error.column, 1);
  assert_string_equal(t->error.message, "duplicate key 'a' (first at line 1)");
  unload(t);
}

/* A duplicate key reached through an alias is reported at the alias, with
 * the line of the first key in the same mapping, which may be an alias too.
 * Values reached through an alias keep the anchor's position. */
static void alias_duplicate_key_at_alias(void **state) {
  (void)state;
  static const struct {
    const char *text;
    unsigned line, column;
    const char *message;
  } cases[] = {
    {"Q:\n  Properties:\n    &k QueueName : acme-x\n    *k : acme-y\n", 4, 5,
     "duplicate key 'QueueName' (first at line 3)"},
    {"k: &k QueueName\nm:\n  *k : 1\n  other: 2\n  *k : 3\n", 5, 3,
     "duplicate key 'QueueName' (first at line 3)"},
    {"k: &k QueueName\nm:\n  *k : 1\n  QueueName: 2\n", 4, 3,
     "duplicate key 'QueueName' (first at line 3)"},
    {"k: &k b\nm: {a: [1, {b: 2}],\n  *k : 1, c: {d: e}, b: 2}\n", 3, 22,
     "duplicate key 'b' (first at line 3)"},
    {"x: &m {k: 1}\ny: [*m, *m,\n  {k: 1, j: &z 2, \"k\": 3}]\n", 3, 19,
     "duplicate key 'k' (first at line 3)"},
    {"k: &k k3\nm: {k0: 0, k1: 1, k2: 2, k3: 3, k4: 4, k5: 5, k6: 6, k7: 7, k8: 8,\n"
     "  k9: 9, *k : 10}\n", 3, 10, "duplicate key 'k3' (first at line 2)"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    loaded *t = load_text(cases[i].text);
    assert_null(t->root);
    assert_string_equal(t->error.message, cases[i].message);
    assert_int_equal(t->error.line, cases[i].line);
    assert_int_equal(t->error.column, cases[i].column);
    unload(t);
  }

  loaded *t = load_text("base: &b {Key: v}\ncopy: *b\n");
  assert_non_null(t->root);
  assert_int_equal(tnode_get(tnode_get(t->root, "copy"), "Key")->line, 1);
  unload(t);
}

/* Every other error of a key written as an alias is reported at the alias
 * too, not at the anchored node. */
static void alias_key_errors_at_alias(void **state) {
  (void)state;
  static const struct {
    const char *text;
    unsigned line, column;
    const char *message;
  } cases[] = {
    {"Metadata:\n  Note: &k !Ref QueueName\nQ:\n  QueueName: acme-x\n  *k : acme-y\n", 5, 3,
     "YAML tag '!Ref' on a mapping key is not allowed"},
    {"Metadata: &m {a: 1}\nQ:\n  x: 1\n  ? *m\n  : x\n", 4, 5, "mapping key is not a scalar"},
    {"L: &l [1, 2]\nQ: {a: 1, *l : 2}\n", 2, 11, "mapping key is not a scalar"},
    {"m: &m <<\nQ:\n  a: 1\n  *m : {b: 2}\n", 4, 3,
     "YAML merge key '<<' is not supported: write the merged keys out"},
    /* A key that is not an alias keeps its own position. */
    {"Q:\n  a: 1\n  !Sub b: 2\n", 3, 3, "YAML tag '!Sub' on a mapping key is not allowed"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    loaded *t = load_text(cases[i].text);
    assert_null(t->root);
    assert_string_equal(t->error.message, cases[i].message);
    assert_int_equal(t->error.line, cases[i].line);
    assert_int_equal(t->error.column, cases[i].column);
    unload(t);
  }
}

static void empty_document_fails(void **state) {
  (void)state;
  loaded *t = load_text("# only a comment\n");
  assert_null(t->root);
  assert_int_equal(t->error.line, 1);
  assert_int_equal(t->error.column, 1);
  assert_string_equal(t->error.message, "empty template: no YAML or JSON document");
  unload(t);
}

static void pointer_locates_values(void **state) {
  (void)state;
  loaded *t = load_text("a/b:\n  - x\n  - {m~n: 1}\nc: {d: 2}\n");
  assert_non_null(t->root);

  const tnode *item = template_locate(t->root, "/a~1b/1/m~0n");
  assert_int_equal(item->kind, TNODE_NUMBER);
  assert_int_equal(item->line, 3);
  assert_int_equal(item->column, 11);

  const tnode *first = template_locate(t->root, "/a~1b/0");
  assert_string_equal(first->text, "x");
  assert_int_equal(first->line, 2);
  assert_ptr_equal(template_locate(t->root, ""), t->root);

  /* A missing member or index stops at the deepest existing ancestor. */
  const tnode *parent = template_locate(t->root, "/c/missing/deeper");
  assert_int_equal(parent->kind, TNODE_OBJECT);
  assert_int_equal(parent->line, 4);
  assert_int_equal(parent->column, 4);
  assert_ptr_equal(template_locate(t->root, "/a~1b/7"), tnode_get(t->root, "a/b"));
  unload(t);
}

static void json_number_grammar(void **state) {
  (void)state;
  assert_true(template_is_json_number("0", 1));
  assert_true(template_is_json_number("-12.5e+3", 8));
  assert_false(template_is_json_number("0777", 4));
  assert_false(template_is_json_number("1.", 2));
  assert_false(template_is_json_number("+1", 2));
  assert_false(template_is_json_number(".5", 2));
  assert_false(template_is_json_number("1e", 2));
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(yaml_positions),
    cmocka_unit_test(json_positions),
    cmocka_unit_test(json_escapes_decoded),
    cmocka_unit_test(yaml11_scalars_stay_strings),
    cmocka_unit_test(short_form_tags),
    cmocka_unit_test(get_att_dotted_string),
    cmocka_unit_test(get_att_without_dot_fails),
    cmocka_unit_test(foreign_tag_is_unknown),
    cmocka_unit_test(global_tag_fails),
    cmocka_unit_test(core_tags_keep_meaning),
    cmocka_unit_test(other_yaml_tags_fail),
    cmocka_unit_test(merge_key_fails_at_key),
    cmocka_unit_test(wide_encodings_fail),
    cmocka_unit_test(encoding_errors_name_bytes),
    cmocka_unit_test(yaml_allowed_characters_load),
    cmocka_unit_test(nul_byte_fails),
    cmocka_unit_test(aliases_are_expanded),
    cmocka_unit_test(billion_laughs_fails),
    cmocka_unit_test(nul_in_string_fails),
    cmocka_unit_test(tag_on_key_fails),
    cmocka_unit_test(deep_nesting_fails),
    cmocka_unit_test(syntax_error_position),
    cmocka_unit_test(yaml_errors_name_cause),
    cmocka_unit_test(json_syntax_error_position),
    cmocka_unit_test(json_string_error_at_character),
    cmocka_unit_test(duplicate_key_fails),
    cmocka_unit_test(alias_duplicate_key_at_alias),
    cmocka_unit_test(alias_key_errors_at_alias),
    cmocka_unit_test(empty_document_fails),
    cmocka_unit_test(pointer_locates_values),
    cmocka_unit_test(json_number_grammar),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
