"""Tests of what cfgate writes. A failed write to standard output is exit
status 2 for every command. JUnit reports stay well-formed XML whatever the
template path contains. A broken symbolic link inside a template folder is
reported instead of skipped.

    cli_output_test.py CFGATE SCHEMAS WORK_DIR
"""

import json
import os
import subprocess
import sys
import unittest
import xml.etree.ElementTree as ElementTree

CFGATE = SCHEMAS = WORK = None

POLICY = """type AWS::SQS::Queue {
    QueueName pattern "^ok-[a-z]+$"
}
"""

GOOD = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: ok-a\n"
BAD = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: BAD\n"
ACCOUNT = ["--account-id", "123456789012", "--region", "us-east-1"]


def write(name, text):
    path = os.path.join(WORK, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    return path


def run(*args, stdout=subprocess.PIPE, stdin=None):
    return subprocess.run([CFGATE, *args], stdout=stdout, stderr=subprocess.PIPE, input=stdin,
                          timeout=120, env={**os.environ, "CFGATE_SCHEMAS": SCHEMAS})


class OutputTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.policy = write("queue.gate", POLICY)
        cls.good = write("good.yaml", GOOD)
        cls.schema = write("schema.json", '{"type": "object"}')
        cls.instance = write("instance.json", "{}")

    def to_full(self, *args, stdin=None):
        with open("/dev/full", "wb") as full:
            return run(*args, stdout=full, stdin=stdin)

    def test_full_device_every_command(self):
        compiled = os.path.join(WORK, "compiled")
        self.assertEqual(run("compile", self.policy, "-o", compiled).returncode, 0)
        template = os.path.join(compiled, "templates", "aws-sqs-queue.json")
        cases = [["--help"], ["--version"], ["help", "check"],
                 ["check", "--policy", self.policy, *ACCOUNT, self.good],
                 ["check", "--policy", self.policy, *ACCOUNT, "--format", "junit", self.good],
                 ["validate", "--schema", self.schema, self.instance],
                 ["instantiate", template, "--context", "AWS::Region=us-east-1"],
                 ["compile", self.policy, "-o", compiled, "--stats"],
                 ["hook", "--policy", self.policy, "--event", self.instance]]
        for args in cases:
            with self.subTest(args=args[:2]):
                result = self.to_full(*args)
                self.assertEqual(result.returncode, 2, result.stderr)
                self.assertIn(b"fail", result.stderr)

    def test_closed_pipe_is_write_failure(self):
        cases = [["check", "--policy", self.policy, *ACCOUNT, self.good],
                 ["validate", "--schema", self.schema, self.instance]]
        for args in cases:
            with self.subTest(args=args[:1]):
                reader, writer = os.pipe()
                os.close(reader)
                try:
                    result = run(*args, stdout=writer)
                finally:
                    os.close(writer)
                self.assertEqual(result.returncode, 2, result.stderr)
                self.assertIn(b"writing the", result.stderr)

    def test_instantiate_full_device_message(self):
        compiled = os.path.join(WORK, "compiled-instantiate")
        self.assertEqual(run("compile", self.policy, "-o", compiled).returncode, 0)
        template = os.path.join(compiled, "templates", "aws-sqs-queue.json")
        result = self.to_full("instantiate", template)
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stderr.decode(),
                         "cfgate instantiate: writing the schema to standard output failed: "
                         "No space left on device\n")

    def test_write_failure_names_cause(self):
        full = self.to_full("check", "--policy", self.policy, *ACCOUNT, self.good)
        self.assertEqual(full.returncode, 2, full.stderr)
        self.assertEqual(full.stderr.decode(),
                         "cfgate check: writing the report failed: No space left on device\n")
        full = self.to_full("validate", "--schema", self.schema, self.instance)
        self.assertEqual(full.returncode, 2, full.stderr)
        self.assertEqual(full.stderr.decode(),
                         "cfgate validate: writing the output failed: No space left on device\n")

        reader, writer = os.pipe()
        os.close(reader)
        try:
            closed = run("check", "--policy", self.policy, *ACCOUNT, self.good, stdout=writer)
        finally:
            os.close(writer)
        self.assertEqual(closed.returncode, 2, closed.stderr)
        self.assertEqual(closed.stderr.decode(),
                         "cfgate check: writing the report failed: Broken pipe\n")

    def junit(self, *paths):
        result = run("check", "--policy", self.policy, *ACCOUNT, "--format", "junit", *paths)
        return result.returncode, ElementTree.fromstring(result.stdout)

    def test_junit_escapes_path_text(self):
        folder = os.path.join(WORK, "a&b<c>")
        bad = write(os.path.join("a&b<c>", "bad\x1b\"q.yaml"), BAD)
        status, root = self.junit(bad)
        self.assertEqual(status, 1)
        failure = root.find("testsuite/testcase/failure")
        self.assertIsNotNone(failure)
        shown = os.path.join(folder, "bad?\"q.yaml")
        self.assertTrue(failure.text.startswith(shown + ":5:18: "), failure.text)
        self.assertEqual(root.find("testsuite").get("name"), shown)

    def test_junit_escapes_unparseable_text(self):
        broken = write(os.path.join("x&y", "broken<.json"), "{")
        status, root = self.junit(broken)
        self.assertEqual(status, 2)
        error = root.find("testsuite/testcase/error")
        self.assertIsNotNone(error)
        self.assertTrue(error.text.startswith(broken + ":"), error.text)

    def test_broken_link_in_folder_reported(self):
        folder = os.path.join(WORK, "links")
        os.makedirs(folder, exist_ok=True)
        write(os.path.join("links", "good.yaml"), GOOD)
        link = os.path.join(folder, "gone.yaml")
        if not os.path.islink(link):
            os.symlink("missing.yaml", link)
        result = run("check", "--policy", self.policy, *ACCOUNT, "--format", "json", folder)
        self.assertEqual(result.returncode, 2, result.stderr)
        report = json.loads(result.stdout)
        self.assertEqual(report["summary"]["templates"], 2)
        self.assertEqual(report["summary"]["unparseable"], 1)
        gone = [t for t in report["templates"] if t["path"] == link]
        self.assertEqual(len(gone), 1)
        self.assertEqual(gone[0]["error"]["message"],
                         "%s: broken symbolic link: its target 'missing.yaml' does not exist" % link)

    def test_broken_link_named_directly(self):
        link = os.path.join(WORK, "direct.yaml")
        if not os.path.islink(link):
            os.symlink("nowhere.yaml", link)
        result = run("check", "--policy", self.policy, *ACCOUNT, link)
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stderr.decode().splitlines()[0],
                         "cfgate check: %s: broken symbolic link: its target 'nowhere.yaml' "
                         "does not exist" % link)


if __name__ == "__main__":
    CFGATE, SCHEMAS, WORK = sys.argv[1:4]
    os.makedirs(WORK, exist_ok=True)
    unittest.main(argv=sys.argv[:1], verbosity=1)
