/*
 * Intrinsic resolution: each function, pseudo parameters, Parameters with
 * AllowedValues, defaults and overrides, conditions, AWS::NoValue, unknown
 * values and error positions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "intrinsic.h"
#include "template_load.h"

static const char template_head[] =
  "Parameters:\n"
  "  Env: {Type: String, Default: prod, AllowedValues: [prod, dev]}\n"
  "  Subnets: {Type: CommaDelimitedList, Default: 'a,b,c', AllowedValues: [a, b, c]}\n"
  "  NoDefault: {Type: String}\n"
  "  Size: {Type: Number, Default: 10, AllowedValues: [10, 20]}\n"
  "  Open: {Type: String, Default: dev}\n"
  "  Zones: {Type: CommaDelimitedList, Default: 'x,y', AllowedValues: [x, y, z]}\n"
  "Mappings:\n"
  "  Regions:\n"
  "    us-east-1: {Ami: ami-123}\n"
  "Conditions:\n"
  "  IsProd: !Equals [!Ref Env, prod]\n"
  "  IsDev: !Not [!Condition IsProd]\n"
  "  Both: !And [!Condition IsProd, !Equals [!Ref Size, 10]]\n"
  "  Either: !Or [!Condition IsDev, !Equals [a, a]]\n"
  "  Unknown: !Equals [!Ref NoDefault, x]\n"
  "  OrKnownTrue: !Or [!Condition Unknown, !Condition IsProd]\n"
  "  AndKnownFalse: !And [!Condition Unknown, !Condition IsDev]\n"
  "  AndUndecided: !And [!Condition Unknown, !Condition IsProd]\n"
  "Resources:\n"
  "  Bucket: {Type: AWS::S3::Bucket}\n"
  "Value:\n";

/* Line of "  v: ..." in the template built by resolve_value(). */
enum { VALUE_LINE = 23 };

typedef struct fixture {
  tnode_arena arena;
  tnode *root;
  template_error load_error;
  intrinsic_context ctx;
  const tnode *result;
} fixture;

static intrinsic_binding overrides[] = {{"Size", "20"}};

/* Loads template_head + "  v: VALUE" and resolves v. */
/* Loads text into f, with the template's Parameters, Mappings and
 * Conditions in the context and nothing else set. */
static void fixture_load(fixture *f, const char *text) {
  memset(f, 0, sizeof *f);
  tnode_arena_init(&f->arena);
  f->root = template_load(&f->arena, (const unsigned char *)text, strlen(text), &f->load_error);
  assert_non_null(f->root);

  f->ctx.arena = &f->arena;
  f->ctx.parameters = tnode_get(f->root, "Parameters");
  f->ctx.mappings = tnode_get(f->root, "Mappings");
  f->ctx.conditions = tnode_get(f->root, "Conditions");
}

static fixture *resolve_value(const char *value, int with_override) {
  static fixture f;
  static char text[4096];
  snprintf(text, sizeof text, "%s  v: %s\n", template_head, value);

  memset(&f, 0, sizeof f);
  tnode_arena_init(&f.arena);
  f.root = template_load(&f.arena, (const unsigned char *)text, strlen(text), &f.load_error);
  assert_non_null(f.root);

  f.ctx.arena = &f.arena;
  f.ctx.account_id = "123456789012";
  f.ctx.region = "us-east-1";
  f.ctx.partition = "aws";
  f.ctx.url_suffix = "amazonaws.com";
  f.ctx.parameters = tnode_get(f.root, "Parameters");
  f.ctx.mappings = tnode_get(f.root, "Mappings");
  f.ctx.conditions = tnode_get(f.root, "Conditions");
  f.ctx.resources = tnode_get(f.root, "Resources");
  f.ctx.parameter_overrides = overrides;
  f.ctx.parameter_override_count = with_override ? 1 : 0;
  f.result = intrinsic_value(&f.ctx, tnode_get(tnode_get(f.root, "Value"), "v"));
  return &f;
}

static void done(fixture *f) { tnode_arena_fini(&f->arena); }

