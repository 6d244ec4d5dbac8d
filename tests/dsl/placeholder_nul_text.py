"""Compiles a provider schema whose enum and pattern strings hold both "${"
and NUL bytes. The compiled template escapes each "${" as "${!" and keeps
every byte after a NUL. cfgate instantiate restores the provider text
exactly, and cfgate validate matches the enum value with its NUL byte.

usage: placeholder_nul_text.py CFGATE WORKDIR
"""
import json
import os
import shutil
import subprocess
import sys

cfgate, workdir = sys.argv[1:3]
shutil.rmtree(workdir, ignore_errors=True)
os.makedirs(os.path.join(workdir, "snapshot"))

ENUM = ["a${AWS::Region}\u0000b", "c${!d\u0000", "\u0000${X}\u0000${Y}"]
PATTERN = "^x${AWS::Region}\u0000y$"
PROVIDER = {
    "typeName": "AWS::X::Y::Z",
    "additionalProperties": False,
    "properties": {
        "A": {"type": "string", "enum": ENUM},
        "B": {"type": "string", "pattern": PATTERN},
    },
}
with open(os.path.join(workdir, "snapshot", "aws-x-y-z.json"), "w", encoding="utf-8") as handle:
    json.dump(PROVIDER, handle)
POLICY = os.path.join(workdir, "policy.gate")
with open(POLICY, "w", encoding="utf-8") as handle:
    handle.write("type AWS::X::Y::Z {\n    A\n    B\n}\n")
TEMPLATE = os.path.join(workdir, "out", "templates", "aws-x-y-z.json")


def run(*arguments, stdin=None):
    return subprocess.run([cfgate, *arguments], capture_output=True, text=True, input=stdin,
                          timeout=60)


def test_compile_escapes_every_byte():
    result = run("compile", POLICY, "--schemas", os.path.join(workdir, "snapshot"),
                 "-o", os.path.join(workdir, "out"))
    assert result.returncode == 0, result.stderr
    with open(TEMPLATE, encoding="utf-8") as handle:
        properties = json.load(handle)["properties"]
    assert properties["A"]["enum"] == ["a${!AWS::Region}\u0000b", "c${!!d\u0000",
                                       "\u0000${!X}\u0000${!Y}"], properties["A"]
    assert properties["B"]["pattern"] == "^x${!AWS::Region}\u0000y$", properties["B"]


def test_instantiate_restores_provider_text():
    result = run("instantiate", TEMPLATE)
    assert result.returncode == 0, result.stderr
    properties = json.loads(result.stdout)["properties"]
    assert properties["A"]["enum"] == ENUM, properties["A"]
    assert properties["B"]["pattern"] == PATTERN, properties["B"]


def test_validate_matches_value_with_nul():
    instances = [{"A": ENUM[0]}, {"A": "a${AWS::Region}"}, {"A": ENUM[2]}, {"A": "\u0000${X}"}]
    stdin = "".join(json.dumps(instance) + "\n" for instance in instances)
    result = run("validate", "--schema", TEMPLATE, "--ndjson", "--format", "json", "-", stdin=stdin)
    assert result.returncode == 1, (result.returncode, result.stderr)
    verdicts = [json.loads(line)["verdict"] for line in result.stdout.splitlines()]
    assert verdicts == ["valid", "invalid", "valid", "invalid"], verdicts


TESTS = [value for name, value in sorted(globals().items()) if name.startswith("test_")]
for test in TESTS:
    test()
    print("ok", test.__name__)
