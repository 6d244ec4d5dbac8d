"""Runs cfgate check on templates that put secrets where CHECK.md ("Hidden
values") hides them, and searches the whole output of every format for the
secret text. The places are intrinsic function errors in Conditions on
values derived from a NoEcho parameter, values written as YAML tags and
parse errors under a write-only property or in a NoEcho Default or
AllowedValues, short hidden values that are also part of the policy's
patterns, the known start of an unknown value under write-only
properties, the values of parameters and YAML aliases that reuse write-only
text, and one template with a secret in every place that CHECK.md
lists.

usage: check_secret_sweep.py CFGATE SCHEMAS
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
write = scratch_writer("cfgate-secret-sweep-")

POLICY_PATH = write("policy.gate", """type AWS::SQS::Queue {
    QueueName      pattern "^q-[a-z]+$"
    KmsMasterKeyId required
    DelaySeconds   range 0..10
}
type AWS::RDS::DBInstance {
    DBInstanceClass
    MasterUserPassword  length 16..20  pattern "^[A-Z][-.a-z]+$"
}
""")

FORMATS = ("text", "json", "sarif", "junit")


def check(path, fmt, parameters=()):
    command = [cfgate, "check", "--policy", POLICY_PATH, "--schemas", schemas, "--format", fmt]
    for parameter in parameters:
        command += ["--parameter", parameter]
    result = subprocess.run(command + [path], capture_output=True, text=True, timeout=120)
    return result.returncode, result.stdout, result.stderr


def assert_hidden(path, secrets, status, parameters=()):
    """Asserts that no format shows any of secrets, on stdout or stderr, and
    that each exits with status."""
    for fmt in FORMATS:
        code, out, err = check(path, fmt, parameters)
        assert code == status, (fmt, code, out, err)
        for secret in secrets:
            assert secret not in out, (fmt, secret, out)
            assert secret not in err, (fmt, secret, err)


def findings(path, parameters=()):
    code, out, err = check(path, "json", parameters)
    report = json.loads(out)
    return [(r["logicalId"], f["line"], f["column"], f["message"])
            for t in report["templates"] for r in t["resources"] for f in r["findings"]]


def json_findings(path, parameters=()):
    code, out, err = check(path, "json", parameters)
    report = json.loads(out)
    return [dict(f, logicalId=r["logicalId"])
            for t in report["templates"] for r in t["resources"] for f in r["findings"]]


# Each condition derives text from the NoEcho parameter with Fn::Split and
# Fn::Select, and an intrinsic function's error there would quote it or
# tell something about it (how many parts the split has).
CONDITIONS = write("conditions.yaml", """Parameters:
  Pw:
    Type: String
    NoEcho: true
    AllowedValues: [Hunter2Alpha-Zulu9Bravo-10.0.0.0/33, k]
Mappings:
  M:
    k: {v: x}
  Names:
    Hunter2Alpha: {v: [x, y]}
    k: {v: {a: b}}
Conditions:
  FindInMap: !Equals [!FindInMap [M, !Select [0, !Split ["-", !Ref Pw]], v], x]
  Select: !Equals [!Select [5, !Split ["-", !Ref Pw]], x]
  Cidr: !Equals [!Select [0, !Cidr [!Select [2, !Split ["-", !Ref Pw]], 2, 8]], x]
  Index: !Equals [!Select [!Select [1, !Split ["-", !Ref Pw]], [a]], x]
  GetAZs: !Equals [!Select [0, {"Fn::GetAZs": !Select [1, !Split ["-", !Ref Pw]]}], x]
  Mapped: !Equals [!Join ["", [!FindInMap [Names, !Select [0, !Split ["-", !Ref Pw]], v]]], x]
  Either: !Or [{Condition: Select}, {Condition: Cidr}]
Resources:
  A: {Type: AWS::SQS::Queue, Condition: FindInMap, Properties: {KmsMasterKeyId: k}}
  B: {Type: AWS::SQS::Queue, Condition: Select, Properties: {KmsMasterKeyId: k}}
  C: {Type: AWS::SQS::Queue, Condition: Cidr, Properties: {KmsMasterKeyId: k}}
  D: {Type: AWS::SQS::Queue, Condition: Index, Properties: {KmsMasterKeyId: k}}
  E: {Type: AWS::SQS::Queue, Condition: GetAZs, Properties: {KmsMasterKeyId: k}}
  F: {Type: AWS::SQS::Queue, Condition: Mapped, Properties: {KmsMasterKeyId: k}}
  G: {Type: AWS::SQS::Queue, Properties: {KmsMasterKeyId: !If [Either, k, !Ref AWS::NoValue]}}
  H: {Type: AWS::SQS::Queue, Properties: {KmsMasterKeyId: !If [FindInMap, k, l]}}
Outputs:
  Out:
    Value: !FindInMap [M, !Select [0, !Split ["-", !Ref Pw]], v]
Rules:
  Rule:
    RuleCondition: !Equals [!Select [0, !Split ["-", !Ref Pw]], x]
    Assertions:
      - Assert: !Equals [!Select [9, !Split ["-", !Ref Pw]], x]