static void resolves_to(const char *value, const char *expected) {
  fixture *f = resolve_value(value, 0);
  assert_non_null(f->result);
  assert_int_equal(f->result->kind, TNODE_STRING);
  assert_string_equal(f->result->text, expected);
  done(f);
}

static void resolves_unknown(const char *value, const char *reason) {
  fixture *f = resolve_value(value, 0);
  assert_non_null(f->result);
  assert_int_equal(f->result->kind, TNODE_UNKNOWN);
  assert_non_null(strstr(f->result->text, reason));
  done(f);
}

static void resolve_fails(const char *value, uint32_t column, const char *message) {
  fixture *f = resolve_value(value, 0);
  assert_null(f->result);
  assert_int_equal(f->ctx.error.line, VALUE_LINE);
  assert_int_equal(f->ctx.error.column, column);
  assert_string_equal(f->ctx.error.message, message);
  done(f);
}

static void ref_pseudo_parameters(void **state) {
  (void)state;
  resolves_to("!Ref AWS::AccountId", "123456789012");
  resolves_to("!Ref AWS::Region", "us-east-1");
  resolves_to("!Ref AWS::Partition", "aws");
  resolves_to("!Ref AWS::URLSuffix", "amazonaws.com");
  resolves_unknown("!Ref AWS::StackName", "AWS::StackName is not given");
  resolves_unknown("!Ref AWS::StackId", "AWS::StackId is not given (pass --stack-id)");
}

static void ref_parameters(void **state) {
  (void)state;
  resolves_to("!Ref Env", "prod");
  resolves_to("{Ref: Size}", "10");
  resolves_unknown("!Ref NoDefault", "parameter NoDefault has no default and no --parameter value");
  resolves_unknown("!Ref Open", "parameter Open can be given any value at deployment (Default "
                                "'dev'; pass --parameter Open=VALUE to check one)");

  fixture *f = resolve_value("!Ref Size", 1);
  assert_string_equal(f->result->text, "20");
  done(f);

  f = resolve_value("!Ref Subnets", 0);
  assert_int_equal(f->result->kind, TNODE_ARRAY);
  assert_int_equal(f->result->count, 3);
  assert_string_equal(f->result->items[2]->text, "c");
  done(f);
}

/* A parameter with AllowedValues takes its Default while it is recorded
 * for the caller to enumerate its values. */
static void allowed_values_recorded(void **state) {
  (void)state;
  fixture *f = resolve_value("[!Ref Env, !Ref Size]", 0);
  assert_string_equal(f->result->items[0]->text, "prod");
  assert_int_equal(f->ctx.open_choice_count, 2);
  assert_string_equal(f->ctx.open_choice_names[1], "Size");
  assert_int_equal(f->ctx.open_choice_allowed[1]->count, 2);
  done(f);
}

/* A list parameter is checked with each allowed item, its Default, all
 * allowed items together and twice over. A list already there is not
 * added twice. */
static void list_choices_add_default_and_all_items(void **state) {
  (void)state;
  static const char *const zones[] = {"x", "y", "z", "x,y", "x,y,z", "x,y,z,x,y,z"};
  fixture *f = resolve_value("[!Ref Zones, !Ref Subnets]", 0);
  assert_int_equal(f->result->items[0]->count, 2);
  assert_int_equal(f->ctx.open_choice_count, 2);

  const tnode *choices = f->ctx.open_choice_allowed[0];
  assert_int_equal(choices->count, 6);
  for (size_t i = 0; i < 6; i++)
    assert_string_equal(choices->items[i]->text, zones[i]);
  assert_int_equal(f->ctx.open_choice_allowed[1]->count, 5);
  assert_string_equal(f->ctx.open_choice_allowed[1]->items[3]->text, "a,b,c");
  assert_string_equal(f->ctx.open_choice_allowed[1]->items[4]->text, "a,b,c,a,b,c");
  done(f);
}

static void ref_resource_is_unknown(void **state) {
  (void)state;
  resolves_unknown("!Ref Bucket", "Ref to resource Bucket is known only after deployment");
  resolve_fails("!Ref Missing", 6, "Ref to 'Missing', which is not a parameter or resource");
}

