"""Runs cfgate check on values known only at deployment. A Ref to a
resource, Fn::ImportValue, Fn::Sub, Fn::Join and dynamic references always
give strings. So a property whose type allows strings and that has no text
constraint is compliant, and a property that needs an array or object is a
type violation. Only the constraints the unknown text decides are
unverified. Fn::GetAtt can give any type, so its type stays unverified.

usage: check_unknown_values.py CFGATE SCHEMAS
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from scratch import scratch_writer  # noqa: E402

cfgate, schemas = sys.argv[1:3]
write = scratch_writer("cfgate-unknown-")

QUEUE_POLICY = """type AWS::SQS::Queue {
    QueueName
    DelaySeconds
    Tags[].Key
    Tags[].Value
    KmsMasterKeyId pattern "^alias/acme-"
}
type AWS::Lambda::Function { * }
"""


POLICY_PATH = write("queue.gate", QUEUE_POLICY)


def check(properties):
    template = ("Resources:\n  Other:\n    Type: AWS::SQS::Queue\n"
                "  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n" + properties)
    command = [cfgate, "check", "--policy", POLICY_PATH, "--schemas", schemas,
               "--account-id", "123456789012", "--region", "us-east-1", "--format", "json",
               write("template.yaml", template)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    report = json.loads(result.stdout)
    resource = [r for r in report["templates"][0]["resources"] if r["logicalId"] == "Q"][0]
    findings = [(f["kind"], f["pointer"], f["message"]) for f in resource["findings"]]
    return result.returncode, resource["status"], findings


def test_ref_to_resource_is_a_string():
    assert check("      QueueName: !Ref Other\n") == (0, "compliant", [])


def test_string_functions_are_strings():
    for value in ['!Sub "q-${Other.Arn}"', '!Join ["-", [a, !ImportValue X]]', "!ImportValue X",
                  '"{{resolve:ssm:/queue/name}}"', "!Base64 {Ref: Other}"]:
        assert check("      QueueName: %s\n" % value) == (0, "compliant", []), value


def test_split_of_unknown_is_a_list():
    # Fn::Split always gives a list, so an array property is not a type violation.
    status, result, findings = check('      Tags: !Split [",", !ImportValue X]\n')
    assert (status, result) == (0, "unverified"), findings
    assert [kind for kind, _, _ in findings] == ["unverified"], findings


def test_get_att_array_names_item_constraints():
    # The whole list is unknown, so the constraints on its items are unchecked too.
    status, result, findings = check("      Tags: !GetAtt Other.Arn\n")
    assert (status, result) == (0, "unverified"), findings
    assert findings == [("unverified", "/Tags",
                         "the value is unknown before deployment, so its type, uniqueItems and "
                         "items cannot be checked (Fn::GetAtt is known only after deployment)")], \
        findings


def test_string_where_array_needed():
    status, result, findings = check("      Tags: !Ref Other\n")
    assert (status, result) == (1, "violation"), findings
    assert findings == [("violation", "/Tags",
                         "expected array, got a string known only at deployment "
                         "(Ref to resource Other is known only after deployment)")], findings


def test_string_where_integer_needed_is_unverified():
    status, result, findings = check("      DelaySeconds: !Ref Other\n")
    assert (status, result) == (0, "unverified"), findings
    assert findings == [("unverified", "/DelaySeconds",
                         "the value is unknown before deployment, so its type cannot be checked "
                         "(Ref to resource Other is known only after deployment)")], findings


def test_pattern_on_string_is_unverified_alone():
    status, result, findings = check('      KmsMasterKeyId: !Sub "alias/${Other.Arn}"\n')
    assert (status, result) == (0, "unverified"), findings
    assert findings == [("unverified", "/KmsMasterKeyId",
                         "the value is unknown before deployment, so its pattern cannot be "
                         "checked (Fn::Sub attribute is known only after deployment)")], findings


def test_parameter_without_default():
    template = """Parameters:
  Name: {Type: String}
  Names: {Type: CommaDelimitedList}
  Image: {Type: "AWS::SSM::Parameter::Value<String>", Default: /images/latest}
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
"""
    cases = [("      QueueName: !Ref Name\n", "compliant", []),
             ("      QueueName: !Ref Image\n", "compliant", []),
             ("      Tags: !Ref Name\n", "violation",
              ["expected array, got a string known only at deployment (parameter Name has no "
               "default and no --parameter value)"]),
             ("      QueueName: !Ref Names\n", "unverified",
              ["the value is unknown before deployment, so its type cannot be checked "
               "(parameter Names has no default and no --parameter value)"])]
    for properties, expected, messages in cases:
        path = write("parameters.yaml", template + properties)
        command = [cfgate, "check", "--policy", POLICY_PATH, "--schemas", schemas,
                   "--format", "json", path]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        resource = json.loads(result.stdout)["templates"][0]["resources"][0]
        assert resource["status"] == expected, (properties, resource)
        assert [f["message"] for f in resource["findings"]] == messages, (properties, resource)


PREFIX_POLICY = """type AWS::SQS::Queue {
    QueueName pattern "^acme-" length 1..20
    KmsMasterKeyId in ["alias/acme-a", "alias/acme-b"]
}
type AWS::SNS::Topic {
    TopicName pattern "^${AWS::AccountId}-"
    DisplayName = "fixed"
}
"""


def test_known_prefix_decides():
    # The text before the unknown part already breaks the constraint, so no
    # deployed value can pass; a prefix that can still pass stays unverified.
    policy = write("prefix.gate", PREFIX_POLICY)
    cases = [
        ("AWS::SQS::Queue", 'QueueName: !Sub "bad-${Other.TopicName}"', "violation", "pattern",
         'the value starts with "bad-", so it cannot match the pattern "^acme-"'),
        ("AWS::SQS::Queue", 'QueueName: !Sub "acme-${Other.TopicName}"', "unverified", "pattern",
         "the value is unknown before deployment, so its pattern, minLength and maxLength "
         "cannot be checked"),
        ("AWS::SQS::Queue", "QueueName: !Join [-, [acme, very, long, prefix, !Ref Other]]",
         "violation", "maxLength", 'the value starts with "acme-very-long-prefix-", which is '
         "already longer than the maxLength 20"),
        ("AWS::SQS::Queue", 'KmsMasterKeyId: "alias/evil-{{resolve:ssm:/k}}"', "violation",
         "enum", 'the value starts with "alias/evil-", which no allowed value does'),
        ("AWS::SQS::Queue", 'KmsMasterKeyId: "alias/acme-{{resolve:ssm:/k}}"', "unverified",
         "enum", "the value is unknown before deployment, so its enum cannot be checked"),
        ("AWS::SNS::Topic", 'TopicName: !Sub "999999999999-${Other.TopicName}"', "violation",
         "pattern", 'the value starts with "999999999999-", so it cannot match the pattern '
         '"^${AWS::AccountId}-"'),
        ("AWS::SNS::Topic", 'TopicName: !Sub "123456789012-${Other.TopicName}"', "unverified",
         "pattern", "the value is unknown before deployment, so its pattern cannot be checked"),
        ("AWS::SNS::Topic", 'DisplayName: !Sub "other-${Other.TopicName}"', "violation", "const",
         'the value starts with "other-", which the required constant does not'),
    ]
    for type_name, property, status, keyword, message in cases:
        template = ("Resources:\n  Other:\n    Type: AWS::SNS::Topic\n"
                    "  R:\n    Type: %s\n    Properties:\n      %s\n" % (type_name, property))
        command = [cfgate, "check", "--policy", policy, "--schemas", schemas,
                   "--account-id", "123456789012", "--region", "us-east-1", "--format", "json",
                   write("prefix.yaml", template)]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        resource = [r for r in json.loads(result.stdout)["templates"][0]["resources"]
                    if r["logicalId"] == "R"][0]
        assert resource["status"] == status, (property, resource)
        assert [f["keyword"] for f in resource["findings"]] == [keyword], (property, resource)
        assert resource["findings"][0]["message"].startswith(message + " ("), (property, resource)


DYNAMIC_TEMPLATE = """Parameters:
  Key: {Type: String, AllowedValues: ["alias/acme-{{resolve:ssm:/k}}"]}
  Open: {Type: String}