""")

CONDITION_SECRETS = ("Hunter2Alpha", "Zulu9Bravo", "10.0.0.0", "/33")


def test_condition_errors_hidden():
    assert_hidden(CONDITIONS, CONDITION_SECRETS, 1)
    assert_hidden(CONDITIONS, CONDITION_SECRETS, 1, ["Pw=Hunter2Alpha-Zulu9Bravo-10.0.0.0/33"])


def test_condition_errors_named():
    found = findings(CONDITIONS)
    messages = {(logical_id, message) for logical_id, line, column, message in found}
    hidden = " failed on a value derived from a NoEcho parameter (value hidden: NoEcho parameter Pw)"
    assert ("A", "Fn::FindInMap" + hidden) in messages, found
    assert ("B", "Fn::Select" + hidden) in messages, found
    assert ("C", "Fn::Cidr" + hidden) in messages, found
    assert ("D", "Fn::Select" + hidden) in messages, found
    assert ("F", "Fn::Join" + hidden) in messages, found
    assert ("G", "Fn::Select" + hidden) in messages, found
    assert ("H", "Fn::FindInMap" + hidden) in messages, found


def test_condition_errors_at_condition():
    """Each error is reported at the value of the condition that contains
    it, also one on the Mappings value that the secret picked (F)."""
    expected = {"A": (13, 14), "B": (14, 11), "C": (15, 9), "D": (16, 10), "F": (18, 11),
                "G": (14, 11), "H": (13, 14)}
    found = findings(CONDITIONS)
    for logical_id, line, column, message in found:
        if logical_id in expected:
            assert (line, column) == expected[logical_id], (logical_id, line, column, message)
    assert {logical_id for logical_id, *rest in found} >= set(expected), found


# Passwords that start with "!" are YAML tags that are not functions.
TAGS = write("tags.yaml", """Parameters:
  DbPass:
    Type: String
    NoEcho: true
    Default: !Xk9Sup3rPass
  Listed:
    Type: String
    NoEcho: true
    AllowedValues: [!Ww4Sup3rItem, plain]
Resources:
  A:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceClass: db.t3.micro
      MasterUserPassword: !Qq7Sup3rS3cret
  B:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceClass: db.t3.micro
      MasterUserPassword: !Ref DbPass
  C:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceClass: db.t3.micro
      MasterUserPassword: !Sub
        - "${X}"
        - X: !Zz1Sup3rS3cret
  D:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceClass: db.t3.micro
      MasterUserPassword: !Ref Listed
""")

# The same with the write-only tag first, which the template-level finding
# quotes, and a write-only tag in a resource that a false Condition skips.
WRITE_ONLY_TAG_FIRST = write("write-only-tag-first.yaml", """Resources:
  A:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceClass: db.t3.micro
      MasterUserPassword: !Qq7Sup3rS3cret
  B:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceClass: !VisibleTag x
""")

SKIPPED_TAG = write("skipped-tag.yaml", """Conditions:
  Never: !Equals [a, b]
Resources:
  A:
    Type: AWS::RDS::DBInstance
    Condition: Never
    Properties:
      DBInstanceClass: db.t3.micro
      MasterUserPassword: !Qq7Sup3rS3cret
  B:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceClass: db.t3.micro
      MasterUserPassword: !Zz1Sup3rS3cret
      Fn::ForEach::Names: [N, [a], {}]
""")

TAG_SECRETS = ("Xk9Sup3rPass", "Ww4Sup3rItem", "Qq7Sup3rS3cret", "Zz1Sup3rS3cret")


def test_tags_hidden():
    assert_hidden(TAGS, TAG_SECRETS, 1)
    assert_hidden(WRITE_ONLY_TAG_FIRST, TAG_SECRETS, 1)
    assert_hidden(SKIPPED_TAG, TAG_SECRETS, 1)


def test_tag_findings_kept():
    code, out, err = check(WRITE_ONLY_TAG_FIRST, "json")
    template = json.loads(out)["templates"][0]
    messages = [f["message"] for f in template["findings"]]
    assert messages == ["CloudFormation rejects the template as written: YAML tag **** is not a "
                        "CloudFormation function; check the template after the tool that defines "
                        "it has processed it (value hidden: write-only property "
                        "MasterUserPassword)"], messages
    found = {(r["logicalId"], f["pointer"]): f["message"]
             for r in template["resources"] for f in r["findings"]}
    assert "YAML tag **** is not" in found[("A", "/MasterUserPassword")], found
    assert "YAML tag !VisibleTag is not" in found[("B", "/DBInstanceClass")], found


def test_tag_in_parameter_default_hidden():
    found = {(logical_id, message) for logical_id, line, column, message in findings(TAGS)}
    assert any(logical_id == "B" and "YAML tag **** is not" in message and
               "(value hidden: NoEcho parameter DbPass)" in message
               for logical_id, message in found), found


# Values that cannot be read make the template unparseable. The parse error
# names the position and the problem, and hides the value it quotes.
PARSE_ERRORS = [
    ("int.yaml", """Resources:
  A:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceClass: db.t3.micro
      MasterUserPassword: !!int Sup3rS3cretPassw0rd
