"""Runs cfgate hook on events for properties whose provider type is a
union: a range on the integer-or-string TopK of
AWS::BedrockAgentCore::Harness, sent as a number and as the string
CloudFormation sends, and a pattern on the string-or-array TopicARN of
AWS::AutoScaling::AutoScalingGroup, sent as an array. The constraint must
narrow the property to the form it checks, so both are denied. An `=`
value narrows the same way, so `= false` on the boolean-or-string values
of RequestParameters of AWS::ApiGateway::Method accepts the string
"false" that CloudFormation sends.

usage: check_hook_union_types.py CFGATE SCHEMAS
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from scratch import scratch_writer  # noqa: E402

cfgate, schemas = sys.argv[1:3]
write = scratch_writer("cfgate-hook-union-")
STACK_ID = "arn:aws:cloudformation:us-east-1:123456789012:stack/s/abc"


HARNESS_POLICY = write("harness.gate", """type AWS::BedrockAgentCore::Harness {
    HarnessName
    ExecutionRoleArn
    Model
    Memory.AgentCoreMemoryConfiguration.Arn
    Memory.AgentCoreMemoryConfiguration.RetrievalConfig{}.TopK range 1..10 because "small"
}
""")
ASG_POLICY = write("asg.gate", """type AWS::AutoScaling::AutoScalingGroup {
    MinSize
    MaxSize
    NotificationConfiguration.TopicARN pattern "^arn:aws:sns:us-east-1:123456789012:"
}
""")


def event(name, target, properties):
    return write(name, json.dumps({
        "clientRequestToken": "tok-1", "awsAccountId": "123456789012", "stackId": STACK_ID,
        "actionInvocationPoint": "CREATE_PRE_PROVISION",
        "requestData": {"targetName": target, "targetType": "RESOURCE",
                        "targetLogicalId": "R",
                        "targetModel": {"resourceProperties": properties}}}))


def hook(policy, event_path):
    command = [cfgate, "hook", "--policy", policy, "--schemas", schemas, "--event", event_path]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    return result.returncode, json.loads(result.stdout)


def harness_properties(top_k):
    return {"HarnessName": "h", "ExecutionRoleArn": "arn:aws:iam::123456789012:role/r",
            "Model": {"BedrockModelConfig": {"ModelId": "m"}},
            "Memory": {"AgentCoreMemoryConfiguration": {
                "Arn": "arn:aws:bedrock-agentcore:us-east-1:123456789012:memory/abc-0123456789",
                "RetrievalConfig": {"k": {"TopK": top_k}}}}}


def test_range_denies_string_and_number():
    for name, top_k in (("string.json", "100"), ("number.json", 100)):
        path = event(name, "AWS::BedrockAgentCore::Harness", harness_properties(top_k))
        status, response = hook(HARNESS_POLICY, path)
        assert status == 1, response
        assert response["hookStatus"] == "FAILED", response
        assert response["errorCode"] == "NonCompliant", response
        assert ("/Memory/AgentCoreMemoryConfiguration/RetrievalConfig/k/TopK: 100 is greater "
                f"than the maximum 10 [rule {HARNESS_POLICY}:6:5]") in response["message"], response


def test_range_accepts_string_inside():
    path = event("inside.json", "AWS::BedrockAgentCore::Harness", harness_properties("10"))
    status, response = hook(HARNESS_POLICY, path)
    assert status == 0, response
    assert response["hookStatus"] == "SUCCESS", response


def test_pattern_denies_array():
    properties = {"MinSize": "1", "MaxSize": "2", "NotificationConfiguration": {
        "TopicARN": ["arn:aws:sns:us-east-1:999999999999:evil"]}}
    path = event("array.json", "AWS::AutoScaling::AutoScalingGroup", properties)
    status, response = hook(ASG_POLICY, path)
    assert status == 1, response
    assert response["hookStatus"] == "FAILED", response
    assert ("/NotificationConfiguration/TopicARN: expected string, got array "
            f"[rule {ASG_POLICY}:4:5]") in response["message"], response

    properties["NotificationConfiguration"]["TopicARN"] = "arn:aws:sns:us-east-1:123456789012:t"
    path = event("string.json", "AWS::AutoScaling::AutoScalingGroup", properties)
    status, response = hook(ASG_POLICY, path)
    assert status == 0, response


METHOD_POLICY = write("method.gate", """type AWS::ApiGateway::Method {
    HttpMethod
    ResourceId
    RestApiId
    RequestParameters{} = false
}
""")


def test_const_false_accepts_string_false():
    for value, expected in (("false", 0), ("true", 1)):
        properties = {"HttpMethod": "GET", "ResourceId": "r", "RestApiId": "a",
                      "RequestParameters": {"method.request.querystring.q": value}}
        path = event(f"method-{value}.json", "AWS::ApiGateway::Method", properties)
        status, response = hook(METHOD_POLICY, path)
        assert status == expected, response
    assert ("/RequestParameters/method.request.querystring.q: true is not the required "
            f"constant [rule {METHOD_POLICY}:5:5]") in response["message"], response


TESTS = [value for name, value in sorted(globals().items()) if name.startswith("test_")]
for test in TESTS:
    test()
    print("ok", test.__name__)
