"""Runs cfgate check on properties whose provider type is a union, with
policies that constrain one form: a range on an integer-or-string TopK of
AWS::BedrockAgentCore::Harness, and a pattern, length or items count on
the string-or-array TopicARN of AWS::AutoScaling::AutoScalingGroup. The
constraint must narrow the property to the form it checks, so the other
form is denied and a string is read as the number the range expects.
An `=` value narrows the same way: `= false` on the boolean-or-string
values of RequestParameters of AWS::ApiGateway::Method accepts false. A
rule on TopicARN[] or on the untyped map Roles{} of
AWS::Cognito::IdentityPoolRoleAttachment narrows to an array or a map,
and the map denies keys that match none of its patterns.

usage: check_union_types.py CFGATE SCHEMAS
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from scratch import scratch_writer  # noqa: E402

cfgate, schemas = sys.argv[1:3]
write = scratch_writer("cfgate-union-")

HARNESS_POLICY = """type AWS::BedrockAgentCore::Harness {
    HarnessName
    ExecutionRoleArn
    Model
    Memory.AgentCoreMemoryConfiguration.Arn
    Memory.AgentCoreMemoryConfiguration.RetrievalConfig{}.TopK range 1..10 because "small"
}
"""

TOPIC = "arn:aws:sns:us-east-1:123456789012:"


def asg_policy(constraint):
    return f"""type AWS::AutoScaling::AutoScalingGroup {{
    MinSize
    MaxSize
    NotificationConfiguration.TopicARN {constraint}
}}
"""


def check(policy, template):
    command = [cfgate, "check", "--policy", policy, "--schemas", schemas,
               "--account-id", "123456789012", "--region", "us-east-1",
               "--format", "json", template]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.stdout, result.stderr
    report = json.loads(result.stdout)
    resources = [r for t in report["templates"] for r in t["resources"]]
    assert len(resources) == 1, report
    return result.returncode, resources[0]


def findings(resource):
    return [(f["pointer"], f["keyword"], f["message"], f["line"], f["column"],
             "%s:%d:%d" % (os.path.basename(f["rule"]["file"]), f["rule"]["line"],
                           f["rule"]["column"]))
            for f in resource["findings"]]


def keywords(resource):
    return [(f["pointer"], f["keyword"]) for f in resource["findings"]]


def harness_template(name, top_k):
    return write(name, """Resources:
  H:
    Type: AWS::BedrockAgentCore::Harness
    Properties:
      HarnessName: h
      ExecutionRoleArn: arn:aws:iam::123456789012:role/r
      Model: {BedrockModelConfig: {ModelId: m}}
      Memory:
        AgentCoreMemoryConfiguration:
          Arn: arn:aws:bedrock-agentcore:us-east-1:123456789012:memory/abc-0123456789
          RetrievalConfig:
            k:
              TopK: %s
""" % top_k)


def asg_template(name, topic):
    return write(name, """Resources:
  G:
    Type: AWS::AutoScaling::AutoScalingGroup
    Properties:
      MinSize: "1"
      MaxSize: "2"
      NotificationConfiguration:
        TopicARN: %s