""", "Sup3rS3cretPassw0rd", (6, 27),
     "'****' is not a valid !!int value: write it as a JSON integer "
     "(value hidden: write-only property MasterUserPassword)"),
    ("get-att.yaml", """Resources:
  A:
    Type: AWS::RDS::DBInstance
    Properties:
      MasterUserPassword: !Join ["", [x, !GetAtt Sup3rS3cretPassw0rd]]
""", "Sup3rS3cretPassw0rd", (5, 42),
     "invalid !GetAtt '****': expected LogicalId.Attribute "
     "(value hidden: write-only property MasterUserPassword)"),
    ("core-tag.yaml", """Parameters:
  DbPass:
    Type: String
    NoEcho: true
    Default: !!Yy5Sup3rPass
Resources:
  A: {Type: AWS::RDS::DBInstance, Properties: {DBInstanceClass: db.t3.micro}}
""", "Yy5Sup3rPass", (5, 14),
     "YAML tag **** is not supported: only the YAML 1.2 core tags !!str, !!int, !!float, "
     "!!bool, !!null, !!seq and !!map are read (value hidden: NoEcho parameter DbPass)"),
    ("allowed.yaml", """Parameters:
  DbPass:
    Type: String
    NoEcho: "yes"
    AllowedValues: [ok, !!float Sup3rAllowed9]
Resources:
  A: {Type: AWS::RDS::DBInstance, Properties: {DBInstanceClass: db.t3.micro}}
""", "Sup3rAllowed9", (5, 25),
     "'****' is not a valid !!float value: write it as a JSON number "
     "(value hidden: NoEcho parameter DbPass)"),
    ("verbatim.yaml", """Resources:
  A:
    Type: AWS::RDS::DBInstance
    Properties:
      MasterUserPassword: !<tag:Sup3rVerbatim> x
""", "Sup3rVerbatim", (5, 27),
     "unknown tag '****' (value hidden: write-only property MasterUserPassword)"),
]


def parse_error(path):
    code, out, err = check(path, "json")
    template = json.loads(out)["templates"][0]
    assert not template["parsed"], template
    error = template["error"]
    return code, (error["line"], error["column"]), error["message"]


def test_parse_errors_hidden():
    for name, text, secret, position, message in PARSE_ERRORS:
        path = write(name, text)
        assert_hidden(path, (secret,), 2)
        assert parse_error(path) == (2, position, message), (name, parse_error(path))


def test_parse_errors_elsewhere_shown():
    """A value that no report hides is quoted in full."""
    path = write("visible.yaml", """Parameters:
  P:
    Type: String
    NoEcho: FALSE
    Default: !!int VisibleDefault
Resources:
  A: {Type: AWS::RDS::DBInstance, Properties: {DBInstanceClass: x}}
""")
    assert parse_error(path) == (2, (5, 14), "'VisibleDefault' is not a valid !!int value: "
                                 "write it as a JSON integer"), parse_error(path)
    path = write("visible-property.yaml", """Resources:
  A:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceClass: !!int VisibleClass
""")
    assert "'VisibleClass'" in parse_error(path)[2], parse_error(path)
    path = write("visible-list.yaml", """Resources:
  A: {Type: AWS::RDS::DBInstance, Properties: {DBInstanceClass: x}}
Outputs: [!!int VisibleInList]
""")
    assert parse_error(path)[2] == ("'VisibleInList' is not a valid !!int value: write it as a "
                                    "JSON integer"), parse_error(path)


# Short values that are also parts of the policy's patterns. They are a
# value that Fn::Select picks with a NoEcho index, parts that Fn::Split cuts
# from a NoEcho value (also the known start of an unknown value), NoEcho
# values themselves, and a write-only value.
SHORT_VALUES = write("short-values.yaml", """Transform: AWS::LanguageExtensions
Parameters:
  Index:
    Type: String
    NoEcho: true
  Pw:
    Type: String
    NoEcho: true
    AllowedValues: [a-z, q-]
Resources:
  Other: {Type: AWS::SQS::Queue, Properties: {KmsMasterKeyId: k}}
  Picked: {Type: AWS::SQS::Queue, Properties: {KmsMasterKeyId: k, QueueName: !Select [!Ref Index, [a, z]]}}
  Split: {Type: AWS::SQS::Queue, Properties: {KmsMasterKeyId: k, QueueName: !Select [0, !Split ["-", !Ref Pw]]}}
  Start: {Type: AWS::SQS::Queue, Properties: {KmsMasterKeyId: k, QueueName: !Join ["", [!Select [0, !Split ["-", !Ref Pw]], !GetAtt Other.Arn]]}}
  Whole: {Type: AWS::SQS::Queue, Properties: {KmsMasterKeyId: k, QueueName: !Ref Pw}}
  Db: {Type: AWS::RDS::DBInstance, Properties: {DBInstanceClass: x, MasterUserPassword: "-"}}
