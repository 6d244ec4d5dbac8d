"""Runs cfgate check on JSON templates that use a number's text as a string:
parameter AllowedValues and Default, Fn::Join items, Fn::Sub variables,
Fn::FindInMap keys, the Fn::Split source, Fn::Base64 and Fn::ToJsonString.
CloudFormation does not document the text it gives a number, and a reader
may write 10.10 back as 10.1, so such a number's text is unknown there. An
integer such as 10 has one text and is still used as written.

usage: check_number_text.py CFGATE SCHEMAS
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from runner import run_tests  # noqa: E402
from scratch import scratch_writer  # noqa: E402

cfgate, schemas = sys.argv[1:3]
write = scratch_writer("cfgate-number-text-")

POLICY = """type AWS::SQS::Queue {
    QueueName pattern "^v[0-9]+[.][0-9]{2}$"
    DelaySeconds range 0..10
    Tags
}
"""

NUMBER_REASON = ("CloudFormation may write the number 1.10 as other text: quote it (\"1.10\") "
               "to keep the text")


POLICY_PATH = write("queue.gate", POLICY)


def run(path, *options):
    """Returns the exit status and the JSON report of cfgate check on path."""
    command = [cfgate, "check", "--policy", POLICY_PATH, "--schemas", schemas,
               "--account-id", "123456789012", "--region", "us-east-1", "--format", "json",
               *options, path]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    return result.returncode, json.loads(result.stdout)


def check(name, text, *options):
    code, report = run(write(name, text), *options)
    resource = report["templates"][0]["resources"][0]
    return code, resource["status"], [f["message"] for f in resource["findings"]]


def queue(properties, condition=None):
    """Returns the JSON text of a template with one queue Q."""
    resource = ('"Type": "AWS::SQS::Queue", ' +
                (f'"Condition": "{condition}", ' if condition else "") +
                f'"Properties": {properties}')
    return '"Resources": {"Q": {%s}}' % resource


def test_parameter_allowed_number_in_condition():
    # The parameter's only value is 10.10, which CloudFormation may pass as
    # "10.1": the condition decides nothing, so the queue is checked.
    code, status, messages = check("allowed.json", """{
  "Parameters": {"P": {"Type": "String", "AllowedValues": [10.10]}},
  "Conditions": {"C": {"Fn::Equals": [{"Ref": "P"}, "10.1"]}},
  %s}""" % queue('{"DelaySeconds": 60}', "C"))
    assert code == 1, (code, messages)
    assert status == "violation", status
    assert messages[0].startswith("60 is greater than the maximum 10"), messages


def test_parameter_integer_and_kept_decimal_decided():
    for allowed in ("[10, 20]", "[1.5]"):
        code, status, messages = check("allowed-decided.json", """{
  "Parameters": {"P": {"Type": "String", "AllowedValues": %s}},
  "Conditions": {"C": {"Fn::Equals": [{"Ref": "P"}, "30"]}},
  %s}""" % (allowed, queue('{"DelaySeconds": 60}', "C")))
        assert code == 0, (allowed, code, messages)
        assert status == "skipped", (allowed, status, messages)


def test_parameter_number_text_unverified():
    for field in ('"AllowedValues": [1.10]', '"AllowedValues": ["1.10", "1.1"], "Default": 1.10'):
        text = """{
  "Parameters": {"P": {"Type": "String", %s}},
  %s}""" % (field, queue('{"QueueName": {"Fn::Join": ["", ["v", {"Ref": "P"}]]}}'))
        code, status, messages = check("allowed-text.json", text)
        assert code == 0, (field, code, messages)
        assert status == "unverified", (field, status, messages)
        assert "parameter P has " in messages[0], messages
        assert NUMBER_REASON in messages[0], messages
        code, status, messages = check("allowed-text.json", text, "--strict")
        assert code == 1, (field, code, messages)


def test_parameter_value_given_stays_known():
    # A --parameter value is the deployed value whatever text 1.10 gets. A
    # number may be the text 1.10 gets, so only other text is rejected.
    text = """{
  "Parameters": {"P": {"Type": "String", "AllowedValues": [1.10, "x"]}},
  %s}""" % queue('{"QueueName": {"Ref": "P"}}')
    for value in ("x", "1.10", "1.1"):
        code, status, messages = check("given.json", text, "--parameter", f"P={value}")
        assert code == 1, (value, code, messages)
        assert status == "violation", (value, status, messages)
        expected = f'"{value}" does not match the pattern "^v[0-9]+[.][0-9]{{2}}$"'
        assert messages == [expected], messages
    code, status, messages = check("given.json", text, "--parameter", "P=abc")
    assert code == 1, (code, messages)
    assert messages == ["--parameter P=abc is not one of the parameter's AllowedValues"], messages


def test_join_sub_and_split_text_unknown():
    # "v1.10" matches the pattern; "v1.1", which a deployment may get, does not.
    values = [
        '{"Fn::Join": ["", ["v", 1.10]]}',
        '{"Fn::Sub": ["v${N}", {"N": 1.10}]}',
        '{"Fn::Join": ["", {"Fn::Split": [",", 1.10]}]}',
    ]
    for value in values:
        code, status, messages = check("text.json",
                                       "{%s}" % queue('{"QueueName": %s}' % value))
        assert code == 0, (value, code, messages)
        assert status == "unverified", (value, status, messages)
        assert NUMBER_REASON in messages[0], (value, messages)


def test_join_and_sub_integer_decided():
    for value in ('{"Fn::Join": ["", ["v", 10]]}', '{"Fn::Sub": ["v${N}", {"N": 10}]}'):
        code, status, messages = check("text-decided.json",
                                       "{%s}" % queue('{"QueueName": %s}' % value))
        assert code == 1, (value, code, messages)
        assert status == "violation", (value, status, messages)
        assert "v10" in messages[0], messages


def test_find_in_map_key_unknown():
    # The key 1.10 finds 0 as written and 60 if it reaches the lookup as 1.1.
    mappings = '"Mappings": {"M": {"1.10": {"D": 0}, "1.1": {"D": 60}, "10": {"D": 60}}}'
    code, status, messages = check("map.json", "{%s, %s}" % (
        mappings, queue('{"DelaySeconds": {"Fn::FindInMap": ["M", 1.10, "D"]}}')))
    assert code == 0, (code, messages)
    assert status == "unverified", (status, messages)
    # Each entry the unknown key may find is checked, and the finding names
    # the entries it holds for.
    assert "60 is greater than the maximum 10" in messages[0], messages
    assert "Fn::FindInMap [M, ?, D]" in messages[0], messages
    code, status, messages = check("map-decided.json", "{%s, %s}" % (
        mappings, queue('{"DelaySeconds": {"Fn::FindInMap": ["M", 10, "D"]}}')))
    assert code == 1, (code, messages)
    assert status == "violation", (status, messages)


def test_base64_and_to_json_string_unknown():
    values = ['{"Fn::Base64": 1.10}', '{"Fn::ToJsonString": {"v": 1.10}}']
    for value in values:
        code, status, messages = check("encoded.json", """{
  "Transform": "AWS::LanguageExtensions",
  %s}""" % queue('{"QueueName": %s}' % value))
        assert status == "unverified", (value, status, messages)
        assert NUMBER_REASON in messages[0], (value, messages)


def test_select_index_written_as_decimal_invalid():
    # An index must be an integer as written, so 1e0 stays a finding.
    code, status, messages = check("select.json", "{%s}" % queue(
        '{"QueueName": {"Fn::Select": [1e0, ["a", "v1.10"]]}}'))
    assert code == 1, (code, messages)
    assert status == "violation", (status, messages)
    assert "Fn::Select index '1e0' is not a non-negative integer" in messages[0], messages


if __name__ == "__main__":
    sys.exit(run_tests(globals()))
