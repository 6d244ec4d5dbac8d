"""Tests of how the bench harness reports a failure after the throughput
phase: a missing hyperfine or /usr/bin/time, a path with a space, and a
cfgate validate that exits before reading its whole input each give a
"bench: ..." message instead of a traceback. The throughput results are
on disk before the extras start.

usage: harness_errors.py CFGATE
"""
import io
import json
import os
import shutil
import stat
import sys
import unittest
from unittest import mock

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
sys.path.insert(0, os.path.join(HERE, "..", "..", "bench", "harness"))
from scratch import scratch_writer  # noqa: E402
from workload_files import write_workload_folder  # noqa: E402

import bench  # noqa: E402
import extras  # noqa: E402
import throughput  # noqa: E402
import validators  # noqa: E402

CFGATE = None
write = scratch_writer("cfgate-bench-errors-")


def write_script(name, text):
    path = write(name, text)
    os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR)
    return path


def write_workload(name):
    return write_workload_folder(write, name)


class ToolErrorTest(unittest.TestCase):
    def test_hyperfine_missing_names_package(self):
        empty = os.path.dirname(write("empty-bin/.keep", ""))
        with mock.patch.dict(os.environ, {"PATH": empty}):
            with self.assertRaises(extras.MeasurementFailed) as caught:
                extras.hyperfine([["/bin/true"]], 1, write.root, "missing")
        self.assertIn("cannot run hyperfine", str(caught.exception))
        self.assertIn("'hyperfine'", str(caught.exception))

    @unittest.skipUnless(shutil.which("hyperfine"), "hyperfine is not installed")
    def test_hyperfine_path_with_space(self):
        script = write_script("dir with space/ok.sh", "#!/bin/sh\nexit 0\n")
        timings = extras.hyperfine([[script, "an argument"]], 2, write.root, "space")
        self.assertEqual(timings[0]["runs"], 2)

    @unittest.skipUnless(shutil.which("hyperfine"), "hyperfine is not installed")
    def test_hyperfine_failure_raises_message(self):
        with self.assertRaises(extras.MeasurementFailed) as caught:
            extras.hyperfine([["/bin/false"]], 1, write.root, "false")
        self.assertIn("hyperfine exited", str(caught.exception))

    def test_time_missing_raises_run_failed(self):
        with mock.patch.object(validators, "TIME", os.path.join(write.root, "no-such-time")):
            with self.assertRaises(validators.RunFailed) as caught:
                validators.timed_process(["/bin/true"])
        self.assertIn("cannot run", str(caught.exception))
        self.assertIn("'time'", str(caught.exception))

    def test_early_exit_memory_error(self):
        workload = throughput.Workload(write_workload("early"))
        quitter = write_script("quitter.sh", "#!/bin/sh\necho stopped >&2\nexit 2\n")
        lines = ['{"a":%d}' % i for i in range(100)]
        result = extras.memory_run(quitter, workload, lines, 4, False)
        self.assertIn("error", result)
        self.assertIn("exited 2 before reading all of the 4 MiB stream", result["error"])
        self.assertIn("stopped", result["error"])


class ResultsBeforeExtrasTest(unittest.TestCase):
    def test_failed_extra_keeps_results(self):
        workloads = os.path.dirname(write_workload("run/workloads/s3-restricted"))
        out = os.path.join(write.root, "run", "out")
        seen = {}

        def cold_start(*args):
            seen["results_on_disk"] = os.path.exists(os.path.join(out, "results.json"))
            raise extras.MeasurementFailed("cannot run hyperfine: simulated")

        argv = ["bench.py", "--workloads", workloads, "--out", out, "--cfgate", CFGATE,
                "--policy-dir", write.root, "--snapshot", write.root, "--templates", write.root, "--quick"]
        log = io.StringIO()
        with mock.patch.object(sys, "argv", argv), mock.patch.object(sys, "stderr", log), \
                mock.patch.object(validators, "PEERS", []), mock.patch.object(extras, "cold_start", cold_start), \
                mock.patch.object(sys, "stdout", io.StringIO()):
            status = bench.main()

        self.assertEqual(status, 1)
        self.assertTrue(seen["results_on_disk"])
        self.assertIn("bench: cold_start: cannot run hyperfine: simulated", log.getvalue())
        with open(os.path.join(out, "results.json"), encoding="utf-8") as f:
            report = json.load(f)
        self.assertEqual(report["extras"]["cold_start"], {"error": "cannot run hyperfine: simulated"})
        self.assertTrue(report["agreement"])


if __name__ == "__main__":
    CFGATE = sys.argv[1]
    unittest.main(argv=sys.argv[:1])
