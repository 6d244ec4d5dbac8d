"""Runs cfgate check on templates whose parameters have AllowedValues.
Without a --parameter value, each resource is validated for every allowed
value, Default or not, and a finding that holds for some values only names
them. A list parameter is also validated with its Default and with all its
allowed items. A resource Condition on such a parameter is evaluated for
each value. More combinations than the limit fail the resource. A
parameter without AllowedValues is unknown whatever its Default, so
conditions on it are undecidable. Also checks that an Fn::ForEach loop
inside a resource and an Fn::Transform key of Resources are unsupported.

usage: check_parameter_values.py CFGATE SCHEMAS
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from scratch import scratch_writer  # noqa: E402

cfgate, schemas = sys.argv[1:3]
write = scratch_writer("cfgate-parameters-")

POLICY = """type AWS::SQS::Queue {
    QueueName pattern "^acme-" required
    DelaySeconds range 0..10
    KmsMasterKeyId = "alias/aws/sqs"
}
"""
SSE = "/BucketEncryption/ServerSideEncryptionConfiguration/0/ServerSideEncryptionByDefault/SSEAlgorithm"


POLICY_PATH = write("queue.gate", POLICY)


def run(template, *options, expect=1):
    path = write("template.yaml", template)
    command = [cfgate, "check", "--policy", POLICY_PATH, "--schemas", schemas,
               "--account-id", "123456789012", "--region", "us-east-1",
               "--format", "json", *options, path]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == expect, (result.returncode, result.stdout, result.stderr)
    return json.loads(result.stdout)


def findings(template, *options, expect=1):
    report = run(template, *options, expect=expect)
    return [(f["level"], f["line"], f["column"], f["message"])
            for t in report["templates"] for r in t["resources"] for f in r["findings"]]


def summary(report):
    return report["summary"]


DELAY = """Parameters:
  Delay:
    Type: Number
    Default: 5
    AllowedValues: [5, 20]
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: acme-a
      DelaySeconds: !Ref Delay
"""


def test_allowed_value_beside_default_is_checked():
    found = findings(DELAY)
    assert found == [("error", 11, 21, "20 is greater than the maximum 10 "
                                       "(when parameter Delay is 20)")], found


def test_parameter_option_fixes_value():
    report = run(DELAY, "--parameter", "Delay=5", expect=0)
    assert summary(report)["compliant"] == 1, report


def test_parameter_option_with_forbidden_value():
    found = findings(DELAY, "--parameter", "Delay=20")
    assert found == [("error", 11, 21, "20 is greater than the maximum 10")], found


def test_parameter_option_outside_allowed_values():
    found = findings(DELAY, "--parameter", "Delay=7")
    assert found == [("error", 11, 21, "--parameter Delay=7 is not one of the parameter's "
                                       "AllowedValues")], found


LIMITS = """Parameters:
  Name:
    Type: String
    MinLength: 6
    MaxLength: "10"
    AllowedPattern: "acme-[a-z]+"
  Delay:
    Type: Number
    MinValue: 0
    MaxValue: 8
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Ref Name
      DelaySeconds: !Ref Delay
