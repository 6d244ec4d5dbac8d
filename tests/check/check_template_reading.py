"""Runs cfgate check on templates that it cannot check as written, and on
messages about how it read them: Fn::Transform in Parameters, Mappings or
Conditions, YAML tags that are not CloudFormation functions, Fn::Equals
operands that are null or mappings, unknown top-level sections, a Type
that is a function call, a parameter Type that CloudFormation does not
know, a parameter Default outside its AllowedValues, the {Name,
Parameters} Transform form, a resource whose body is Fn::Transform, an
undefined alias, the value limit with and without aliases, folders without
templates, and a YAML file in flow style, which is read as JSON.

usage: check_template_reading.py CFGATE SCHEMAS
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from runner import run_tests  # noqa: E402
from scratch import scratch_writer  # noqa: E402

cfgate, schemas, corpus_templates = sys.argv[1:4]
write = scratch_writer("cfgate-reading-")
workdir = write.root

POLICY = """type AWS::SQS::Queue {
    QueueName length 1..20
    DelaySeconds range 0..10
}
"""

HINT = "check the processed template (aws cloudformation get-template --template-stage Processed)"

# A queue that passes the policy, indented as a resource of Resources.
QUEUE = """  Q:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: 5
"""


POLICY_PATH = write("queue.gate", POLICY)


def run(*paths, fmt="json"):
    command = [cfgate, "check", "--policy", POLICY_PATH, "--schemas", schemas,
               "--account-id", "123456789012", "--region", "us-east-1", "--format", fmt, *paths]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def check(name, text):
    result = run(write(name, text))
    return result.returncode, json.loads(result.stdout)


def template_findings(report):
    return [(f["kind"], f["ruleId"], f["line"], f["column"], f["message"])
            for f in report["templates"][0]["findings"]]


def resource_findings(report, logical_id):
    for resource in report["templates"][0]["resources"]:
        if resource["logicalId"] == logical_id:
            return resource["status"], [(f["kind"], f["ruleId"], f["line"], f["column"],
                                         f["message"]) for f in resource["findings"]]
    raise AssertionError(f"no resource {logical_id}: {report}")


def parse_error(report):
    template = report["templates"][0]
    assert not template["parsed"], template
    error = template["error"]
    return error["line"], error["column"], error["message"]


def assert_section_transform(name, text, line, column, section):
    status, report = check(name, text)
    assert status == 1, report
    assert template_findings(report) == [
        ("unsupported", "cfgate/transform", line, column,
         f"Fn::Transform in the {section} section runs a macro at deployment that can replace "
         f"the values computed from it, so {HINT}")], report
    return report


def assert_resource_transform(name, text, line, column, section):
    report = assert_section_transform(name, text, line, column, section)
    assert resource_findings(report, "Q") == ("violation", [
        ("unsupported", "cfgate/transform", line, column,
         f"Fn::Transform in {section} can change this resource at deployment: check the "
         "processed template")]), report


def test_transform_in_parameter():
    assert_resource_transform("param.yaml", """Parameters:
  D:
    Type: Number
    Default: 5
    Fn::Transform: {Name: MyMacro}
    AllowedValues: [5]
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: !Ref D
""", 5, 5, "Parameters")


def test_transform_at_parameters_level():
    assert_resource_transform("params.yaml", """Parameters:
  Fn::Transform: {Name: MyMacro}
  D: {Type: Number, Default: 5}
Resources:
""" + QUEUE, 2, 3, "Parameters")


def test_transform_in_mapping_value():
    """The queue fails on the object itself and keeps that finding."""
    report = assert_section_transform("map-value.yaml", """Mappings:
  M:
    a:
      b: {Fn::Transform: {Name: MyMacro}}
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: 5
      QueueName: !FindInMap [M, a, b]
""", 4, 11, "Mappings")
    status, findings = resource_findings(report, "Q")
    assert status == "violation", findings


def test_include_in_mappings_with_default_value():
    assert_resource_transform("map-include.yaml", """Transform: AWS::LanguageExtensions
Mappings:
  M:
    Fn::Transform: {Name: AWS::Include, Parameters: {Location: "s3://b/m.yaml"}}
    x: {y: z}
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: !FindInMap [M, a, b, {DefaultValue: 5}]
""", 4, 5, "Mappings")


def test_transform_in_conditions_unskips_resource():
    """A false Condition computed from a transformed section does not skip."""
    status, report = check("conditions.yaml", """Conditions:
  Never: !Equals [a, b]
  Fn::Transform: {Name: AWS::Include, Parameters: {Location: "s3://b/c.yaml"}}
