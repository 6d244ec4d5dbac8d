"""Runs cfgate check on templates that name something they do not define.
The names are a Ref, Fn::GetAtt, Fn::Sub variable, Fn::If condition,
Condition or DependsOn, in a branch no deployment takes, in a resource
whose Condition is false, in an unused condition and in Outputs. CloudFormation rejects
such templates before it evaluates conditions, so each name is an
invalid finding, reported once and without notes on parameter or
condition values. Names that Fn::ForEach, a module or a macro defines are
not reported, and neither are names passed to a macro. Also covered: a
condition that reads a resource, an Fn::If inside a condition, the
summary count of templates with errors outside resources, a DependsOn that
is not a name, resources that depend on themselves, and misspelt Fn::
functions in conditions, Outputs and resource Metadata.

usage: check_references.py CFGATE SCHEMAS
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from scratch import scratch_writer  # noqa: E402

cfgate, schemas = sys.argv[1:3]
write = scratch_writer("cfgate-references-")

POLICY = """type AWS::SQS::Queue {
    QueueName
    DelaySeconds range 0..10
}
"""


POLICY_PATH = write("queue.gate", POLICY)


def run_check(text, name, fmt):
    path = write(name, text)
    command = [cfgate, "check", "--policy", POLICY_PATH, "--schemas", schemas,
               "--account-id", "123456789012", "--region", "us-east-1",
               "--format", fmt, path]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode in (0, 1), (result.returncode, result.stderr)
    return result


def check(text, name="template.yaml"):
    result = run_check(text, name, "json")
    report = json.loads(result.stdout)
    template = report["templates"][0]
    resources = {r["logicalId"]: r for r in template["resources"]}
    return result.returncode, template["findings"], resources


def positions(findings):
    return [(f["line"], f["column"], f["message"], f["ruleId"]) for f in findings]


def test_names_in_branch_not_taken():
    status, _, resources = check("""Conditions:
  Always: !Equals [a, a]
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: !If [Always, 5, !If [Nope, 6, 7]]
      QueueName: !If [Always, q-abc, !Ref Undefined]
      RedrivePolicy: !If [Always, !Ref AWS::NoValue, !GetAtt Nowhere.Arn]
""")
    assert status == 1
    queue = resources["Q"]
    assert queue["status"] == "violation", queue
    assert positions(queue["findings"]) == [
        (7, 42, "condition 'Nope' is not defined in Conditions", "cfgate/intrinsic"),
        (8, 38, "Ref to 'Undefined', which is not a parameter or resource", "cfgate/intrinsic"),
        (9, 54, "Fn::GetAtt names 'Nowhere', which is not a resource", "cfgate/intrinsic"),
    ], queue["findings"]


def test_resource_skipped_by_condition():
    status, _, resources = check("""Conditions:
  Never: !Equals [a, b]
Resources:
  Q:
    Type: AWS::SQS::Queue
    Condition: Never
    DependsOn: [Gone]
    Properties:
      QueueName: !Sub "${Undefined}-${Lost.Arn}-${!Literal}-${AWS::Region}"
""")
    assert status == 1
    queue = resources["Q"]
    assert queue["status"] == "violation", queue
    assert positions(queue["findings"]) == [
        (7, 17, "DependsOn names 'Gone', which is not a resource", "cfgate/intrinsic"),
        (9, 18, "Fn::Sub variable 'Undefined', which is not a parameter or resource",
         "cfgate/intrinsic"),
        (9, 18, "Fn::Sub variable ${Lost.Arn} names 'Lost', which is not a resource", "cfgate/intrinsic"),
    ], queue["findings"]


def test_unused_condition_and_outputs():
    status, findings, resources = check("""Conditions:
  Unused: !Equals [!Ref Undefined, a]
  Other: !And [!Condition Missing, !Condition Unused]
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: q-abc
Outputs:
  Arn:
    Condition: Absent
    Value: !GetAtt Ghost.Arn
