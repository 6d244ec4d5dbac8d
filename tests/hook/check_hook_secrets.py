"""Runs cfgate hook on an event that deploys a write-only property
(MasterUserPassword of AWS::RDS::DBInstance). CloudFormation shows the
response message in the stack events, so the message keeps the finding and
shows the value as ****. The policy is given as .gate source and as a
compiled folder.

usage: check_hook_secrets.py CFGATE SCHEMAS
"""
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from runner import run_tests  # noqa: E402
from scratch import scratch_writer  # noqa: E402

cfgate, schemas = sys.argv[1:3]
write = scratch_writer("cfgate-hook-secrets-")
workdir = write.root

POLICY = """type AWS::RDS::DBInstance {
    DBInstanceClass
    Engine              in ["postgres"]
    AllocatedStorage
    MasterUsername
    MasterUserPassword  length 16..64
                        because "database passwords have at least 16 characters"
    StorageEncrypted    = true required
}
"""

SECRET = 'S3cret"Pa55'


def event(properties):
    return {
        "clientRequestToken": "7f8e2a10-0001-4c1e-9a7b-1d2e3f405001",
        "awsAccountId": "123456789012",
        "stackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/app/5b2c3e40-8f1a-11ef-9a3c-0affd3c2b1e1",
        "changeSetId": None,
        "hookTypeName": "Acme::Security::Gate",
        "hookTypeVersion": "00000001",
        "hookModel": {"LambdaFunction": "arn:aws:lambda:us-east-1:123456789012:function:gate"},
        "actionInvocationPoint": "CREATE_PRE_PROVISION",
        "requestData": {
            "targetName": "AWS::RDS::DBInstance",
            "targetType": "RESOURCE",
            "targetLogicalId": "Db",
            "targetModel": {"resourceProperties": properties},
        },
        "requestContext": {"invocation": 1, "callbackContext": None},
    }


PROPERTIES = {
    "DBInstanceClass": "db.t3.micro",
    "Engine": "postgres",
    "AllocatedStorage": "20",
    "MasterUsername": "app",
    "MasterUserPassword": SECRET,
    "StorageEncrypted": "true",
}


def hook(policy, properties):
    event_path = write("event.json", json.dumps(event(properties)))
    result = subprocess.run([cfgate, "hook", "--policy", policy, "--schemas", schemas,
                             "--event", event_path], capture_output=True, text=True, timeout=120)
    return result.returncode, result.stdout, result.stderr


def assert_hidden(policy):
    status, out, err = hook(policy, PROPERTIES)
    for secret in (SECRET, json.dumps(SECRET)[1:-1], "S3cret", "Pa55"):
        assert secret not in out, (secret, out)
        assert secret not in err, (secret, err)
    response = json.loads(out)
    assert response["hookStatus"] == "FAILED", out
    assert response["errorCode"] == "NonCompliant", out
    assert ('/MasterUserPassword: "****" has 11 characters, fewer than the minimum 16 '
            "(value hidden: write-only property MasterUserPassword) [rule ") in response["message"], out


def test_source_policy_hides_password():
    assert_hidden(write("db.gate", POLICY))


