"""Runs cfgate check with the baseline policy on values computed offline
from literal arguments: Fn::Cidr blocks, so an address that opens a port
to the internet is a violation, not unverified. Also on calls whose key or
index is unknown but whose value is one of a few known candidates
(Fn::FindInMap, Fn::Select): a value that every candidate breaks is a
violation, and one that some candidates break is unverified.

usage: check_candidates.py CFGATE SCHEMAS POLICY
"""
import json
import os
import subprocess
import sys
import tempfile

cfgate, schemas, policy = sys.argv[1:4]
workdir = tempfile.mkdtemp(prefix="cfgate-candidates-")


def check(template):
    path = os.path.join(workdir, "template.yaml")
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(template)
    command = [cfgate, "check", "--policy", policy, "--schemas", schemas,
               "--account-id", "123456789012", "--region", "us-east-1", "--format", "json",
               path]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    report = json.loads(result.stdout)
    resource = report["templates"][0]["resources"][0]
    findings = [(f["kind"], f["pointer"], f["message"]) for f in resource["findings"]]
    return result.returncode, resource["status"], findings


def ingress(cidr):
    return ("Resources:\n  Sg:\n    Type: AWS::EC2::SecurityGroupIngress\n    Properties:\n"
            "      GroupId: sg-123\n      IpProtocol: tcp\n      FromPort: 22\n"
            "      ToPort: 22\n      CidrIp: %s\n" % cidr)


def test_cidr_public_block_is_a_violation():
    status, result, findings = check(ingress('!Select [0, !Cidr ["8.8.0.0/16", 1, 8]]'))
    assert (status, result) == (1, "violation"), findings
    assert findings[0][:2] == ("violation", "/CidrIp"), findings
    assert findings[0][2].startswith('"8.8.0.0/24" does not match the pattern'), findings


def test_cidr_private_block_is_compliant():
    assert check(ingress('!Select [3, !Cidr ["10.1.0.0/16", 4, 8]]')) == (0, "compliant", [])


def test_cidr_invalid_arguments_are_invalid():
    status, result, findings = check(ingress('!Select [0, !Cidr ["10.0.0.0/24", 4, 7]]'))
    assert status == 1, findings
    assert findings == [("invalid", "", "Fn::Cidr count 4 does not fit: a /24 block holds at "
                         "most 2 blocks of 7 host bits")], findings


def test_cidr_of_unknown_block_stays_unverified():
    template = ingress('!Select [0, !Cidr [!GetAtt Vpc.CidrBlock, 1, 8]]') + \
        "  Vpc:\n    Type: AWS::EC2::VPC\n"
    status, result, findings = check(template)
    assert (status, result) == (0, "unverified"), findings


def test_nested_stack_without_stack_name():
    # CloudFormation names a nested stack itself, so StackName is optional.
    template = ("Resources:\n  Nested:\n    Type: AWS::CloudFormation::Stack\n"
                "    Properties:\n"
                "      TemplateURL: https://bucket.s3.amazonaws.com/nested.yaml\n")
    assert check(template) == (0, "compliant", [])


def bucket(block, mappings="", transform=""):
    return (transform + "Parameters:\n  Free: {Type: String}\n" + mappings +
            "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n    DeletionPolicy: Retain\n"
            "    Properties:\n      BucketEncryption:\n"
            "        ServerSideEncryptionConfiguration:\n"
            "          - ServerSideEncryptionByDefault:\n              SSEAlgorithm: aws:kms\n"
            "      PublicAccessBlockConfiguration:\n        BlockPublicAcls: %s\n"
            "        BlockPublicPolicy: true\n        IgnorePublicAcls: true\n"
            "        RestrictPublicBuckets: true\n"
            "      VersioningConfiguration:\n        Status: Enabled\n" % block)


def mapping(*values):
    entries = "".join('    k%d: {Block: "%s"}\n' % (i, v) for i, v in enumerate(values))
    return "Mappings:\n  M:\n" + entries


CONSTANT = "/PublicAccessBlockConfiguration/BlockPublicAcls"


def kinds(findings):
    return [(kind, pointer) for kind, pointer, _ in findings]


def test_map_key_every_candidate_fails():
    cases = ["!FindInMap [M, !Ref Free, Block]", "!FindInMap [M, k0, !Ref Free]",
             "!FindInMap [M, !Ref Free, !Ref Free]"]
    for block in cases:
        status, result, findings = check(bucket(block, mapping("false", "false")))
        assert (status, result) == (1, "violation"), (block, findings)
        assert kinds(findings) == [("violation", CONSTANT)], (block, findings)


def test_map_key_some_candidates_pass():
    status, result, findings = check(bucket("!FindInMap [M, !Ref Free, Block]",
                                            mapping("true", "false")))
    assert (status, result) == (0, "unverified"), findings
    assert findings == [("unverified", CONSTANT,
                         "false is not the required constant (when Fn::FindInMap [M, ?, Block] "
                         "at line 17, column 26 is [M, k1, Block])")], findings