""")
    assert status == 1
    assert resources["Q"]["status"] == "compliant", resources
    assert positions(findings) == [
        (2, 20, "Ref to 'Undefined', which is not a parameter or resource", "cfgate/intrinsic"),
        (3, 16, "condition 'Missing' is not defined in Conditions", "cfgate/intrinsic"),
        (11, 16, "condition 'Absent' is not defined in Conditions", "cfgate/intrinsic"),
        (12, 12, "Fn::GetAtt names 'Ghost', which is not a resource", "cfgate/intrinsic"),
    ], findings


def test_unknown_functions_outside_properties():
    status, findings, resources = check("""Conditions:
  Unused: {"Fn::Equalz": [a, b]}
  Used: !Equals [a, a]
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !If [Used, q-abc, {"Fn::Joinn": ["", [a]]}]
  M:
    Type: AWS::SQS::Queue
    Metadata: {Note: {"Fn::Subb": "x"}}
    Properties:
      QueueName: q-abc
Outputs:
  Joined:
    Value: {"Fn::Joinn": ["", [a, b]]}
""")
    assert status == 1
    hint = " (did you mean 'Fn::Join'?): CloudFormation rejects it"
    assert positions(findings) == [
        (2, 11, "unknown intrinsic function 'Fn::Equalz' (did you mean 'Fn::Equals'?): "
                "CloudFormation rejects it", "cfgate/intrinsic"),
        (16, 12, "unknown intrinsic function 'Fn::Joinn'" + hint, "cfgate/intrinsic"),
    ], findings
    assert resources["Q"]["status"] == "violation", resources["Q"]
    assert positions(resources["Q"]["findings"]) == [
        (8, 36, "unknown intrinsic function 'Fn::Joinn'" + hint, "cfgate/intrinsic"),
    ], resources["Q"]
    assert resources["M"]["status"] == "violation", resources["M"]
    assert [f["message"] for f in resources["M"]["findings"]] == [
        "unknown intrinsic function 'Fn::Subb' (did you mean 'Fn::Sub'?): CloudFormation "
        "rejects it"], resources["M"]


def test_evaluated_name_reported_once():
    status, findings, resources = check("""Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Ref Undefined
""")
    assert status == 1
    assert findings == [], findings
    messages = [f["message"] for f in resources["Q"]["findings"]]
    assert messages == ["Ref to 'Undefined', which is not a parameter or resource"], messages


def test_defined_names_not_reported():
    status, findings, resources = check("""Parameters:
  Name: {Type: String, Default: q-abc}
Conditions:
  IsEast: !Equals [!Ref AWS::Region, us-east-1]
  Both: !And [!Condition IsEast, !Not [!Condition IsEast]]
Resources:
  Topic:
    Type: AWS::SNS::Topic
  Q:
    Type: AWS::SQS::Queue
    DependsOn: Topic
    Condition: IsEast
    Properties:
      QueueName: !Sub
        - "${Name}-${Local}-${!Kept}-${ AWS::AccountId }-${Topic.TopicName}"
        - Local: x
      DelaySeconds: !If [Both, 1, 2]
Outputs:
  TopicArn:
    Condition: IsEast
    Value: !Ref Topic
""")
    assert findings == [], findings
    queue = resources["Q"]
    assert all(f["ruleId"] != "cfgate/intrinsic" for f in queue["findings"]), queue


def test_for_each_and_module_names():
    status, findings, resources = check(json.dumps({
        "Transform": "AWS::LanguageExtensions",
        "Parameters": {"ParamA": {"Type": "String", "Default": "true"}},
        "Conditions": {"Fn::ForEach::Check": ["Id", ["A"], {
            "Is${Id}": {"Fn::Equals": [{"Ref": {"Fn::Sub": "Param${Id}"}}, "true"]}}]},
        "Resources": {
            "Module": {"Type": "My::Queue::Set::MODULE", "Properties": {}},
            "Q": {"Type": "AWS::SQS::Queue",
                  "Properties": {"QueueName": {"Fn::GetAtt": ["ModuleQueue", "QueueName"]}}},
        },
        "Outputs": {"Inner": {"Value": {"Ref": "ModuleQueue"}}},
    }), name="foreach.json")
    assert findings == [], findings
    queue = resources["Q"]
    assert all(f["ruleId"] != "cfgate/intrinsic" for f in queue["findings"]), queue


def test_macro_template_not_checked():
    _, findings, resources = check("""Transform: AWS::Serverless-2016-10-31
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !If [Undefined, a, b]
""")
    assert all(f["ruleId"] != "cfgate/intrinsic" for f in findings), findings
    messages = [f["message"] for f in resources["Q"]["findings"]]
    assert messages.count("condition 'Undefined' is not defined in Conditions") == 1, messages


def test_template_errors_counted():
    text = """Conditions:
  Unused: !Equals [!Ref Undefined, a]
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: q-abc
"""
    result = run_check(text, "counted.yaml", "json")
    assert result.returncode == 1, result.stdout
    summary = json.loads(result.stdout)["summary"]
    assert (summary["compliant"], summary["templateErrors"]) == (1, 1), summary
    result = run_check(text, "counted.yaml", "text")
    assert result.stdout.splitlines()[-1].endswith(
        "0 skipped by conditions, 1 template with errors outside resources"), result.stdout
    result = run_check(text, "counted.yaml", "junit")
    assert 'name="template (outside resources)"' in result.stdout, result.stdout


def test_for_each_outputs_defined():
    status, findings, resources = check("""Transform: AWS::LanguageExtensions