"""


def test_parameter_option_outside_limits():
    # CloudFormation rejects a value that breaks a parameter's constraints.
    assert findings(LIMITS, "--parameter", "Name=acme-a", "--parameter", "Delay=3",
                    expect=0) == []
    cases = [
        ("Name=acme", "Delay=3", 15, 18, "--parameter Name=acme has 4 characters, fewer than the "
         "parameter's MinLength 6"),
        ("Name=acme-abcdefg", "Delay=3", 15, 18, "--parameter Name=acme-abcdefg has 12 "
         "characters, more than the parameter's MaxLength 10"),
        ("Name=acme-a1", "Delay=3", 15, 18, "--parameter Name=acme-a1 does not match the "
         "parameter's AllowedPattern 'acme-[a-z]+'"),
        ("Name=acme-a", "Delay=9", 16, 21, "--parameter Delay=9 is greater than the parameter's "
         "MaxValue 8"),
        ("Name=acme-a", "Delay=-1", 16, 21, "--parameter Delay=-1 is less than the parameter's "
         "MinValue 0"),
        ("Name=acme-a", "Delay=ten", 16, 21, "--parameter Delay=ten is not a number, as the "
         "parameter's Type Number requires"),
    ]
    for name, delay, line, column, message in cases:
        found = findings(LIMITS, "--parameter", name, "--parameter", delay)
        assert found == [("error", line, column, message)], (name, delay, found)


LIST_PATTERN = """Parameters:
  Names:
    Type: CommaDelimitedList
    AllowedPattern: "[a-z-]+"
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Join ["", !Ref Names]
"""


def test_list_parameter_option_items_match_pattern():
    # CloudFormation matches AllowedPattern against each item of a CommaDelimitedList.
    assert findings(LIST_PATTERN, "--parameter", "Names=acme-, ab", expect=0) == []
    found = findings(LIST_PATTERN, "--parameter", "Names=acme-, ab ,E1")
    assert found == [("error", 9, 29, "item 'E1' of --parameter Names=acme-, ab ,E1 does not "
                                      "match the parameter's AllowedPattern '[a-z-]+'")], found


def test_malformed_allowed_values_rejected():
    # CloudFormation rejects these; falling back to the Default would check one value only.
    for allowed, column in [("5", 20), ("[]", 20), ("[5, [20]]", 20), ("[5, null]", 20)]:
        template = DELAY.replace("AllowedValues: [5, 20]", "AllowedValues: " + allowed)
        found = findings(template)
        assert found == [("error", 5, column, "parameter Delay has AllowedValues that is not a "
                                              "non-empty list of strings, numbers or "
                                              "booleans")], (allowed, found)


def test_parameter_read_by_sub_is_named():
    found = findings("""Parameters:
  Env: {Type: String, Default: acme, AllowedValues: [acme, test]}
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub "${Env}-queue"
""")
    assert found == [("error", 7, 18, '"test-queue" does not match the pattern "^acme-" '
                                      "(when parameter Env is test)")], found


def test_allowed_values_without_default():
    found = findings("""Parameters:
  Key: {Type: String, AllowedValues: [alias/other]}
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: acme-a
      KmsMasterKeyId: !Ref Key
""")
    assert found == [("error", 8, 23, '"alias/other" is not the required constant')], found


def open_delay_findings(level, default):
    # The policy's range and the provider's type are one warning each.
    reason = ("(parameter Delay can be given any value at deployment (Default '%s'; pass "
              "--parameter Delay=VALUE to check one))" % default)
    return [(level, 8, 21, "the value is unknown before deployment, so its minimum and maximum "
             "cannot be checked " + reason),
            (level, 8, 21, "the value is unknown before deployment, so its type cannot be "
             "checked " + reason)]


def test_parameter_without_allowed_values_is_unknown():
    # A deployment can pass any value, so the Default is one value among many.
    template = """Parameters:
  Delay: {Type: Number, Default: DEFAULT}
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: acme-a
      DelaySeconds: !Ref Delay
"""
    for default in ("5", "20"):
        report = run(template.replace("DEFAULT", default), expect=0)
        assert summary(report)["unverified"] == 1, report
        found = findings(template.replace("DEFAULT", default), expect=0)
        assert found == open_delay_findings("warning", default), found
        found = findings(template.replace("DEFAULT", default), "--strict")
        assert found == open_delay_findings("error", default), found

    report = run(template.replace("DEFAULT", "20"), "--parameter", "Delay=5", expect=0)
    assert summary(report)["compliant"] == 1, report
    found = findings(template.replace("DEFAULT", "5"), "--parameter", "Delay=20")
    assert found == [("error", 8, 21, "20 is greater than the maximum 10")], found


OPEN_ENV = """Parameters:
  Env: {Type: String, Default: dev}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Q:
    Type: AWS::SQS::Queue
    Condition: IsProd
    Properties:
      QueueName: bad
  R:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: acme-r
      DelaySeconds: !If [IsProd, 900, 0]