Resources:
  Q:
    Type: AWS::SQS::Queue
    Condition: Never
    Properties:
      DelaySeconds: 5
""")
    assert status == 1, report
    assert resource_findings(report, "Q") == ("violation", [
        ("unsupported", "cfgate/transform", 3, 3,
         "Fn::Transform in Conditions can change this resource at deployment: check the "
         "processed template")]), report


def test_transform_at_top_level():
    status, report = check("top.yaml", """Fn::Transform: {Name: AWS::Include, Parameters: {Location: "s3://b/t.yaml"}}
Resources:
""" + QUEUE)
    assert status == 1, report
    assert template_findings(report) == [
        ("unsupported", "cfgate/transform", 1, 1,
         "Fn::Transform at the top level runs a macro at deployment that can replace any "
         f"section, so {HINT}")], report
    status, findings = resource_findings(report, "Q")
    assert status == "violation", findings


def test_transform_in_outputs_is_ignored():
    """Outputs feed no resource value, so a macro there changes nothing checked."""
    status, report = check("outputs.yaml", """Resources:
""" + QUEUE + """Outputs:
  O:
    Value: {Fn::Transform: {Name: MyMacro}}
""")
    assert status == 0, report
    assert template_findings(report) == [], report
    assert resource_findings(report, "Q") == ("compliant", []), report


def test_include_transform_mapping_form():
    status, report = check("include.yaml", """Transform:
  Name: AWS::Include
  Parameters: {Location: "s3://b/x.yaml"}
Resources:
""" + QUEUE)
    assert status == 1, report
    assert template_findings(report) == [
        ("unsupported", "cfgate/transform", 2, 9,
         "Transform AWS::Include inserts a template snippet from Amazon S3 at deployment, "
         f"so {HINT}")], report
    assert resource_findings(report, "Q")[0] == "violation", report


def test_transform_list_of_mappings():
    status, report = check("include-list.yaml", """Transform:
  - AWS::LanguageExtensions
  - {Name: MyMacro, Parameters: {A: b}}
  - {Parameters: {A: b}}
Resources:
""" + QUEUE)
    assert status == 1, report
    assert template_findings(report) == [
        ("unsupported", "cfgate/transform", 3, 12,
         f"unknown Transform 'MyMacro': macros change the template at deployment, so {HINT}"),
        ("unsupported", "cfgate/transform", 4, 5,
         "invalid Transform: expected a name, a list of names, or a mapping with a Name string "
         "and Parameters")], report


def test_foreign_tag_is_unsupported():
    status, report = check("tag.yaml", """Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: !Foo 50
""")
    assert status == 1, report
    reason = ("YAML tag !Foo is not a CloudFormation function; check the template after the "
              "tool that defines it has processed it")
    assert template_findings(report) == [
        ("unsupported", "cfgate/yaml-tag", 5, 21,
         f"CloudFormation rejects the template as written: {reason}")], report
    status, findings = resource_findings(report, "Q")
    assert status == "violation", findings
    assert ("unsupported", "cfgate/yaml-tag", 5, 21,
            "the template uses a YAML tag that CloudFormation rejects: check the template after "
            "the tool that defines the tag has processed it") in findings, findings


def test_tag_directive_is_unsupported():
    status, report = check("tag-directive.yaml", """%TAG ! !Ref
---
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: !X 50
""")
    assert status == 1, report
    assert [f[:4] for f in template_findings(report)] == [
        ("unsupported", "cfgate/yaml-tag", 7, 21)], report
    assert "YAML tag !RefX is not a CloudFormation function" in template_findings(report)[0][4]


def assert_invalid_condition(name, definition, at, message):
    """Checks that condition C, defined on line 2, fails at the text `at`."""
    conditions = f"  C: {definition}\n"
    status, report = check(name, "Conditions:\n" + conditions + """Resources:
  Q:
    Type: AWS::SQS::Queue
    Condition: C
    Properties:
      DelaySeconds: 5
