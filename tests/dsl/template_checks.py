"""Checks that `cfgate instantiate` and `cfgate validate --schema` accept and
reject the same hand-written templates: an open template is invalid for
both, and an x-cfgate.placeholders value that is not a list of names is an
error that names the file and the value.

usage: template_checks.py CFGATE
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from scratch import scratch_writer  # noqa: E402

cfgate = sys.argv[1]
write = scratch_writer("cfgate-template-checks-")
instance = write("instance.json", "{}\n")

OPEN = ('{"x-cfgate":{"placeholders":["A"]},"properties":{"p":{"pattern":"^${A}$"},'
        '"e":{"enum":["${B}","${A}x"]}}}')
CLOSED = ('{"x-cfgate":{"placeholders":["A"]},"type":"object","additionalProperties":false,'
          '"properties":{"e":{"enum":["${A}x"]}}}')
NOT_LISTS = {
    "string.json": ('{"x-cfgate":{"placeholders":"A"},"pattern":"^${A}$"}', '"A"'),
    "number.json": ('{"x-cfgate":{"placeholders":["A",1]},"pattern":"^${A}$"}', '["A",1]'),
    "empty-name.json": ('{"x-cfgate":{"placeholders":[""]},"pattern":"^x$"}', '[""]'),
}


def run(*args):
    return subprocess.run([cfgate, *args], capture_output=True, text=True, timeout=60)


def instantiate(path):
    return run("instantiate", path, "--context", "A=x")


def validate(path):
    return run("validate", "--schema", path, "--context", "A=x", instance)


def check_rejected_by_both(name, text, reason):
    path = write(name, text)
    for command in (instantiate, validate):
        result = command(path)
        assert result.returncode == 2, (command.__name__, name, result.returncode, result.stdout)
        assert result.stdout == "", (command.__name__, name, result.stdout)
        expected = "%s: error: invalid restricted schema template: " % path
        assert expected in result.stderr, (command.__name__, name, result.stderr)
        assert reason in result.stderr, (command.__name__, name, result.stderr)


def check_placeholders_not_list():
    for name, (text, value) in NOT_LISTS.items():
        reason = ("schema location '/x-cfgate/placeholders': x-cfgate.placeholders is %s, but it "
                  "must be a list of placeholder names" % value)
        check_rejected_by_both(name, text, reason)


def check_closed_accepted_by_both():
    path = write("closed.json", CLOSED)
    result = instantiate(path)
    assert result.returncode == 0, result.stderr
    assert '"xx"' in result.stdout, result.stdout
    result = validate(path)
    assert result.returncode == 0, result.stderr


def main():
    check_rejected_by_both("open.json", OPEN, "schema location '/additionalProperties'")
    check_placeholders_not_list()
    check_closed_accepted_by_both()
    print("ok: instantiate and validate apply the same template checks")


if __name__ == "__main__":
    main()
