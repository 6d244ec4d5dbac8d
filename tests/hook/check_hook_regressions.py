"""Runs cfgate hook on events written to a temporary folder, each one a
case that was once handled wrongly: a resource with more findings than
the error list holds, an invalid --region, a duplicate key in an event
that still has a readable clientRequestToken, delete and stack events
with a policy that does not load, a stackId of another partition or
account, --context values for AWS:: names or given twice, a long
multibyte stackId or logical id that must be cut at a code point, a
Custom:: type restricted by the AWS::CloudFormation::CustomResource block,
and uniqueItems arrays nested in one another from sibling schema branches.

usage: check_hook_regressions.py CFGATE SCHEMAS
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from scratch import scratch_writer  # noqa: E402

cfgate, schemas = sys.argv[1:3]
write = scratch_writer("cfgate-hook-")
workdir = write.root

POLICY = """type AWS::SQS::Queue {
    QueueName length 1..20
    DelaySeconds range 0..10
}
"""
STACK_ID = "arn:aws:cloudformation:us-east-1:123456789012:stack/s/abc"


POLICY_PATH = write("queue.gate", POLICY)


def event_text(properties_text):
    return ('{"clientRequestToken": "tok-1", "awsAccountId": "123456789012", '
            f'"stackId": "{STACK_ID}", "actionInvocationPoint": "CREATE_PRE_PROVISION", '
            '"requestData": {"targetName": "AWS::SQS::Queue", "targetType": "RESOURCE", '
            '"targetLogicalId": "MyQ", "targetModel": {"resourceProperties": '
            + properties_text + "}}}")


def hook(event_path, *extra, policy=POLICY_PATH):
    command = [cfgate, "hook", "--policy", policy, "--schemas", schemas,
               "--event", event_path, *extra]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    return result.returncode, json.loads(result.stdout), result.stderr


def test_many_findings_non_compliant():
    properties = {f"Unknown{i:02d}": "v" for i in range(30)}
    path = write("many.json", event_text(json.dumps(properties)))
    status, response, _ = hook(path)
    assert status == 1, response
    assert response["hookStatus"] == "FAILED", response
    assert response["errorCode"] == "NonCompliant", response
    assert response["clientRequestToken"] == "tok-1", response
    message = response["message"]
    assert message.startswith("MyQ (AWS::SQS::Queue) violates the policy: "), message
    assert "violates the policy: 20 findings listed; 10 later findings were omitted " \
           "(limit is 20); " in message, message
    assert "/Unknown00: " in message, message
    assert "too many errors" not in message, message


def test_invalid_region_usage_error():
    path = write("ok.json", event_text('{"QueueName": "q1"}'))
    status, response, stderr = hook(path, "--region", "nowhere")
    assert status == 2, response
    assert response["errorCode"] == "InternalFailure", response
    assert "invalid --region" in response["message"], response
    assert "nowhere" in response["message"], response
    assert "invalid --region" in stderr, stderr


def test_duplicate_key_echoes_token():
    path = write("duplicate.json", event_text('{"DelaySeconds": 1, "DelaySeconds": 50}'))
    status, response, _ = hook(path)
    assert status == 1, response
    assert response["errorCode"] == "InternalFailure", response
    assert response["clientRequestToken"] == "tok-1", response
    assert 'duplicate property name "DelaySeconds"' in response["message"], response


def test_duplicate_token_not_echoed():
    text = event_text('{"QueueName": "q1"}').replace(
        '"clientRequestToken": "tok-1"', '"clientRequestToken": "a", "clientRequestToken": "b"')
    status, response, _ = hook(write("duplicate-token.json", text))
    assert status == 1, response
    assert "clientRequestToken" not in response, response
    assert 'duplicate property name "clientRequestToken"' in response["message"], response


def envelope(action, target_type, target_name, stack_id=STACK_ID):
    return json.dumps({
        "clientRequestToken": "tok-2", "awsAccountId": "123456789012",
        "stackId": stack_id, "actionInvocationPoint": action,
        "requestData": {"targetName": target_name, "targetType": target_type,
                        "targetLogicalId": "MyQ",
                        "targetModel": {"resourceProperties": {"QueueName": "q1"}}}})


def quoted(written, limit=200):
    """A string value as a message quotes it: as written in the event, cut
    after at most limit bytes before a character or escape that does not
    fit, and then ended by ..." ."""
    shown, at = "", 0
    while at < len(written):
        piece = written[at:at + (6 if written[at + 1:at + 2] == "u" else 2)] \
            if written[at] == "\\" else written[at]
        if len((shown + piece).encode()) > limit:
            return shown + '..."'
        shown += piece
        at += len(piece)
    return shown