""")


def test_short_values_keep_pattern():
    patterns = {"/QueueName": '"^q-[a-z]+$"', "/MasterUserPassword": '"^[A-Z][-.a-z]+$"'}
    found = [f for f in json_findings(SHORT_VALUES)
             if f["keyword"] == "pattern" and f["kind"] == "violation"]
    by_resource = {f["logicalId"] for f in found}
    assert by_resource == {"Picked", "Split", "Start", "Whole", "Db"}, found
    for finding in found:
        message = finding["message"]
        assert "the pattern " + patterns[finding["pointer"]] in message, finding
        assert '"****"' in message, finding


def test_short_values_hidden():
    for fmt in FORMATS:
        code, out, err = check(SHORT_VALUES, fmt)
        assert code == 1, (fmt, code, out, err)
        assert '"a"' not in out and '"z"' not in out and '"q"' not in out, (fmt, out)
        assert '"-"' not in out and "'a-z'" not in out, (fmt, out)


# The known start of an unknown value under write-only properties, in every
# form whose finding quotes it. The start is too long for maxLength, matches
# no enum value or const, or fails the pattern. One start is longer than the
# 64 bytes that a message quotes, and two are text before a dynamic
# reference or an Fn::Join part.
PREFIX_POLICY_PATH = write("prefix-policy.gate", """type AWS::RDS::DBInstance {
    DBInstanceClass
    MasterUserPassword     length ..8
    TdeCredentialPassword  in ["alpha", "beta"]
    SourceRegion           = "us-east-1"
    DBSnapshotIdentifier   pattern "^[A-Z]"
}
""")

WRITE_ONLY_PREFIXES = write("write-only-prefixes.yaml", """Resources:
  Other: {Type: AWS::SQS::Queue, Properties: {KmsMasterKeyId: k}}
  Long: {Type: AWS::RDS::DBInstance, Properties: {DBInstanceClass: x, MasterUserPassword: !Sub "Pfx1Sekrit-${AWS::StackName}"}}
  Enum: {Type: AWS::RDS::DBInstance, Properties: {DBInstanceClass: x, TdeCredentialPassword: !Sub "Pfx2Sekrit-${AWS::StackName}"}}
  Const: {Type: AWS::RDS::DBInstance, Properties: {DBInstanceClass: x, SourceRegion: !Sub "Pfx3Sekrit-${AWS::StackName}"}}
  Pattern: {Type: AWS::RDS::DBInstance, Properties: {DBInstanceClass: x, DBSnapshotIdentifier: !Sub "pfx4Sekrit-${AWS::StackName}"}}
  Dynamic: {Type: AWS::RDS::DBInstance, Properties: {DBInstanceClass: x, DBSnapshotIdentifier: "pfx5Sekrit{{resolve:ssm:/p}}"}}
  Joined: {Type: AWS::RDS::DBInstance, Properties: {DBInstanceClass: x, DBSnapshotIdentifier: !Join ["", [pfx6Sekrit, !GetAtt Other.Arn]]}}
  Cut: {Type: AWS::RDS::DBInstance, Properties: {DBInstanceClass: x, MasterUserPassword: !Sub "Pfx7Sekrit0123456789012345678901234567890123456789012345678901234567890123456789-${AWS::StackName}"}}
""")

WRITE_ONLY_PREFIX_SECRETS = ("Pfx1Sekrit", "Pfx2Sekrit", "Pfx3Sekrit", "pfx4Sekrit",
                             "pfx5Sekrit", "pfx6Sekrit", "Pfx7Sekrit", "Sekrit")


def check_prefixes(fmt):
    command = [cfgate, "check", "--policy", PREFIX_POLICY_PATH, "--schemas", schemas,
               "--format", fmt, WRITE_ONLY_PREFIXES]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    return result.returncode, result.stdout, result.stderr


def test_write_only_prefixes_hidden():
    for fmt in FORMATS:
        code, out, err = check_prefixes(fmt)
        assert code == 1, (fmt, code, out, err)
        for secret in WRITE_ONLY_PREFIX_SECRETS:
            assert secret not in out, (fmt, secret, out)
            assert secret not in err, (fmt, secret, err)


def test_write_only_prefix_findings_kept():
    code, out, err = check_prefixes("json")
    found = {(r["logicalId"], f["pointer"]): (f["kind"], f["message"])
             for t in json.loads(out)["templates"] for r in t["resources"] for f in r["findings"]}
    expected = {
        ("Long", "/MasterUserPassword"): 'which is already longer than the maxLength 8',
        ("Enum", "/TdeCredentialPassword"): 'which no allowed value does',
        ("Const", "/SourceRegion"): 'which the required constant does not',
        ("Pattern", "/DBSnapshotIdentifier"): 'so it cannot match the pattern "^[A-Z]"',
        ("Dynamic", "/DBSnapshotIdentifier"): 'so it cannot match the pattern "^[A-Z]"',
        ("Joined", "/DBSnapshotIdentifier"): 'so it cannot match the pattern "^[A-Z]"',
        ("Cut", "/MasterUserPassword"): 'which is already longer than the maxLength 8',
    }
    for key, reason in expected.items():
        assert key in found, (key, found)
        kind, message = found[key]
        property_name = key[1][1:]
        assert kind == "violation", (key, kind, message)
        assert message.startswith('the value starts with "****", ' + reason), (key, message)
        assert message.count("(value hidden: write-only property %s)" % property_name) == 1, (
            key, message)


# Parameters without NoEcho that write-only properties read. Their checks
# quote a --parameter value that breaks MinLength or AllowedPattern, the
# reason of an unknown value quotes a Default, and the template-level check
# of a Default quotes it too.
WRITE_ONLY_PARAMETERS = write("write-only-parameters.yaml", """Parameters:
  Short: {Type: String, MinLength: 30}
  Digits: {Type: String, AllowedPattern: "[0-9]+"}
  Defaulted: {Type: String, Default: Prm3Sekrit}
  TooShort: {Type: String, Default: Prm4Sekrit, MinLength: 30}
  Listed: {Type: CommaDelimitedList, Default: "Prm5Sekrit,Prm6Sekrit"}
  Allowed: {Type: String, AllowedValues: [Prm7Sekrit, Prm8Sekrit]}