def test_compiled_policy_hides_password():
    out = os.path.join(workdir, "compiled")
    result = subprocess.run([cfgate, "compile", "--schemas", schemas, write("db.gate", POLICY),
                             "-o", out], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert_hidden(out)


def test_unreadable_numbers_keep_password_hidden():
    # 1e400 and a 30-digit integer are valid JSON that the tree reader
    # rejects, and a number password is quoted in another form than it is
    # written: each such finding is worded without the value.
    policy = write("db-iops.gate", POLICY.replace("    StorageEncrypted", "    Iops\n    StorageEncrypted"))
    text = json.dumps(event(dict(PROPERTIES, Iops=0)))
    for iops in ("1e400", "123456789012345678901234567890"):
        event_path = write("event-iops.json", text.replace('"Iops": 0', '"Iops": ' + iops))
        result = subprocess.run([cfgate, "hook", "--policy", policy, "--schemas", schemas,
                                 "--event", event_path], capture_output=True, text=True,
                                timeout=120)
        message = json.loads(result.stdout)["message"]
        assert "S3cret" not in message, (iops, message)
        assert ("/MasterUserPassword: the value fails minLength (value hidden: write-only "
                "property)") in message, (iops, message)
    event_path = write("event-number.json", text.replace(json.dumps(SECRET), "1.5e3"))
    result = subprocess.run([cfgate, "hook", "--policy", policy, "--schemas", schemas,
                             "--event", event_path], capture_output=True, text=True, timeout=120)
    message = json.loads(result.stdout)["message"]
    assert "1500" not in message, message
    assert "1.5e3" not in message, message
    assert "/MasterUserPassword: the value fails type (value hidden" in message, message


def test_number_password_hidden_whole():
    # The tree reader lists 12345678.000 as 12345678, and the message quotes
    # the event's text, so the digits after the listed form are hidden too.
    policy = write("db-number.gate", POLICY)
    text = json.dumps(event(PROPERTIES))
    for number in ("12345678.000", "-0.0", "12345678e0"):
        event_path = write("event-number-text.json", text.replace(json.dumps(SECRET), number))
        result = subprocess.run([cfgate, "hook", "--policy", policy, "--schemas", schemas,
                                 "--event", event_path], capture_output=True, text=True,
                                timeout=120)
        message = json.loads(result.stdout)["message"]
        assert "value hidden" in message, (number, message)
        assert number not in message, (number, message)
        assert "12345678" not in message, (number, message)
        assert not re.search(r"\*\*\*\*[0-9.eE+-]", message), (number, message)


def test_reference_with_text_hidden():
    # A finding on a value with a dynamic reference quotes the reference
    # alone. It is hidden whether or not text surrounds it, since the
    # reference may name the secret.
    policy = write("db-reference.gate", POLICY)
    for value in ("{{resolve:secretsmanager:S3cretName:SecretString:pw}}",
                  "abc{{resolve:secretsmanager:S3cretName:SecretString:pw}}",
                  "S3cretPre{{resolve:ssm:/x}}",
                  "{{resolve:ssm:/S3cretParam}}S3cretSuffix",
                  "{{resolve:ssm:/S3cretA}}{{resolve:ssm:/S3cretB}}"):
        status, out, err = hook(policy, dict(PROPERTIES, MasterUserPassword=value))
        response = json.loads(out)
        message = response["message"]
        assert "S3cret" not in out, (value, out)
        assert "S3cret" not in err, (value, err)
        assert "resolve:" not in message, (value, message)
        assert ("/MasterUserPassword: the value is unknown before deployment, so its minLength "
                "cannot be checked (dynamic reference **** is resolved at deployment) (value "
                "hidden: write-only property MasterUserPassword)") in message, (value, message)


def test_malformed_password_not_quoted():
    # The event scan reports bad JSON before the hook has looked up which
    # properties are write-only, so no text of a value in resourceProperties is quoted.
    # The position still names the value.
    text = json.dumps(event(PROPERTIES))
    password = '"MasterUserPassword": ' + json.dumps(SECRET)
    start = text.index(password) + len('"MasterUserPassword": ')
    cases = [
        (text[:start] + '"hunter2secret', "unterminated string: the input ends before its "
         "closing quote"),
        (text.replace(password, '"MasterUserPassword": nothunter2'),
         "invalid literal (expected true, false or null)"),
        (text.replace(password, '"MasterUserPassword": 0123456789'),
         "invalid number: leading zeros are not allowed"),
        (text.replace(password, '"MasterUserPassword": 1.x5'),
         "invalid number: expected a digit after '.'"),
    ]
    for event_text, problem in cases:
        result = subprocess.run([cfgate, "hook", "--policy", write("db.gate", POLICY),
                                 "--schemas", schemas, "--event", write("bad.json", event_text)],
                                capture_output=True, text=True, timeout=120)
        response = json.loads(result.stdout)
        message = response["message"]
        assert response["errorCode"] == "InternalFailure", result.stdout
        for secret in ("hunter", "0123456789", "1.x5", "1."):
            assert secret not in message, (secret, message)
        hidden = "" if problem.startswith("unterminated") else \
            " (value hidden: resourceProperties may hold write-only values)"
        assert message == ("malformed event: line 1, column %d: %s%s (in "
                           "/requestData/targetModel/resourceProperties)"
                           % (start + 1, problem, hidden)), message


def test_control_characters_keep_password_hidden():
    # The runtime quotes DEL and other control characters as escapes, and the
    # hidden form must match that text for the value to be replaced.
    for secret in ("Sh\u007frtSecret", "Tab\tSecret\u0001x"):
        status, out, err = hook(write("db.gate", POLICY), dict(PROPERTIES, MasterUserPassword=secret))
        message = json.loads(out)["message"]
        assert "Secret" not in message, message
        assert "(value hidden: write-only property MasterUserPassword)" in message, message


def test_limit_named_for_hidden_value():
    # A number password over the digit limit fails the resource. The limit
    # stays in the message, but the runtime's preview of the digits does not.
    digits = "9" * 65
    text = json.dumps(event(PROPERTIES)).replace(json.dumps(SECRET), digits)
    result = subprocess.run([cfgate, "hook", "--policy", write("db.gate", POLICY), "--schemas",
                             schemas, "--event", write("digits.json", text)],
                            capture_output=True, text=True, timeout=120)
    response = json.loads(result.stdout)
    message = response["message"]
    assert response["errorCode"] == "InternalFailure", result.stdout
    assert "9999" not in message, message
    assert ("/MasterUserPassword: too many significant digits in number (limit is 64) (value "
            "hidden: write-only property)") in message, message


def test_message_without_value_kept():
    # A finding under a write-only property whose message quotes no value
    # reads as in cfgate check. Only unreadable properties or a number value
    # make the hook leave a message out.
    policy = write("db-no-password.gate", POLICY.replace(
        "    MasterUserPassword  length 16..64\n"
        "                        because \"database passwords have at least 16 characters\"\n", ""))
    status, out, err = hook(policy, PROPERTIES)
    message = json.loads(out)["message"]
    assert ('/MasterUserPassword: property "MasterUserPassword" is not allowed') in message, out
    assert "value hidden" not in message, out
    assert "S3cret" not in message, out


def test_other_values_shown():
    properties = dict(PROPERTIES, Engine="mysql", MasterUserPassword="a" * 20)
    status, out, err = hook(write("db.gate", POLICY), properties)
    message = json.loads(out)["message"]
    assert '"mysql" is not one of' in message, out
    assert "hidden" not in message, out


if __name__ == "__main__":
    sys.exit(run_tests(globals()))