def field_message(text, pointer, problem):
    """The message for the string member at pointer of the one-line event
    text: its pointer, line, column and quoted value, then problem."""
    member = '"%s": ' % pointer.rsplit("/", 1)[1]
    start = text.index(member) + len(member)
    end = json.JSONDecoder().raw_decode(text, start)[1]
    return "malformed event: %s at line 1, column %d: %s %s" % (
        pointer, start + 1, quoted(text[start:end]), problem)


def assert_internal_failure(status, response, text):
    assert status == 1, response
    assert response["hookStatus"] == "FAILED", response
    assert response["errorCode"] == "InternalFailure", response
    assert response["message"] == text, response


def assert_load_failure(status, response, reason):
    assert status == 1, response
    assert response["hookStatus"] == "FAILED", response
    assert response["errorCode"] == "InternalFailure", response
    prefix = "the policy could not be loaded: "
    assert response["message"].startswith(prefix), response
    assert reason in response["message"], (reason, response)


def test_unloadable_policy_fails_every_event():
    broken = write("broken.gate", "type AWS::SQS::Queue {\n    DelaySeconds range\n")
    events = [
        ("delete.json", envelope("DELETE_PRE_PROVISION", "RESOURCE", "AWS::SQS::Queue")),
        ("stack.json", envelope("CREATE_PRE_PROVISION", "STACK", "STACK")),
        ("change-set.json", envelope("CREATE_PRE_PROVISION", "CHANGE_SET", "CHANGE_SET")),
    ]
    empty = os.path.join(workdir, "empty-policy")
    os.makedirs(empty, exist_ok=True)
    events.append(("create.json", envelope("CREATE_PRE_PROVISION", "RESOURCE",
                                           "AWS::SQS::Queue")))
    for name, text in events:
        path = write(name, text)
        status, response, stderr = hook(path, policy=empty)
        assert_load_failure(status, response, "empty-policy")
        assert "runtime error" not in stderr, stderr
        status, response, _ = hook(path)
        assert status == 0, response
        assert response["hookStatus"] == "SUCCESS", response
        status, response, stderr = hook(path, policy=broken)
        assert_load_failure(status, response, broken + ":2:")
        assert response["message"][len("the policy could not be loaded: "):] in stderr, stderr
        missing = os.path.join(workdir, "missing.gate")
        status, response, _ = hook(path, policy=missing)
        assert_load_failure(status, response, "cannot open policy file or folder '%s': No such "
                            "file or directory" % missing)


def test_stack_id_partition_and_account():
    other_account = "arn:aws:cloudformation:us-east-1:999999999999:stack/s/abc"
    cases = [
        ("arn:A B*:cloudformation:us-east-1:123456789012:stack/s/abc",
         "has unknown partition 'A B*'"),
        (other_account, "has an account that is not awsAccountId 123456789012"),
    ]
    for stack_id, problem in cases:
        text = envelope("CREATE_PRE_PROVISION", "RESOURCE", "AWS::SQS::Queue", stack_id)
        status, response, _ = hook(write("stack-id.json", text))
        assert_internal_failure(status, response, field_message(text, "/stackId", problem))


def test_context_builtin_and_duplicate_rejected():
    path = write("context.json", event_text('{"QueueName": "q1"}'))
    cases = [
        (["--context", "AWS::AccountId=999999999999"],
         "cfgate hook: --context cannot set an AWS:: placeholder (the event provides it): "
         "AWS::AccountId"),
        (["--context", "Org=a", "--context", "Org=b"], "cfgate hook: duplicate --context name: Org"),
    ]
    for extra, text in cases:
        status, response, stderr = hook(path, *extra)
        assert status == 2, response
        assert response["errorCode"] == "InternalFailure", response
        assert response["message"] == text, response
        assert stderr.startswith(text + "\n"), stderr