def test_map_key_every_candidate_passes():
    template = bucket("!FindInMap [M, !Ref Free, Block]", mapping("true", "true"))
    assert check(template) == (0, "compliant", [])


def test_map_default_value_is_a_candidate():
    transform = "Transform: AWS::LanguageExtensions\n"
    passing = bucket('!FindInMap [M, !Ref Free, Block, {DefaultValue: "true"}]',
                     mapping("false"), transform)
    failing = bucket('!FindInMap [M, !Ref Free, Block, {DefaultValue: "false"}]',
                     mapping("false"), transform)
    assert check(passing)[:2] == (0, "unverified"), check(passing)
    assert check(failing)[:2] == (1, "violation"), check(failing)


def test_map_too_many_candidates_unverified():
    status, result, findings = check(bucket("!FindInMap [M, !Ref Free, Block]",
                                            mapping(*["false"] * 33)))
    assert (status, result) == (0, "unverified"), findings
    # The policy's const and the provider's type are one warning each.
    assert kinds(findings) == [("unverified", CONSTANT)] * 2, findings
    assert findings[0][2].endswith("and mapping M has too many values to check each (found 33, "
                                   "limit is 32))"), findings


def test_select_index_every_candidate_fails():
    status, result, findings = check(bucket('!Select [!Ref Free, ["false", "false"]]'))
    assert (status, result) == (1, "violation"), findings
    assert kinds(findings) == [("violation", CONSTANT)], findings


def test_candidates_failing_differently_violate():
    # Each candidate breaks the rule with its own message, so no finding
    # holds for every candidate, yet none of them can pass.
    for cidr in ('!Select [!Ref Free, ["8.8.8.0/24", "1.1.1.0/24"]]',
                 '!FindInMap [M, !Ref Free, Block]'):
        template = ingress(cidr)
        if "FindInMap" in cidr:
            template = ("Mappings:\n  M:\n    a: {Block: 8.8.8.0/24}\n"
                        "    b: {Block: 1.1.1.0/24}\n") + template
        template = "Parameters:\n  Free: {Type: String}\n" + template
        status, result, findings = check(template)
        assert (status, result) == (1, "violation"), (cidr, findings)
        assert {kind for kind, _ in kinds(findings)} == {"violation"}, (cidr, findings)


def test_select_index_some_candidates_pass():
    status, result, findings = check(bucket('!Select [!Ref Free, ["true", "false"]]'))
    assert (status, result) == (0, "unverified"), findings
    assert findings == [("unverified", CONSTANT,
                         "false is not the required constant (when Fn::Select at line 13, "
                         "column 26 is index 1)")], findings


def test_candidates_with_parameter_values():
    # The parameter's values are enumerated too: a value that fails for every
    # candidate under one allowed value (A) is a violation.
    template = bucket("!FindInMap [M, !Ref Free, !Ref Pick]",
                      "Mappings:\n  M:\n    k0: {A: \"false\", B: \"true\"}\n"
                      "    k1: {A: \"false\", B: \"false\"}\n")
    template = template.replace("  Free: {Type: String}\n",
                                "  Free: {Type: String}\n"
                                "  Pick: {Type: String, AllowedValues: [A, B]}\n")
    status, result, findings = check(template)
    assert (status, result) == (1, "violation"), findings
    assert kinds(findings) == [("violation", CONSTANT)], findings


def test_candidates_share_parameter_limit():
    params = "".join("  P%d: {Type: String, AllowedValues: [a, b]}\n" % i for i in range(8))
    tags = "".join("        - {Key: k%d, Value: !Ref P%d}\n" % (i, i) for i in range(8))
    template = bucket('!FindInMap [M, !Ref Free, Block]', mapping("true", "true"))
    template = template.replace("  Free: {Type: String}\n", "  Free: {Type: String}\n" + params)
    template += "      Tags:\n" + tags
    status, result, findings = check(template)
    assert (status, result) == (1, "violation"), findings
    assert ("failed", "", "too many parameters with AllowedValues and Fn::FindInMap or "
            "Fn::Select calls with an unknown key (found 9, limit is 8): pass --parameter "
            "values for some of them") in findings, findings


def test_condition_false_for_every_candidate():
    template = ("Parameters:\n  Free: {Type: String}\n"
                "Mappings:\n  M:\n    a: {Make: \"no\"}\n    b: {Make: \"no\"}\n"
                "Conditions:\n  Make: !Equals [!FindInMap [M, !Ref Free, Make], \"yes\"]\n"
                "Resources:\n  Q:\n    Type: AWS::S3::Bucket\n    Condition: Make\n")
    assert check(template) == (0, "skipped", [])


for name, test in list(globals().items()):
    if name.startswith("test_"):
        test()
print("candidates checked")