Mappings:
  Keys: {us-east-1: {Id: "alias/acme-{{resolve:ssm:/k}}", Ids: ["alias/acme-{{resolve:ssm:/k}}"]}}
Conditions:
  Always: !Equals [a, a]
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      KmsMasterKeyId: %s
"""


BRANCH = " (in the true branch of Fn::If condition Always)"


def test_dynamic_reference_any_source():
    # A dynamic reference is read at deployment, so it is unknown however it
    # reaches the property. The finding quotes the whole reference.
    values = ["!FindInMap [Keys, !Ref AWS::Region, Id]", "!Ref Key", "!Ref Open",
              '!Join ["", [!FindInMap [Keys, !Ref AWS::Region, Id]]]',
              "!Select [0, !FindInMap [Keys, !Ref AWS::Region, Ids]]",
              "!If [Always, !Ref Key, alias/acme-x]", '!Sub "${Key}"',
              '!Sub ["${V}", {V: !FindInMap [Keys, !Ref AWS::Region, Id]}]',
              '!Join ["", ["alias/acme-{{resolve:", "ssm:/k}}"]]']
    for value in values:
        command = [cfgate, "check", "--strict", "--policy", POLICY_PATH, "--schemas", schemas,
                   "--region", "us-east-1", "--format", "json",
                   "--parameter", "Open=alias/acme-{{resolve:ssm:/k}}",
                   write("dynamic.yaml", DYNAMIC_TEMPLATE % value)]
        result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        resource = json.loads(result.stdout)["templates"][0]["resources"][0]
        assert result.returncode == 1, (value, resource)
        # Fn::If adds the branch after the reason.
        assert [(f["kind"], f["pointer"], f["message"].replace(BRANCH, ""))
                for f in resource["findings"]] == [
            ("unverified", "/KmsMasterKeyId",
             "the value is unknown before deployment, so its pattern cannot be checked (dynamic "
             "reference {{resolve:ssm:/k}} is resolved at deployment)")], (value, resource)


def test_dynamic_reference_prefix_decides():
    # The text before the reference is known, whatever function built it.
    command = [cfgate, "check", "--policy", POLICY_PATH, "--schemas", schemas,
               "--region", "us-east-1", "--format", "json",
               write("dynamic.yaml", DYNAMIC_TEMPLATE % '!Sub "alias/evil-${Open}"'),
               "--parameter", "Open={{resolve:ssm:/k}}"]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    resource = json.loads(result.stdout)["templates"][0]["resources"][0]
    assert [(f["kind"], f["message"]) for f in resource["findings"]] == [
        ("violation", 'the value starts with "alias/evil-", so it cannot match the pattern '
         '"^alias/acme-" (dynamic reference {{resolve:ssm:/k}} is resolved at deployment)')], \
        resource


def test_unknown_value_once_per_rule():
    # Principal meets the provider's constraints on the property and the
    # policy's pattern in a branch of its own. Each is named once, the
    # provider's without the policy rule.
    policy = write("permission.gate", """type AWS::Lambda::Permission {
    Action = "lambda:InvokeFunction"
    FunctionName
    Principal required pattern "^[^*]+$"
}
""")
    template = write("permission.yaml", """Resources:
  P:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: f
      Principal: "{{resolve:ssm:/caller}}"