def test_long_multibyte_ids_cut_at_code_point():
    # The quote, "a" and 99 "é" are 200 bytes: the 100th "é" does not fit.
    long_id = "a" + "\u00e9" * 150
    kept = '"a' + "\u00e9" * 99 + '..."'
    text = json.dumps({"clientRequestToken": "tok-2", "awsAccountId": "123456789012",
                       "actionInvocationPoint": "CREATE_PRE_PROVISION", "stackId": long_id},
                      ensure_ascii=False)
    status, response, _ = hook(write("multibyte-stack.json", text))
    assert_internal_failure(status, response, "malformed event: /stackId at line 1, column 125: "
                                              f"{kept} is not a CloudFormation stack ARN")
    assert field_message(text, "/stackId", "is not a CloudFormation stack ARN") == \
        response["message"], response



def test_logical_id_checked():
    # A logical ID is quoted into the message escaped, and named by the
    # message of a finding as it is, so it may hold no control byte.
    cases = [("Q\n\u001b[31mfake", "has byte 0x0a at position 2"),
             ("a" + "\u00e9" * 10, "has byte 0xc3 at position 2"),
             ("A" * 256, "is 256 bytes long (limit is 1 to 255)"),
             ("", "is 0 bytes long (limit is 1 to 255)")]
    for logical_id, problem in cases:
        event = json.loads(envelope("CREATE_PRE_PROVISION", "RESOURCE", "AWS::SNS::Topic"))
        event["requestData"]["targetLogicalId"] = logical_id
        text = json.dumps(event, ensure_ascii=False)
        status, response, _ = hook(write("logical.json", text))
        assert_internal_failure(status, response, field_message(
            text, "/requestData/targetLogicalId",
            problem + ("; expected letters, digits, hyphens and colons only"
                       if "position" in problem else "")))


def test_custom_type_uses_custom_resource_block():
    policy = write("custom.gate", "type AWS::CloudFormation::CustomResource {\n"
                                  "    ServiceToken pattern \"^arn:aws:lambda:\"\n}\n")
    cases = [("arn:aws:lambda:us-east-1:123456789012:function:f", 0, "SUCCESS"),
             ("arn:aws:sns:us-east-1:123456789012:t", 1, "FAILED")]
    for token, expected_status, expected_hook_status in cases:
        event = json.loads(envelope("CREATE_PRE_PROVISION", "RESOURCE", "Custom::Seed"))
        event["requestData"]["targetModel"]["resourceProperties"] = {"ServiceToken": token}
        path = write("custom.json", json.dumps(event))
        status, response, _ = hook(path, policy=policy)
        assert status == expected_status, response
        assert response["hookStatus"] == expected_hook_status, response
        if expected_status:
            assert response["errorCode"] == "NonCompliant", response
            assert "/ServiceToken" in response["message"], response


def test_unique_rule_beside_provider_unique_items():
    # The unique rule goes into an allOf branch of GlobalSecondaryIndexes,
    # and the provider gives each index's KeySchema uniqueItems: the index
    # list and a KeySchema in it each hold a uniqueness table at once.
    policy = write("table.gate", """type AWS::DynamoDB::Table {
    KeySchema
    AttributeDefinitions
    BillingMode
    GlobalSecondaryIndexes unique because "each index once"
    GlobalSecondaryIndexes items ..5 because "at most five indexes"
}
""")
    index = {"IndexName": "gsi1", "KeySchema": [{"AttributeName": "g", "KeyType": "HASH"}],
             "Projection": {"ProjectionType": "ALL"}}
    table = {"BillingMode": "PAY_PER_REQUEST",
             "KeySchema": [{"AttributeName": "pk", "KeyType": "HASH"}],
             "AttributeDefinitions": [{"AttributeName": "pk", "AttributeType": "S"},
                                      {"AttributeName": "g", "AttributeType": "S"}]}
    cases = [([index], 0, "SUCCESS", None),
             ([index, index], 1, "FAILED", "/GlobalSecondaryIndexes: items 0 and 1 are equal"),
             ([dict(index, KeySchema=index["KeySchema"] * 2)], 1, "FAILED",
              "/GlobalSecondaryIndexes/0/KeySchema: items 0 and 1 are equal")]
    for indexes, expected_status, expected_hook_status, finding in cases:
        event = json.loads(envelope("CREATE_PRE_PROVISION", "RESOURCE", "AWS::DynamoDB::Table"))
        event["requestData"]["targetModel"]["resourceProperties"] = dict(
            table, GlobalSecondaryIndexes=indexes)
        path = write("table.json", json.dumps(event))
        status, response, _ = hook(path, policy=policy)
        assert status == expected_status, response
        assert response["hookStatus"] == expected_hook_status, response
        if finding:
            assert response["errorCode"] == "NonCompliant", response
            assert finding in response["message"], response