Parameters:
  Env: {Type: String, AllowedValues: [prod, dev]}
Conditions:
  Fn::ForEach::Envs:
    - E
    - [prod, dev]
    - Fn::ForEach::Tiers:
        - T
        - [gold, tin]
        - Is${E}&{T}:
            !Equals [!Ref Env, !Ref E]
  AnyProd: !Or [!Condition Isprodgold, !Condition Isprodtin]
Resources:
  Fn::ForEach::Queues:
    - Name
    - [A, B]
    - Queue${Name}:
        Type: AWS::SQS::Queue
        Properties:
          QueueName: !Sub "q-${Name}"
  Q:
    Type: AWS::SQS::Queue
    DependsOn: [QueueA, QueueB]
    Condition: AnyProd
    Properties:
      QueueName: !If [Isdevtin, !GetAtt QueueA.QueueName, q-abc]
      DelaySeconds: !If [Isprodgold, 50, 1]
Outputs:
  Gold:
    Condition: Isprodgold
    Value: !Ref QueueB
""", name="foreach-outputs.yaml")
    assert findings == [], findings
    messages = [f["message"] for f in resources["Q"]["findings"]]
    assert messages == [
        "the value is unknown before deployment, so its type cannot be checked (Fn::GetAtt is "
        "known only after deployment) (in the true branch of Fn::If condition Isdevtin)",
        "50 is greater than the maximum 10 (in the true branch of Fn::If condition Isprodgold)",
    ], messages


def test_if_inside_condition_enumerated():
    status, _, resources = check("""Parameters:
  G: {Type: String}
Conditions:
  A2: !Equals [!Ref G, gg]
  Never: !Equals [a, b]
  D: !And [!Condition A2, !Condition Never]
  X: !Or [!Equals [!If [D, p, q], r], !Condition A2]
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: !If [X, 1, 50]
""", name="if-in-condition.yaml")
    assert status == 1
    messages = [f["message"] for f in resources["Q"]["findings"]]
    assert messages == ["50 is greater than the maximum 10 (in the false branch of Fn::If "
                        "condition X)"], messages


def test_names_in_macro_call_not_checked():
    status, findings, resources = check("""Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: q-abc
Outputs:
  Made:
    Value:
      Fn::Transform:
        Name: MyMacro
        Parameters: {V: !Ref Nope}
""", name="macro-output.yaml")
    assert findings == [], findings
    assert all(f["ruleId"] != "cfgate/intrinsic" for f in resources["Q"]["findings"]), resources


def test_wrong_name_reported_once_without_notes():
    status, findings, resources = check("""Parameters:
  Env: {Type: String, AllowedValues: [prod, dev]}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  Bad: !Equals [!Ref Nope, x]
Resources:
  Q:
    Type: AWS::SQS::Queue
    Condition: Bad
    Properties:
      QueueName: !If [Bad, q-a, q-b]
  R:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !If [IsProd, q-a, !GetAtt Nope.QueueName]
""", name="once.yaml")
    assert status == 1
    assert findings == [], findings
    assert positions(resources["Q"]["findings"]) == [
        (5, 17, "Ref to 'Nope', which is not a parameter or resource", "cfgate/intrinsic"),
    ], resources["Q"]
    assert positions(resources["R"]["findings"]) == [
        (15, 36, "Fn::GetAtt names 'Nope', which is not a resource", "cfgate/intrinsic"),
    ], resources["R"]


def test_long_sub_name_and_condition_inputs():
    long_name = "N" * 256
    status, findings, resources = check(f"""Conditions:
  Never: !Equals [a, b]
  ByTopic: !Equals [!Ref Topic, x]
  ByArn: !Equals [!GetAtt Topic.TopicArn, x]