"""


def test_condition_on_parameter_default_is_undecidable():
    # The Default dev makes IsProd false, but Env=prod deploys Q and the
    # true branch of R, so both are validated.
    report = run(OPEN_ENV, "--strict")
    assert summary(report)["skipped"] == 0, report
    assert summary(report)["violations"] == 2, report
    found = findings(OPEN_ENV)
    assert found == [
        ("error", 10, 18, '"bad" does not match the pattern "^acme-"'),
        ("error", 15, 34, "900 is greater than the maximum 10 "
                          "(in the true branch of Fn::If condition IsProd)"),
    ], found


def test_parameter_option_decides_condition():
    report = run(OPEN_ENV, "--strict", "--parameter", "Env=dev", expect=0)
    assert summary(report)["skipped"] == 1, report
    assert summary(report)["compliant"] == 1, report
    found = findings(OPEN_ENV, "--parameter", "Env=prod")
    assert found == [
        ("error", 10, 18, '"bad" does not match the pattern "^acme-"'),
        ("error", 15, 34, "900 is greater than the maximum 10 "
                          "(in the true branch of Fn::If condition IsProd)"),
    ], found


ENV = """Parameters:
  Env:
    Type: String
    Default: prod
    AllowedValues: [prod, dev, test]
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsGold: !Equals [!Ref AWS::StackName, gold]
Resources:
"""


def test_condition_on_parameter_is_evaluated_per_value():
    found = findings(ENV + """  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !If [IsProd, acme-a, bad]
""")
    assert found == [("error", 13, 39, '"bad" does not match the pattern "^acme-" '
                                       "(in the false branch of Fn::If condition IsProd) "
                                       "(when parameter Env is not prod)")], found


def test_parameter_and_undecidable_condition_named_together():
    found = findings(ENV + """  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !If [IsProd, !If [IsGold, acme-a, !Ref AWS::NoValue], acme-b]
""")
    assert found == [("error", 13, 31, 'missing required property "QueueName" '
                                       "(when parameter Env is prod and condition IsGold "
                                       "is false)")], found


def test_resource_condition_skips_other_values():
    # Q exists only when Env is prod, so the dev and test values of the
    # Fn::If never deploy.
    found = findings(ENV + """  Q:
    Type: AWS::SQS::Queue
    Condition: IsProd
    Properties:
      QueueName: acme-a
      DelaySeconds: !If [IsProd, 20, 1]
""")
    assert found == [("error", 15, 34, "20 is greater than the maximum 10 "
                                       "(in the true branch of Fn::If condition IsProd)")], found


def test_resource_condition_true_for_one_value():
    template = ENV.replace("    Default: prod\n", "") + """  Q:
    Type: AWS::SQS::Queue
    Condition: IsProd
    Properties:
      QueueName: bad
"""
    found = findings(template)
    assert found == [("error", 13, 18, '"bad" does not match the pattern "^acme-"')], found

    report = run(template.replace("[prod, dev, test]", "[dev, test]"), expect=0)
    assert summary(report)["skipped"] == 1, report


def test_too_many_combinations_fail():
    values = ", ".join(str(i) for i in range(1025))
    template = """Parameters:
  Delay: {Type: Number, Default: 1, AllowedValues: [%s]}
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: acme-a
      DelaySeconds: !Ref Delay
""" % values
    found = findings(template)
    assert found == [("error", 7, 7, "too many combinations of parameter AllowedValues and "
                                     "undecidable conditions (found 1025, limit is 1024): pass "
                                     "--parameter values for some of the parameters")], found

    path = write("template.yaml", template)
    command = [cfgate, "check", "--policy", POLICY_PATH, "--schemas", schemas,
               "--account-id", "123456789012", "--region", "us-east-1",
               "--format", "sarif", path]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, (result.returncode, result.stderr)
    rules = json.loads(result.stdout)["runs"][0]["tool"]["driver"]["rules"]
    descriptions = {rule["id"]: rule["shortDescription"]["text"] for rule in rules}
    assert descriptions["cfgate/parameters"] == (
        "too many combinations of parameter AllowedValues to validate each"), descriptions


def test_too_many_parameters_fail():
    names = ["P%d" % i for i in range(9)]
    parameters = "".join("  %s: {Type: String, AllowedValues: [a, b]}\n" % n for n in names)
    joined = ", ".join("!Ref %s" % n for n in names)
    found = findings("Parameters:\n" + parameters + """Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Join ["", [acme-, %s]]
