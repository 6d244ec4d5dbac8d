"""Runs cfgate check on templates whose findings hold under some Fn::If
condition values only, on a value outside any Fn::If: a required property
that one branch removes with AWS::NoValue. The finding names the condition
values it needs and points at the Fn::If that removes the property. A
finding in every combination has no such note.

usage: check_if_conditions.py CFGATE SCHEMAS
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from scratch import scratch_writer  # noqa: E402

cfgate, schemas = sys.argv[1:3]
write = scratch_writer("cfgate-if-")

POLICY = """type AWS::SQS::Queue {
    QueueName pattern "^acme-" required
    DelaySeconds range 0..10
}
"""
HEADER = """Parameters:
  Env: {Type: String}
  Tier: {Type: String}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsGold: !Equals [!Ref Tier, gold]
Resources:
"""


POLICY_PATH = write("queue.gate", POLICY)
GROUP_POLICY_PATH = write("group.gate", """type AWS::EC2::SecurityGroup {
    GroupDescription
    SecurityGroupIngress[].IpProtocol
    SecurityGroupIngress[].CidrIp
}
""")


def findings(resources, policy=POLICY_PATH):
    path = write("template.yaml", HEADER + resources)
    command = [cfgate, "check", "--policy", policy, "--schemas", schemas,
               "--account-id", "123456789012", "--region", "us-east-1",
               "--format", "json", path]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    report = json.loads(result.stdout)
    return [(f["line"], f["column"], f["message"])
            for t in report["templates"] for r in t["resources"] for f in r["findings"]]


def test_required_removed_in_false_branch():
    found = findings("""  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !If [IsProd, acme-a, !Ref AWS::NoValue]
""")
    assert found == [(11, 18, 'missing required property "QueueName" '
                               "(when condition IsProd is false)")], found


def test_required_removed_by_long_form_if():
    found = findings("""  Q:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: 1
      QueueName: {"Fn::If": [IsProd, {"Ref": "AWS::NoValue"}, acme-a]}
""")
    assert found == [(12, 18, 'missing required property "QueueName" '
                               "(when condition IsProd is true)")], found


def test_required_removed_under_two_conditions():
    found = findings("""  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !If [IsProd, !If [IsGold, acme-a, !Ref AWS::NoValue], acme-b]
""")
    assert found == [(11, 31, 'missing required property "QueueName" '
                               "(when conditions IsProd is true and IsGold is false)")], found


def test_finding_in_every_combination_has_no_note():
    found = findings("""  Q:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: !If [IsProd, 1, 2]
""")
    assert found == [(11, 7, 'missing required property "QueueName"')], found


def test_branch_value_keeps_branch_note():
    found = findings("""  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !If [IsProd, acme-a, bad]
""")
    assert found == [(11, 39, '"bad" does not match the pattern "^acme-" '
                               "(in the false branch of Fn::If condition IsProd)")], found


def test_required_removed_after_removed_item():
    found = findings("""  G:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        - !If [IsProd, {IpProtocol: tcp, CidrIp: 10.0.0.0/8}, !Ref AWS::NoValue]
        - IpProtocol: !If [IsGold, tcp, !Ref AWS::NoValue]
          CidrIp: 10.0.0.0/8
""", GROUP_POLICY_PATH)
    # The second item is /SecurityGroupIngress/0 when IsProd is false.
    assert found == [
        (14, 23, 'missing required property "IpProtocol" '
                 "(when conditions IsProd is true and IsGold is false)"),
        (14, 23, 'missing required property "IpProtocol" '
                 "(when conditions IsProd is false and IsGold is false)"),
    ], found


for name, test in list(globals().items()):
    if name.startswith("test_"):
        test()
print("Fn::If condition notes checked")
