"""Tests of the figures the bench harness derives from its runs. A
cfgate-cli run no slower than its one-line run is "not measurable" (null in
results.json), not an absurd MB/s. A tokenizer floor that prints 0 seconds
gets its wall time instead.

usage: harness_figures.py CFGATE
"""
import io
import json
import os
import stat
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
sys.path.insert(0, os.path.join(HERE, "..", "..", "bench", "harness"))
from scratch import scratch_writer  # noqa: E402

import results  # noqa: E402
import throughput  # noqa: E402
import validators  # noqa: E402

CFGATE = None
write = scratch_writer("cfgate-bench-figures-")


def write_workload(name):
    """Write a two-line workload folder the way bench/workloads/generate.py does."""
    write(name + "/schema.json", '{"type":"object"}')
    write(name + "/schema.peers.json", '{"type":"object"}')
    write(name + "/instances.ndjson", '{"a":1}\n[]\n')
    write(name + "/expected.txt", "1\n0\n")
    write(name + "/manifest.json", json.dumps({"lines": 2, "source": "test"}))
    return throughput.Workload(os.path.join(write.root, name))


class FixedTime:
    """A validator whose every run takes VALIDATE_S seconds."""

    language = "c"
    is_floor = False

    def __init__(self, name, validate_s):
        self.name = name
        self.validate_s = validate_s

    def run(self, workload, scratch):
        return validators.Measurement(1.0, self.validate_s, 2048, ["1", "0"])


def report_of(workload_result):
    environment = {"cpu": "test", "cores": 1, "kernel": "test", "cfgate": "cfgate test", "commit": "0",
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
        cli = next(r for r in saved["workloads"][0]["results"] if r["validator"] == "cfgate-cli")
        self.assertIsNone(cli["mb_per_s"])
        self.assertIsNone(cli["validate_s"])


class TokenizerZeroSecondsTest(unittest.TestCase):
    def test_zero_seconds_uses_wall(self):
        workload = write_workload("tokenizer")
        script = write("zero-tokenizer.sh", "#!/bin/sh\n"
                       "echo 'documents 2 malformed 0 bytes 11 seconds 0.000000 MB/s 0.0 events 1'\n")
        os.chmod(script, os.stat(script).st_mode | stat.S_IXUSR)
        measurement = validators.CfgateTokenizer(script).run(workload, write.root)
        self.assertGreater(measurement.validate_s, 0)
        self.assertIsNone(measurement.verdicts)


if __name__ == "__main__":
    CFGATE = sys.argv[1]
    unittest.main(argv=sys.argv[:1])