""" % joined)
    assert [f[:3] for f in found] == [("error", 15, 7)], found
    assert found[0][3] == ("too many parameters with AllowedValues (found 9, limit is 8): pass "
                           "--parameter values for some of them"), found


def test_combination_product_named():
    # Two parameters of 40 values each need 1600 combinations. The second
    # one is left out, and its values still count in the message.
    values = ", ".join("v%d" % i for i in range(40))
    found = findings("""Parameters:
  A: {Type: String, AllowedValues: [%s]}
  B: {Type: String, AllowedValues: [%s]}
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Join ["", [acme-, !Ref A, !Ref B]]
""" % (values, values))
    assert found == [("error", 8, 7, "too many combinations of parameter AllowedValues and "
                                     "undecidable conditions (found 1600, limit is 1024): pass "
                                     "--parameter values for some of the parameters")], found


def test_every_combination_fits_in_memory():
    # Each combination resolves its own copy of 3000 ingress rules. The
    # copies of all 1024 combinations would pass the template memory limit,
    # so each must be freed after its combination. Only the last value
    # breaks the range, so the finding shows that every combination ran.
    policy = write("group.gate", """type AWS::EC2::SecurityGroup {
    GroupDescription
    SecurityGroupIngress[] {
        IpProtocol
        CidrIp
        FromPort range 0..1022
        ToPort range 443..443
    }
}
""")
    values = ", ".join(str(i) for i in range(1024))
    rule = "        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 10.0.0.0/8}\n"
    path = write("group.yaml", """Parameters:
  Port: {Type: Number, AllowedValues: [%s]}
Resources:
  G:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: web
      SecurityGroupIngress:
        - {IpProtocol: tcp, FromPort: !Ref Port, ToPort: 443, CidrIp: 10.0.0.0/8}
%s""" % (values, rule * 3000))
    command = [cfgate, "check", "--policy", policy, "--schemas", schemas,
               "--account-id", "123456789012", "--region", "us-east-1",
               "--format", "json", path]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 1, (result.returncode, result.stderr)
    resource = json.loads(result.stdout)["templates"][0]["resources"][0]
    found = [(f["ruleId"], f["message"]) for f in resource["findings"]]
    assert len(found) == 1, found
    assert not found[0][0].startswith("cfgate/"), found
    assert found[0][1] == ("1023 is greater than the maximum 1022 "
                           "(when parameter Port is 1023)"), found


def test_invalid_intrinsic_names_value():
    found = findings("""Parameters:
  Env: {Type: String, AllowedValues: [prod, dev]}
Mappings:
  Names: {prod: {queue: acme-prod}}
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !FindInMap [Names, !Ref Env, queue]
""")
    assert found == [("error", 9, 18, "Fn::FindInMap: no value for Names/dev/queue in Mappings "
                                      "(when parameter Env is dev)")], found


def test_invalid_intrinsic_keeps_other_findings():
    # Fn::Select fails for prod only. Whichever value comes first, dev is
    # still validated and the invalid finding names prod.
    template = """Parameters:
  Env: {Type: String, AllowedValues: [ORDER]}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !If [IsProd, !Select [3, [acme-prod]], other-dev]
      DelaySeconds: 20