Resources:
  D1: {Type: AWS::RDS::DBInstance, Properties: {DBInstanceClass: x, MasterUserPassword: !Ref Short}}
  D2: {Type: AWS::RDS::DBInstance, Properties: {DBInstanceClass: x, MasterUserPassword: !Sub "${Digits}"}}
  D3: {Type: AWS::RDS::DBInstance, Properties: {DBInstanceClass: x, MasterUserPassword: !Ref Defaulted}}
  D4: {Type: AWS::RDS::DBInstance, Properties: {DBInstanceClass: x, MasterUserPassword: !Ref TooShort}}
  D5: {Type: AWS::RDS::DBInstance, Properties: {DBInstanceClass: x, MasterUserPassword: !Select [0, !Ref Listed]}}
  D6: {Type: AWS::RDS::DBInstance, Properties: {DBInstanceClass: x, MasterUserPassword: !Ref Allowed}}
""")

WRITE_ONLY_PARAMETER_VALUES = ["Short=Prm1Sekrit", "Digits=Prm2Sekrit"]
WRITE_ONLY_PARAMETER_SECRETS = ("Prm1Sekrit", "Prm2Sekrit", "Prm3Sekrit", "Prm4Sekrit",
                                "Prm5Sekrit", "Prm6Sekrit", "Prm7Sekrit", "Prm8Sekrit")


def test_write_only_parameters_hidden():
    assert_hidden(WRITE_ONLY_PARAMETERS, WRITE_ONLY_PARAMETER_SECRETS, 1,
                  WRITE_ONLY_PARAMETER_VALUES)
    assert_hidden(WRITE_ONLY_PARAMETERS, WRITE_ONLY_PARAMETER_SECRETS, 1)


def test_write_only_parameter_findings_kept():
    code, out, err = check(WRITE_ONLY_PARAMETERS, "json", WRITE_ONLY_PARAMETER_VALUES)
    template = json.loads(out)["templates"][0]
    found = {(r["logicalId"], f["message"]) for r in template["resources"] for f in r["findings"]}
    note = " (value hidden: write-only property MasterUserPassword)"
    assert ("D1", "--parameter Short=**** has 10 characters, fewer than the parameter's "
                  "MinLength 30" + note) in found, found
    assert ("D2", "--parameter Digits=**** does not match the parameter's AllowedPattern "
                  "'[0-9]+'" + note) in found, found
    assert any(logical_id == "D3" and "(Default '****'; pass --parameter Defaulted=VALUE" in message
               and message.endswith(note) for logical_id, message in found), found
    assert any(logical_id == "D5" and "(Default '****'; pass --parameter Listed=VALUE" in message
               for logical_id, message in found), found
    messages = [f["message"] for f in template["findings"]]
    assert ("the Default '****' of parameter 'TooShort' has 10 characters, fewer than its "
            "MinLength 30: CloudFormation rejects it" + note) in messages, messages


# YAML aliases that reuse a write-only value in other properties, as a
# whole value and inside Fn::Sub. The value of Early is written before the
# write-only property that reuses it, and is hidden as well.
WRITE_ONLY_ALIASES = write("write-only-aliases.yaml", """Resources:
  Early:
    Type: AWS::SQS::Queue
    Properties: {KmsMasterKeyId: k, QueueName: !Sub ["q-${X}", {X: &early Als1Sekrit}]}
  Db:
    Type: AWS::RDS::DBInstance
    Properties: {DBInstanceClass: x, MasterUserPassword: [&pw Als2Sekrit, *early]}
  Whole:
    Type: AWS::SQS::Queue
    Properties: {KmsMasterKeyId: k, QueueName: *pw}
  InSub:
    Type: AWS::SQS::Queue
    Properties: {KmsMasterKeyId: k, QueueName: !Sub ["q-${X}", {X: *pw}]}
