"""Tests of the figures the bench harness derives from its runs. A
cfgate-cli run no slower than its one-line run is "not measurable" (null in
results.json), not an absurd MB/s. A tokenizer floor that prints 0 seconds is
not measurable either, and one that prints a negative time or no number
fails. Peak RSS is the median over the runs, like the times, and the
results record how the measured programs were built.

usage: harness_figures.py CFGATE
"""
import io
import json
import os
import stat
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
sys.path.insert(0, os.path.join(HERE, "..", "..", "bench", "harness"))
from scratch import scratch_writer  # noqa: E402
from workload_files import write_workload_folder  # noqa: E402

import build_info  # noqa: E402
import results  # noqa: E402
import throughput  # noqa: E402
import validators  # noqa: E402

CFGATE = None
write = scratch_writer("cfgate-bench-figures-")


def write_workload(name):
    return throughput.Workload(write_workload_folder(write, name))


class FixedTime:
    """A validator whose every run takes VALIDATE_S seconds, with the peak
    RSS values of PEAKS in turn."""

    language = "c"
    is_floor = False

    def __init__(self, name, validate_s, peaks=(2048,)):
        self.name = name
        self.validate_s = validate_s
        self.peaks = list(peaks)
        self.count = 0

    def run(self, workload, scratch):
        peak = self.peaks[self.count % len(self.peaks)]
        self.count += 1
        return validators.Measurement(1.0, self.validate_s, peak, ["1", "0"])


def report_of(workload_result):
    environment = {"cpu": "test", "cores": 1, "kernel": "test", "cfgate": "cfgate test",
                   "checkout": {"commit": "0", "uncommitted_changes": "no"},
                   "build": {"build_type": "Test", "lto": "OFF", "pgo": "OFF", "compiler": "GNU 0"},
                   "node": "-", "ajv": "-", "schemasafe": "-", "python": "-", "jsonschema": "-",
                   "fastjsonschema": "-", "load_average_start": [0, 0, 0]}
    return {"mode": "full", "runs": 1, "validators": [], "environment": environment,
            "workloads": [workload_result], "extras": {}, "agreement": True}


class NotMeasurableTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.workload = write_workload("tiny")
        cls.runs = throughput.Runs(3, write.root)

    def test_cli_slower_startup_not_measurable(self):
        cli = validators.CfgateValidator(CFGATE)
        # A one-line run that took an hour: every real run is faster.
        cli.baseline_run_s[self.workload.name] = 3600.0
        result, _ = throughput.median_result(cli, self.workload, self.runs)
        self.assertIsNone(result["validate_s"])
        self.assertIsNone(result["mb_per_s"])
        self.assertIsNone(result["instances_per_s"])

    def test_zero_time_not_measurable(self):
        result, _ = throughput.median_result(FixedTime("zero", 0.0), self.workload, self.runs)
        self.assertIsNone(result["mb_per_s"])

    def test_speedup_none_when_not_measurable(self):
        rows = [throughput.median_result(FixedTime("cfgate-cli", -0.01), self.workload, self.runs)[0],
                throughput.median_result(FixedTime("ajv", 0.5), self.workload, self.runs)[0]]
        throughput.add_ratios(rows)
        self.assertIsNone(rows[0]["cfgate_speedup"])
        self.assertIsNone(rows[1]["cfgate_speedup"])

    def test_results_print_not_measurable(self):
        workload_result = throughput.measure_workload(
            self.workload, [FixedTime("cfgate-cli", -0.01), FixedTime("ajv", 0.5)], self.runs, io.StringIO())
        out = os.path.dirname(write("out/.keep", ""))
        results.write(out, report_of(workload_result))
        with open(os.path.join(out, "results.md"), encoding="utf-8") as f:
            markdown = f.read()
        with open(os.path.join(out, "results.json"), encoding="utf-8") as f:
            saved = json.load(f)
        self.assertIn("| cfgate-cli \\* | not measurable | not measurable |", markdown)
        self.assertIn("Mode: full, 1 run per validator and workload (median).", markdown)
        cli = next(r for r in saved["workloads"][0]["results"] if r["validator"] == "cfgate-cli")
        self.assertIsNone(cli["mb_per_s"])
        self.assertIsNone(cli["validate_s"])


