"""Runs cfgate check on small templates with very many findings: one per tag
and per combination of parameter values. The findings listed per resource
and per template are limited, a notice names each limit in every report
format, and no resource loses its verdict.

usage: check_finding_limits.py CFGATE SCHEMAS
"""
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ElementTree

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from runner import run_tests  # noqa: E402
from scratch import scratch_writer  # noqa: E402

cfgate, schemas = sys.argv[1:3]
write = scratch_writer("cfgate-finding-limits-")

RESOURCE_LIMIT = 100
TEMPLATE_LIMIT = 1000
FORMATS = ("text", "json", "sarif", "junit")

TAG_POLICY = write("tags.gate", """type AWS::SQS::Queue {
    QueueName      pattern "^q-[a-z]+$"
    Tags[].Key     pattern "^team-"
    Tags[].Value
}
""")


def check(path, fmt="json", policy=TAG_POLICY):
    command = [cfgate, "check", "--policy", policy, "--schemas", schemas, "--format", fmt, path]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


def resources(result):
    report = json.loads(result.stdout)
    return {r["logicalId"]: r for t in report["templates"] for r in t["resources"]}


def notices(resource):
    return [f for f in resource["findings"] if f["ruleId"] == "cfgate/findings"]


# Four queues with 50 tags each, whose key joins five parameters of four
# allowed values: 1024 combinations, each with 50 new violations.
TAG_BOMB = write("tag-bomb.json", json.dumps({
    "Parameters": {"P%d" % i: {"Type": "String", "AllowedValues": ["v%d" % j for j in range(4)]}
                   for i in range(5)},
    "Resources": {"Q%d" % r: {"Type": "AWS::SQS::Queue", "Properties": {
        "Tags": [{"Key": {"Fn::Join": ["", [{"Ref": "P%d" % i} for i in range(5)]]},
                  "Value": "x"} for _ in range(50)]}} for r in range(4)},
}))


def test_resource_limit_listed():
    result = check(TAG_BOMB)
    assert result.returncode == 1, (result.returncode, result.stderr)
    found = resources(result)
    assert sorted(found) == ["Q0", "Q1", "Q2", "Q3"], sorted(found)
    for logical_id, resource in found.items():
        assert resource["status"] == "violation", (logical_id, resource["status"])
        assert len(resource["findings"]) == RESOURCE_LIMIT + 1, len(resource["findings"])
        notice = notices(resource)
        assert len(notice) == 1, notice
        assert notice[0]["kind"] == "failed", notice
        assert notice[0]["message"].startswith(
            "too many findings in resource %s (limit is 100): the first 100 are listed, "
            "failing findings before unverified ones" % logical_id), notice
        assert "combinations of parameter and condition values were not validated, because " \
               "the resource already fails" in notice[0]["message"], notice


def test_resource_limit_every_format():
    for fmt in FORMATS:
        result = check(TAG_BOMB, fmt)
        assert result.returncode == 1, (fmt, result.returncode, result.stderr)
        for r in range(4):
            assert "too many findings in resource Q%d (limit is 100)" % r in result.stdout, (
                fmt, r, result.stdout)
        assert len(result.stdout) < 400000, (fmt, len(result.stdout))


# A queue whose 100 tags have keys unknown before deployment, which fill
# the limit with unverified findings in the first combination. Only the
# last allowed value of the queue name breaks its pattern.
def late_violation(last_value):
    return write("late-%s.yaml" % last_value, """Parameters:
  Name: {Type: String, AllowedValues: [q-a, q-b, q-c, %s]}
Resources:
  Other: {Type: AWS::SQS::Queue}
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Ref Name
      Tags:
%s""" % (last_value, "        - {Key: !GetAtt Other.Arn, Value: x}\n" * 100))


def test_late_violation_kept():
    result = check(late_violation("BAD"))
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    resource = resources(result)["Q"]
    assert resource["status"] == "violation", resource["status"]
    messages = [f["message"] for f in resource["findings"] if f["kind"] == "violation"]
    assert messages == ['"BAD" does not match the pattern "^q-[a-z]+$" '
                        '(when parameter Name is BAD)'], messages
    assert len(resource["findings"]) <= RESOURCE_LIMIT + 1, len(resource["findings"])


def test_unverified_limit_stays_unverified():
    result = check(late_violation("q-d"))
    assert result.returncode == 0, (result.returncode, result.stdout, result.stderr)
    resource = resources(result)["Q"]
    assert resource["status"] == "unverified", resource["status"]
    assert {f["kind"] for f in resource["findings"]} == {"unverified"}, resource["findings"]
    assert len(resource["findings"]) <= RESOURCE_LIMIT + 1, len(resource["findings"])


# Twenty queues with 100 tags each whose key breaks the pattern: 2000
# findings, more than the template limit. The last queue has only unverified findings.
QUEUES = 20
MANY_RESOURCES = write("many-resources.yaml", "Resources:\n  Other: {Type: AWS::SQS::Queue}\n" + "".join(
    """  Q%d:
    Type: AWS::SQS::Queue
    Properties:
      Tags:
%s""" % (r, ("        - {Key: %s, Value: x}\n" % ("!GetAtt Other.Arn" if r == QUEUES - 1 else "bad"))
            * 100)
    for r in range(QUEUES)))


