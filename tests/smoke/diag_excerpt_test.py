"""Compiler diagnostics count columns in code points and keep excerpts short.

A rule after non-ASCII text gets its column in code points with the caret
under it, and a 100000-digit literal is shown as a window, not in full.
"""
import pathlib
import subprocess
import sys
import tempfile

cfgate, schemas = sys.argv[1], sys.argv[2]

with tempfile.TemporaryDirectory() as work:
    work = pathlib.Path(work)
    (work / "accent.gate").write_text(
        'type AWS::SQS::Queue {\n    QueueName = "éé"; DelaySecondz range 0..5\n}\n', encoding="utf-8")
    (work / "huge.gate").write_text(
        "type AWS::SQS::Queue {\n    DelaySeconds range 0.." + "7" * 100000 + "\n}\n")

    def compile_policy(name):
        return subprocess.run([cfgate, "compile", str(work / name), "--schemas", schemas,
                               "-o", str(work / "out")], capture_output=True, text=True)

    accent = compile_policy("accent.gate")
    huge = compile_policy("huge.gate")

lines = accent.stderr.splitlines()
assert accent.returncode == 2, accent.stderr
assert "accent.gate:2:23: error: unknown property 'DelaySecondz'" in lines[0], lines[0]
assert lines[2].index("^") == lines[1].index("DelaySecondz"), lines[1:3]

assert huge.returncode == 2, huge.stderr[:500]
assert len(huge.stderr) < 4000, f"{len(huge.stderr)} bytes of diagnostics"
assert "..." in huge.stderr, huge.stderr[:500]
print("code point columns and bounded excerpts")