class PeakMedianTest(unittest.TestCase):
    def test_run_counts_singular_plural(self):
        self.assertEqual(results.count_of(1, "run"), "1 run")
        self.assertEqual(results.count_of(3, "run"), "3 runs")

    def test_peak_rss_is_median(self):
        workload = write_workload("peaks")
        validator = FixedTime("v", 0.5, peaks=(3000, 1000, 2000))
        result, _ = throughput.median_result(validator, workload, throughput.Runs(3, write.root))
        self.assertEqual(result["peak_rss_kib"], 2000)
        self.assertEqual(result["peak_rss_kib_max"], 3000)


def build_settings_of(folder, cache, flags):
    """Return build_info's settings of FOLDER/cli/cfgate, a build folder
    with CACHE as its CMakeCache.txt and FLAGS as the runtime's C flags."""
    write(folder + "/CMakeCache.txt", cache)
    write(folder + "/runtime/CMakeFiles/cfgate_runtime.dir/flags.make", "C_FLAGS = %s\n" % flags)
    return build_info.build_settings(write(folder + "/cli/cfgate", ""))


class BuildInfoTest(unittest.TestCase):
    def test_build_settings_of_cfgate(self):
        settings = build_info.build_settings(CFGATE)
        self.assertIsNotNone(settings["folder"])
        self.assertNotEqual(settings["build_type"], "unknown")
        self.assertIn(settings["lto"], ("ON", "OFF"))
        self.assertNotEqual(settings["pgo"], "unknown")
        self.assertNotEqual(settings["compiler"], "unknown")

    def test_settings_read_from_runtime_flags(self):
        # The cache requests link-time optimization, but a Debug build gets none.
        write("debug/CMakeCache.txt", "CMAKE_BUILD_TYPE:STRING=Debug\nCFGATE_LTO:BOOL=ON\n")
        write("debug/runtime/CMakeFiles/cfgate_runtime.dir/flags.make", "C_FLAGS = -g -O0 -Wall\n")
        settings = build_info.build_settings(write("debug/cli/cfgate", ""))
        self.assertEqual(settings["build_type"], "Debug (-O0)")
        self.assertEqual(settings["lto"], "OFF")
        self.assertEqual(settings["pgo"], "OFF")

    def test_sanitizer_build_named(self):
        settings = build_settings_of("san", "CMAKE_BUILD_TYPE:STRING=Debug\n",
                                     "-g -fsanitize=address,undefined -fno-omit-frame-pointer")
        self.assertEqual(settings["build_type"], "Debug (no -O flag) with sanitizers (-fsanitize=address,undefined)")

    def test_other_build_of_driver_reported(self):
        write("plain/CMakeCache.txt", "CMAKE_BUILD_TYPE:STRING=RelWithDebInfo\n")
        write("plain/runtime/CMakeFiles/cfgate_runtime.dir/flags.make", "C_FLAGS = -O2 -g\n")
        write("trained/CMakeCache.txt", "CMAKE_BUILD_TYPE:STRING=RelWithDebInfo\n")
        write("trained/runtime/CMakeFiles/cfgate_runtime.dir/flags.make",
              "C_FLAGS = -O2 -g -fprofile-use=/b/pgo-profile\n")
        cfgate = write("trained/cli/cfgate", "")
        driver = write("plain/bench/driver/cfgate-bench", "")
        tokenizer = write("trained/bench/tokenizer/cfgate-tokenize", "")
        builds = results.other_builds(cfgate, driver, tokenizer)
        self.assertEqual(sorted(builds), ["cfgate-bench"])
        self.assertEqual(builds["cfgate-bench"]["pgo"], "OFF")

        report = report_of(None)
        report["workloads"] = []
        report["environment"]["other_builds"] = builds
        out = os.path.dirname(write("other-build-report/.keep", ""))
        results.write(out, report)
        with open(os.path.join(out, "results.md"), encoding="utf-8") as f:
            self.assertIn("cfgate-bench is from another build: RelWithDebInfo (-O2), link-time optimization OFF, "
                          "profile-guided optimization OFF", f.read())

    def test_pgo_read_from_runtime_flags(self):
        # The cache entry is OFF, but the runtime was built with a profile.
        cache = "CMAKE_BUILD_TYPE:STRING=RelWithDebInfo\nCFGATE_PGO:STRING=OFF\n"
        settings = build_settings_of("pgo", cache, "-O2 -g -fprofile-use=/b/pgo-profile -fprofile-partial-training")
        self.assertTrue(settings["pgo"].startswith("USE"), settings["pgo"])

        settings = build_settings_of("pgo", cache, "-O2 -g -fprofile-generate=/b/pgo-profile")
        self.assertTrue(settings["pgo"].startswith("GENERATE"), settings["pgo"])

    def test_pgo_folder_with_space_read(self):
        settings = build_settings_of("pgo space", "CMAKE_BUILD_TYPE:STRING=RelWithDebInfo\n",
                                     '-O2 -g "-fprofile-use=/b/pgo space/pgo-profile" -fprofile-partial-training')
        self.assertTrue(settings["pgo"].startswith("USE"), settings["pgo"])
        self.assertEqual(settings["build_type"], "RelWithDebInfo (-O2)")

    def test_binary_outside_build_unknown(self):
        settings = build_info.build_settings(write("lonely/cfgate", ""))
        self.assertEqual(settings["build_type"], "unknown")

    def test_checkout_state_tracks_changes(self):
        repo = os.path.dirname(write("repo/file.txt", "one\n"))
        git = ["git", "-C", repo, "-c", "user.name=test", "-c", "user.email=test@example.com"]
        subprocess.run(git + ["init", "-q"], check=True)
        subprocess.run(git + ["add", "file.txt"], check=True)
        subprocess.run(git + ["commit", "-q", "-m", "first"], check=True)
        clean = build_info.checkout_state(repo)
        self.assertEqual(clean["uncommitted_changes"], "no")
        self.assertRegex(clean["commit"], "^[0-9a-f]{7,}$")

        write("repo/new.txt", "new\n")
        self.assertEqual(build_info.checkout_state(repo)["uncommitted_changes"], "yes")

        os.remove(os.path.join(repo, "new.txt"))
        write("repo/file.txt", "two\n")
        self.assertEqual(build_info.checkout_state(repo)["uncommitted_changes"], "yes")

    def test_results_name_build(self):
        environment = results.environment(write.root, CFGATE)
        self.assertIn("build_type", environment["build"])
        self.assertIn("uncommitted_changes", environment["checkout"])
        self.assertNotIn("commit", environment)


class TokenizerSecondsTest(unittest.TestCase):
    def tokenizer_printing(self, seconds):
        script = write("tokenizer-%s.sh" % seconds, "#!/bin/sh\n"
                       "echo 'documents 2 malformed 0 bytes 11 seconds %s MB/s 0.0 events 1'\n" % seconds)
        os.chmod(script, os.stat(script).st_mode | stat.S_IXUSR)
        return validators.CfgateTokenizer(script)

    def test_zero_seconds_not_measurable(self):
        workload = write_workload("tokenizer")
        runs = throughput.Runs(1, write.root)
        row, _ = throughput.median_result(self.tokenizer_printing("0.000000"), workload, runs)
        self.assertIsNone(row["mb_per_s"])
        self.assertIsNone(row["validate_s"] or None)

    def test_bad_seconds_fail(self):
        workload = write_workload("tokenizer")
        for seconds in ("-1", "nan", "abc", "inf"):
            with self.assertRaisesRegex(validators.RunFailed, "printed seconds %s, expected a finite time of 0 or more"
                                        % seconds):
                self.tokenizer_printing(seconds).run(workload, write.root)


if __name__ == "__main__":
    CFGATE = sys.argv[1]
    unittest.main(argv=sys.argv[:1])