""")
    command = [cfgate, "check", "--policy", policy, "--schemas", schemas, "--format", "json",
               template]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    resource = json.loads(result.stdout)["templates"][0]["resources"][0]
    rule = policy + ":4:5"
    assert [(f["kind"], f["ruleId"], f["message"]) for f in resource["findings"]] == [
        ("unverified", "cfgate/pattern",
         "the value is unknown before deployment, so its pattern, minLength and maxLength "
         "cannot be checked (dynamic reference {{resolve:ssm:/caller}} is resolved at "
         "deployment)"),
        ("unverified", rule,
         "the value is unknown before deployment, so its pattern cannot be checked (dynamic "
         "reference {{resolve:ssm:/caller}} is resolved at deployment)")], resource


def lambda_role_findings(rule_text, role):
    policy = write("function.gate", "type AWS::Lambda::Function {\n    Code\n    " + rule_text +
                   "\n}\n")
    template = write("function.yaml", """Resources:
  R:
    Type: AWS::IAM::Role
  F:
    Type: AWS::Lambda::Function
    Properties:
      Code: {ZipFile: x}
      Role: %s
""" % role)
    command = [cfgate, "check", "--policy", policy, "--schemas", schemas, "--format", "json",
               template]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    resources = json.loads(result.stdout)["templates"][0]["resources"]
    function = [r for r in resources if r["logicalId"] == "F"][0]
    return policy, [(f["kind"], f["ruleId"], f["because"], f["message"])
                    for f in function["findings"]]


def test_provider_pattern_names_no_rule():
    # The provider's Role pattern and the policy's are reported once each,
    # and only the policy's names the policy rule.
    provider = ("^arn:(aws[a-zA-Z-]*)?:iam::\\d{12}:role/?[a-zA-Z_0-9+=,.@\\-_/]+$")
    ours = "^arn:aws:iam::[0-9]{12}:role/.+$"
    policy, findings = lambda_role_findings(
        'Role pattern "%s" because "roles of this partition"' % ours.replace("\\", "\\\\"),
        "bad")
    rule = policy + ":3:5"
    assert sorted(findings) == sorted([
        ("violation", rule, "roles of this partition",
         '"bad" does not match the pattern "%s"' % ours),
        ("violation", "cfgate/pattern", None, '"bad" does not match the pattern "%s"' % provider),
    ]), findings

    policy, findings = lambda_role_findings(
        'Role pattern "%s"' % ours.replace("\\", "\\\\"), "!GetAtt R.Arn")
    unknown = "(Fn::GetAtt is known only after deployment)"
    assert sorted(findings) == sorted([
        ("unverified", "cfgate/type", None, "the value is unknown before deployment, so its "
         "pattern and type cannot be checked " + unknown),
        ("unverified", policy + ":3:5", None, "the value is unknown before deployment, so its "
         "pattern cannot be checked " + unknown),
    ]), findings

    # A rule that only lists Role sets no constraint of its own.
    policy, findings = lambda_role_findings("Role", "bad")
    assert findings == [
        ("violation", "cfgate/pattern", None, '"bad" does not match the pattern "%s"' % provider),
    ], findings


def test_get_att_type_stays_unverified():
    status, result, findings = check("      QueueName: !GetAtt Other.QueueName\n")
    assert (status, result) == (0, "unverified"), findings
    assert findings == [("unverified", "/QueueName",
                         "the value is unknown before deployment, so its type cannot be checked "
                         "(Fn::GetAtt is known only after deployment)")], findings


def test_unique_items_names_keyword():
    template = write("function.yaml", """Resources:
  Other:
    Type: AWS::SQS::Queue
  F:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/r
      Code: {ZipFile: "x"}
      Handler: index.handler
      Runtime: python3.12
      Tags:
        - Key: a
          Value: !GetAtt Other.Arn
        - Key: b
          Value: c