static void sub_forms(void **state) {
  (void)state;
  resolves_to("!Sub 'arn:${AWS::Partition}:s3:::${Env}-logs'", "arn:aws:s3:::prod-logs");
  resolves_to("!Sub ['${A}/${B}', {A: x, B: !Ref Env}]", "x/prod");
  resolves_to("!Sub 'keep ${!Literal} text'", "keep ${Literal} text");
  resolves_to("!Sub 'https://s3.${ AWS::Region }.amazonaws.com'", "https://s3.us-east-1.amazonaws.com");
  resolves_unknown("!Sub '${Bucket.Arn}/*'", "known only after deployment");
  resolves_unknown("!Sub '${Bucket}'", "Ref to resource Bucket");
  resolve_fails("!Sub 'a ${Env'", 6, "Fn::Sub: unterminated ${ in 'a ${Env'");
  resolve_fails("!Sub ['a${S}', {S: !If [IsProd, !Ref AWS::NoValue, b]}]", 6,
                "Fn::Sub variable ${S} is AWS::NoValue, not a string");
  resolves_to("!Sub ['a', {S: !Ref AWS::NoValue}]", "a");
}

/* YAML 1.1 spells the boolean true as True or TRUE too; as text it is "true". */
static void booleans_as_text(void **state) {
  (void)state;
  resolves_to("!Join ['-', [a, True, FALSE]]", "a-true-false");
  resolves_to("!Sub ['${X}', {X: TRUE}]", "true");
}

static void get_att_arguments(void **state) {
  (void)state;
  resolves_unknown("!GetAtt Bucket.Arn", "Fn::GetAtt is known only after deployment");
  resolves_unknown("{Fn::GetAtt: [Bucket, Arn]}", "Fn::GetAtt is known only after deployment");
  resolves_unknown("{Fn::GetAtt: Bucket.Arn}", "Fn::GetAtt is known only after deployment");
  resolves_unknown("{Fn::GetAtt: [Bucket, !Ref Env]}", "Fn::GetAtt is known only after deployment");
  resolve_fails("{Fn::GetAtt: Bucket}", 19,
                "Fn::GetAtt expects [LogicalId, AttributeName] or \"LogicalId.AttributeName\", "
                "found \"Bucket\"");
  resolve_fails("{Fn::GetAtt: [Bucket]}", 19,
                "Fn::GetAtt expects [LogicalId, AttributeName] or \"LogicalId.AttributeName\", "
                "found a list of 1 item");
  resolve_fails("{Fn::GetAtt: [Bucket, 5]}", 28,
                "Fn::GetAtt expects [LogicalId, AttributeName] or \"LogicalId.AttributeName\", "
                "found number as the attribute name");
  resolve_fails("{Fn::GetAtt: [Missing, Arn]}", 6,
                "Fn::GetAtt names 'Missing', which is not a resource");
  resolve_fails("{Fn::GetAtt: [Bucket, !Ref Nope]}", 28,
                "Ref to 'Nope', which is not a parameter or resource");
  resolve_fails("!Sub '${Missing.Arn}'", 6,
                "Fn::Sub variable ${Missing.Arn} names 'Missing', which is not a resource");
  resolve_fails("!Sub 'q-${Missing}'", 6,
                "Fn::Sub variable 'Missing', which is not a parameter or resource");
  resolve_fails("!Sub 'q-${AWS::Nowhere}'", 6,
                "Fn::Sub variable 'AWS::Nowhere', which is not a pseudo parameter");
}

static void join_select_split(void **state) {
  (void)state;
  resolves_to("!Join ['-', [a, !Ref Env, c]]", "a-prod-c");
  resolves_to("!Join [',', !Ref Subnets]", "a,b,c");
  resolves_to("!Select [1, !Ref Subnets]", "b");
  resolves_to("!Select ['0', [x, y]]", "x");
  resolves_to("!Select [2, !Split ['/', 'a/b/c']]", "c");
  resolves_unknown("!Join ['', [a, !GetAtt Bucket.Arn]]", "Fn::GetAtt");
  resolve_fails("!Select [5, [a, b]]", 15, "Fn::Select index 5 is out of range (list has 2 items)");
  resolve_fails("!Select [99999999999999999999, [a, b]]", 15,
                "Fn::Select index 99999999999999999999 is out of range (list has 2 items)");

  fixture *f = resolve_value("!Split [',', 'x,,y']", 0);
  assert_int_equal(f->result->kind, TNODE_ARRAY);
  assert_int_equal(f->result->count, 3);
  assert_string_equal(f->result->items[1]->text, "");
  done(f);
}

