"""A provider array whose items are given by position (a tuple) is closed
after the listed positions with "additionalItems": false, as an object is
closed with "additionalProperties": false. No us-east-1 schema has one, so
the test adds one to a copy of AWS::SQS::Queue.

usage: tuple_items.py CFGATE SCHEMAS WORKDIR
"""
import json
import os
import shutil
import subprocess
import sys

cfgate, schemas, workdir = sys.argv[1:4]

shutil.rmtree(workdir, ignore_errors=True)
snapshot = os.path.join(workdir, "snapshot")
os.makedirs(snapshot)

with open(os.path.join(schemas, "aws-sqs-queue.json"), encoding="utf-8") as handle:
    provider = json.load(handle)
provider["properties"]["Pair"] = {"type": "array", "items": [{"type": "string"}, {"type": "integer"}]}
provider["definitions"]["Window"] = {
    "type": "object", "properties": {"Range": {"type": "array", "items": [{"type": "integer"}]}}}
provider["properties"]["Window"] = {"$ref": "#/definitions/Window"}
with open(os.path.join(snapshot, "aws-sqs-queue.json"), "w", encoding="utf-8") as handle:
    json.dump(provider, handle)


def run(*args):
    return subprocess.run([cfgate, *args], capture_output=True, text=True, timeout=120)


POLICIES = {"listed": "type AWS::SQS::Queue { Pair; Window }\n", "star": "type AWS::SQS::Queue { * }\n"}
CASES = [({"Pair": ["a", 1]}, True), ({"Pair": ["a"]}, True), ({"Pair": ["a", 1, "extra"]}, False),
         ({"Pair": ["a", "b"]}, False), ({"Window": {"Range": [1]}}, True),
         ({"Window": {"Range": [1, 2]}}, False)]
for name, text in POLICIES.items():
    policy = os.path.join(workdir, f"{name}.gate")
    with open(policy, "w", encoding="utf-8") as handle:
        handle.write(text)
    out = os.path.join(workdir, f"out-{name}")
    result = run("compile", policy, "--schemas", snapshot, "-o", out)
    assert result.returncode == 0, (name, result.stderr)

    template_path = os.path.join(out, "templates", "aws-sqs-queue.json")
    with open(template_path, encoding="utf-8") as handle:
        template = json.load(handle)
    pair = template["properties"]["Pair"]
    assert pair["additionalItems"] is False, (name, pair)
    assert len(pair["items"]) == 2, (name, pair)
    window = template["properties"]["Window"]
    if "$ref" in window:
        window = template["definitions"][window["$ref"].rsplit("/", 1)[1]]
    assert window["properties"]["Range"]["additionalItems"] is False, (name, window)

    for instance, valid in CASES:
        path = os.path.join(workdir, "instance.json")
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(instance, handle)
        result = run("validate", "--schema", template_path, path)
        assert result.returncode == (0 if valid else 1), (name, instance, result.stdout, result.stderr)
print("ok")