Resources:
  Topic:
    Type: AWS::SNS::Topic
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !If [Never, !Sub "${{{long_name}}}", q-abc]
""", name="long-sub.yaml")
    assert status == 1
    assert positions(resources["Q"]["findings"]) == [
        (11, 30, "Fn::Sub variable name too long (limit is 255 bytes)", "cfgate/intrinsic"),
    ], resources["Q"]
    inputs = "a condition can read parameters, pseudo parameters and mappings"
    assert positions(findings) == [
        (3, 21, "Ref to resource 'Topic' in Conditions: " + inputs + ", not resources",
         "cfgate/intrinsic"),
        (4, 19, "Fn::GetAtt in Conditions: " + inputs + ", not resource attributes",
         "cfgate/intrinsic"),
    ], findings


def test_depends_on_not_a_name():
    status, _, resources = check("""Resources:
  A:
    Type: AWS::SQS::Queue
  B:
    Type: AWS::SQS::Queue
    DependsOn: {Ref: A}
  C:
    Type: AWS::SQS::Queue
    DependsOn: [A, 1, {x: y}, [A], null]
""")
    assert status == 1
    assert resources["A"]["status"] == "compliant", resources["A"]
    assert resources["B"]["status"] == "violation", resources["B"]
    assert positions(resources["B"]["findings"]) == [
        (6, 16, "DependsOn must be a resource name or a list of resource names, found a Ref "
         "to 'A'", "cfgate/intrinsic"),
    ], resources["B"]
    item = "DependsOn list item must be a resource name, found "
    assert resources["C"]["status"] == "violation", resources["C"]
    assert positions(resources["C"]["findings"]) == [
        (9, 20, item + "the number 1", "cfgate/intrinsic"),
        (9, 23, item + "a mapping", "cfgate/intrinsic"),
        (9, 31, item + "a list", "cfgate/intrinsic"),
        (9, 36, item + "empty (null)", "cfgate/intrinsic"),
    ], resources["C"]


def test_depends_on_itself():
    status, _, resources = check("""Resources:
  D:
    Type: AWS::SQS::Queue
    DependsOn: D
  G:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !GetAtt G.QueueName
  S:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub ["${Name}", {Name: !Ref S}]
""")
    assert status == 1
    for logical_id, line, column in (("D", 4, 16), ("G", 8, 18), ("S", 12, 42)):
        assert resources[logical_id]["status"] == "violation", resources[logical_id]
        findings = [f for f in positions(resources[logical_id]["findings"])
                    if f[3] == "cfgate/intrinsic"]
        assert findings == [
            (line, column, f"resource '{logical_id}' depends on itself", "cfgate/intrinsic"),
        ], resources[logical_id]


def test_dependency_cycle():
    # E, F and H depend on each other through DependsOn, Fn::Sub and Ref;
    # the reference inside Fn::If and the Fn::Sub variable that the map
    # defines close no cycle.
    status, _, resources = check("""Conditions:
  Never: !Equals [a, b]
Resources:
  H:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Ref E
  E:
    Type: AWS::SQS::Queue
    DependsOn: [F]
  F:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub "${H.QueueName}"
  I:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !If [Never, !Ref J, name]
  J:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub ["${I}", {I: name}]
      DelaySeconds: !GetAtt I.DelaySeconds
""")
    assert status == 1
    assert resources["H"]["status"] == "violation", resources["H"]
    assert positions(resources["H"]["findings"]) == [
        (7, 18, "resource 'H' depends on itself through 'E' -> 'F'", "cfgate/intrinsic"),
    ], resources["H"]
    for logical_id in ("E", "F", "I"):
        assert resources[logical_id]["findings"] == [], resources[logical_id]
    assert all(f[3] != "cfgate/intrinsic" for f in positions(resources["J"]["findings"])), \
        resources["J"]


TESTS = [value for name, value in sorted(globals().items()) if name.startswith("test_")]
for test in TESTS:
    test()
    print("ok", test.__name__)