""")


def test_write_only_aliases_hidden():
    assert_hidden(WRITE_ONLY_ALIASES, ("Als1Sekrit", "Als2Sekrit"), 1)
    found = {(logical_id, message) for logical_id, line, column, message in
             findings(WRITE_ONLY_ALIASES)}
    note = " (value hidden: write-only property MasterUserPassword)"
    assert ("Whole", '"****" does not match the pattern "^q-[a-z]+$"' + note) in found, found
    assert ("InSub", '"q-****" does not match the pattern "^q-[a-z]+$"' + note) in found, found
    assert ("Early", '"q-****" does not match the pattern "^q-[a-z]+$"' + note) in found, found


# YAML aliases of a write-only Fn::Sub, Fn::Join or dynamic reference in
# other resources. Their findings quote the known start of the value, or
# the reference alone, never the whole text.
COMPUTED_ALIASES = write("computed-aliases.yaml", """Resources:
  DbSub:
    Type: AWS::RDS::DBInstance
    Properties: {DBInstanceClass: x, MasterUserPassword: &pw !Sub "SubSekrit-${AWS::StackName}"}
  InJoin:
    Type: AWS::SQS::Queue
    Properties: {KmsMasterKeyId: k, QueueName: !Join ["", [*pw, x]]}
  DbJoin:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceClass: x
      MasterUserPassword: &pj !Join ["", [JoinSekrit-, !Ref AWS::StackName]]
  WholeJoin:
    Type: AWS::SQS::Queue
    Properties: {KmsMasterKeyId: k, QueueName: *pj}
  DbDynamic:
    Type: AWS::RDS::DBInstance
    Properties: {DBInstanceClass: x, MasterUserPassword: &pd "DynSekrit-{{resolve:ssm:/DynPath}}"}
  WholeDynamic:
    Type: AWS::SQS::Queue
    Properties: {KmsMasterKeyId: k, QueueName: *pd}
""")


def test_computed_aliases_hidden():
    assert_hidden(COMPUTED_ALIASES, ("SubSekrit", "JoinSekrit", "DynSekrit", "DynPath"), 1)
    found = {(logical_id, message) for logical_id, line, column, message in
             findings(COMPUTED_ALIASES)}
    note = " (value hidden: write-only property MasterUserPassword)"
    stack_name = " (AWS::StackName is not given (pass --stack-name))"
    starts = 'the value starts with "****", so it cannot match the pattern "^q-[a-z]+$"'
    assert ("InJoin", starts + stack_name + note) in found, found
    assert ("WholeJoin", starts + stack_name + note) in found, found
    assert ("WholeDynamic", starts + " (dynamic reference **** is resolved at deployment)"
            + note) in found, found


# The names that a copied write-only value reads (a pseudo parameter, a
# condition) are not the value, so they stay readable in the copy's
# findings.
NAMES_IN_ALIAS = write("names-in-alias.yaml", """Conditions:
  IsProdStage: !Equals [!Ref "AWS::Region", us-east-1]
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceClass: x
      MasterUserPassword: &pw !If [IsProdStage, !Join ["", [NameSekrit-, !Ref AWS::StackName]], Other-Sekrit]
  Copy:
    Type: AWS::SQS::Queue
    Properties: {KmsMasterKeyId: k, QueueName: *pw}
""")


def test_names_in_alias_visible():
    assert_hidden(NAMES_IN_ALIAS, ("NameSekrit", "Other-Sekrit"), 1)
    found = {(logical_id, message) for logical_id, line, column, message in
             findings(NAMES_IN_ALIAS)}
    note = " (value hidden: write-only property MasterUserPassword)"
    assert ("Copy", 'the value starts with "****", so it cannot match the pattern "^q-[a-z]+$" '
            "(AWS::StackName is not given (pass --stack-name)) (in the true branch of Fn::If "
            "condition IsProdStage)" + note) in found, found


# An Fn::Sub variable is a name, like that of a Ref, so an undefined one
# is named under a write-only property while the text around it is not.
SUB_NAME = write("sub-name.yaml", """Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties: {DBInstanceClass: x, MasterUserPassword: !Sub "SubText9Sekrit-${UndefinedName}"}
""")


def test_sub_variable_name_visible():
    assert_hidden(SUB_NAME, ("SubText9Sekrit",), 1)
    found = {(logical_id, message) for logical_id, line, column, message in findings(SUB_NAME)}
    assert ("Db", "Fn::Sub variable 'UndefinedName', which is not a parameter or resource") \
        in found, found


# Every place that CHECK.md lists, in one template. These are a --parameter
# value, a Default, AllowedValues, list items, Fn::Sub, Fn::ToJsonString,
# Fn::Base64, Fn::Split and Fn::Select, Fn::Length, Fn::FindInMap keyed by
# a derived value, the known start of an unknown value, conditions, YAML
# tags and Outputs. Write-only values are there too, also in an intrinsic
# function's error and as a plain value that YAML readers disagree on.
EVERY_PLACE = write("every-place.yaml", """Transform: AWS::LanguageExtensions
Parameters:
  Given:
    Type: String
    NoEcho: true
  Defaulted:
    Type: String
    NoEcho: "true"
    Default: Dflt7Sekrit
  Listed:
    Type: String
    NoEcho: true
    AllowedValues: [Allw7Sekrit-Part9Sekrit-10.9.0.0/40, Oth3rAllowed]
  Commas:
    Type: CommaDelimitedList
    NoEcho: true
    Default: "Lst1Sekrit, Lst2Sekrit"
  Tagged:
    Type: String
    NoEcho: true
    Default: !Tg5Sekrit
Mappings:
  M:
    Allw7Sekrit: {v: [x, y]}
    k: {v: x}
Conditions:
  C1: !Equals [!FindInMap [M, !Select [0, !Split ["-", !Ref Listed]], v], x]
  C2: !Equals [!Select [7, !Split ["-", !Ref Listed]], x]
  C3: !Equals [!Select [0, !Cidr [!Select [2, !Split ["-", !Ref Listed]], 2, 8]], x]
  C4: !Equals [!Ref Given, Givn3Sekrit]
