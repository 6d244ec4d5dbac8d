"""An invalid pattern in a provider schema is a compile error at the type.

The error names the type, the schema location and the offset in the
pattern. Denying the property removes the pattern, so the policy compiles.
"""
import json
import pathlib
import subprocess
import sys
import tempfile

cfgate = sys.argv[1]

with tempfile.TemporaryDirectory() as work:
    work = pathlib.Path(work)
    schemas = work / "schemas"
    schemas.mkdir()
    (schemas / "aws-x-y-z.json").write_text(json.dumps({
        "typeName": "AWS::X::Y::Z",
        "properties": {"A": {"type": "string", "pattern": "(("},
                       "B": {"type": "string", "pattern": "^[a-z]+$"}},
        "additionalProperties": False}))
    (work / "allow.gate").write_text("type AWS::X::Y::Z { A }\n")
    (work / "deny.gate").write_text("type AWS::X::Y::Z {\n    *\n    deny A\n}\n")

    def compile_policy(name):
        return subprocess.run([cfgate, "compile", str(work / name), "--schemas", str(schemas),
                               "-o", str(work / (name + ".out"))], capture_output=True, text=True)

    allowed = compile_policy("allow.gate")
    denied = compile_policy("deny.gate")

assert allowed.returncode == 2, allowed.stderr
assert "allow.gate:1:6: error: the provider schema of AWS::X::Y::Z has an invalid pattern" in allowed.stderr, allowed.stderr
assert "at /properties/A/pattern (offset 1:" in allowed.stderr, allowed.stderr
assert "[invalid-pattern]" in allowed.stderr, allowed.stderr
assert denied.returncode == 0, denied.stderr
print("invalid provider pattern rejected; deny removes it")
