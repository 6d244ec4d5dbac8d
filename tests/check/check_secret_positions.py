"""Runs cfgate check on templates in which the value a finding is about
depends on a NoEcho parameter: Fn::FindInMap keyed by the parameter, and
Fn::Select with an index computed from it. The value is written at a line
and column that depend on the parameter, so such a finding is reported at
the property's own position, and the report reads the same in every
format whatever the parameter's value. Findings that read the same once
the value is masked are printed once.

usage: check_secret_positions.py CFGATE SCHEMAS
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from runner import run_tests  # noqa: E402
from scratch import scratch_writer  # noqa: E402

cfgate, schemas = sys.argv[1:3]
write = scratch_writer("cfgate-secret-positions-")

POLICY_PATH = write("queue.gate", """type AWS::SQS::Queue {
    QueueName      pattern "^q-[a-z]+$"
    KmsMasterKeyId required pattern "^alias/acme-"
    Tags[] {
        Key
        Value pattern "^t-"
    }
}
""")

FORMATS = ("text", "json", "sarif", "junit")

FIND_IN_MAP = write("find-in-map.yaml", """Parameters:
  Pw:
    Type: String
    NoEcho: true
  Env:
    Type: String
Mappings:
  Names:
    'Hunter2024Secret': {v: Bad-One}
    'Other2024Secret': {v: Bad-Two}
  Keys:
    prod: {v: wrong-key}
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !FindInMap [Names, !Ref Pw, v]
      KmsMasterKeyId: !FindInMap [Keys, !Ref Env, v]
      Tags:
        - Key: owner
          Value: !FindInMap [Names, !Ref Pw, v]
""")

SELECT = write("select.yaml", """Transform: AWS::LanguageExtensions
Parameters:
  Pw:
    Type: String
    NoEcho: true
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Select [{"Fn::Length": !Split ["e", !Ref Pw]}, [q-a, Bad-1, Bad-2, Bad-3, Bad-4, Bad-5, Bad-6, Bad-7, Bad-8]]
      KmsMasterKeyId: alias/acme-x
""")

MAPPING_ERROR = write("mapping-error.yaml", """Parameters:
  Pw:
    Type: String
    NoEcho: true
Mappings:
  Names:
    'aaaa2024': {v: [x, y]}
    'bbbbbbbb2024': {v: {k: z}}
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Join ["", [!FindInMap [Names, !Ref Pw, v]]]
      KmsMasterKeyId: alias/acme-x
""")


def check(path, fmt, parameters):
    command = [cfgate, "check", "--policy", POLICY_PATH, "--schemas", schemas, "--format", fmt]
    for parameter in parameters:
        command += ["--parameter", parameter]
    result = subprocess.run(command + [path], capture_output=True, text=True, timeout=120)
    return result.returncode, result.stdout, result.stderr


def positions(path, parameters):
    status, out, err = check(path, "json", parameters)
    report = json.loads(out)
    return [(f["pointer"], f["line"], f["column"])
            for t in report["templates"] for r in t["resources"] for f in r["findings"]]


def assert_same_reports(path, first, second):
    """Asserts that the reports for two secret values are equal in every format."""
    for fmt in FORMATS:
        status_a, out_a, err_a = check(path, fmt, ["Pw=" + first])
        status_b, out_b, err_b = check(path, fmt, ["Pw=" + second])
        assert status_a == status_b == 1, (fmt, status_a, status_b, err_a, err_b)
        assert out_a == out_b, (fmt, out_a, out_b)
        assert err_a == err_b, (fmt, err_a, err_b)
        for secret in (first, second):
            assert secret not in out_a, (fmt, secret, out_a)
            assert secret not in out_b, (fmt, secret, out_b)


def test_find_in_map_key_same_report():
    assert_same_reports(FIND_IN_MAP, "Hunter2024Secret", "Other2024Secret")


def test_find_in_map_at_property():
    found = positions(FIND_IN_MAP, ["Pw=Hunter2024Secret", "Env=prod"])
    assert ("/QueueName", 17, 18) in found, found
    assert ("/Tags/0/Value", 21, 18) in found, found


def test_find_in_map_without_secret_kept():
    found = positions(FIND_IN_MAP, ["Pw=Hunter2024Secret", "Env=prod"])
    assert ("/KmsMasterKeyId", 12, 15) in found, found


def test_select_index_same_report():
    assert_same_reports(SELECT, "eee", "eeeeeee")


def test_select_index_at_property():
    found = positions(SELECT, ["Pw=eee"])
    assert found == [("/QueueName", 10, 18)], found


def test_mapping_error_same_report():
    assert_same_reports(MAPPING_ERROR, "aaaa2024", "bbbbbbbb2024")


def test_mapping_error_at_property():
    found = positions(MAPPING_ERROR, ["Pw=aaaa2024"])
    assert found == [("", 13, 18)], found


def test_masked_repeats_printed_once():
    path = write("allowed.yaml", """Transform: AWS::LanguageExtensions
Parameters:
  Pw:
    Type: String
    NoEcho: true
    AllowedValues: ['Hunter"2024Secret', 'Other\\\\Secret99']
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !ToJsonString [!Ref Pw]
      KmsMasterKeyId: alias/acme-x
""")
    status, out, err = check(path, "text", [])
    lines = [line for line in out.splitlines() if "/QueueName" in line]
    assert status == 1, (status, out, err)
    assert len(lines) == 1, out
    assert "****" in lines[0], out
    assert positions(path, []) == [("/QueueName", 11, 18)]


if __name__ == "__main__":
    sys.exit(run_tests(globals()))