Resources:
  Other: {Type: AWS::SQS::Queue, Properties: {KmsMasterKeyId: k}}
  Q1: {Type: AWS::SQS::Queue, Properties: {KmsMasterKeyId: k, QueueName: !Ref Given}}
  Q2: {Type: AWS::SQS::Queue, Properties: {KmsMasterKeyId: k, QueueName: !Sub "x-${Defaulted}-y"}}
  Q3: {Type: AWS::SQS::Queue, Properties: {KmsMasterKeyId: k, QueueName: !ToJsonString [!Ref Listed, {a: !Ref Defaulted}]}}
  Q4: {Type: AWS::SQS::Queue, Properties: {KmsMasterKeyId: k, QueueName: {"Fn::Base64": !Ref Defaulted}}}
  Q5: {Type: AWS::SQS::Queue, Properties: {KmsMasterKeyId: k, QueueName: {"Fn::Base64": !Sub "longer text ${Listed} around"}}}
  Q6: {Type: AWS::SQS::Queue, Properties: {KmsMasterKeyId: k, QueueName: !Select [1, !Split ["-", !Ref Listed]]}}
  Q7: {Type: AWS::SQS::Queue, Properties: {KmsMasterKeyId: k, QueueName: !Join [",", !Ref Commas]}}
  Q8: {Type: AWS::SQS::Queue, Properties: {KmsMasterKeyId: k, QueueName: !Select [0, !Ref Commas]}}
  Q9: {Type: AWS::SQS::Queue, Properties: {KmsMasterKeyId: k, QueueName: !FindInMap [M, !Select [0, !Split ["-", !Ref Listed]], v]}}
  Q10: {Type: AWS::SQS::Queue, Properties: {KmsMasterKeyId: k, QueueName: !Ref Tagged}}
  Q11: {Type: AWS::SQS::Queue, Condition: C1, Properties: {KmsMasterKeyId: k}}
  Q12: {Type: AWS::SQS::Queue, Condition: C2, Properties: {KmsMasterKeyId: k}}
  Q13: {Type: AWS::SQS::Queue, Properties: {KmsMasterKeyId: !If [C3, k, l], QueueName: !If [C4, q-a, q-b]}}
  Q14: {Type: AWS::SQS::Queue, Properties: {KmsMasterKeyId: k, QueueName: {"Fn::Length": !Split ["-", !Ref Listed]}}}
  Q15: {Type: AWS::SQS::Queue, Properties: {KmsMasterKeyId: k, QueueName: !Join ["", [!Select [0, !Split ["-", !Ref Listed]], !GetAtt Other.Arn]]}}
  D1: {Type: AWS::RDS::DBInstance, Properties: {DBInstanceClass: x, MasterUserPassword: Wrt1Sekrit}}
  D2: {Type: AWS::RDS::DBInstance, Properties: {DBInstanceClass: x, MasterUserPassword: !Sub "Wrt2Sekrit${Unterminated"}}
  D3: {Type: AWS::RDS::DBInstance, Properties: {DBInstanceClass: x, MasterUserPassword: 0x0DDBA11CAFE}}
  D4: {Type: AWS::RDS::DBInstance, Properties: {DBInstanceClass: x, MasterUserPassword: !Join ["", [Wrt4Sekrit, !Select [3, [a]]]]}}
  D5: {Type: AWS::RDS::DBInstance, Properties: {DBInstanceClass: x, MasterUserPassword: !Ref Listed}}
  D6:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceClass: x
      MasterUserPassword: !Wrt6Sekrit
Outputs:
  O1: {Value: !Ref Given}
  O2: {Value: !FindInMap [M, !Select [0, !Split ["-", !Ref Listed]], v]}
""")

EVERY_PLACE_SECRETS = (
    "Givn3Sekrit", "Dflt7Sekrit", "Allw7Sekrit", "Part9Sekrit", "10.9.0.0", "/40", "Oth3rAllowed",
    "Lst1Sekrit", "Lst2Sekrit", "Tg5Sekrit", "Wrt1Sekrit", "Wrt2Sekrit", "0x0DDBA11CAFE",
    "Wrt4Sekrit", "Wrt6Sekrit",
    "RGZsdDdTZWtyaXQ",  # Base64 of Dflt7Sekrit
)


def test_every_place_hidden():
    assert_hidden(EVERY_PLACE, EVERY_PLACE_SECRETS, 1)
    assert_hidden(EVERY_PLACE, EVERY_PLACE_SECRETS, 1, ["Given=Givn3Sekrit"])


def test_every_place_findings_kept():
    found = findings(EVERY_PLACE, ["Given=Givn3Sekrit"])
    resources = {logical_id for logical_id, line, column, message in found}
    assert {"Q%d" % i for i in range(1, 16)} <= resources, resources
    assert {"D%d" % i for i in range(1, 7)} <= resources, resources
    assert all("****" in message or "Sekrit" not in message for *rest, message in found), found


# Write-only values of every kind the runtime quotes (number, boolean, a
# long value it cuts, escapes), and numbers derived from a NoEcho value.
QUOTED_FORMS = write("quoted-forms.yaml", """Transform: AWS::LanguageExtensions
Parameters:
  Listed:
    Type: String
    NoEcho: true
    AllowedValues: [a-b-c-d-e-f-g-h-i-j-k-l-m, x]