def test_long_multibyte_keys_fill_message():
    # 30 keys of about 1000 bytes fill the 16384-byte message buffer, and
    # the buffer, the 64-byte key quote and the 4096-character response cut
    # may each fall inside an "é".
    properties = {f"k{i:02d}" + "\u00e9" * 500: 1 for i in range(30)}
    path = write("long-keys.json", event_text(json.dumps(properties, ensure_ascii=False)))
    status, response, _ = hook(path)
    assert status == 1, response
    assert response["errorCode"] == "NonCompliant", response
    message = response["message"]
    assert message.startswith("MyQ (AWS::SQS::Queue) violates the policy: 20 findings listed; "
                              "10 later findings were omitted (limit is 20); /k00\u00e9"), message
    assert 'property "k00%s..." is not allowed' % ("\u00e9" * 30) in message, message


def test_cloud_control_message_cut_at_1024():
    # CloudFormation keeps 4096 characters of a message for stack operations
    # and 1024 for Cloud Control API operations, whose events have no stackId.
    properties = json.dumps({f"Unknown{i:02d}": "v" for i in range(30)})
    stack_event = json.loads(event_text(properties))
    cloud_control_event = dict(stack_event)
    del cloud_control_event["stackId"]
    stack_path = write("many-stack.json", json.dumps(stack_event))
    cloud_control_path = write("many-cloud-control.json", json.dumps(cloud_control_event))

    status, response, _ = hook(stack_path)
    assert status == 1, response
    assert len(response["message"]) > 1024, response
    assert not response["message"].endswith("..."), response

    status, response, _ = hook(cloud_control_path, "--region", "us-east-1")
    assert status == 1, response
    assert response["errorCode"] == "NonCompliant", response
    message = response["message"]
    assert len(message) <= 1024, message
    assert not message.endswith("..."), message
    assert message.startswith("MyQ (AWS::SQS::Queue) violates the policy: 20 findings listed; "
                              "10 later findings were omitted (limit is 20); "), message

    # Findings that do not fit are left out whole and counted at the end.
    in_message = message.count('is not allowed')
    tail = "; %d of the 20 listed findings not shown (message limit is 1024 characters)" % (20 - in_message)
    assert 0 < in_message < 20, message
    assert message.endswith(tail), message



def test_cloud_control_limit_counts_escapes():
    # Invisible characters are written as 6-character escapes, so they count
    # as 6 characters toward the limit.
    properties = json.dumps({f"U{i:02d}" + "\u202e" * 20: "v" for i in range(30)})
    event = json.loads(event_text(properties))
    del event["stackId"]
    path = write("many-bidi-cloud-control.json", json.dumps(event))

    status, response, _ = hook(path, "--region", "us-east-1")
    assert status == 1, response
    message = response["message"]
    assert len(message) <= 1024, message
    assert "\\u202e" in message, message
    in_message = message.count("is not allowed")
    assert 0 < in_message < 20, message
    tail = "; %d of the 20 listed findings not shown (message limit is 1024 characters)" % (20 - in_message)
    assert message.endswith(tail), message


TESTS = [value for name, value in sorted(globals().items()) if name.startswith("test_")]
for test in TESTS:
    test()
    print("ok", test.__name__)
