"""Checks placeholder positions on random patterns.

Builds random patterns from regex tokens and the placeholder ${Team}, puts
each in a restricted schema template, and keeps those that the pattern
engine parses and `cfgate instantiate` accepts. For several context values,
every kept pattern must give the same verdict on each test string whether
the pattern engine binds the value (`cfgate validate --schema TEMPLATE
--context Team=VALUE`) or instantiate pastes it (`cfgate instantiate`, then
`cfgate validate` on the plain schema). A position that instantiate accepts
but that reads differently on the two paths fails the test.

usage: placeholder_random.py CFGATE WORKDIR [COUNT]
"""

import json
import os
import random
import shutil
import subprocess
import sys

SEED = 20261205

TOKENS = [
    "a", "b", "-", "1", "2", ",", ".", "\\d", "\\w", "\\.", "\\\\", "\\{", "\\}", "\\$", "\\1",
    "\\0", "[a-z]", "[^a]", "[", "]", "(", ")", "(?:", "(?i)", "(?i:", "(?-i)", "*", "+", "?",
    "{2}", "{1,3}", "{", "}", "{1,", "|", "^", "$", "${!",
]
PLACEHOLDER = "${Team}"

# Values with regex metacharacters, digits and commas.
VALUES = ["web", "a-z", "1,5", "x.y*", "2", "\\", "]", "{1}", "10", "Ab"]

PIECES = ["a", "b", "-", "1", "2", ",", "{", "}", "$", "\\", "A", "W", "!", "{2}", "${Team}",
          "${!", "x", "."]


def random_pattern(rng):
    tokens = []
    for _ in range(rng.randint(1, 7)):
        tokens.append(PLACEHOLDER if rng.random() < 0.3 else rng.choice(TOKENS))
    if PLACEHOLDER not in tokens:
        tokens.insert(rng.randint(0, len(tokens)), PLACEHOLDER)
    return "".join(tokens)


def template_for(patterns):
    properties = {"p%d" % i: {"type": "string", "pattern": p} for i, p in enumerate(patterns)}
    return {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
            "properties": properties, "additionalProperties": False,
            "x-cfgate": {"typeName": "Test::Random::Pattern", "placeholders": ["Team"]}}


def strings_for(rng, value):
    strings = ["", value, value * 2, value + value[-1], value[:-1], value.upper(), PLACEHOLDER]
    for _ in range(18):
        pieces = [rng.choice(PIECES + [value, value]) for _ in range(rng.randint(1, 4))]
        strings.append("".join(pieces))
    return list(dict.fromkeys(strings))


def run(args):
    return subprocess.run(args, capture_output=True, text=True)


def write_json(path, value):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f)


def pattern_is_kept(cfgate, work, pattern):
    """Returns True when the pattern engine parses the pattern and
    instantiate fills it; False when either rejects it."""
    path = os.path.join(work, "single.json")
    write_json(path, template_for([pattern]))
    empty = os.path.join(work, "empty.json")
    with open(empty, "w", encoding="utf-8") as f:
        f.write("{}\n")

    parsed = run([cfgate, "validate", "--schema", path, "--context", "Team=web", empty])
    if parsed.returncode != 0:
        assert parsed.returncode == 2, (pattern, parsed.returncode, parsed.stderr)
        assert "error" in parsed.stderr, (pattern, parsed.stderr)
        return False
    filled = run([cfgate, "instantiate", path, "--context", "Team=web"])
    if filled.returncode != 0:
        assert ': error: pattern "' in filled.stderr, (pattern, filled.stderr)
        return False
    return True


def verdicts(cfgate, schema_path, instances_path, extra):
    result = run([cfgate, "validate", "--schema", schema_path, "--ndjson", "--format", "json",
                  instances_path] + extra)
    assert result.returncode in (0, 1), (schema_path, result.returncode, result.stderr[:400])
    return [json.loads(line)["verdict"] for line in result.stdout.splitlines()]


def compare_value(cfgate, work, rng, patterns, value):
    template_path = os.path.join(work, "kept.json")
    write_json(template_path, template_for(patterns))
    cases = [(i, s) for i in range(len(patterns)) for s in strings_for(rng, value)]
    instances_path = os.path.join(work, "instances.ndjson")
    with open(instances_path, "w", encoding="utf-8") as f:
        f.write("".join(json.dumps({"p%d" % i: s}) + "\n" for i, s in cases))

    context = ["--context", "Team=" + value]
    bound = verdicts(cfgate, template_path, instances_path, context)
    filled = run([cfgate, "instantiate", template_path] + context)
    assert filled.returncode == 0, (value, filled.stderr[:400])
    schema_path = os.path.join(work, "instantiated.json")
    with open(schema_path, "w", encoding="utf-8") as f:
        f.write(filled.stdout)
    pasted = verdicts(cfgate, schema_path, instances_path, [])

    assert len(bound) == len(pasted) == len(cases), (len(bound), len(pasted), len(cases))
    for (i, text), left, right in zip(cases, bound, pasted):
        assert left == right, ("pattern %r with Team=%r on %r: bound value says %s, instantiated "
                               "schema says %s" % (patterns[i], value, text, left, right))
    return len(cases), sum(v == "valid" for v in bound)


def main():
    cfgate, work = sys.argv[1:3]
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 300
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    rng = random.Random(SEED)

    candidates = list(dict.fromkeys(random_pattern(rng) for _ in range(count)))
    kept = [p for p in candidates if pattern_is_kept(cfgate, work, p)]
    assert len(kept) >= len(candidates) // 5, "only %d of %d patterns kept" % (len(kept), len(candidates))

    compared = valid = 0
    for value in VALUES:
        cases, accepted = compare_value(cfgate, work, rng, kept, value)
        compared += cases
        valid += accepted
    assert valid > 0, "no string matched any pattern"
    print("%d random patterns, %d kept; %d strings under %d values agree (%d valid)"
          % (len(candidates), len(kept), compared, len(VALUES), valid))


if __name__ == "__main__":
    main()
