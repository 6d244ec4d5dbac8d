"""Compares cfgate hook's event scanner with Python's strict JSON parser on
events mutated byte by byte from a valid one (with a 401-digit number in a
field the hook does not read), with a fixed seed. An event that Python
rejects must get a "malformed event: line L, column C" response, and an
event it accepts must not. Python is made strict where RFC 8259 is: NaN
and Infinity, lone surrogates, invalid UTF-8 and control characters are
rejected. Events with a repeated member name or a \\u0000 are left out,
because the hook rejects those on purpose where Python accepts them. A
member of targetModel other than its two properties must be named as
unknown, and every malformed-event message must name a line and column.

usage: check_event_syntax.py CFGATE SCHEMAS [CASES]
"""
import json
import os
import random
import re
import subprocess
import sys
import tempfile

BASE = (b'{"clientRequestToken": "tok-3", "awsAccountId": "123456789012", '
        b'"stackId": "", "actionInvocationPoint": "CREATE_PRE_PROVISION", '
        b'"pad": [1.5e3, -0, true, null, {"k": "\\u00e9\\ud83d\\ude00"}, 1' + b"0" * 400 + b'], '
        b'"requestData": {"targetName": "AWS::SQS::Queue", "targetLogicalId": "Q", '
        b'"targetModel": {"resourceProperties": {"QueueName": "q", "DelaySeconds": "5"}}}}')

# Every malformed-event message names a line and column.
PLACE = re.compile(r"line \d+, column \d+")

POLICY = "type AWS::SQS::Queue {\n    QueueName length 1..20\n    DelaySeconds\n}\n"

INSERTS = [b"{", b"}", b"[", b"]", b",", b":", b'"', b"\\", b" ", b"\n", b"0", b"1", b"-",
           b"+", b".", b"e", b"t", b"n", b"u", b"x", b"\xff", b"\xc3", b"\x1f", b"\xef\xbb\xbf",
           b"\\u", b"\\ud800", b"NaN", b"01", b"1e", b"9" * 300]


class Duplicate(Exception):
    pass


def reject_constant(name):
    raise ValueError("constant " + name)


def no_duplicates(pairs):
    names = [name for name, _ in pairs]
    if len(names) != len(set(names)):
        raise Duplicate()
    return dict(pairs)


def strings_of(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for name, item in value.items():
            yield name
            yield from strings_of(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_of(item)


def python_verdict(data):
    """Returns "valid", "invalid" or "skip" (a case the hook treats on purpose
    differently: a repeated name or a NUL character)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
        value = json.loads(text, parse_constant=reject_constant, object_pairs_hook=no_duplicates)
    except Duplicate:
        return "skip"
    except (UnicodeDecodeError, ValueError, RecursionError):
        return "invalid"
    for string in strings_of(value):
        if "\x00" in string:
            return "skip"
        if any(0xD800 <= ord(c) <= 0xDFFF for c in string):
            return "invalid"
    if set(target_model(value)) - MODEL_MEMBERS:
        return "unknown member"
    return "valid"


MODEL_MEMBERS = {"resourceProperties", "previousResourceProperties"}


def target_model(value):
    """Returns requestData.targetModel when both are objects, else {}."""
    request = value.get("requestData") if isinstance(value, dict) else None
    model = request.get("targetModel") if isinstance(request, dict) else None
    return model if isinstance(model, dict) else {}


def mutate(rng, data):
    for _ in range(rng.randint(1, 3)):
        at = rng.randrange(len(data) + 1)
        choice = rng.randrange(3)
        if choice == 0 and data:
            data = data[:at] + data[at + 1:]
        elif choice == 1:
            data = data[:at] + rng.choice(INSERTS) + data[at:]
        else:
            end = min(len(data), at + rng.randint(1, 8))
            data = data[:at] + data[at:end] * 2 + data[end:]
    return data


def hook_message(cfgate, policy, data):
    result = subprocess.run([cfgate, "hook", "--policy", policy], input=data,
                            capture_output=True, timeout=60)
    if result.returncode not in (0, 1):
        raise AssertionError("exit %d for %r: %r" % (result.returncode, data, result.stderr))
    return json.loads(result.stdout)["message"]


def main():
    cfgate, schemas = sys.argv[1:3]
    cases = int(sys.argv[3]) if len(sys.argv) > 3 else 400
    os.environ["CFGATE_SCHEMAS"] = schemas
    os.environ["AWS_REGION"] = "us-east-1"
    workdir = tempfile.mkdtemp(prefix="cfgate-event-syntax-")
    policy = os.path.join(workdir, "queue.gate")
    with open(policy, "w", encoding="utf-8") as handle:
        handle.write(POLICY)

    assert python_verdict(BASE) == "valid"
    assert "complies" in hook_message(cfgate, policy, BASE)
    rng = random.Random(20261205)
    counts = {"valid": 0, "invalid": 0, "skip": 0, "unknown member": 0}
    failures = []
    for _ in range(cases):
        data = mutate(rng, BASE)
        verdict = python_verdict(data)
        counts[verdict] += 1
        if verdict == "skip":
            continue
        message = hook_message(cfgate, policy, data)
        if message.startswith("malformed event") and not PLACE.search(message):
            failures.append((data, verdict, message))
            continue
        if verdict == "unknown member":
            if "targetModel holds only resourceProperties and previousResourceProperties " \
                    "(in /requestData/targetModel)" not in message:
                failures.append((data, verdict, message))
            continue
        syntax_error = message.startswith("malformed event: line ")
        if syntax_error != (verdict == "invalid"):
            failures.append((data, verdict, message))

    print("cases: %(valid)d valid, %(invalid)d invalid, %(skip)d left out" % counts)
    for data, verdict, message in failures[:10]:
        print("MISMATCH python %s, hook %r\n  event %r" % (verdict, message, data))
    assert counts["valid"] > cases // 10, counts
    assert counts["invalid"] > cases // 10, counts
    assert not failures, "%d mismatches" % len(failures)


if __name__ == "__main__":
    main()
