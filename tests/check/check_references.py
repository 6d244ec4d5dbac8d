"""Runs cfgate check on templates that name something they do not define:
a Ref, Fn::GetAtt, Fn::Sub variable, Fn::If condition, Condition or
DependsOn in a branch no deployment takes, in a resource whose Condition
is false, in an unused condition and in Outputs. CloudFormation rejects
such templates before it evaluates conditions, so each name is an
invalid finding. Names that Fn::ForEach, a module or a macro defines are
not reported.

usage: check_references.py CFGATE SCHEMAS
"""
import json
import os
import subprocess
import sys
import tempfile

cfgate, schemas = sys.argv[1:3]
workdir = tempfile.mkdtemp(prefix="cfgate-references-")

POLICY = """type AWS::SQS::Queue {
    QueueName
    DelaySeconds range 0..10
}
"""


def write(name, text):
    path = os.path.join(workdir, name)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    return path


POLICY_PATH = write("queue.gate", POLICY)


def check(text, name="template.yaml"):
    path = write(name, text)
    command = [cfgate, "check", "--policy", POLICY_PATH, "--schemas", schemas,
               "--account-id", "123456789012", "--region", "us-east-1",
               "--format", "json", path]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode in (0, 1), (result.returncode, result.stderr)
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
        (9, 18, "Ref to 'Undefined', which is not a parameter or resource", "cfgate/intrinsic"),
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


TESTS = [value for name, value in sorted(globals().items()) if name.startswith("test_")]
for test in TESTS:
    test()
    print("ok", test.__name__)
