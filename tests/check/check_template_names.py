"""Runs cfgate check on templates whose names CloudFormation rejects: a
logical ID that is not alphanumeric and a Custom:: type with an empty or
invalid name are `invalid` findings with line and column. A template with
a YAML tag outside the core schema is unparseable at the tag. A folder
given with trailing slashes names its templates with one slash.

usage: check_template_names.py CFGATE SCHEMAS
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from scratch import scratch_writer  # noqa: E402

cfgate, schemas = sys.argv[1:3]
write = scratch_writer("cfgate-names-")
workdir = write.root

POLICY = """type AWS::SQS::Queue { QueueName }
type AWS::CloudFormation::CustomResource {
    ServiceToken pattern "^arn:aws:lambda:us-east-1:123456789012:function:approved-"
}
"""
TOKEN = "arn:aws:lambda:us-east-1:123456789012:function:approved-x"


POLICY_PATH = write("policy.gate", POLICY)


def check(path):
    command = [cfgate, "check", "--policy", POLICY_PATH, "--schemas", schemas,
               "--account-id", "123456789012", "--region", "us-east-1",
               "--format", "json", path]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    return result.returncode, json.loads(result.stdout)


def findings(report):
    return [(r["logicalId"], f["kind"], f["ruleId"], f["line"], f["column"], f["message"])
            for t in report["templates"] for r in t["resources"] for f in r["findings"]]


def test_logical_id_not_alphanumeric():
    path = write("logical.yaml", """Resources:
  "Q-1 x":
    Type: AWS::SQS::Queue
    Properties: {QueueName: acme-a}
  Good1:
    Type: AWS::SQS::Queue
    Properties: {QueueName: acme-b}
""")
    status, report = check(path)
    assert status == 1, report
    assert findings(report) == [
        ("Q-1 x", "invalid", "cfgate/resource", 2, 3,
         "invalid logical ID 'Q-1 x': CloudFormation accepts 1 to 255 characters from "
         "A-Z, a-z and 0-9")], findings(report)


def test_logical_id_too_long():
    name = "Q" * 256
    path = write("long.yaml", f"Resources:\n  {name}:\n    Type: AWS::SQS::Queue\n")
    status, report = check(path)
    assert status == 1, report
    found = findings(report)
    assert len(found) == 1, found
    assert found[0][1:5] == ("invalid", "cfgate/resource", 2, 3), found
    assert "CloudFormation accepts 1 to 255 characters" in found[0][5], found


def test_custom_type_names():
    long_name = "x" * 61
    path = write("custom.yaml", f"""Resources:
  Empty:
    Type: "Custom::"
    Properties: {{ServiceToken: {TOKEN}}}
  Space:
    Type: "Custom::a b"
    Properties: {{ServiceToken: {TOKEN}}}
  Long:
    Type: Custom::{long_name}
    Properties: {{ServiceToken: {TOKEN}}}
  Good:
    Type: Custom::Name_with@and-1
    Properties: {{ServiceToken: {TOKEN}}}
""")
    status, report = check(path)
    assert status == 1, report
    rule = ("the name after Custom:: must be 1 to 60 characters from A-Z, a-z, 0-9, "
            "'_', '@' and '-'")
    assert findings(report) == [
        ("Empty", "invalid", "cfgate/resource", 3, 11,
         f"invalid custom resource type 'Custom::': {rule}"),
        ("Space", "invalid", "cfgate/resource", 6, 11,
         f"invalid custom resource type 'Custom::a b': {rule}"),
        ("Long", "invalid", "cfgate/resource", 9, 11,
         f"invalid custom resource type 'Custom::{long_name}': {rule}"),
    ], findings(report)
    statuses = {r["logicalId"]: r["status"] for r in report["templates"][0]["resources"]}
    assert statuses["Good"] == "compliant", statuses


def test_python_tag_unparseable():
    path = write("python.yaml", """Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !!python/object:os.system "acme-a"
""")
    status, report = check(path)
    assert status == 2, report
    template = report["templates"][0]
    assert template["parsed"] is False, template
    assert template["error"] == {
        "line": 5, "column": 18,
        "message": "YAML tag !!python/object:os.system is not supported: only the YAML 1.2 "
                   "core tags !!str, !!int, !!float, !!bool, !!null, !!seq and !!map are read",
    }, template


def test_folder_trailing_slash():
    folder = os.path.join(workdir, "folder")
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "queue.yaml"), "w", encoding="utf-8") as handle:
        handle.write("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n")
    status, report = check(folder + "//")
    assert status == 0, report
    assert [t["path"] for t in report["templates"]] == [folder + "/queue.yaml"], report


for name, test in list(globals().items()):
    if name.startswith("test_"):
        test()
print("template name checks passed")