""" % topic)


TOP_K = "/Memory/AgentCoreMemoryConfiguration/RetrievalConfig/k/TopK"


def test_range_denies_number_and_string_forms():
    policy = write("harness.gate", HARNESS_POLICY)
    for name, value in (("number.yaml", "100"), ("string.yaml", '"100"')):
        status, resource = check(policy, harness_template(name, value))
        assert status == 1, resource
        assert findings(resource) == [(TOP_K, "maximum", "100 is greater than the maximum 10",
                                       13, 21, "harness.gate:6:5")], resource


def test_range_denies_text_and_accepts_inside():
    policy = write("harness.gate", HARNESS_POLICY)
    status, resource = check(policy, harness_template("text.yaml", "many"))
    assert status == 1, resource
    assert findings(resource) == [(TOP_K, "type", 'expected integer, got string "many"',
                                   13, 21, "harness.gate:6:5")], resource

    for name, value in (("inside-number.yaml", "10"), ("inside-string.yaml", '"1"')):
        status, resource = check(policy, harness_template(name, value))
        assert status == 0, resource
        assert resource["status"] == "compliant", resource


def test_pattern_denies_array_form():
    policy = write("pattern.gate", asg_policy(f'pattern "^{TOPIC}"'))
    evil = '["arn:aws:sns:us-east-1:999999999999:evil"]'
    status, resource = check(policy, asg_template("pattern-array.yaml", evil))
    assert status == 1, resource
    assert findings(resource) == [("/NotificationConfiguration/TopicARN", "type",
                                   "expected string, got array", 8, 19, "pattern.gate:4:5")], \
        resource

    status, resource = check(policy, asg_template("pattern-string.yaml", TOPIC + "ok"))
    assert status == 0, resource


def test_length_denies_array_form():
    policy = write("length.gate", asg_policy("length 1..60"))
    status, resource = check(policy, asg_template("length-array.yaml", "[a, b]"))
    assert status == 1, resource
    assert findings(resource) == [("/NotificationConfiguration/TopicARN", "type",
                                   "expected string, got array", 8, 19, "length.gate:4:5")], \
        resource


def test_items_denies_string_form():
    policy = write("items.gate", asg_policy("items 1..1"))
    status, resource = check(policy, asg_template("items-string.yaml", TOPIC + "ok"))
    assert status == 1, resource
    assert findings(resource) == [("/NotificationConfiguration/TopicARN", "type",
                                   f'expected array, got string "{TOPIC}ok"', 8, 19,
                                   "items.gate:4:5")], resource

    status, resource = check(policy, asg_template("items-two.yaml", "[a, b]"))
    assert status == 1, resource
    assert [f[1] for f in findings(resource)] == ["maxItems"], resource

    status, resource = check(policy, asg_template("items-one.yaml", "[a]"))
    assert status == 0, resource


def test_item_rule_denies_string_form():
    # A rule on TopicARN[] checks only the list form, so the string form is denied.
    policy = write("item-rule.gate", asg_policy(f'[] pattern "^{TOPIC}"'))
    status, resource = check(policy, asg_template("item-string.yaml",
                                                  "arn:aws:sns:us-east-1:999999999999:x"))
    assert status == 1, resource
    assert keywords(resource) == [("/NotificationConfiguration/TopicARN", "type")], resource

    status, resource = check(policy, asg_template("item-list.yaml", f"[{TOPIC}ok]"))
    assert status == 0, resource


ROLES_POLICY = """type AWS::Cognito::IdentityPoolRoleAttachment {
    IdentityPoolId
    Roles{} pattern "^arn:aws:iam::123456789012:role/"
}
"""


def roles_template(name, roles):
    return write(name, """Resources:
  R:
    Type: AWS::Cognito::IdentityPoolRoleAttachment
    Properties:
      IdentityPoolId: us-east-1:0000
      Roles: %s
""" % roles)


def test_value_rule_denies_other_forms():
    # Roles has no type in its provider schema: a rule on Roles{} makes it a map,
    # so a string is denied, and so is a key that matches no pattern.
    policy = write("roles.gate", ROLES_POLICY)
    status, resource = check(policy, roles_template("roles-string.yaml",
                                                    "arn:aws:iam::999999999999:role/x"))
    assert status == 1, resource
    assert keywords(resource) == [("/Roles", "type")], resource

    status, resource = check(policy, roles_template(
        "roles-map.yaml", "{authenticated: 'arn:aws:iam::123456789012:role/a'}"))
    assert status == 0, resource

    es_policy = write("logs.gate", """type AWS::Elasticsearch::Domain {
    LogPublishingOptions{}.Enabled = false
}
""")
    template = write("logs.yaml", """Resources:
  R:
    Type: AWS::Elasticsearch::Domain
    Properties:
      LogPublishingOptions:
        "-": {Enabled: true}
""")
    status, resource = check(es_policy, template)
    assert status == 1, resource
    assert keywords(resource) == [("/LogPublishingOptions/-", "additionalProperties")], resource


METHOD_POLICY = """type AWS::ApiGateway::Method {
    HttpMethod
    ResourceId
    RestApiId
    RequestParameters{} = false because "no required parameters"
}
"""


def method_template(name, value):
    return write(name, """Resources:
  M:
    Type: AWS::ApiGateway::Method
    Properties:
      HttpMethod: GET
      ResourceId: r
      RestApiId: a
      RequestParameters:
        method.request.querystring.q: %s
""" % value)


def test_const_false_accepts_false():
    policy = write("method.gate", METHOD_POLICY)
    for name, value in (("false.yaml", "false"), ("false-string.yaml", '"false"')):
        status, resource = check(policy, method_template(name, value))
        assert status == 0, resource
        assert resource["status"] == "compliant", resource


def test_const_false_denies_true():
    policy = write("method.gate", METHOD_POLICY)
    status, resource = check(policy, method_template("true.yaml", "true"))
    assert status == 1, resource
    assert findings(resource) == [
        ("/RequestParameters/method.request.querystring.q", "const",
         "true is not the required constant", 9, 39, "method.gate:5:5")], resource

    status, resource = check(policy, method_template("text.yaml", "optional"))
    assert status == 1, resource
    assert findings(resource) == [
        ("/RequestParameters/method.request.querystring.q", "type",
         'expected boolean, got string "optional"', 9, 39, "method.gate:5:5")], resource


TESTS = [value for name, value in sorted(globals().items()) if name.startswith("test_")]
for test in TESTS:
    test()
    print("ok", test.__name__)