static void find_in_map_and_base64(void **state) {
  (void)state;
  resolves_to("!FindInMap [Regions, !Ref AWS::Region, Ami]", "ami-123");
  resolve_fails("!FindInMap [Regions, eu-west-1, Ami, {DefaultValue: none}]", 6,
                "Fn::FindInMap with DefaultValue needs Transform: AWS::LanguageExtensions, "
                "which the template does not declare");
  resolve_fails("!FindInMap [Regions, eu-west-1, Ami]", 6,
               "Fn::FindInMap: no value for Regions/eu-west-1/Ami in Mappings");
  resolves_to("!Base64 'hello'", "aGVsbG8=");
  resolves_to("{'Fn::Base64': !Sub '${Env}'}", "cHJvZA==");
}

static void find_in_map_default_value(void **state) {
  (void)state;
  static fixture f;
  static const char text[] = "Mappings: {M: {a: {b: one}}}\n"
                             "v: [!FindInMap [M, a, b, {DefaultValue: d}],"
                             " !FindInMap [M, x, b, {DefaultValue: d}]]\n";
  fixture_load(&f, text);
  f.ctx.language_extensions = 1;

  const tnode *result = intrinsic_resolve(&f.ctx, tnode_get(f.root, "v"));
  assert_non_null(result);
  assert_string_equal(result->items[0]->text, "one");
  assert_string_equal(result->items[1]->text, "d");
  tnode_arena_fini(&f.arena);
}

/* The reason names a long Default by its first 80 bytes, and a list
 * Default written as a YAML list by its items joined with commas. */
static void open_parameter_default_shown(void **state) {
  (void)state;
  static fixture f;
  static const char text[] =
      "Parameters:\n"
      "  Long: {Type: String, Default: aaaaaaaaaabbbbbbbbbbccccccccccdddddddddd"
      "eeeeeeeeeeffffffffffgggggggggghhhhhhhhhhiiiiiiiiii}\n"
      "  Zones: {Type: CommaDelimitedList, Default: [x, y]}\n"
      "v: [!Ref Long, !Ref Zones]\n";
  fixture_load(&f, text);

  const tnode *result = intrinsic_resolve(&f.ctx, tnode_get(f.root, "v"));
  assert_non_null(result);
  assert_int_equal(result->items[0]->kind, TNODE_UNKNOWN);
  assert_string_equal(result->items[0]->text,
                      "parameter Long can be given any value at deployment (Default "
                      "'aaaaaaaaaabbbbbbbbbbccccccccccddddddddddeeeeeeeeeeffffffffffgggggggggg"
                      "hhhhhhhhhh...'; pass --parameter Long=VALUE to check one)");
  assert_true(result->items[0]->unknown_string);
  assert_int_equal(result->items[1]->kind, TNODE_UNKNOWN);
  assert_string_equal(result->items[1]->text,
                      "parameter Zones can be given any value at deployment (Default 'x,y'; "
                      "pass --parameter Zones=VALUE to check one)");
  assert_false(result->items[1]->unknown_string);
  tnode_arena_fini(&f.arena);
}