""")
    assert status == 1, report
    column = conditions.rindex(at) + 1
    assert resource_findings(report, "Q") == ("violation", [
        ("invalid", "cfgate/intrinsic", 2, column, message)]), report


OPERAND = ("invalid Fn::Equals operand: it is {}, but Fn::Equals compares strings, numbers, "
           "booleans or lists of them")
CONDITION = "invalid condition: expected Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition"


def test_equals_null_operand_is_invalid():
    assert_invalid_condition("eq-null.yaml", '!Equals ["", null]', "null", OPERAND.format("null"))


def test_equals_mapping_operand_is_invalid():
    assert_invalid_condition("eq-map.yaml", "!Equals [a, {b: c}]", "{b: c}",
                             OPERAND.format("a mapping"))


def test_equals_no_value_operand_is_invalid():
    assert_invalid_condition("eq-novalue.yaml", '!Equals ["", !Ref "AWS::NoValue"]', "!Ref",
                             OPERAND.format("AWS::NoValue"))


def test_equals_null_in_list_is_invalid():
    assert_invalid_condition("eq-list.yaml", "!Equals [[a], [a, null]]", "null",
                             OPERAND.format("null"))


def test_other_condition_functions_reject_null():
    assert_invalid_condition("not-null.yaml", "!Not [null]", "null", CONDITION)
    assert_invalid_condition("and-null.yaml", "!And [!Equals [a, a], null]", "null", CONDITION)
    assert_invalid_condition("or-null.yaml", "!Or [!Equals [a, b], null]", "null", CONDITION)
    assert_invalid_condition("cond-null.yaml", "{Condition: null}", "{Condition", CONDITION)


def test_if_on_null_operand_is_invalid():
    status, report = check("if-null.yaml", """Conditions:
  C: !Equals [null, ""]
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: !If [C, 5, 50]
""")
    assert status == 1, report
    assert resource_findings(report, "Q") == ("violation", [
        ("invalid", "cfgate/intrinsic", 2, 15, OPERAND.format("null"))]), report


def test_unknown_section_is_unparseable():
    cases = [
        ("section-foo.yaml", "Foo: bar\n", "'Foo'"),
        ("section-resource.yaml", "Resource: {}\n", "'Resource' (did you mean 'Resources'?)"),
        ("section-paramters.yaml", "Paramters: {}\n", "'Paramters' (did you mean 'Parameters'?)"),
    ]
    for name, extra, shown in cases:
        status, report = check(name, "Description: d\n" + extra + "Resources:\n" + QUEUE)
        assert status == 2, report
        assert parse_error(report) == (
            2, 1, f"unknown template section {shown}: CloudFormation rejects a top-level key "
                  "that is not a template section"), report


def test_misspelt_resources_is_named():
    """Without Resources, a near miss is named; another key is no template."""
    status, report = check("resource-typo.yaml", "Resource:\n" + QUEUE)
    assert status == 2, report
    assert parse_error(report) == (
        1, 1, "unknown template section 'Resource' (did you mean 'Resources'?): CloudFormation "
              "rejects a top-level key that is not a template section"), report

    status, report = check("workflow.yaml", "name: build\non: [push]\n")
    assert status == 2, report
    assert parse_error(report) == (1, 1, "not a CloudFormation template: no Resources mapping")


def test_every_template_section_is_accepted():
    status, report = check("sections.yaml", """AWSTemplateFormatVersion: "2010-09-09"
Description: all sections
Metadata: {Owner: team}
Parameters:
  D: {Type: Number, Default: 5}
Rules:
  R:
    Assertions:
      - Assert: !Equals [a, a]
Mappings:
  M: {a: {b: c}}
Conditions:
  Always: !Equals [a, a]
Transform: AWS::LanguageExtensions
Hooks:
  H:
    Type: AWS::CodeDeploy::BlueGreen
    Properties: {}
Resources:
""" + QUEUE + """Outputs:
  O: {Value: x}
""")
    assert status == 0, report
    assert report["templates"][0]["parsed"], report


def test_globals_needs_sam():
    status, report = check("globals.yaml", """Globals:
  Function: {Timeout: 5}
Resources:
""" + QUEUE)
    assert status == 2, report
    assert parse_error(report) == (
        1, 1, "the Globals section needs Transform: AWS::Serverless-2016-10-31, which defines "
              "it"), report

    status, report = check("globals-sam.yaml", """Transform: AWS::Serverless-2016-10-31
Globals:
  Function: {Timeout: 5}
