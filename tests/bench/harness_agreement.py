"""Tests of the bench's agreement check on tiny workloads. A cfgate verdict
that is neither valid nor invalid (a number past the exact-number limit
gives "failed") is a disagreement, from the command line and in process.
The verdicts of every run are checked, not only the first run's.

usage: harness_agreement.py CFGATE CFGATE_BENCH
"""
import io
import os
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
sys.path.insert(0, os.path.join(HERE, "..", "..", "bench", "harness"))
from scratch import scratch_writer  # noqa: E402
from workload_files import write_workload_folder  # noqa: E402

import agreement  # noqa: E402
import throughput  # noqa: E402
import validators  # noqa: E402

CFGATE = CFGATE_BENCH = None

LIMIT_SCHEMA = '{"type":"object","properties":{"a":{"type":"integer","maximum":5}}}'
# Line 2 contains a 300-digit integer, past cfgate's exact-number limit, so
# cfgate's verdict is "failed" while a JSON Schema validator returns 0.
LIMIT_INSTANCES = '{"a":1}\n{"a":%s}\n{"a":7}\n' % ("9" * 300)
LIMIT_EXPECTED = "1\n0\n0\n"


def write_workload(write, name, schema, instances, expected):
    return throughput.Workload(write_workload_folder(write, name, schema, instances, expected))


class LimitVerdictTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.write = scratch_writer("cfgate-bench-agreement-")
        cls.scratch = os.path.dirname(cls.write("scratch/.keep", ""))
        cls.workload = write_workload(cls.write, "limit-case", LIMIT_SCHEMA, LIMIT_INSTANCES, LIMIT_EXPECTED)

    def test_cli_keeps_failed_verdict(self):
        measurement = validators.CfgateValidator(CFGATE).run(self.workload, self.scratch)
        self.assertEqual(measurement.verdicts, ["1", "failed", "0"])

    def test_driver_keeps_failed_verdict(self):
        measurement = validators.CfgateDriver(CFGATE_BENCH).run(self.workload, self.scratch)
        self.assertEqual(measurement.verdicts, ["1", "failed", "0"])

    def test_failed_verdict_disagrees(self):
        found = agreement.disagreements(["1", "0", "0"], {"cfgate": ["1", "failed", "0"]})
        self.assertEqual(found, [(2, {"cfgate": "failed"})])

    def test_unverified_verdict_disagrees(self):
        found = agreement.disagreements(["0"], {"cfgate": ["unverified"]})
        self.assertEqual(found, [(1, {"cfgate": "unverified"})])

    def test_workload_reports_limit_line(self):
        chosen = [validators.CfgateDriver(CFGATE_BENCH), validators.CfgateValidator(CFGATE)]
        log = io.StringIO()
        result = throughput.measure_workload(self.workload, chosen, throughput.Runs(1, self.scratch), log)
        printed = log.getvalue()
        self.assertEqual(result["disagreements"], 1)
        self.assertIn("line 2: expected 0", printed)
        self.assertIn("cfgate=failed", printed)
        self.assertIn("cfgate-cli=failed", printed)
        self.assertIn('instance: {"a":999', printed)


class RecordFieldsTest(unittest.TestCase):
    def test_fields_disagree_fail_run(self):
        write = scratch_writer("cfgate-bench-record-")
        output = write("records.jsonl", '{"line":1,"valid":true,"verdict":"valid","errors":[]}\n'
                                        '{"line":2,"valid":true,"verdict":"invalid","errors":[]}\n')
        with self.assertRaises(validators.RunFailed) as caught:
            validators.CfgateValidator(CFGATE).verdicts(output, "")
        self.assertIn("valid and verdict fields disagree (line 2)", str(caught.exception))

    def test_record_without_verdict_fails(self):
        write = scratch_writer("cfgate-bench-record-")
        output = write("records.jsonl", '{"line":1,"valid":false,"errors":[]}\n')
        with self.assertRaises(validators.RunFailed) as caught:
            validators.CfgateValidator(CFGATE).verdicts(output, "")
        self.assertIn("without a verdict (line 1)", str(caught.exception))


class FlipSecondRun:
    """A validator whose second run flips the verdict of line 2."""

    name = "flipper"
    language = "python"
    is_floor = False

    def __init__(self):
        self.count = 0

    def run(self, workload, scratch):
        self.count += 1
        verdicts = ["1", "0" if self.count == 2 else "1", "1"]
        return validators.Measurement(1.0, 0.5, 100, verdicts)


class EveryRunTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.write = scratch_writer("cfgate-bench-runs-")
        cls.workload = write_workload(cls.write, "three", "{}", "{}\n{}\n{}\n", "1\n1\n1\n")

    def measure(self, runs):
        log = io.StringIO()
        runs = throughput.Runs(runs, self.write.root)
        result = throughput.measure_workload(self.workload, [FlipSecondRun()], runs, log)
        return result, log.getvalue()

    def test_second_run_flip_disagrees(self):
        result, printed = self.measure(3)
        self.assertEqual(result["disagreements"], 1)
        self.assertIn("line 2: expected 1", printed)
        self.assertIn("flipper run 2=0", printed)
        self.assertIn("flipper=1", printed)

    def test_single_run_agrees(self):
        result, printed = self.measure(1)
        self.assertEqual(result["disagreements"], 0)
        self.assertEqual(printed.count("DISAGREEMENT"), 0)

    def test_same_runs_checked_once(self):
        labelled = throughput.verdicts_by_run("v", [["1", "0"], ["1", "0"], ["0", "0"]])
        self.assertEqual(labelled, {"v": ["1", "0"], "v run 3": ["0", "0"]})


class TokenizerCountTest(unittest.TestCase):
    """The tokenizer floor counts only when the program read the whole
    workload: a program that tokenized another file fails the run."""

    @classmethod
    def setUpClass(cls):
        cls.write = scratch_writer("cfgate-bench-tokenizer-counts-")
        cls.scratch = os.path.dirname(cls.write("scratch/.keep", ""))
        cls.workload = write_workload(cls.write, "counts", LIMIT_SCHEMA, '{"a":1}\n{"a":2}\n', "1\n1\n")

    def tokenizer_printing(self, documents, size):
        script = type(self).write("tokenize-%d-%d" % (documents, size),
                            "#!/bin/sh\necho documents %d malformed 0 bytes %d seconds 0.001 MB/s 1 events 9\n"
                            % (documents, size))
        os.chmod(script, 0o755)
        return validators.CfgateTokenizer(script)

    def test_whole_workload_accepted(self):
        tokenizer = self.tokenizer_printing(2, self.workload.bytes)
        self.assertEqual(tokenizer.run(self.workload, self.scratch).validate_s, 0.001)

    def test_other_line_count_fails(self):
        tokenizer = self.tokenizer_printing(1, self.workload.bytes)
        with self.assertRaisesRegex(validators.RunFailed, "printed documents 1, expected 2"):
            tokenizer.run(self.workload, self.scratch)

    def test_other_size_fails(self):
        tokenizer = self.tokenizer_printing(2, 8)
        with self.assertRaisesRegex(validators.RunFailed, "printed bytes 8, expected %d" % self.workload.bytes):
            tokenizer.run(self.workload, self.scratch)


if __name__ == "__main__":
    CFGATE, CFGATE_BENCH = sys.argv[1:3]
    unittest.main(argv=sys.argv[:1])
