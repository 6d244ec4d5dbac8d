"""Compiles policies with long 'in [...]' lists. A list at the limit keeps
every value in source order in the template's enum. A longer list gets one
limit error at the first value past the limit, with its line and column.
A repeated value gets a warning and is written to the enum once.

usage: in_list_limits.py CFGATE SCHEMAS WORKDIR
"""
import json
import os
import shutil
import subprocess
import sys

cfgate, schemas, workdir = sys.argv[1:4]
LIMIT = 10000
PREFIX = "    QueueName in ["

shutil.rmtree(workdir, ignore_errors=True)
os.makedirs(workdir)


def write_policy(name, count, distinct=None):
    values = ", ".join(f'"q{i % (distinct or count)}"' for i in range(count))
    path = os.path.join(workdir, name)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(f"type AWS::SQS::Queue {{\n{PREFIX}{values}]\n}}\n")
    return path


def compile_policy(path, out):
    command = [cfgate, "compile", path, "--schemas", schemas, "-o", os.path.join(workdir, out)]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def column_of_value(index):
    """Returns the 1-based column of value number index on the list's line."""
    before = "".join(f'"q{i}", ' for i in range(index))
    return len(PREFIX) + len(before) + 1


def test_list_at_limit_compiles():
    result = compile_policy(write_policy("at-limit.gate", LIMIT), "at-limit")
    assert result.returncode == 0, result.stderr
    template = os.path.join(workdir, "at-limit", "templates", "aws-sqs-queue.json")
    with open(template, encoding="utf-8") as handle:
        enum = json.load(handle)["properties"]["QueueName"]["enum"]
    assert len(enum) == LIMIT, len(enum)
    assert enum == [f"q{i}" for i in range(LIMIT)], (enum[:3], enum[-3:])


def test_list_over_limit_one_error():
    for count in (LIMIT + 1, 3 * LIMIT):
        path = write_policy(f"over-{count}.gate", count)
        result = compile_policy(path, f"over-{count}")
        assert result.returncode == 2, (count, result.returncode)
        errors = [line for line in result.stderr.splitlines() if ": error: " in line]
        expected = (f"{path}:2:{column_of_value(LIMIT)}: error: too many values in an 'in' list "
                    f"(limit is {LIMIT}) [limit]")
        assert errors == [expected], (count, errors[:3])


def test_repeated_values_written_once():
    path = write_policy("repeated.gate", LIMIT, distinct=3)
    result = compile_policy(path, "repeated")
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if ": warning: " in line]
    assert len(warnings) == LIMIT - 3, len(warnings)
    expected = (f"{path}:2:{column_of_value(3)}: warning: value \"q0\" is already given in this "
                f"'in' list at {path}:2:{column_of_value(0)} [-Wduplicate-value]")
    assert warnings[0] == expected, warnings[0]
    template = os.path.join(workdir, "repeated", "templates", "aws-sqs-queue.json")
    with open(template, encoding="utf-8") as handle:
        enum = json.load(handle)["properties"]["QueueName"]["enum"]
    assert enum == ["q0", "q1", "q2"], enum


TESTS = [value for name, value in sorted(globals().items()) if name.startswith("test_")]
for test in TESTS:
    test()
    print("ok", test.__name__)