Resources:
""" + QUEUE)
    assert status == 1, report
    assert report["templates"][0]["parsed"], report


def test_parameter_attributes_checked():
    # A misspelt AllowedValues would leave the allowed values unchecked.
    cases = [
        ("  Alg: {Type: String, Default: a, allowedValues: [a, b]}\n", 2, 35,
         "unknown attribute 'allowedValues' of parameter 'Alg' (did you mean 'AllowedValues'?): "
         "CloudFormation rejects it"),
        ("  Alg: {Default: a}\n", 2, 3, "parameter 'Alg' has no Type"),
        ("  Alg: a\n", 2, 8, "parameter 'Alg' is string, but CloudFormation needs a mapping "
                           "with a Type"),
    ]
    for parameter, line, column, message in cases:
        status, report = check("parameter.yaml", "Parameters:\n" + parameter + "Resources:\n" + QUEUE)
        assert status == 2, report
        assert parse_error(report) == (line, column, message), (parameter, report)


def test_parameter_type_unknown():
    status, report = check("parameter-type.yaml", """Parameters:
  A: {Type: Strin, AllowedValues: [abc]}
  B: {Type: [String]}
  C: {Type: "AWS::SSM::Parameter::Value<Test>"}
  Fine: {Type: "AWS::SSM::Parameter::Value<List<AWS::EC2::Subnet::Id>>"}
  Zones: {Type: "List<AWS::EC2::AvailabilityZone::Name>"}
  Key: {Type: AWS::EC2::KeyPair::KeyName}
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Ref A
""")
    assert status == 1, report
    assert template_findings(report) == [
        ("invalid", "cfgate/parameter", 2, 13, "unknown Type 'Strin' of parameter 'A' (did you "
         "mean 'String'?): CloudFormation rejects it"),
        ("invalid", "cfgate/parameter", 3, 13, "invalid Type of parameter 'B': it is a list, "
         "but CloudFormation needs a parameter type name such as String"),
        ("invalid", "cfgate/parameter", 4, 13, "unknown Type 'AWS::SSM::Parameter::Value<Test>' "
         "of parameter 'C' (did you mean 'AWS::SSM::Parameter::Name'?): CloudFormation rejects "
         "it"),
    ], report
    assert resource_findings(report, "Q") == ("compliant", []), report


def test_parameter_default_not_allowed():
    status, report = check("parameter-default.yaml", """Parameters:
  Name: {Type: String, AllowedValues: [first, second], Default: BAD}
  Secret: {Type: String, NoEcho: true, AllowedValues: [first, second], Default: Hidden42}
  Names: {Type: CommaDelimitedList, AllowedValues: [first, second], Default: "first, third"}
  Delay: {Type: Number, AllowedValues: [1.0, 20], Default: 1}
  Plain: {Type: String, AllowedValues: [first, second], Default: second}
  Ssm: {Type: "AWS::SSM::Parameter::Value<String>", AllowedValues: [first], Default: /name}
Resources:
""" + QUEUE)
    assert status == 1, report
    rejects = "is not one of its AllowedValues: CloudFormation rejects it"
    assert template_findings(report) == [
        ("invalid", "cfgate/parameter", 2, 65, "the Default 'BAD' of parameter 'Name' " + rejects),
        ("invalid", "cfgate/parameter", 3, 81, "the Default of NoEcho parameter 'Secret' " + rejects),
        ("invalid", "cfgate/parameter", 4, 78, "item 'third' of the Default of parameter 'Names' "
         + rejects),
    ], report
    assert "Hidden42" not in json.dumps(report), report
    assert resource_findings(report, "Q") == ("compliant", []), report


def test_parameter_default_outside_limits():
    status, report = check("parameter-default-limits.yaml", """Parameters:
  Short: {Type: String, MinLength: 5, Default: abc}
  Long: {Type: String, MaxLength: "2", Default: abcdef}
  Pattern: {Type: String, AllowedPattern: "[a-z]+", Default: ABC}
  Delay: {Type: Number, MinValue: 10, MaxValue: 20, Default: 30}
  Low: {Type: Number, MinValue: 10, Default: 9.5}
  Word: {Type: Number, Default: ten}
  Names: {Type: CommaDelimitedList, AllowedPattern: "[a-z]+", Default: "ab, cd ,E1"}
  Secret: {Type: String, NoEcho: true, MinLength: 12, Default: Hunter2Pass}
  Plain: {Type: String, MinLength: 1, MaxLength: 8, AllowedPattern: "[a-z]+", Default: fine}
  Ssm: {Type: "AWS::SSM::Parameter::Value<String>", AllowedPattern: "[a-z]+", Default: /name}