static void unknown_functions(void **state) {
  (void)state;
  resolves_unknown("!GetAtt Bucket.Arn", "Fn::GetAtt");
  resolves_unknown("!ImportValue Shared", "Fn::ImportValue");
  resolves_unknown("!GetAZs ''", "Fn::GetAZs");
  resolves_unknown("!Cidr [!GetAtt Bucket.Arn, 4, 8]", "Fn::GetAtt");
  resolves_unknown("'{{resolve:ssm:/db/password}}'", "dynamic reference");
  resolves_unknown("!Join ['', ['{{resolve:ssm:', '/db}}']]",
                   "dynamic reference {{resolve:ssm:/db}} is resolved at deployment");
  resolves_unknown("!Sub ['${V}-x', {V: '{{resolve:ssm:/db}}'}]",
                   "dynamic reference {{resolve:ssm:/db}} is resolved at deployment");
  /* A reference that selects a value makes the selected value unknown. */
  resolves_unknown("!Select ['{{resolve:ssm:/i}}', [a, b]]", "dynamic reference {{resolve:ssm:/i}}");
  resolves_unknown("!Select [0, !Split [',', '{{resolve:ssm:/l}}']]",
                   "dynamic reference {{resolve:ssm:/l}}");
  resolves_unknown("!FindInMap [Regions, '{{resolve:ssm:/r}}', Ami]",
                   "dynamic reference {{resolve:ssm:/r}}");
  resolves_unknown("!Ref '{{resolve:ssm:/n}}'", "dynamic reference {{resolve:ssm:/n}}");
  resolves_unknown("{'Fn::GetStackOutput': {StackName: s, OutputName: o}}",
                   "Fn::GetStackOutput reads another stack's output");
  resolves_unknown("!GetStackOutput {StackName: s, OutputName: o}",
                   "Fn::GetStackOutput reads another stack's output");
  /* A rule function is defined, but not resolved in a property. */
  resolves_unknown("{'Fn::Contains': [[a], a]}", "Fn::Contains is not resolved offline");
  resolves_unknown("!Sub {'Fn::Transform': {Name: M}}", "Fn::Transform runs a macro");
  resolves_unknown("!Join ['', !Rain::Embed x.sh]", "YAML tag !Rain::Embed");
}

/* CloudFormation rejects a function it does not define, so the call fails
 * with the closest names as a hint. */
static void undefined_functions_fail(void **state) {
  (void)state;
  resolve_fails("{'Fn::Joinn': ['', [a]]}", 6,
                "unknown intrinsic function 'Fn::Joinn' (did you mean 'Fn::Join'?): "
                "CloudFormation rejects it");
  resolve_fails("{'Fn::Foo': BAD}", 6,
                "unknown intrinsic function 'Fn::Foo' (did you mean 'Fn::Not' or 'Fn::Or'?): "
                "CloudFormation rejects it");
  resolve_fails("{'Fn::Sub': ['${X}', {X: {'Fn::Base46': a}}]}", 31,
                "unknown intrinsic function 'Fn::Base46' (did you mean 'Fn::Base64'?): "
                "CloudFormation rejects it");
}

static void conditions_decided(void **state) {
  (void)state;
  resolves_to("!If [IsProd, p, d]", "p");
  resolves_to("!If [IsDev, p, d]", "d");
  resolves_to("!If [Both, yes-both, no]", "yes-both");
  resolves_to("!If [Either, e, n]", "e");

  fixture *f = resolve_value("!If [Both, yes-both, no]", 1);
  assert_string_equal(f->result->text, "no");
  done(f);
}

static void condition_undecided_records_name(void **state) {
  (void)state;
  fixture *f = resolve_value("!If [Unknown, first, second]", 0);
  assert_string_equal(f->result->text, "first");
  assert_int_equal(f->ctx.undecided_count, 1);
  assert_string_equal(f->ctx.undecided_names[0], "Unknown");
  done(f);
}

static void condition_logic_three_valued(void **state) {
  (void)state;
  fixture *f = resolve_value("!If [OrKnownTrue, t, f]", 0);
  assert_string_equal(f->result->text, "t");
  assert_int_equal(f->ctx.undecided_count, 0);
  done(f);

  f = resolve_value("!If [AndKnownFalse, t, f]", 0);
  assert_string_equal(f->result->text, "f");
  assert_int_equal(f->ctx.undecided_count, 0);
  done(f);

  /* The undecidable input of AndUndecided is the condition Unknown, so only it is enumerated. */
  f = resolve_value("!If [AndUndecided, t, f]", 0);
  assert_string_equal(f->result->text, "t");
  assert_int_equal(f->ctx.undecided_count, 1);
  assert_string_equal(f->ctx.undecided_names[0], "Unknown");
  done(f);

  f = resolve_value("[!If [AndUndecided, t, f], !If [Unknown, t, f], !If [AndUndecided, t, f]]", 0);
  assert_int_equal(f->ctx.undecided_count, 1);
  assert_string_equal(f->ctx.undecided_names[0], "Unknown");
  done(f);
}

