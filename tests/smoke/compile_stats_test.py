"""Check `cfgate compile --stats` on `type T { * }` for every provider schema.

The summary line must count every distinct pattern once, split by engine, and
each pattern that does not run on the byte DFA must have its own fallback line
naming the type, the schema location, the engine and the reason.
"""
import json
import pathlib
import re
import subprocess
import sys
import tempfile

cfgate, schemas = sys.argv[1], pathlib.Path(sys.argv[2])

with tempfile.TemporaryDirectory() as work:
    work = pathlib.Path(work)
    names = sorted(json.loads(p.read_text())["typeName"] for p in schemas.glob("*.json"))
    (work / "all.gate").write_text("".join(f"type {n} {{ * }}\n" for n in names))
    run = subprocess.run([cfgate, "compile", str(work / "all.gate"), "--schemas", str(schemas),
                          "-o", str(work / "out"), "--stats"],
                         capture_output=True, text=True)

assert run.returncode == 0, run.stderr
lines = run.stdout.splitlines()
summary = [l for l in lines if l.startswith("patterns: ")]
assert len(summary) == 1, lines[-5:]

total, dfa, nfa, backtrack = map(int, re.match(
    r"patterns: (\d+) \((\d+) dfa, (\d+) nfa, (\d+) backtrack\)", summary[0]).groups())
assert total == dfa + nfa + backtrack, summary[0]
assert total > 1500, f"only {total} distinct patterns in {len(names)} templates"
assert dfa > 0.9 * total, summary[0]

per_pattern = [l for l in lines if re.match(r"fallback: \S+::\S+ /\S*: (nfa|backtrack) \(.+\): ", l)]
assert len(per_pattern) == nfa + backtrack, (len(per_pattern), nfa, backtrack)

per_reason = [int(m.group(1)) for l in lines if (m := re.match(r"fallback: (\d+) ", l))]
assert sum(per_reason) == nfa + backtrack, per_reason
assert any("backreference" in l for l in per_pattern), "the ISO 8601 backreference pattern is missing"

print(f"{total} patterns: {dfa} dfa, {nfa} nfa, {backtrack} backtrack; "
      f"{len(per_pattern)} fallback lines")
