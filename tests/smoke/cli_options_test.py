"""Tests of the option handling every cfgate command shares: repeated
options, "--name=VALUE", missing values, unknown options with a hint, and
duplicate --parameter keys in cfgate check.

    cli_options_test.py CFGATE SCHEMAS WORK_DIR
"""

import json
import os
import re
import shutil
import subprocess
import sys
import unittest

CFGATE = SCHEMAS = WORK = None

POLICY = """type AWS::SQS::Queue {
    QueueName pattern "^ok-[a-z]+$"
}
"""

# QueueName comes from a parameter, so its value decides the verdict.
TEMPLATE = """Parameters:
  Env:
    Type: String
    Default: x
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub "ok-${Env}"
"""

ACCOUNT = ["--account-id", "123456789012", "--region", "us-east-1"]


def write(name, text):
    path = os.path.join(WORK, name)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    return path


def run(*args):
    return subprocess.run([CFGATE, *args], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "CFGATE_SCHEMAS": SCHEMAS})


class OptionTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.policy = write("queue.gate", POLICY)
        cls.template = write("queue.yaml", TEMPLATE)
        cls.schema = write("schema.json", '{"type": "object"}')
        cls.instance = write("instance.json", "{}")

    def check(self, *args):
        return run("check", "--policy", self.policy, *args)

    def assert_usage(self, result, command, message):
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertEqual(result.stdout, "")
        first = result.stderr.splitlines()[0]
        self.assertEqual(first, "cfgate %s: %s" % (command, message))

    def test_parameter_value_decides(self):
        self.assertEqual(self.check(*ACCOUNT, "--parameter", "Env=ok", self.template).returncode, 0)
        self.assertEqual(self.check(*ACCOUNT, "--parameter", "Env=BAD", self.template).returncode, 1)

    def test_duplicate_parameter_rejected(self):
        result = self.check(*ACCOUNT, "--parameter", "Env=ok", "--parameter", "Env=BAD",
                            self.template)
        self.assert_usage(result, "check",
                          "duplicate --parameter key 'Env': give each parameter one value")

    def test_repeated_single_value_options(self):
        for option, value in [("--region", "us-east-1"), ("--account-id", "123456789012"),
                              ("--format", "json"), ("--schemas", SCHEMAS),
                              ("--partition", "aws"), ("--stack-name", "s")]:
            with self.subTest(option=option):
                result = self.check(option, value, option, value, self.template)
                self.assert_usage(result, "check",
                                  "option %s is given more than once; it takes one value" % option)

    def test_repeated_flags(self):
        cases = [("check", ["check", "--strict", "--strict", *ACCOUNT, self.template], "--strict"),
                 ("validate", ["validate", "--ndjson", "--ndjson", "--schema", self.schema,
                               self.instance], "--ndjson"),
                 ("validate", ["validate", "--all-errors", "--all-errors", "--schema", self.schema,
                               self.instance], "--all-errors"),
                 ("validate", ["validate", "--assert-formats", "--assert-formats", "--schema",
                               self.schema, self.instance], "--assert-formats")]
        for command, args, option in cases:
            with self.subTest(option=option):
                hint = " (see cfgate validate --help)" if command == "validate" else ""
                self.assert_usage(run(*args), command,
                                  "option %s is given more than once%s" % (option, hint))

    def test_repeatable_options_accepted(self):
        other = write("other.gate", "type AWS::SNS::Topic { * }\n")
        result = self.check("--policy", other, *ACCOUNT, "--parameter", "Env=ok",
                            "--parameter", "Unused=1", self.template)
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_equals_form(self):
        result = run("check", "--policy=" + self.policy, "--account-id=123456789012",
                     "--region=us-east-1", "--format=json", "--parameter=Env=ok", self.template)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(json.loads(result.stdout)["summary"]["compliant"], 1)

    def test_equals_form_every_command(self):
        result = run("validate", "--schema=" + self.schema, "--format=json", self.instance)
        self.assertEqual(result.returncode, 0, result.stderr)
        out = os.path.join(WORK, "compiled")
        result = run("compile", self.policy, "--output=" + out, "--max-errors=3",
                     "--schemas=" + SCHEMAS)
        self.assertEqual(result.returncode, 0, result.stderr)
        template = os.path.join(out, "templates", "aws-sqs-queue.json")
        result = run("instantiate", template, "--context=AWS::Region=us-east-1")
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_value_starting_with_dashes_is_missing(self):
        result = run("check", "--policy", "--region", "us-east-1", self.template)
        self.assert_usage(result, "check", "--policy needs a value")

    def test_empty_value_is_missing(self):
        result = run("check", "--policy=", *ACCOUNT, self.template)
        self.assert_usage(result, "check", "--policy needs a value")
        result = run("check", "--policy", "", *ACCOUNT, self.template)
        self.assert_usage(result, "check", "--policy needs a value")
        result = run("hook", "--policy", self.policy, "--event=")
        self.assertEqual(result.returncode, 2)
        self.assertEqual(json.loads(result.stdout)["message"], "cfgate hook: --event needs a value")

    def test_short_alias_equals_form(self):
        out = os.path.join(WORK, "short-alias")
        result = run("compile", self.policy, "-o=" + out, "--schemas", SCHEMAS)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(os.path.isfile(os.path.join(out, "manifest.json")))

    def test_double_dash_ends_options_every_command(self):
        dashed = write("-odd.yaml", TEMPLATE)
        result = subprocess.run([CFGATE, "check", "--policy", self.policy, *ACCOUNT,
                                 "--parameter", "Env=ok", "--", "-odd.yaml"],
                                capture_output=True, text=True, timeout=120, cwd=WORK,
                                env={**os.environ, "CFGATE_SCHEMAS": SCHEMAS})
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("1 compliant", result.stdout)
        self.assertTrue(os.path.exists(dashed))
        write("-odd.gate", POLICY)
        result = subprocess.run([CFGATE, "compile", "-o", "dashed-out", "--", "-odd.gate"],
                                capture_output=True, text=True, timeout=120, cwd=WORK,
                                env={**os.environ, "CFGATE_SCHEMAS": SCHEMAS})
        self.assertEqual(result.returncode, 0, result.stderr)
        template = os.path.join(WORK, "dashed-out", "templates", "aws-sqs-queue.json")
        result = run("instantiate", "--context", "AWS::Region=us-east-1", "--", template)
        self.assertEqual(result.returncode, 0, result.stderr)
        result = run("instantiate", template, "--", template)
        self.assert_usage(result, "instantiate", "only one template may be given")

    def test_compile_rejects_non_gate_file(self):
        text_policy = write("queue.txt", POLICY)
        out = os.path.join(WORK, "text-policy-out")
        result = run("compile", text_policy, "-o", out, "--schemas", SCHEMAS)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertEqual(result.stderr.splitlines()[0],
                         "%s: error: not a .gate file: cfgate compile takes .gate files or "
                         "folders of them" % text_policy)
        self.assertFalse(os.path.exists(out))
        result = self.check(*ACCOUNT, "--policy", text_policy, self.template)
        self.assertEqual(result.returncode, 2)
        self.assertIn("%s: error: not a .gate file" % text_policy, result.stderr)

    def test_folder_without_manifest(self):
        out = os.path.join(WORK, "no-manifest")
        shutil.rmtree(out, ignore_errors=True)
        result = run("compile", self.policy, "-o", out)
        self.assertEqual(result.returncode, 0, result.stderr)
        os.remove(os.path.join(out, "manifest.json"))
        message = ("cfgate: error: '%s' has no manifest.json, so it is not a compiled policy "
                   "folder, and it contains no .gate files: run cfgate compile POLICY.gate -o %s "
                   "to write it again, or pass the .gate sources [io]" % (out, out))
        result = self.check(*ACCOUNT, "--policy", out, self.template)
        self.assertEqual(result.returncode, 2)
        self.assertIn(message, result.stderr.splitlines())
        self.assertNotIn("no resource type", result.stderr)
        result = run("compile", out, "-o", os.path.join(WORK, "recompiled"))
        self.assertEqual(result.returncode, 2)
        self.assertIn(message, result.stderr.splitlines())

    def test_flag_with_value(self):
        result = self.check("--strict=1", self.template)
        self.assert_usage(result, "check", "option --strict takes no value, got '1'")

    def test_misspelt_option_hint(self):
        cases = [("check", ["--frmat", "json"], "--format"),
                 ("validate", ["--shema", self.schema], "--schema"),
                 ("compile", ["--otput", "x"], "--output"),
                 ("instantiate", ["--contxt", "A=1"], "--context")]
        for command, args, hint in cases:
            with self.subTest(command=command):
                result = run(command, *args)
                self.assertEqual(result.returncode, 2, result.stderr)
                self.assertIn("cfgate %s: unknown option '%s': did you mean '%s'?"
                              % (command, args[0], hint), result.stderr)

    def test_unknown_option_without_hint(self):
        result = self.check("--zzzzzzzz", self.template)
        self.assert_usage(result, "check", "unknown option '--zzzzzzzz'")

    def test_repeated_options_other_commands(self):
        result = run("validate", "--schema", self.schema, "--schema", self.schema, self.instance)
        self.assertEqual(result.returncode, 2)
        self.assertIn("option --schema is given more than once", result.stderr)
        result = run("compile", self.policy, "-o", "a", "--output", "b")
        self.assertEqual(result.returncode, 2)
        self.assertIn("option --output is given more than once", result.stderr)

    def test_hook_repeated_region_fails_closed(self):
        result = run("hook", "--policy", self.policy, "--region", "us-east-1",
                     "--region=us-east-2")
        self.assertEqual(result.returncode, 2)
        response = json.loads(result.stdout)
        self.assertEqual(response["hookStatus"], "FAILED")
        self.assertEqual(response["message"],
                         "cfgate hook: option --region is given more than once; it takes one value")

    def test_help_after_double_dash_is_a_file(self):
        write("-h", TEMPLATE)
        result = subprocess.run([CFGATE, "check", "--policy", self.policy, *ACCOUNT,
                                 "--parameter", "Env=ok", "--", "-h"],
                                capture_output=True, text=True, timeout=120, cwd=WORK,
                                env={**os.environ, "CFGATE_SCHEMAS": SCHEMAS})
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("1 compliant", result.stdout)
        write("--help", "{}")
        result = subprocess.run([CFGATE, "validate", "--schema", self.schema, "--", "--help"],
                                capture_output=True, text=True, timeout=60, cwd=WORK)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertNotIn("usage:", result.stdout)

    def test_empty_context_value_rejected(self):
        # An unset shell variable in --context Team=$TEAM must not bind "".
        result = self.check(*ACCOUNT, "--context", "Team=", self.template)
        self.assert_usage(result, "check",
                          "empty --context value for 'Team': a placeholder needs a value")
        result = run("validate", "--schema", self.schema, "--context", "Team=", self.instance)
        self.assert_usage(result, "validate",
                          "empty --context value for 'Team': a placeholder needs a value")
        result = run("instantiate", "--context", "Team=", self.schema)
        self.assert_usage(result, "instantiate",
                          "empty --context value for 'Team': a placeholder needs a value")
        result = run("hook", "--policy", self.policy, "--context", "Team=")
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn('"hookStatus":"FAILED"', result.stdout)
        self.assertEqual(result.stderr.splitlines()[0],
                         "cfgate hook: empty --context value (a placeholder needs a value): Team")

    def test_context_value_not_utf8_rejected(self):
        # "\udcff" reaches the command as the byte 0xFF.
        binding = "Team=a\udcff"
        result = self.check(*ACCOUNT, "--context", binding, self.template)
        self.assert_usage(result, "check", "--context value for 'Team' is not valid UTF-8")
        result = run("hook", "--policy", self.policy, "--context", binding)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn('"hookStatus":"FAILED"', result.stdout)
        self.assertEqual(result.stderr.splitlines()[0],
                         "cfgate hook: --context value is not valid UTF-8: Team")

    def test_help_as_option_value_is_a_value(self):
        result = run("check", "--policy", "-h", self.template)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertEqual(result.stdout, "")
        self.assertIn("cannot open policy file or folder '-h': No such file or directory",
                      result.stderr)

    def test_double_dash_ends_validate_options(self):
        dashed = write("--odd.json", "{}")
        result = subprocess.run([CFGATE, "validate", "--schema", self.schema, "--", "--odd.json"],
                                capture_output=True, text=True, timeout=60, cwd=WORK)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(os.path.exists(dashed))

    def test_help_command(self):
        for command in ["check", "validate", "compile", "instantiate", "hook"]:
            with self.subTest(command=command):
                result = run("help", command)
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertEqual(result.stdout, run(command, "--help").stdout)
                self.assertTrue(result.stdout.startswith("usage: cfgate %s " % command))

    def test_help_lists_version(self):
        result = run("--help")
        self.assertEqual(result.returncode, 0)
        self.assertIn("  --version      print the version and the source commit of the build\n", result.stdout)

    def test_help_unknown_command(self):
        result = run("help", "nope")
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stderr.splitlines()[0], "cfgate: unknown command 'nope'")

    def test_misspelt_command_hint(self):
        for typed, meant in (("chek", "check"), ("--versoin", "--version"), ("--hlep", "--help")):
            result = run(typed)
            self.assertEqual(result.returncode, 2)
            self.assertEqual(result.stderr.splitlines()[0],
                             "cfgate: unknown command '%s': did you mean '%s'?" % (typed, meant))

    def test_help_exit_statuses(self):
        """The help of cfgate lists every status of the README's "Exit
        status" table, and the help of each command the statuses that
        command returns."""
        readme = os.path.join(os.path.dirname(__file__), "..", "..", "README.md")
        with open(readme, encoding="utf-8") as handle:
            section = handle.read().split("## Exit status\n", 1)[1].split("\n## ", 1)[0]
        documented = {int(row.group(1)): row.group(2)
                      for row in re.finditer(r"^\| (\d) \| (.*) \|$", section, re.MULTILINE)}
        self.assertEqual(sorted(documented), [0, 1, 2, 3])
        self.assertIn("`cfgate compile` only", documented[3])

        # The statuses each command returns: compile reports errors in the
        # policy with 2 and has no violations, instantiate only checks input.
        expected = {None: [0, 1, 2, 3], "check": [0, 1, 2], "hook": [0, 1, 2],
                    "validate": [0, 1, 2], "compile": [0, 2, 3], "instantiate": [0, 2]}
        for command, statuses in expected.items():
            with self.subTest(command=command):
                result = run("--help") if command is None else run(command, "--help")
                self.assertEqual(result.returncode, 0, result.stderr)
                self.assertIn("\nExit status: ", result.stdout)
                text = " ".join(result.stdout.split("\nExit status: ", 1)[1].split())
                listed = [int(status) for status in re.findall(r"(?:^|, )(\d) ", text)]
                self.assertEqual(listed, statuses, text)

    def test_compile_synopsis_lists_max_errors(self):
        synopsis = run("compile", "--help").stdout.split("\n\n")[0]
        self.assertIn("[--max-errors N]", synopsis)


if __name__ == "__main__":
    CFGATE, SCHEMAS, WORK = sys.argv[1:4]
    os.makedirs(WORK, exist_ok=True)
    unittest.main(argv=sys.argv[:1], verbosity=1)