static void too_many_undecided_conditions(void **state) {
  (void)state;
  static fixture f;
  static const char text[] =
      "Parameters: {P: {Type: String}}\n"
      "Conditions: {C1: !Equals [!Ref P, '1'], C2: !Equals [!Ref P, '2'],"
      " C3: !Equals [!Ref P, '3'], C4: !Equals [!Ref P, '4'], C5: !Equals [!Ref P, '5'],"
      " C6: !Equals [!Ref P, '6'], C7: !Equals [!Ref P, '7']}\n"
      "v: [!If [C1, a, b], !If [C2, a, b], !If [C3, a, b], !If [C4, a, b], !If [C5, a, b],"
      " !If [C6, a, b], !If [C7, a, b], !If [C1, a, b]]\n";
  fixture_load(&f, text);

  const tnode *result = intrinsic_resolve(&f.ctx, tnode_get(f.root, "v"));
  assert_non_null(result);
  assert_int_equal(result->count, 8);
  assert_int_equal(f.ctx.undecided_count, INTRINSIC_MAX_ASSUMED);
  assert_true(f.ctx.too_many_undecided);
  tnode_arena_fini(&f.arena);
}

static void condition_assumed_false(void **state) {
  (void)state;
  static fixture f;
  static const char text[] = "Parameters: {P: {Type: String}}\n"
                             "Conditions: {C: !Equals [!Ref P, x]}\n"
                             "v: !If [C, first, second]\n";
  fixture_load(&f, text);
  f.ctx.assumed_names[0] = "C";
  f.ctx.assumed_values[0] = 0;
  f.ctx.assumed_count = 1;

  const tnode *result = intrinsic_resolve(&f.ctx, tnode_get(f.root, "v"));
  assert_string_equal(result->text, "second");
  assert_int_equal(f.ctx.undecided_count, 0);
  tnode_arena_fini(&f.arena);
}

static void no_value_removes_property(void **state) {
  (void)state;
  fixture *f = resolve_value("{A: 1, B: !Ref AWS::NoValue, C: [x, !If [IsDev, y, !Ref AWS::NoValue]]}", 0);
  assert_int_equal(f->result->kind, TNODE_OBJECT);
  assert_int_equal(f->result->count, 2);
  assert_null(tnode_get(f->result, "B"));
  assert_int_equal(tnode_get(f->result, "C")->count, 1);
  done(f);
}

static void undefined_condition_fails(void **state) {
  (void)state;
  resolve_fails("!If [Nope, a, b]", 11, "condition 'Nope' is not defined in Conditions");
}