def test_template_limit():
    result = check(MANY_RESOURCES)
    assert result.returncode == 1, (result.returncode, result.stderr)
    report = json.loads(result.stdout)
    template = report["templates"][0]
    total = len(template["findings"]) + sum(len(r["findings"]) for r in template["resources"])
    assert total <= TEMPLATE_LIMIT + len(template["resources"]) + 1, total
    notice = [f for f in template["findings"] if f["ruleId"] == "cfgate/findings"]
    assert len(notice) == 1, template["findings"]
    assert notice[0]["kind"] == "unverified", notice
    assert notice[0]["message"].startswith(
        "too many findings in the template (limit is 1000): the first 1000 are listed"), notice

    found = {r["logicalId"]: r for r in template["resources"]}
    for r in range(QUEUES - 1):
        assert found["Q%d" % r]["status"] == "violation", (r, found["Q%d" % r]["status"])
        assert found["Q%d" % r]["findings"], r
    last = found["Q%d" % (QUEUES - 1)]
    assert last["status"] == "unverified", last["status"]
    assert [f["kind"] for f in last["findings"]] == ["unverified"], last
    summary = report["summary"]
    assert (summary["violations"], summary["unverified"]) == (QUEUES - 1, 1), summary


def test_template_limit_every_format():
    for fmt in FORMATS:
        result = check(MANY_RESOURCES, fmt)
        assert result.returncode == 1, (fmt, result.returncode, result.stderr)
        assert "too many findings in the template (limit is 1000)" in result.stdout, fmt


def test_junit_failures_match_testcases():
    for extra in ((), ("--strict",)):
        result = subprocess.run([cfgate, "check", "--policy", TAG_POLICY, "--schemas", schemas,
                                 "--format", "junit", *extra, MANY_RESOURCES],
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 1, (extra, result.returncode, result.stderr)
        root = ElementTree.fromstring(result.stdout)
        suites = root.findall("testsuite")
        assert len(suites) == 1, len(suites)
        cases = suites[0].findall("testcase")
        failing = sum(1 for case in cases if case.find("failure") is not None)
        # The template notice is unverified, and so is the last queue:
        # they fail only with --strict.
        assert failing == (QUEUES + 1 if extra else QUEUES - 1), (extra, failing)
        assert suites[0].get("failures") == str(failing), (extra, suites[0].attrib)
        assert root.get("failures") == str(failing), (extra, root.attrib)


# A queue whose first `unknown` tags have keys unknown before deployment,
# followed by a queue name that breaks its pattern.
def violation_after_unknown(unknown):
    return write("after-%d.json" % unknown, json.dumps({"Resources": {"Q": {
        "Type": "AWS::SQS::Queue", "Properties": {
            "Tags": [{"Key": {"Fn::ImportValue": "k%d" % i}, "Value": "x"} for i in range(unknown)],
            "QueueName": "BAD"}}}}))


def test_violation_after_unverified():
    for unknown in (63, 64, 65, 150, 999):
        path = violation_after_unknown(unknown)
        for fmt in FORMATS:
            result = check(path, fmt)
            assert result.returncode == 1, (unknown, fmt, result.returncode, result.stderr)
        resource = resources(check(path))["Q"]
        assert resource["status"] == "violation", (unknown, resource["status"])
        messages = [f["message"] for f in resource["findings"] if f["ruleId"] != "cfgate/findings"
                    and f["kind"] == "violation"]
        assert messages == ['"BAD" does not match the pattern "^q-[a-z]+$"'], (unknown, messages)


REQUIRED_POLICY = write("required.gate", """type AWS::SQS::Queue {
    KmsMasterKeyId required because "encrypt queues"
    Tags[].Key     pattern "^team-"
    Tags[].Value
}
""")


def test_missing_required_after_unverified():
    path = write("required-64.yaml", "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n"
                 "    Properties:\n      Tags:\n" + "".join(
                     "        - {Key: !ImportValue team-key-%d, Value: x}\n" % i
                     for i in range(64)))
    for fmt in FORMATS:
        result = check(path, fmt, REQUIRED_POLICY)
        assert result.returncode == 1, (fmt, result.returncode, result.stderr)
        assert "missing required property" in result.stdout, (fmt, result.stdout[-600:])
        assert "KmsMasterKeyId" in result.stdout, (fmt, result.stdout[-600:])


def test_resource_limit_counts_left_out():
    path = write("bad-101.json", json.dumps({"Resources": {"Q": {
        "Type": "AWS::SQS::Queue", "Properties": {
            "Tags": [{"Key": "bad%d" % i, "Value": "x"} for i in range(101)]}}}}))
    resource = resources(check(path))["Q"]
    assert len(resource["findings"]) == RESOURCE_LIMIT + 1, len(resource["findings"])
    notice = notices(resource)
    assert len(notice) == 1, notice
    assert notice[0]["message"] == (
        "too many findings in resource Q (limit is 100): the first 100 are listed, failing "
        "findings before unverified ones, and 1 more are left out"), notice


# More unverified findings than the runtime keeps for a resource: the
# findings past that limit were never converted, so one of them could be a
# violation, and the resource fails closed.
def test_unchecked_findings_fail_closed():
    path = write("unknown-1100.json", json.dumps({"Resources": {"Q": {
        "Type": "AWS::SQS::Queue", "Properties": {
            "Tags": [{"Key": {"Fn::ImportValue": "k%d" % i}, "Value": "x"}
                     for i in range(1100)]}}}}))
    for fmt in FORMATS:
        result = check(path, fmt)
        assert result.returncode == 1, (fmt, result.returncode, result.stderr)
        assert "too many findings in resource Q (limit is 1000): 100 more were not checked, so " \
               "the resource is denied" in result.stdout, (fmt, result.stdout[-600:])
    resource = resources(check(path))["Q"]
    assert resource["status"] == "violation", resource["status"]
    left_out = [f["message"] for f in notices(resource) if "left out" in f["message"]]
    assert len(left_out) == 1, notices(resource)
    assert left_out[0].endswith(", and 1001 more are left out"), left_out


if __name__ == "__main__":
    sys.exit(run_tests(globals()))