"""
    expected = [
        ("error", 9, 40, "Fn::Select index 3 is out of range (list has 1 item) (in the true "
                         "branch of Fn::If condition IsProd) (when parameter Env is prod)"),
        ("error", 9, 57, '"other-dev" does not match the pattern "^acme-" (in the false '
                         "branch of Fn::If condition IsProd)"),
        ("error", 10, 21, "20 is greater than the maximum 10"),
    ]
    for order in ["prod, dev", "dev, prod"]:
        found = findings(template.replace("ORDER", order))
        assert found == expected, (order, found)


def test_long_value_list_is_counted():
    names = ["name-%03d-with-a-long-suffix" % i for i in range(20)]
    others = ["acme-%02d" % i for i in range(40)]

    def any_of(group):
        return "{Fn::Or: [%s]}" % ", ".join("{Fn::Equals: [{Ref: Env}, %s]}" % n for n in group)

    found = findings("""Parameters:
  Env: {Type: String, AllowedValues: [%s]}
Conditions:
  IsLong: {Fn::Or: [%s, %s]}
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !If [IsLong, bad, acme-a]
""" % (", ".join(names + others), any_of(names[:10]), any_of(names[10:])))
    assert len(found) == 1, found
    message = found[0][3]
    prefix = ('"bad" does not match the pattern "^acme-" (in the true branch of Fn::If '
              "condition IsLong) (when parameter Env is one of name-000-with-a-long-suffix, ")
    assert message.startswith(prefix), message
    listed = message[message.index("one of ") + 7:message.rindex(" and ")].split(", ")
    assert listed == names[:len(listed)], listed
    more = message[message.rindex(" and ") + 5:]
    assert more == "%d more)" % (20 - len(listed)), more


def test_value_note_names_the_exception():
    found = findings(ENV + """  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !If [IsProd, bad, acme-a]
      DelaySeconds: !If [IsProd, 1, 20]
""")
    assert found == [
        ("error", 13, 31, '"bad" does not match the pattern "^acme-" '
                          "(in the true branch of Fn::If condition IsProd) "
                          "(when parameter Env is prod)"),
        ("error", 14, 37, "20 is greater than the maximum 10 "
                          "(in the false branch of Fn::If condition IsProd) "
                          "(when parameter Env is not prod)"),
    ], found


def list_note(name, line, column):
    # Only some lists of a list parameter are checked, so the resource also
    # gets an unverified finding that names the parameter.
    return ("warning", line, column,
            "list parameter %s can be any list of its AllowedValues, and only each item "
            "alone, its Default, all items and all items twice were checked: pass "
            "--parameter %s=LIST to check the list a deployment uses" % (name, name))


def test_list_parameter_checks_each_item():
    # A list parameter takes each allowed item as a one-item list.
    found = findings("""Parameters:
  Names: {Type: CommaDelimitedList, Default: "acme-a", AllowedValues: [acme-a, bad]}
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Select [0, !Ref Names]
""")
    assert found == [list_note("Names", 7, 7),
                     ("error", 7, 30, '"bad" does not match the pattern "^acme-" '
                                      "(when parameter Names is bad)")], found


GROUPS_POLICY = write("instance.gate", """type AWS::EC2::Instance {
    ImageId pattern "^ami-[0-9]+$"
    SecurityGroupIds items ..1 because "one security group per instance"
}
""")


def group_findings(template, *options, expect=1, policy=GROUPS_POLICY):
    path = write("instance.yaml", template)
    command = [cfgate, "check", "--policy", policy, "--schemas", schemas,
               "--format", "json", *options, path]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == expect, (result.returncode, result.stdout, result.stderr)
    report = json.loads(result.stdout)
    return [(f["level"], f["line"], f["column"], f["message"])
            for t in report["templates"] for r in t["resources"] for f in r["findings"]]


GROUPS = """Parameters:
  Sgs:
    Type: List<AWS::EC2::SecurityGroup::Id>
    Default: DEFAULT
    AllowedValues: [sg-1, sg-2, sg-3]
Resources:
  I:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: ami-1
      SecurityGroupIds: !Ref Sgs