Resources:
  D1: {Type: AWS::RDS::DBInstance, Properties: {DBInstanceClass: x, MasterUserPassword: 98765}}
  D2: {Type: AWS::RDS::DBInstance, Properties: {DBInstanceClass: x, MasterUserPassword: [Sup3rArr1, x]}}
  D3: {Type: AWS::RDS::DBInstance, Properties: {DBInstanceClass: x, MasterUserPassword: {k: Sup3rObj1}}}
  D4: {Type: AWS::RDS::DBInstance, Properties: {DBInstanceClass: x, MasterUserPassword: "Sup3rLong0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890"}}
  D5: {Type: AWS::RDS::DBInstance, Properties: {DBInstanceClass: x, MasterUserPassword: "Sup\\"3r\\\\Pw\\tz"}}
  D6: {Type: AWS::RDS::DBInstance, Properties: {DBInstanceClass: x, MasterUserPassword: true}}
  D7: {Type: AWS::RDS::DBInstance, Properties: {DBInstanceClass: x, MasterUserPassword: 1.5e3}}
  Q1: {Type: AWS::SQS::Queue, Properties: {KmsMasterKeyId: k, DelaySeconds: {"Fn::Length": !Split ["-", !Ref Listed]}}}
  Q2: {Type: AWS::SQS::Queue, Properties: {KmsMasterKeyId: k, DelaySeconds: !Select [0, !Split ["-", !Sub "${Listed}-1"]]}}
""")


def test_quoted_forms_hidden():
    assert_hidden(QUOTED_FORMS, ("Sup3r", "98765", "Sup", "3r", "Pw", "1500", "1.5e3"), 1)


# Numbers that CloudFormation may write as other text become unknown
# values, whose reason quotes the number, also after Fn::Join or Fn::Sub
# passed it on and in the YAML 1.1 reading.
REWRITTEN_NUMBERS = write("rewritten-numbers.yaml", """Resources:
  A:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceClass: db.t3.micro
      MasterUserPassword: !Join ["", [12345.670000]]
  B:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceClass: db.t3.micro
      MasterUserPassword: !Sub ["${X}", {X: 98765.4300}]
  C:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceClass: db.t3.micro
      MasterUserPassword: 55555.2100
""")


def test_rewritten_numbers_hidden():
    assert_hidden(REWRITTEN_NUMBERS, ("12345", "98765", "55555"), 1)


# Values with control characters and DEL, which messages quote as escapes:
# the hidden form must match the escaped text, in a write-only property
# and in a NoEcho parameter's value.
ESCAPED_CHARACTERS = write("escaped-characters.json", json.dumps({
    "Parameters": {"Pw": {"Type": "String", "NoEcho": True, "Default": "q-ab\u007fzKx"}},
    "Resources": {
        "A": {"Type": "AWS::RDS::DBInstance",
              "Properties": {"DBInstanceClass": "x", "MasterUserPassword": "Sh\u007frtSecret"}},
        "B": {"Type": "AWS::RDS::DBInstance",
              "Properties": {"DBInstanceClass": "x", "MasterUserPassword": "Tab\tSecret\u0001x"}},
        "Q": {"Type": "AWS::SQS::Queue", "Properties": {"KmsMasterKeyId": "k", "QueueName": {"Ref": "Pw"}}},
    }}))


def test_escaped_characters_hidden():
    assert_hidden(ESCAPED_CHARACTERS, ("rtSecret", "Tab", "zKx", "\\u007f", "\\u0001"), 1)


# A list parameter whose items are checked one by one: the message gets a
# "when parameter E is ..." note after it was masked once.
LIST_ITEM = write("list-item.yaml", """Parameters:
  E: {Type: CommaDelimitedList, NoEcho: true, AllowedValues: [q-a, q-b], Default: "q-a,Secr3tItem"}
Resources:
  RE: {Type: AWS::SQS::Queue, Properties: {KmsMasterKeyId: k, QueueName: !Select [1, !Ref E]}}
""")


def test_hidden_note_given_once():
    assert_hidden(LIST_ITEM, ("Secr3tItem",), 1)
    messages = [message for logical_id, line, column, message in findings(LIST_ITEM)
                if "does not match the pattern" in message]
    assert messages, messages
    for message in messages:
        assert message.count("(value hidden: NoEcho parameter E)") == 1, message


def test_quoted_forms_messages():
    found = {(logical_id, message) for logical_id, line, column, message in findings(QUOTED_FORMS)}
    assert ("D4", '"****..." has 220 characters, more than the maximum 20 '
                  '(value hidden: write-only property MasterUserPassword)') in found, found
    assert any(logical_id == "Q1" and message.startswith("**** is greater than the maximum 10")
               for logical_id, message in found), found
    assert any(logical_id == "Q2" and message.startswith('expected integer, got string "****"')
               for logical_id, message in found), found


if __name__ == "__main__":
    sys.exit(run_tests(globals()))
