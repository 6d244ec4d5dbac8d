"""Runs cfgate hook on events whose resourceProperties hold dynamic
references ({{resolve:ssm:...}}). CloudFormation resolves them after the
hook runs, so a constraint on the text of such a string is unverified and
the hook responds FAILED with NonCompliant, naming the property and the
reference. A string without a value constraint still passes, and the other
values (numbers with their exact text) are validated as without a
reference.

usage: check_hook_dynamic_references.py CFGATE SCHEMAS
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from runner import run_tests  # noqa: E402
from scratch import scratch_writer  # noqa: E402

cfgate, schemas = sys.argv[1:3]
write = scratch_writer("cfgate-hook-dynamic-")

DENY_LIST = write("deny.gate", """type AWS::SQS::Queue {
    QueueName   pattern "^(?!public-)" because "public- queues are reserved"
    KmsMasterKeyId
    MaximumMessageSize
    Tags
}
""")
STACK_ID = "arn:aws:cloudformation:us-east-1:123456789012:stack/s/abc"


def event_text(properties_text):
    return ('{"clientRequestToken": "tok-1", "awsAccountId": "123456789012", '
            f'"stackId": "{STACK_ID}", "actionInvocationPoint": "CREATE_PRE_PROVISION", '
            '"requestData": {"targetName": "AWS::SQS::Queue", "targetType": "RESOURCE", '
            '"targetLogicalId": "MyQ", "targetModel": {"resourceProperties": '
            + properties_text + "}}}")


def hook(properties_text):
    path = write("event.json", event_text(properties_text))
    command = [cfgate, "hook", "--policy", DENY_LIST, "--schemas", schemas, "--event", path]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    return result.returncode, json.loads(result.stdout)


def assert_unverified(properties_text, pointer, reference):
    status, response = hook(properties_text)
    assert status == 1, response
    assert response["hookStatus"] == "FAILED", response
    assert response["errorCode"] == "NonCompliant", response
    message = response["message"]
    assert message.startswith("MyQ (AWS::SQS::Queue) cannot be verified against the policy: "
                              "1 finding; "), message
    assert pointer + ": the value is unknown before deployment" in message, message
    assert "(dynamic reference " + reference + " is resolved at deployment)" in message, message
    assert "(because public- queues are reserved)" in message, message


def assert_success(properties_text):
    status, response = hook(properties_text)
    assert status == 0, response
    assert response["hookStatus"] == "SUCCESS", response


def test_reference_in_constrained_string_fails():
    assert_unverified('{"QueueName": "{{resolve:ssm:/queue-name}}"}', "/QueueName",
                      "{{resolve:ssm:/queue-name}}")


def test_reference_after_text_fails():
    assert_unverified('{"QueueName": "app-{{resolve:ssm:/queue-name:2}}"}', "/QueueName",
                      "{{resolve:ssm:/queue-name:2}}")


def test_escaped_reference_fails():
    # \u007b is {, so the string CloudFormation reads is a reference.
    assert_unverified('{"QueueName": "\\u007b{resolve:ssm:/q}}"}', "/QueueName",
                      "{{resolve:ssm:/q}}")


def test_nested_reference_pointer_named():
    policy = write("tags.gate", """type AWS::SQS::Queue {
    Tags[] {
        Key
        Value pattern "^[a-z]+$"
    }
}
""")
    path = write("tags.json", event_text(
        '{"Tags": [{"Key": "a", "Value": "ok"}, '
        '{"Key": "b/~", "Value": "{{resolve:secretsmanager:tag}}"}]}'))
    command = [cfgate, "hook", "--policy", policy, "--schemas", schemas, "--event", path]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    response = json.loads(result.stdout)
    assert result.returncode == 1, response
    assert response["errorCode"] == "NonCompliant", response
    message = response["message"]
    assert "/Tags/1/Value: the value is unknown before deployment" in message, message
    assert "(dynamic reference {{resolve:secretsmanager:tag}} is resolved" in message, message


def test_write_only_reference_hidden():
    # The reference is the write-only property's value as the event writes
    # it, so the message hides it like any such value.
    policy = write("db.gate", """type AWS::RDS::DBInstance {
    DBInstanceClass
    Engine
    MasterUsername
    MasterUserPassword length 16..64
}
""")
    properties = ('{"DBInstanceClass": "db.t3.micro", "Engine": "postgres", '
                  '"MasterUsername": "app", "MasterUserPassword": '
                  '"{{resolve:secretsmanager:MyDbSecret:SecretString:password}}"}')
    text = event_text(properties).replace("AWS::SQS::Queue", "AWS::RDS::DBInstance")
    path = write("db.json", text)
    command = [cfgate, "hook", "--policy", policy, "--schemas", schemas, "--event", path]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    response = json.loads(result.stdout)
    assert result.returncode == 1, response
    assert response["errorCode"] == "NonCompliant", response
    message = response["message"]
    assert "/MasterUserPassword: the value is unknown before deployment" in message, message
    assert "MyDbSecret" not in message, message
    assert "(value hidden: write-only property MasterUserPassword)" in message, message


def test_unconstrained_reference_passes():
    assert_success('{"QueueName": "q", "KmsMasterKeyId": "{{resolve:ssm:/kms}}"}')


def test_plain_values_pass():
    assert_success('{"QueueName": "app-queue", "KmsMasterKeyId": "alias/\\u0061"}')


def test_violation_with_reference_fails():
    # The streaming pass already finds the violation; the reference changes
    # nothing.
    status, response = hook('{"QueueName": "public-x", "KmsMasterKeyId": "{{resolve:ssm:/k}}"}')
    assert status == 1, response
    assert response["errorCode"] == "NonCompliant", response
    assert response["message"].startswith("MyQ (AWS::SQS::Queue) violates the policy: "), response


def test_number_text_kept_exact():
    # A double cannot hold 1e400, and would round the long integer: the
    # numbers pass both validations only as the event writes them.
    for number in ("1e400", "123456789012345678901234567890"):
        assert_success('{"MaximumMessageSize": %s, "KmsMasterKeyId": "{{resolve:ssm:/k}}"}'
                       % number)
    status, response = hook('{"MaximumMessageSize": 1.5, "KmsMasterKeyId": "{{resolve:ssm:/k}}"}')
    assert status == 1, response
    assert "/MaximumMessageSize: expected integer, got number 1.5" in response["message"], response


def test_reference_beside_limit_unverified():
    # A limit in another property fails the resource. The reference's text
    # is still reported as unknown, never as a value that breaks the rule.
    deep = "[" * 70 + "]" * 70
    for other, limit in [('"MaximumMessageSize": ' + "1" * 65,
                          "/MaximumMessageSize: too many significant digits in number "
                          "(limit is 64)"),
                         ('"Tags": ' + deep, ": nesting too deep (limit is 64)")]:
        status, response = hook('{"QueueName": "public-{{resolve:ssm:/q}}", %s}' % other)
        assert status == 1, response
        assert response["errorCode"] == "InternalFailure", response
        message = response["message"]
        assert message.startswith("MyQ (AWS::SQS::Queue): validation failed; "), message
        assert limit in message, message
        assert "does not match" not in message, message
        assert ('/QueueName: the value is unknown before deployment, so its pattern cannot be '
                'checked (dynamic reference {{resolve:ssm:/q}} is resolved at '
                'deployment)') in message, message


if __name__ == "__main__":
    sys.exit(run_tests(globals()))