"""


def test_list_parameter_default_and_all_items_checked():
    # Each item alone fits the count limit, but the Default as deployed
    # and the list of all allowed items do not.
    found = group_findings(GROUPS.replace("DEFAULT", '"sg-1,sg-2"'))
    assert found == [
        list_note("Sgs", 10, 7),
        ("error", 11, 25, "array has 2 items, more than the maximum 1 "
                          "(when parameter Sgs is sg-1,sg-2)"),
        ("error", 11, 25, "array has 3 items, more than the maximum 1 "
                          "(when parameter Sgs is sg-1,sg-2,sg-3)"),
        ("error", 11, 25, "array has 6 items, more than the maximum 1 "
                          "(when parameter Sgs is sg-1,sg-2,sg-3,sg-1,sg-2,sg-3)"),
    ], found


def test_list_parameter_without_default_checks_all_items():
    found = group_findings(GROUPS.replace("    Default: DEFAULT\n", ""))
    assert found == [
        list_note("Sgs", 9, 7),
        ("error", 10, 25, "array has 3 items, more than the maximum 1 "
                          "(when parameter Sgs is sg-1,sg-2,sg-3)"),
        ("error", 10, 25, "array has 6 items, more than the maximum 1 "
                          "(when parameter Sgs is sg-1,sg-2,sg-3,sg-1,sg-2,sg-3)"),
    ], found


def test_list_parameter_option_names_the_bad_item():
    found = group_findings(GROUPS.replace("DEFAULT", "sg-1"), "--parameter", "Sgs=sg-1,sg-9")
    assert found == [("error", 11, 25, "--parameter Sgs=sg-1,sg-9: item 'sg-9' is not one of "
                                       "the parameter's AllowedValues")], found


def test_list_parameter_condition_keeps_resource():
    # Join of a two-item list equals "acme-a,bad" only for that order, which
    # no checked list has, so the resource counts as created and is
    # unverified instead of skipped.
    report = run("""Parameters:
  L: {Type: CommaDelimitedList, AllowedValues: [bad, acme-a]}
Conditions:
  Hit: !Equals [!Join [",", !Ref L], "acme-a,bad"]
Resources:
  Q:
    Type: AWS::SQS::Queue
    Condition: Hit
    Properties:
      QueueName: wrong-name
""", expect=0)
    assert summary(report)["skipped"] == 0, report
    resource = report["templates"][0]["resources"][0]
    assert resource["status"] == "unverified", resource
    messages = [f["message"] for f in resource["findings"]]
    assert messages == [list_note("L", 10, 7)[3]], messages


def test_list_parameter_repeated_items_checked():
    # Each list without repeats is unique, but a deployment may repeat an
    # item, as the list of all allowed items twice over does.
    policy = write("unique.gate", """type AWS::EC2::Instance {
    ImageId
    SecurityGroupIds unique because "each group once"
}
""")
    findings = group_findings(GROUPS.replace("    Default: DEFAULT\n", ""), policy=policy)
    found = [message for _, _, _, message in findings]
    assert found == [list_note("Sgs", 0, 0)[3],
                     "items 0 and 3 are equal "
                     "(when parameter Sgs is sg-1,sg-2,sg-3,sg-1,sg-2,sg-3)"], found


def test_list_parameter_default_equal_to_all_items():
    # The Default is the list of all items, so it is validated once.
    template = GROUPS.replace("DEFAULT", '"sg-1,sg-2,sg-3"')
    found = group_findings(template)
    assert found == [
        list_note("Sgs", 10, 7),
        ("error", 11, 25, "array has 3 items, more than the maximum 1 "
                          "(when parameter Sgs is sg-1,sg-2,sg-3)"),
        ("error", 11, 25, "array has 6 items, more than the maximum 1 "
                          "(when parameter Sgs is sg-1,sg-2,sg-3,sg-1,sg-2,sg-3)"),
    ], found
    found = group_findings(template, "--parameter", "Sgs=sg-2", expect=0)
    assert found == [], found


def test_list_parameter_members_trimmed():
    # CloudFormation removes the spaces around each member of a list value,
    # so "sg-1, sg-1" repeats an item and "sg-1, sg-2" has allowed items only.
    policy = write("unique.gate", """type AWS::EC2::Instance {
    ImageId
    SecurityGroupIds unique items ..5 because "each group once"
    SecurityGroupIds[] in ["sg-1", "sg-2"]
}
""")
    template = GROUPS.replace("DEFAULT", '"sg-1 , sg-2"')
    found = group_findings(template, "--parameter", "Sgs=sg-1, sg-1", policy=policy)
    assert found == [("error", 11, 25, "items 0 and 1 are equal")], found
    found = group_findings(template, "--parameter", "Sgs= sg-1,  sg-2 ", policy=policy, expect=0)
    assert found == [], found
    found = group_findings(template, "--parameter", "Sgs=sg-1, sg-9", policy=policy)
    assert found == [("error", 11, 25, "--parameter Sgs=sg-1, sg-9: item 'sg-9' is not one of "
                                       "the parameter's AllowedValues")], found
    # The Default as deployed is ["sg-1", "sg-2"], whose items are allowed.
    policy = write("members.gate", """type AWS::EC2::Instance {
    ImageId
    SecurityGroupIds[] in ["sg-1", "sg-2"]
}
""")
    found = group_findings(template.replace(", sg-3]", "]"), policy=policy, expect=0)
    assert found == [list_note("Sgs", 10, 7)], found


def test_list_parameter_items_joined():
    # A finding that needs two items together: each image id alone matches.
    found = group_findings("""Parameters:
  Ids: {Type: CommaDelimitedList, AllowedValues: [ami-1, ami-2]}
