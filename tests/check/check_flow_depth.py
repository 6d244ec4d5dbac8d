"""Runs cfgate check on templates whose flow collections nest far past the
200-level limit. YAML must be unparseable at the bracket where the nesting
passed the limit, without the quadratic parse that libyaml would need (the
test has a timeout), and JSON at the same bracket with the same message. Brackets
inside quoted strings and comments do not count.

usage: check_flow_depth.py CFGATE SCHEMAS
"""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from scratch import scratch_writer  # noqa: E402

cfgate, schemas = sys.argv[1:3]
write = scratch_writer("cfgate-depth-")
DEPTH = 100000
PREFIX = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: "


def check(path):
    command = [cfgate, "check", "--policy", POLICY, "--schemas", schemas, path]
    return subprocess.run(command, capture_output=True, text=True, timeout=20)


POLICY = write("policy.gate", "type AWS::SQS::Queue { * }\n")
failures = []


def expect(name, text, returncode, needle):
    result = check(write(name, text))
    if result.returncode != returncode or needle not in result.stdout:
        failures.append("%s: exit %d, expected %d with %r\n%s" %
                        (name, result.returncode, returncode, needle, result.stdout[-600:]))


# The 201st bracket is the 201st character after the 17 of "      QueueName: ".
expect("deep.yaml", PREFIX + "[" * DEPTH + "]" * DEPTH + "\n", 2,
       "deep.yaml:5:218: error: too many nested values (limit is 200)")
expect("deep-maps.yaml", PREFIX + "{a: " * DEPTH + "}" * DEPTH + "\n", 2,
       "deep-maps.yaml:5:818: error: too many nested values (limit is 200)")
# JSON passes jansson's own depth limit (2048) too, and gets the same message
# at the 201st bracket: the 197th [ after the 4 { of the 76 characters before it.
JSON_PREFIX = '{"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": '
expect("deep.json", JSON_PREFIX + "[" * DEPTH + "]" * DEPTH + "}}}}", 2,
       "deep.json:1:%d: error: too many nested values (limit is 200)" % (len(JSON_PREFIX) + 197))
expect("quoted.yaml", PREFIX + '"' + "[" * DEPTH + '"\n', 0, "1 compliant")
expect("single-quoted.yaml", PREFIX + "'it''s " + "{" * DEPTH + "'\n", 0, "1 compliant")
expect("comment.yaml", PREFIX + "abc # " + "[" * DEPTH + "\n", 0, "1 compliant")

for failure in failures:
    print("FAIL " + failure)
print("%d cases, %d failed" % (6, len(failures)))
sys.exit(1 if failures else 0)
