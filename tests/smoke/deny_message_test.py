"""A property removed by a deny rule is reported as denied by the policy.

The compiler writes a denied property as the schema {"not": {}}, so the
runtime must not word the finding as a generic "not" failure.
"""
import pathlib
import subprocess
import sys
import tempfile

cfgate, schemas = sys.argv[1], sys.argv[2]

with tempfile.TemporaryDirectory() as work:
    work = pathlib.Path(work)
    (work / "deny.gate").write_text("type AWS::SNS::Topic {\n    *\n    deny DataProtectionPolicy\n}\n")
    subprocess.run([cfgate, "compile", str(work / "deny.gate"), "--schemas", schemas,
                    "-o", str(work / "out")], check=True, capture_output=True)
    schema = work / "topic.json"
    with open(schema, "w") as out:
        subprocess.run([cfgate, "instantiate", str(work / "out/templates/aws-sns-topic.json")],
                       check=True, stdout=out)

    denied = subprocess.run([cfgate, "validate", "--schema", str(schema)],
                            input='{"DataProtectionPolicy": {}}', capture_output=True, text=True)
    allowed = subprocess.run([cfgate, "validate", "--schema", str(schema)],
                             input='{"TopicName": "alerts"}', capture_output=True, text=True)

assert denied.returncode == 1, denied.stdout + denied.stderr
assert "/DataProtectionPolicy: no value is allowed here (denied by the policy)" in denied.stdout, denied.stdout
assert "matches the schema of not" not in denied.stdout, denied.stdout
assert allowed.returncode == 0, allowed.stdout + allowed.stderr
print("denied property reported as denied")
