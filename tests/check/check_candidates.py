"""Runs cfgate check with the baseline policy on values computed offline
from literal arguments: Fn::Cidr blocks, so an address that opens a port
to the internet is a violation, not unverified.

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


for name, test in list(globals().items()):
    if name.startswith("test_"):
        test()
print("candidates checked")
