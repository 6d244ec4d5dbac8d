"""Tests of bench/run.sh usage errors: each is rejected with exit status 2
and a "bench:" message before any build, setup or generation starts.

usage: run_usage.py CFGATE
"""
import os
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
from scratch import scratch_writer  # noqa: E402

RUN_SH = os.path.join(HERE, "..", "..", "bench", "run.sh")
PGO_SH = os.path.join(HERE, "..", "..", "bench", "pgo.sh")
CFGATE = None
write = scratch_writer("cfgate-bench-usage-")


def run_bench(*args):
    return subprocess.run([RUN_SH, "--no-setup", *args], capture_output=True, text=True, timeout=60)


class UsageTest(unittest.TestCase):
    def assert_usage_error(self, args, message):
        result = run_bench(*args)
        self.assertEqual(result.returncode, 2, (args, result.stdout, result.stderr))
        self.assertIn(message, result.stderr, args)
        self.assertNotIn("unbound variable", result.stderr, args)
        self.assertNotIn("building cfgate", result.stdout, args)

    def test_missing_values_rejected(self):
        for option in ("--runs", "--out", "--cfgate", "--build-dir", "--driver", "--tokenizer"):
            self.assert_usage_error([option], "bench: %s needs a value" % option)
            self.assert_usage_error([option, "--quick"], "bench: %s needs a value" % option)
            self.assert_usage_error([option + "="], "bench: %s needs a value" % option)

    def test_bad_runs_rejected(self):
        for value in ("abc", "0", "-1", "2.5"):
            self.assert_usage_error(["--runs", value], "bench: --runs must be a positive integer, not '%s'" % value)
            self.assert_usage_error(["--runs=" + value], "bench: --runs must be a positive integer, not '%s'" % value)

    def test_quick_with_runs_rejected(self):
        self.assert_usage_error(["--quick", "--runs", "5"], "bench: --quick makes one run; leave out --runs 5")

    def test_equals_form_accepted(self):
        folder = os.path.dirname(write("folder/.keep", ""))
        self.assert_usage_error(["--runs=2", "--cfgate=" + folder], "bench: %s is not an executable file" % folder)

    def test_flag_with_value_rejected(self):
        self.assert_usage_error(["--quick=yes"], "bench: --quick takes no value")

    def test_unknown_option_with_value_named(self):
        self.assert_usage_error(["--bogus=1"], "bench: unknown option '--bogus'")

    def test_driver_without_cfgate_rejected(self):
        self.assert_usage_error(["--driver", CFGATE], "bench: --driver needs --cfgate")
        self.assert_usage_error(["--tokenizer", CFGATE], "bench: --tokenizer needs --cfgate")

    def test_build_dir_with_cfgate_rejected(self):
        self.assert_usage_error(["--build-dir", write.root, "--cfgate", CFGATE],
                                "bench: --build-dir and --cfgate cannot be used together")

    def test_repeated_option_rejected(self):
        self.assert_usage_error(["--cfgate", "/nonexistent", "--cfgate", CFGATE],
                                "bench: --cfgate is given twice; each option may be given once")
        self.assert_usage_error(["--quick", "--quick"], "bench: --quick is given twice")
        self.assert_usage_error(["--out=a", "--out", "b"], "bench: --out is given twice")

    def test_help_prints_whole_header(self):
        result = run_bench("--help")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertTrue(result.stdout.rstrip().endswith("peers that are not installed are skipped."),
                        result.stdout[-300:])

    def test_no_pgo_with_cfgate_rejected(self):
        self.assert_usage_error(["--no-pgo", "--cfgate", CFGATE],
                                "bench: --no-pgo applies to a build; with --cfgate nothing is built")
        self.assert_usage_error(["--no-pgo=1"], "bench: --no-pgo takes no value")

    def test_cfgate_folder_rejected(self):
        self.assert_usage_error(["--cfgate", write.root], "bench: %s is not an executable file" % write.root)

    def test_unwritable_out_rejected(self):
        blocker = write("a-file", "")
        out = os.path.join(blocker, "out")
        self.assert_usage_error(["--quick", "--cfgate", CFGATE, "--out", out],
                                "bench: cannot create or write the output folder %s" % out)


    def test_full_run_needs_templates(self):
        corpus = os.path.dirname(write("corpus/cfn-schemas/us-east-1/.keep", ""))
        corpus = os.path.dirname(os.path.dirname(corpus))
        env = {**os.environ, "CFGATE_CORPUS": corpus}
        result = subprocess.run([RUN_SH, "--no-setup", "--cfgate", CFGATE], capture_output=True, text=True,
                                env=env, timeout=60)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("bench: no template corpus at %s/templates" % corpus, result.stderr)


class PgoUsageTest(unittest.TestCase):
    """bench/pgo.sh stops with exit status 2 before it configures anything."""

    def run_pgo(self, args, env=None):
        return subprocess.run([PGO_SH, *args], capture_output=True, text=True, timeout=60, env=env)

    def test_build_folder_required(self):
        for args in ([], ["--bogus"], [write.root, "extra"]):
            result = self.run_pgo(args)
            self.assertEqual(result.returncode, 2, (args, result.stderr))
            self.assertIn("pgo: usage: bench/pgo.sh BUILD_DIR", result.stderr)

    def test_missing_snapshot_named(self):
        env = {**os.environ, "CFGATE_CORPUS": os.path.join(write.root, "no-corpus")}
        build = os.path.join(write.root, "pgo-build")
        result = self.run_pgo([build], env)
        self.assertEqual(result.returncode, 2, result.stderr)
        self.assertIn("pgo: no provider schema snapshot at %s/no-corpus/cfn-schemas/us-east-1" % write.root,
                      result.stderr)
        self.assertFalse(os.path.exists(build))


if __name__ == "__main__":
    CFGATE = sys.argv[1]
    unittest.main(argv=sys.argv[:1])