Resources:
""" + QUEUE)
    assert status == 1, report
    rejects = ": CloudFormation rejects it"
    assert template_findings(report) == [
        ("invalid", "cfgate/parameter", 2, 48, "the Default 'abc' of parameter 'Short' has 3 "
         "characters, fewer than its MinLength 5" + rejects),
        ("invalid", "cfgate/parameter", 3, 49, "the Default 'abcdef' of parameter 'Long' has 6 "
         "characters, more than its MaxLength 2" + rejects),
        ("invalid", "cfgate/parameter", 4, 62, "the Default 'ABC' of parameter 'Pattern' does "
         "not match its AllowedPattern '[a-z]+'" + rejects),
        ("invalid", "cfgate/parameter", 5, 62, "the Default '30' of parameter 'Delay' is greater "
         "than its MaxValue 20" + rejects),
        ("invalid", "cfgate/parameter", 6, 46, "the Default '9.5' of parameter 'Low' is less "
         "than its MinValue 10" + rejects),
        ("invalid", "cfgate/parameter", 7, 33, "the Default 'ten' of parameter 'Word' is not a "
         "number, as its Type Number requires" + rejects),
        ("invalid", "cfgate/parameter", 8, 72, "item 'E1' of the Default of parameter 'Names' "
         "does not match its AllowedPattern '[a-z]+'" + rejects),
        ("invalid", "cfgate/parameter", 9, 64, "the Default of NoEcho parameter 'Secret' does "
         "not meet its MinLength" + rejects),
    ], report
    assert "Hunter2Pass" not in json.dumps(report), report
    assert resource_findings(report, "Q") == ("compliant", []), report


def test_corpus_defaults_within_limits():
    # Public templates deploy with their Defaults, so none may break its own constraints.
    report = json.loads(run(corpus_templates).stdout)
    assert len(report["templates"]) > 300, len(report["templates"])
    found = [f["message"] for t in report["templates"] for f in t.get("findings", [])
             if f["ruleId"] == "cfgate/parameter" and "Default" in f["message"]
             and "AllowedValues" not in f["message"]]
    assert found == [], found


def test_type_function_call_is_named():
    cases = [
        ("type-ref.yaml", "!Ref T", "a Ref to 'T'"),
        ("type-if.yaml", "!If [C, AWS::SQS::Queue, AWS::SNS::Topic]", "a Fn::If call"),
        ("type-number.yaml", "5", "the number 5"),
        ("type-list.yaml", "[AWS::SQS::Queue]", "a list"),
    ]
    for name, type_text, shown in cases:
        status, report = check(name, """Parameters:
  T: {Type: String, Default: AWS::SQS::Queue}
Conditions:
  C: !Equals [a, a]