Resources:
  I:
    Type: AWS::EC2::Instance
    Properties:
      ImageId: !Join [",", !Ref Ids]
""")
    assert found == [
        list_note("Ids", 7, 7),
        ("error", 7, 16, '"ami-1,ami-2" does not match the pattern "^ami-[0-9]+$" '
                         "(when parameter Ids is ami-1,ami-2)"),
        ("error", 7, 16, '"ami-1,ami-2,ami-1,ami-2" does not match the pattern "^ami-[0-9]+$" '
                         "(when parameter Ids is ami-1,ami-2,ami-1,ami-2)"),
    ], found


def test_foreach_in_properties_is_unsupported():
    found = findings("""Transform: AWS::LanguageExtensions
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: acme-a
      Fn::ForEach::Tags:
        - K
        - [a, b]
        - ${K}: x
""")
    assert found == [("error", 7, 7, "Fn::ForEach expands at deployment "
                                     "(AWS::LanguageExtensions): check the processed "
                                     "template")], found


def test_foreach_as_attribute_is_unsupported():
    report = run("""Transform: AWS::LanguageExtensions
Resources:
  Q:
    Type: AWS::SQS::Queue
    Fn::ForEach::Extra: [K, [a], {}]
    Properties:
      QueueName: acme-a
""")
    resource = report["templates"][0]["resources"][0]
    found = [(f["level"], f["ruleId"], f["line"], f["column"]) for f in resource["findings"]]
    assert found == [("error", "cfgate/foreach", 5, 5)], found


def test_transform_key_of_resources():
    report = run("""Resources:
  A:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: acme-a
  Fn::Transform:
    Name: AWS::Include
    Parameters: {Location: "s3://bucket/part.yaml"}
  B:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: acme-b
""")
    template = report["templates"][0]
    found = [(f["level"], f["ruleId"], f["line"], f["column"], f["message"])
             for f in template["findings"]]
    assert found == [("error", "cfgate/transform", 6, 3,
                      "Fn::Transform in Resources runs a macro at deployment that can add or "
                      "change any resource: check the processed template (aws cloudformation "
                      "get-template --template-stage Processed)")], found
    marked = [(r["logicalId"], r["status"], f["ruleId"], f["line"], f["column"], f["message"])
              for r in template["resources"] for f in r["findings"]]
    note = ("Fn::Transform in Resources can change this resource at deployment: check the "
            "processed template")
    assert marked == [("A", "violation", "cfgate/transform", 6, 3, note),
                      ("B", "violation", "cfgate/transform", 6, 3, note)], marked
    assert summary(report)["resources"] == 2, report
    assert summary(report)["violations"] == 2, report


for name, test in list(globals().items()):
    if name.startswith("test_"):
        test()
print("parameter values checked")