/* Fn::Cidr with literal arguments, the result CloudFormation documents. */
static void cidr_computed(void **state) {
  (void)state;
  resolves_to("!Select [0, !Cidr ['8.8.0.0/16', 1, 8]]", "8.8.0.0/24");
  resolves_to("!Select [2, !Cidr ['10.0.0.0/16', 4, '8']]", "10.0.2.0/24");
  resolves_to("!Select [1, !Cidr ['10.0.9.9/16', 2, 12]]", "10.0.16.0/20");
  resolves_to("!Select [0, !Cidr ['10.0.0.0/24', 1, 0]]", "10.0.0.0/32");
  resolves_to("!Select [255, !Cidr ['10.0.0.0/16', 256, 8]]", "10.0.255.0/24");
  resolves_to("!Select [1, !Cidr ['2001:db8:0:ff00::/56', 3, 64]]", "2001:db8:0:ff01::/64");
  resolves_to("!Select [0, !Cidr ['::/0', 1, 128]]", "::/0");

  fixture *f = resolve_value("!Cidr ['10.0.0.0/16', 4, 8]", 0);
  assert_int_equal(f->result->kind, TNODE_ARRAY);
  assert_int_equal(f->result->count, 4);
  done(f);

  resolve_fails("!Cidr ['10.0.0/16', 1, 8]", 13,
                "Fn::Cidr ipBlock '10.0.0/16' is not an IPv4 or IPv6 CIDR block such as 10.0.0.0/16");
  resolve_fails("!Cidr ['10.0.0.0/33', 1, 8]", 13,
                "Fn::Cidr ipBlock '10.0.0.0/33' is not an IPv4 or IPv6 CIDR block such as 10.0.0.0/16");
  resolve_fails("!Cidr ['10.0.0.0', 1, 8]", 13,
                "Fn::Cidr ipBlock '10.0.0.0' is not an IPv4 or IPv6 CIDR block such as 10.0.0.0/16");
  resolve_fails("!Cidr ['10.0.0.0/16', 0, 8]", 28, "Fn::Cidr count '0' is not an integer from 1 to 256");
  resolve_fails("!Cidr ['10.0.0.0/8', 257, 8]", 27, "Fn::Cidr count '257' is not an integer from 1 to 256");
  resolve_fails("!Cidr ['10.0.0.0/16', -1, 8]", 28, "Fn::Cidr count '-1' is not an integer from 1 to 256");
  resolve_fails("!Cidr ['10.0.0.0/16', 1, 17]", 31,
                "Fn::Cidr cidrBits '17' is not an integer from 0 to 16, the host bits of the /16 block");
  resolve_fails("!Cidr ['10.0.0.0/16', 1, true]", 31,
                "Fn::Cidr cidrBits 'true' is not an integer from 0 to 16, the host bits of the /16 block");
  resolve_fails("!Cidr ['10.0.0.0/24', 3, 7]", 28,
                "Fn::Cidr count 3 does not fit: a /24 block holds at most 2 blocks of 7 host bits");
  resolve_fails("!Cidr ['10.0.0.0/24', 2, 8]", 28,
                "Fn::Cidr count 2 does not fit: a /24 block holds at most 1 block of 8 host bits");
  resolve_fails("!Cidr ['10.0.0.0/016', 1, 8]", 13,
                "Fn::Cidr ipBlock '10.0.0.0/016' is not an IPv4 or IPv6 CIDR block such as 10.0.0.0/16");
  resolve_fails("!Cidr ['10.0.0.0/16', 1]", 6, "Fn::Cidr expects [ipBlock, count, cidrBits]");
}

static void positions_follow_call(void **state) {
  (void)state;
  fixture *f = resolve_value("!Join ['', [a, b]]", 0);
  assert_int_equal(f->result->line, VALUE_LINE);
  assert_int_equal(f->result->column, 6);
  done(f);
}

int main(void) {
  const struct CMUnitTest tests[] = {
    cmocka_unit_test(ref_pseudo_parameters),
    cmocka_unit_test(ref_parameters),
    cmocka_unit_test(allowed_values_recorded),
    cmocka_unit_test(list_choices_add_default_and_all_items),
    cmocka_unit_test(ref_resource_is_unknown),
    cmocka_unit_test(sub_forms),
    cmocka_unit_test(get_att_arguments),
    cmocka_unit_test(booleans_as_text),
    cmocka_unit_test(join_select_split),
    cmocka_unit_test(find_in_map_and_base64),
    cmocka_unit_test(find_in_map_default_value),
    cmocka_unit_test(open_parameter_default_shown),
    cmocka_unit_test(unknown_functions),
    cmocka_unit_test(undefined_functions_fail),
    cmocka_unit_test(conditions_decided),
    cmocka_unit_test(condition_undecided_records_name),
    cmocka_unit_test(condition_logic_three_valued),
    cmocka_unit_test(too_many_undecided_conditions),
    cmocka_unit_test(condition_assumed_false),
    cmocka_unit_test(no_value_removes_property),
    cmocka_unit_test(undefined_condition_fails),
    cmocka_unit_test(cidr_computed),
    cmocka_unit_test(positions_follow_call),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
