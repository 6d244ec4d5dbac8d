"""Tests of the options of scripts/demo.sh that it reads before it builds.

    demo_script_test.py DEMO

Each case stops before the build: --help, a repeated or empty --schemas,
and a --schemas value or corpus folder that does not exist, which the
error message names. The script runs from a scratch copy with no
scripts/build.sh beside it, so a case that reached the build would fail
instead of building.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

DEMO = None
USAGE = "usage: scripts/demo.sh [--schemas DIR|ZIP] [TEMPLATE|DIR ...]"


def run_demo(*args, **env):
    environment = {key: value for key, value in os.environ.items()
                   if key not in ("CFGATE_SCHEMAS", "CFGATE_CORPUS")}
    environment.update(env)
    return subprocess.run(["bash", DEMO, *args], capture_output=True, text=True,
                          env=environment, timeout=60)


class DemoOptions(unittest.TestCase):
    def test_help_exits_zero(self):
        for option in ("--help", "-h"):
            result = run_demo("stack.yaml", option)
            self.assertEqual(result.returncode, 0, result.stderr)
            self.assertEqual(result.stdout.splitlines()[0], USAGE)
            self.assertEqual(result.stderr, "")

    def test_schemas_after_templates(self):
        result = run_demo("stack.yaml", "--schemas", "/nonexistent/given",
                          CFGATE_SCHEMAS="/nonexistent/environment")
        self.assertEqual(result.returncode, 2)
        self.assertIn("demo: no provider schemas at /nonexistent/given:", result.stderr)

    def test_schemas_equals_form_after_templates(self):
        result = run_demo("stack.yaml", "--schemas=/nonexistent/given")
        self.assertEqual(result.returncode, 2)
        self.assertIn("demo: no provider schemas at /nonexistent/given:", result.stderr)

    def test_schemas_given_twice(self):
        result = run_demo("--schemas", "/nonexistent/a", "stack.yaml", "--schemas=/nonexistent/b")
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stderr.splitlines(),
                         ["demo: option --schemas is given more than once", USAGE])

    def test_schemas_without_value(self):
        for args in (("stack.yaml", "--schemas"), ("--schemas=",)):
            result = run_demo(*args)
            self.assertEqual(result.returncode, 2, args)
            self.assertEqual(result.stderr.splitlines(),
                             ["demo: option --schemas needs a value", USAGE])

    def test_unknown_option(self):
        result = run_demo("--schema", "/nonexistent/given")
        self.assertEqual(result.returncode, 2)
        self.assertTrue(result.stderr.startswith("demo: unknown option --schema "), result.stderr)

    def test_schemas_from_corpus_variable(self):
        result = run_demo("stack.yaml", CFGATE_CORPUS="/nonexistent/corpus")
        self.assertEqual(result.returncode, 2)
        self.assertIn("demo: no provider schemas at /nonexistent/corpus/cfn-schemas/us-east-1:",
                      result.stderr)


if __name__ == "__main__":
    scratch = tempfile.mkdtemp(prefix="cfgate-demo-")
    os.mkdir(os.path.join(scratch, "scripts"))
    DEMO = shutil.copy(sys.argv.pop(1), os.path.join(scratch, "scripts", "demo.sh"))
    unittest.main()