""")
    command = [cfgate, "check", "--policy", POLICY_PATH, "--schemas", schemas, "--format", "json",
               template]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    report = json.loads(result.stdout)
    function = [r for r in report["templates"][0]["resources"] if r["logicalId"] == "F"][0]
    unique = [f for f in function["findings"] if f["keyword"] == "uniqueItems"]
    assert [(f["pointer"], f["message"]) for f in unique] == [
        ("/Tags", "a value inside is unknown before deployment, so uniqueItems cannot be checked")
    ], function["findings"]


def test_undefined_function_invalid():
    """CloudFormation rejects a function it does not define, as it does the
    YAML tag !Foo, so the resource fails instead of being unverified."""
    code, status, findings = check('      QueueName: {"Fn::Foo": BAD}\n')
    assert (code, status) == (1, "violation"), (code, status, findings)
    assert findings == [("invalid", "", "unknown intrinsic function 'Fn::Foo' (did you mean "
                         "'Fn::Not' or 'Fn::Or'?): CloudFormation rejects it")], findings
    code, status, findings = check('      QueueName: !Join ["", [{"Fn::Joinn": [a]}]]\n')
    assert (code, status) == (1, "violation"), (code, status, findings)
    assert findings == [("invalid", "", "unknown intrinsic function 'Fn::Joinn' (did you mean "
                         "'Fn::Join'?): CloudFormation rejects it")], findings


def test_undefined_function_in_condition_invalid():
    template = write("condition.yaml", """Conditions:
  Typo: {"Fn::Equalz": [a, a]}
Resources:
  Q:
    Type: AWS::SQS::Queue
    Condition: Typo
""")
    command = [cfgate, "check", "--policy", POLICY_PATH, "--schemas", schemas, "--format", "json",
               template]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    resource = json.loads(result.stdout)["templates"][0]["resources"][0]
    assert [(f["kind"], f["line"], f["message"]) for f in resource["findings"]] == [
        ("invalid", 2, "unknown intrinsic function 'Fn::Equalz' (did you mean 'Fn::Equals'?): "
                       "CloudFormation rejects it")], resource["findings"]


def test_defined_functions_stay_unverified():
    """Functions that CloudFormation defines but check does not resolve."""
    for value, reason in [("{\"Fn::GetStackOutput\": {StackName: s, OutputName: o}}",
                           "Fn::GetStackOutput reads another stack's output"),
                          ("!GetStackOutput {StackName: s, OutputName: o}",
                           "Fn::GetStackOutput reads another stack's output")]:
        code, status, findings = check("      KmsMasterKeyId: %s\n" % value)
        assert (code, status) == (0, "unverified"), (value, code, status, findings)
        assert all(reason in message for kind, pointer, message in findings), (value, findings)
    code, status, findings = check('      KmsMasterKeyId: {"Fn::Transform": {Name: M}}\n')
    assert [kind for kind, pointer, message in findings] == ["unsupported"], findings


for name, test in list(globals().items()):
    if name.startswith("test_"):
        test()
print("unknown values checked")
