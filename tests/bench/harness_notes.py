"""Tests of the notes the bench harness writes when a run leaves out a
cfgate row: without cfgate-bench the in-process row is missing and the
speedups are over cfgate-cli, and without cfgate-tokenize the floor is
missing. Both go to the log and to results.md, and so does each skipped
peer with the reason.

usage: harness_notes.py CFGATE CFGATE_BENCH CFGATE_TOKENIZE
"""
import io
import json
import os
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
import validators  # noqa: E402

CFGATE = CFGATE_BENCH = CFGATE_TOKENIZE = None
write = scratch_writer("cfgate-bench-notes-")


def write_workload(name):
    return write_workload_folder(write, name)


def run_bench(label, *programs, peers=()):
    """Run bench.main() in quick mode with PROGRAMS as extra arguments and
    PEERS as the peer validators; return (exit status, log text, results.md
    text, results.json)."""
    workloads = os.path.dirname(write_workload(label + "/workloads/s3-restricted"))
    out = os.path.join(write.root, label, "out")
    argv = ["bench.py", "--workloads", workloads, "--out", out, "--cfgate", CFGATE, "--policy-dir", write.root,
            "--snapshot", write.root, "--templates", write.root, "--quick", *programs]
    log = io.StringIO()
    with mock.patch.object(sys, "argv", argv), mock.patch.object(sys, "stderr", log), \
            mock.patch.object(validators, "PEERS", list(peers)), \
            mock.patch.object(extras, "cold_start", lambda *args: {"checked": "not run in this test"}), \
            mock.patch.object(sys, "stdout", io.StringIO()):
        status = bench.main()
    with open(os.path.join(out, "results.md"), encoding="utf-8") as f:
        markdown = f.read()
    with open(os.path.join(out, "results.json"), encoding="utf-8") as f:
        return status, log.getvalue(), markdown, json.load(f)


class NotesTest(unittest.TestCase):
    def test_cli_only_run_notes_both(self):
        status, log, markdown, _ = run_bench("cli-only")
        self.assertEqual(status, 0, log)
        for text in (log, markdown):
            self.assertIn("no in-process cfgate row: cfgate-bench was not given (--driver)", text)
            self.assertIn("speedups are taken over cfgate-cli", text)
            self.assertIn("no tokenizer floor: cfgate-tokenize was not given (--tokenizer)", text)

    def test_full_set_has_no_notes(self):
        status, log, markdown, _ = run_bench("all", "--driver", CFGATE_BENCH, "--tokenizer", CFGATE_TOKENIZE)
        self.assertEqual(status, 0, log)
        self.assertNotIn("NOTE", log)
        self.assertNotIn("Note:", markdown)

    def test_bench_programs_name_their_commit(self):
        status, log, markdown, saved = run_bench("versions", "--driver", CFGATE_BENCH,
                                                 "--tokenizer", CFGATE_TOKENIZE)
        self.assertEqual(status, 0, log)
        versions = saved["environment"]["program_versions"]
        self.assertRegex(versions["cfgate-bench"], r"^cfgate-bench \(commit ")
        self.assertRegex(versions["cfgate-tokenize"], r"^cfgate-tokenize \(commit ")
        self.assertIn("Bench programs: %s, %s." % (versions["cfgate-bench"], versions["cfgate-tokenize"]), markdown)
        self.assertEqual(saved["environment"]["other_builds"], {})


class MissingPeer(validators.PeerValidator):
    """A peer whose package is never installed."""

    def missing_reason(self):
        return "no-such-package is not installed (bench/setup.sh installs it)"


class SkippedPeerTest(unittest.TestCase):
    def test_skipped_peer_listed(self):
        status, log, markdown, saved = run_bench("skipped", peers=[MissingPeer("ghost", "node")])
        self.assertEqual(status, 0, log)
        self.assertIn("bench: SKIPPED ghost: no-such-package is not installed", log)
        self.assertIn("Skipped ghost: no-such-package is not installed (bench/setup.sh installs it).", markdown)
        self.assertEqual(saved["skipped_validators"],
                         {"ghost": "no-such-package is not installed (bench/setup.sh installs it)"})
        self.assertIn("Verdicts agree on every instance: yes, among the validators that ran (not compared: ghost).",
                      markdown)


if __name__ == "__main__":
    CFGATE, CFGATE_BENCH, CFGATE_TOKENIZE = sys.argv[1:4]
    unittest.main(argv=sys.argv[:1])
