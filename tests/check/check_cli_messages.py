"""Tests of the messages of cfgate check for inputs a new user tries: deep
plain nesting, several missing placeholders, unknown --context names and
a UTF-8 byte order mark.

    check_cli_messages.py CFGATE SCHEMAS WORK_DIR
"""

import json
import os
import subprocess
import sys
import unittest

CFGATE = SCHEMAS = WORK = None

POLICY = """type AWS::SQS::Queue {
    QueueName pattern "^ok-[a-z]+$"
}
"""

ACCOUNT = ["--account-id", "123456789012", "--region", "us-east-1"]


def write(name, text, mode="w"):
    path = os.path.join(WORK, name)
    with open(path, mode) as handle:
        handle.write(text)
    return path


def run(*args, stdin=None):
    return subprocess.run([CFGATE, *args], capture_output=True, text=True, input=stdin,
                          timeout=120, env={**os.environ, "CFGATE_SCHEMAS": SCHEMAS})


def nested_template(depth, leaf):
    value = leaf
    for _ in range(depth):
        value = {"a": value}
    return json.dumps({"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {
        "QueueName": "ok-a", "RedrivePolicy": value}}}})


class MessageTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.policy = write("queue.gate", POLICY)
        cls.star = write("star.gate", "type AWS::SQS::Queue { * }\n")

    def check_json(self, policy, *args):
        result = run("check", "--policy", policy, *ACCOUNT, "--format", "json", *args)
        return result.returncode, json.loads(result.stdout) if result.stdout else None, result.stderr

    def test_plain_nesting_past_limit(self):
        path = write("deep.json", nested_template(70, 1))
        status, report, _ = self.check_json(self.star, path)
        self.assertEqual(status, 1)
        finding = report["templates"][0]["resources"][0]["findings"][0]
        self.assertEqual(finding["message"], "too many nested arrays and objects (limit is 64)")

    def test_intrinsic_nesting_past_limit(self):
        path = write("deep-call.json", nested_template(70, {"Ref": "AWS::Region"}))
        status, report, _ = self.check_json(self.star, path)
        self.assertEqual(status, 1)
        finding = report["templates"][0]["resources"][0]["findings"][0]
        self.assertEqual(finding["message"], "too many nested arrays and objects (limit is 64)")
        calls = {"Fn::Join": ["", [{"Fn::Join": ["", ["a"]]}]]}
        for _ in range(40):
            calls = {"Fn::Join": ["", [calls]]}
        path = write("deep-join.json", json.dumps({"Resources": {"Q": {
            "Type": "AWS::SQS::Queue", "Properties": {"QueueName": calls}}}}))
        status, report, _ = self.check_json(self.star, path)
        self.assertEqual(status, 1)
        finding = report["templates"][0]["resources"][0]["findings"][0]
        self.assertEqual(finding["message"],
                         "too many nested intrinsic functions, arrays and objects (limit is 64)")

    def test_nesting_within_limit(self):
        path = write("shallow.json", nested_template(50, 1))
        status, report, stderr = self.check_json(self.star, path)
        self.assertEqual(status, 0, stderr)
        self.assertEqual(report["summary"]["compliant"], 1)


if __name__ == "__main__":
    CFGATE, SCHEMAS, WORK = sys.argv[1:4]
    os.makedirs(WORK, exist_ok=True)
    unittest.main(argv=sys.argv[:1], verbosity=1)
