"""Checks the placeholder values given to `cfgate instantiate` and
`cfgate validate --schema TEMPLATE`.

- instantiate rejects a built-in placeholder value of the wrong form (account
  id, region, partition, URL suffix, and their agreement) with the rules of
  `cfgate check`, exit 2 and nothing on standard output;
- instantiate rejects a custom value that is not UTF-8;
- validate, like instantiate, prints one line per placeholder without a
  value, naming the schema file and the option to pass, and still writes a
  failed record per input file with --format json.

usage: placeholder_values.py CFGATE SCHEMAS WORKDIR
"""

import json
import os
import shutil
import subprocess
import sys

POLICY = """context Team
type AWS::SQS::Queue {
    QueueName pattern "^${Team}-${AWS::AccountId}-${AWS::Region}$"
    KmsMasterKeyId pattern "^arn:${AWS::Partition}:kms:"
}
"""

GOOD = {"AWS::AccountId": "123456789012", "AWS::Region": "us-east-1", "AWS::Partition": "aws",
        "Team": "web"}

PARTITIONS = "aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e or aws-iso-f"

# (changed values, expected standard error lines)
INVALID = [
    ({"AWS::AccountId": "1"},
     ["invalid --context AWS::AccountId '1': expected 12 digits"]),
    ({"AWS::AccountId": "12345678901a"},
     ["invalid --context AWS::AccountId '12345678901a': expected 12 digits"]),
    ({"AWS::Region": "x"},
     ["invalid --context AWS::Region 'x': expected a region name such as us-east-1"]),
    ({"AWS::Region": "US-EAST-1"},
     ["invalid --context AWS::Region 'US-EAST-1': expected a region name such as us-east-1"]),
    ({"AWS::Partition": "aws.x"},
     ["invalid --context AWS::Partition 'aws.x': expected " + PARTITIONS]),
    ({"AWS::AccountId": "1", "AWS::Region": "x"},
     ["invalid --context AWS::AccountId '1': expected 12 digits",
      "invalid --context AWS::Region 'x': expected a region name such as us-east-1"]),
    ({"AWS::Region": "cn-north-1"},
     ["--context AWS::Partition 'aws' does not match --context AWS::Region 'cn-north-1', "
      "which is in partition aws-cn"]),
    ({"AWS::URLSuffix": "amazonaws.com.cn"},
     ["--context AWS::URLSuffix 'amazonaws.com.cn' does not match partition aws, whose URL "
      "suffix is amazonaws.com"]),
]

# Values that pass the checks: another partition with its region and suffix.
VALID = [
    {"AWS::Region": "cn-north-1", "AWS::Partition": "aws-cn", "AWS::URLSuffix": "amazonaws.com.cn"},
    {"AWS::Region": "us-gov-west-1", "AWS::Partition": "aws-us-gov"},
]


def run(args):
    return subprocess.run(args, capture_output=True)


def context_args(values):
    args = []
    for name, value in values.items():
        args += ["--context", "%s=%s" % (name, value)]
    return args


def check_instantiate_rejects(cfgate, template):
    for changes, expected in INVALID:
        result = run([cfgate, "instantiate", template] + context_args(dict(GOOD, **changes)))
        lines = result.stderr.decode().splitlines()
        assert result.returncode == 2, (changes, result.returncode, lines)
        assert result.stdout == b"", (changes, result.stdout[:80])
        assert lines == ["cfgate instantiate: " + line for line in expected], (changes, lines)


def check_instantiate_accepts(cfgate, template):
    for changes in VALID:
        result = run([cfgate, "instantiate", template] + context_args(dict(GOOD, **changes)))
        assert result.returncode == 0, (changes, result.stderr.decode())
        schema = json.loads(result.stdout)
        pattern = schema["properties"]["KmsMasterKeyId"]["pattern"]
        assert pattern == "^arn:%s:kms:" % changes["AWS::Partition"], pattern


def check_instantiate_non_utf8(cfgate, template):
    args = [cfgate.encode(), b"instantiate", template.encode()]
    for name, value in GOOD.items():
        encoded = b"\xff" if name == "Team" else value.encode()
        args += [b"--context", name.encode() + b"=" + encoded]
    result = run(args)
    assert result.returncode == 2, result.returncode
    assert result.stdout == b"", result.stdout[:80]
    assert result.stderr.decode() == "%s: error: a --context value is not valid UTF-8\n" % template, \
        result.stderr


def check_validate_missing(cfgate, template, work):
    instance = os.path.join(work, "queue.json")
    with open(instance, "w", encoding="utf-8") as f:
        f.write('{"QueueName": "web-123456789012-us-east-1"}\n')

    result = run([cfgate, "validate", "--schema", template, "--context", "Team=web", instance])
    lines = result.stderr.decode().splitlines()
    assert result.returncode == 2, result.returncode
    expected = ["%s: error: no value for placeholder '%s' (pass --context %s=VALUE)"
                % (template, name, name) for name in ("AWS::AccountId", "AWS::Partition", "AWS::Region")]
    # One line per missing value, which names the --context to pass, and no second
    # message about the same problem when the session cannot start.
    assert lines == expected, lines

    result = run([cfgate, "validate", "--schema", template, "--format", "json", instance])
    records = [json.loads(line) for line in result.stdout.decode().splitlines()]
    assert result.returncode == 2, result.returncode
    assert [(r["file"], r["verdict"]) for r in records] == [(instance, "failed")], records
    assert result.stderr.decode().count("error: no value for placeholder") == 4, result.stderr

    values = context_args(GOOD)
    result = run([cfgate, "validate", "--schema", template, instance] + values)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stderr == b"", result.stderr


def main():
    cfgate, schemas, work = sys.argv[1:4]
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    policy = os.path.join(work, "policy.gate")
    with open(policy, "w", encoding="utf-8") as f:
        f.write(POLICY)
    out_dir = os.path.join(work, "out")
    compiled = run([cfgate, "compile", policy, "--schemas", schemas, "-o", out_dir])
    assert compiled.returncode == 0, compiled.stderr.decode()
    template = os.path.join(out_dir, "templates", "aws-sqs-queue.json")

    check_instantiate_rejects(cfgate, template)
    check_instantiate_accepts(cfgate, template)
    check_instantiate_non_utf8(cfgate, template)
    check_validate_missing(cfgate, template, work)
    print("%d rejected and %d accepted value sets; validate lists every missing placeholder"
          % (len(INVALID), len(VALID)))


if __name__ == "__main__":
    main()
