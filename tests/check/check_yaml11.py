"""Runs cfgate check on YAML templates with plain scalars that YAML 1.1 and
YAML 1.2 read differently (yes, on, 0777, 012345678910). A resource must
pass in both readings; quoted values, timestamps and JSON templates are read
once.

usage: check_yaml11.py CFGATE SCHEMAS
"""
import json
import os
import subprocess
import sys
import tempfile

cfgate, schemas = sys.argv[1:3]
workdir = tempfile.mkdtemp(prefix="cfgate-yaml11-")

POLICY = """type AWS::SQS::Queue {
    QueueName pattern "^[0-9]{12}$"
    DelaySeconds range 0..10
    Tags
}
"""

NOTE = "(reading the template as YAML 1.1, where plain yes, no, on and off are booleans)"


def write(name, text):
    path = os.path.join(workdir, name)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    return path


POLICY_PATH = write("queue.gate", POLICY)


def check(name, text):
    command = [cfgate, "check", "--policy", POLICY_PATH, "--schemas", schemas,
               "--account-id", "123456789012", "--region", "us-east-1", "--format", "json",
               write(name, text)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    report = json.loads(result.stdout)
    resource = report["templates"][0]["resources"][0]
    return result.returncode, resource["status"], [f["message"] for f in resource["findings"]]


def test_condition_on_plain_yes():
    # YAML 1.2 compares "true" with "yes" and skips the queue; YAML 1.1 reads
    # yes as true, so a deployment with Legacy=true creates it.
    code, status, messages = check("condition.yaml", """Parameters:
  Legacy: {Type: String, AllowedValues: ["true", "false"], Default: "false"}
Conditions:
  IsLegacy: !Equals [!Ref Legacy, yes]
Resources:
  Q:
    Type: AWS::SQS::Queue
    Condition: IsLegacy
    Properties:
      DelaySeconds: 60
""")
    assert code == 1, (code, messages)
    assert status == "violation", status
    assert len(messages) == 1, messages
    assert messages[0].startswith("60 is greater than the maximum 10"), messages
    assert messages[0].endswith(NOTE), messages


def test_if_on_plain_on():
    code, status, messages = check("if.yaml", """Conditions:
  Slow: !Equals [on, "true"]
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: !If [Slow, 60, 5]
""")
    assert code == 1, (code, messages)
    assert status == "violation", status
    assert any("in the true branch of Fn::If condition Slow" in m and m.endswith(NOTE)
               for m in messages), messages


def test_consistent_yes_no_parameter():
    # Yes and No are plain everywhere, so both readings agree on every value.
    code, status, messages = check("consistent.yaml", """Parameters:
  Create: {Type: String, AllowedValues: [Yes, No], Default: No}
Conditions:
  DoCreate: !Equals [!Ref Create, Yes]
Resources:
  Q:
    Type: AWS::SQS::Queue
    Condition: DoCreate
    Properties:
      DelaySeconds: 5
""")
    assert code == 0, (code, messages)
    assert status == "compliant", status
    assert messages == [], messages


def test_number_form_is_unverified():
    code, status, messages = check("account.yaml", """Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: 012345678910
""")
    assert code == 0, (code, messages)
    assert status == "unverified", status
    assert len(messages) == 1, messages
    assert "the plain YAML value 012345678910 is a number in YAML 1.1" in messages[0], messages
    assert 'quote it ("012345678910")' in messages[0], messages


def test_quoted_and_timestamp_read_once():
    code, status, messages = check("quoted.yaml", """Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: '012345678910'
      Tags:
        - Key: since
          Value: 2012-10-17
        - Key: flag
          Value: "yes"
""")
    assert code == 0, (code, messages)
    assert status == "compliant", status
    assert messages == [], messages


def test_json_read_once():
    code, status, messages = check("queue.json", json.dumps({
        "Resources": {"Q": {"Type": "AWS::SQS::Queue",
                            "Properties": {"QueueName": "012345678910",
                                           "Tags": [{"Key": "a", "Value": "yes"}]}}}}))
    assert code == 0, (code, messages)
    assert status == "compliant", status


def main():
    tests = [value for name, value in sorted(globals().items()) if name.startswith("test_")]
    for test in tests:
        test()
        print(f"ok {test.__name__}")
    print(f"{len(tests)} tests passed")


if __name__ == "__main__":
    main()
