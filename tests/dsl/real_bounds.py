"""A decimal bound is written into the template as the policy wrote it
(or the shortest text of the same double), not as jansson's 17 digits, and
the validators built from the written template compare it exactly.

usage: real_bounds.py CFGATE SCHEMAS WORKDIR
"""
import json
import os
import shutil
import subprocess
import sys

cfgate, schemas, workdir = sys.argv[1:4]

shutil.rmtree(workdir, ignore_errors=True)
os.makedirs(workdir)

POLICY = """type AWS::CloudWatch::Alarm {
    ComparisonOperator; EvaluationPeriods
    Threshold range 0.1..1e300
    DatapointsToAlarm range ..1000.0
}
"""


def run(*args):
    return subprocess.run([cfgate, *args], capture_output=True, text=True, timeout=120)


policy = os.path.join(workdir, "alarm.gate")
with open(policy, "w", encoding="utf-8") as handle:
    handle.write(POLICY)
out = os.path.join(workdir, "out")
result = run("compile", policy, "--schemas", schemas, "-o", out)
assert result.returncode == 0, result.stderr

template = os.path.join(out, "templates", "aws-cloudwatch-alarm.json")
with open(template, encoding="utf-8") as handle:
    text = handle.read()
assert '"minimum": 0.1,' in text, text
assert '"maximum": 1e300,' in text, text
assert '"maximum": 1000.0,' in text, text
assert "0000000001" not in text, text
schema = json.loads(text)
assert schema["properties"]["Threshold"]["maximum"] == 1e300

CASES = [("0.1", True), ("0.100000000000000005", True), ("0.09999999999999999", False),
         ("1e300", True), ("1.0000000000000001e300", False), ("1.00000000000000005e300", False)]
for value, valid in CASES:
    instance = os.path.join(workdir, "instance.json")
    with open(instance, "w", encoding="utf-8") as handle:
        handle.write('{"ComparisonOperator": "GreaterThanThreshold", "EvaluationPeriods": 1, '
                     f'"Threshold": {value}}}')
    result = run("validate", "--schema", template, instance)
    assert result.returncode == (0 if valid else 1), (value, result.stdout, result.stderr)

    # The compiled folder loads with its digests, and check compares alike.
    cfn = os.path.join(workdir, "stack.json")
    with open(cfn, "w", encoding="utf-8") as handle:
        handle.write('{"Resources": {"A": {"Type": "AWS::CloudWatch::Alarm", "Properties": '
                     '{"ComparisonOperator": "GreaterThanThreshold", "EvaluationPeriods": 1, '
                     f'"Threshold": {value}}}}}}}}}')
    result = run("check", "--policy", out, "--account-id", "123456789012", "--region",
                 "us-east-1", cfn)
    assert result.returncode == (0 if valid else 1), (value, result.stdout, result.stderr)
print("ok")