Resources:
  Q:
    Type: """ + type_text + "\n")
        assert status == 1, report
        assert resource_findings(report, "Q") == ("violation", [
            ("invalid", "cfgate/resource", 7, 11,
             f"invalid resource Type: it is {shown}, but CloudFormation needs a literal "
             "resource type name such as AWS::S3::Bucket")]), (name, report)

    text = run(os.path.join(workdir, "type-ref.yaml"), fmt="text").stdout
    assert "  Q (no Type): violation" in text.splitlines(), text


def test_value_limit_message_fits_the_format():
    values = ",".join(["0"] * 200001)
    json_text = '{"Metadata": [' + values + '], "Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}'
    status, report = check("huge.json", json_text)
    assert status == 2, report
    line, column, message = parse_error(report)
    assert message == "too many values (limit is 200000)", message
    assert line == 1, line
    assert column > 1, column

    # Without aliases, a YAML template gets the message of a JSON one.
    yaml_text = "Metadata: [" + values + "]\nResources: {Q: {Type: AWS::SQS::Queue}}\n"
    status, report = check("huge.yaml", yaml_text)
    assert status == 2, report
    assert parse_error(report)[2] == "too many values (limit is 200000)", report

    half = ",".join(["0"] * 100001)
    aliased = ("Metadata: [&half [" + half + "], *half]\n"
               "Resources: {Q: {Type: AWS::SQS::Queue}}\n")
    status, report = check("aliased.yaml", aliased)
    assert status == 2, report
    assert parse_error(report)[2] == ("too many values, counting each alias expansion (limit "
                                      "is 200000)"), report


def test_resource_body_is_transform():
    status, report = check("body-transform.yaml", """Resources:
  R:
    Fn::Transform: {Name: AWS::Include, Parameters: {Location: s3://bucket/r.yaml}}
""" + QUEUE)
    assert status == 1, report
    assert resource_findings(report, "R") == ("violation", [
        ("unsupported", "cfgate/transform", 3, 20, "Fn::Transform runs a macro at deployment "
         "that writes this resource, its Type included: " + HINT)]), report


def test_undefined_alias_is_placed():
    # The alias name is not quoted, because an unquoted password that
    # starts with '*' reads as an alias.
    status, report = check("alias.yaml", """Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: [*missing, &later x, *later]
""")
    assert status == 2, report
    assert parse_error(report) == (5, 19, "undefined alias: no anchor (&name) comes before this "
                                   "alias (*name); quote the value if it is text that starts "
                                   "with '*'"), report
    status, report = check("alias-password.yaml", """Resources:
  D:
    Type: AWS::RDS::DBInstance
    Properties:
      MasterUserPassword: *Sup3rS3cret
""")
    assert status == 2, report
    assert "Sup3rS3cret" not in json.dumps(report), report


def test_folder_without_templates_is_named():
    folder = os.path.join(workdir, "other-extensions")
    write("other-extensions/stack.cfn", "Resources: {}\n")
    write("other-extensions/stack.yaml.txt", "Resources: {}\n")
    write("other-extensions/.hidden.yaml", "Resources: {}\n")
    good = write("good.yaml", "Resources:\n" + QUEUE)
    for paths in ([folder], [good, folder]):
        result = run(*paths, fmt="text")
        assert result.returncode == 2, result
        assert result.stdout == "", result.stdout
        assert result.stderr == (
            f"cfgate check: {folder}: no templates in this folder: cfgate check reads files "
            "named *.json, *.yaml, *.yml or *.template (in any letter case) in it and its "
            "subfolders, and skips hidden entries\n"), result.stderr


def test_fifo_in_folder_is_an_error():
    # A FIFO named like a template in a folder is an error, because skipping
    # it leaves it unchecked and opening it waits for a writer. A FIFO named
    # on the command line is read.
    folder = os.path.join(workdir, "with-fifo")
    write("with-fifo/good.yaml", "Resources:\n" + QUEUE)
    fifo = os.path.join(folder, "stack.yaml")
    os.mkfifo(fifo)
    result = subprocess.run([cfgate, "check", "--schemas", schemas, "--policy", POLICY_PATH, folder],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2, result
    assert result.stdout == "", result.stdout
    assert result.stderr == (
        f"cfgate check: {fifo}: is a FIFO, not a regular file: templates in a folder must be "
        "regular files (a FIFO is read only when named on the command line)\n"), result.stderr

    with open(os.path.join(folder, "good.yaml"), "rb") as source:
        reader = subprocess.Popen([cfgate, "check", "--schemas", schemas, "--policy", POLICY_PATH,
                                   "--format", "json", fifo], stdout=subprocess.PIPE, text=True)
        with open(fifo, "wb") as sink:
            sink.write(source.read())
        output, _ = reader.communicate(timeout=60)
    assert reader.returncode == 0, output
    assert json.loads(output)["summary"]["compliant"] == 1, output


def test_alias_expansion_memory_limit_named():
    # 130 aliases of a 1 MiB string: a small file whose values need more
    # than the 128 MiB the values of one template may take.
    big = "x" * (1024 * 1024)
    aliases = "".join(f"  A{i}: *big\n" for i in range(130))
    text = f'Metadata:\n  Text: &big "{big}"\n{aliases}Resources:\n  Q:\n    Type: AWS::SQS::Queue\n'
    status, report = check("aliases.yaml", text)
    assert status == 2, report
    line, column, message = parse_error(report)
    assert message == ("template too large: its values, with every alias expanded, need more "
                       "than 134217728 bytes of memory (limit is 134217728 bytes)"), message


def test_flow_style_yaml_is_read_as_json():
    # A .yaml file in YAML flow style starts with '{', so it is read as JSON.
    status, report = check("flow.yaml", "{Resources: {Q: {Type: AWS::SQS::Queue}}}\n")
    assert status == 2, report
    assert parse_error(report) == (
        1, 10, "invalid JSON: string or '}' expected near 'Resources' (a template that starts "
              "with '{' or '[' is read as JSON, also in a .yaml file)"), report
    status, report = check("flow.json", "{Resources: {Q: {Type: AWS::SQS::Queue}}}\n")
    assert parse_error(report) == (1, 10, "invalid JSON: string or '}' expected near 'Resources'")


if __name__ == "__main__":
    sys.exit(run_tests(globals()))
