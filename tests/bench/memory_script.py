"""Tests of bench/memory.sh on a small stream.

An unchanged build passes with several runs per stream, and a program whose
memory grows with its input fails. Layout randomization is off when setarch
works here. Bad settings are rejected with exit status 2.

usage: memory_script.py CFGATE
"""
import os
import platform
import stat
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
from scratch import scratch_writer  # noqa: E402

MEMORY_SH = os.path.join(HERE, "..", "..", "bench", "memory.sh")
CFGATE = None


# A cfgate stand-in that keeps its whole input in memory and writes one
# record per line, as `cfgate validate --format json` does.
GROWING_CFGATE = """#!/bin/sh
for last in "$@"; do :; done
exec /usr/bin/python3 -c 'import sys; data = open(sys.argv[1]).read(); sys.stdout.write("{}\\n" * data.count("\\n"))' "$last"
"""


def run_memory(program=None, **settings):
    env = {**os.environ, **settings}
    return subprocess.run([MEMORY_SH, program or CFGATE], capture_output=True, text=True, env=env, timeout=600)


def setarch_works():
    try:
        return subprocess.run(["setarch", platform.machine(), "-R", "true"], capture_output=True).returncode == 0
    except OSError:
        return False


class MemoryScriptTest(unittest.TestCase):
    def test_small_stream_passes(self):
        result = run_memory(CFGATE_MEMORY_LARGE_MIB="20")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("peak RSS 20MiB / 10MiB", result.stdout)
        rows = [line.split() for line in result.stdout.splitlines() if line.startswith(("10MiB", "20MiB"))]
        self.assertEqual(len(rows), 2)
        for row in rows:
            self.assertEqual(len(row), 4 + 5, row)

    def test_growing_memory_fails(self):
        write = scratch_writer("cfgate-memory-")
        program = write("growing-cfgate", GROWING_CFGATE)
        os.chmod(program, os.stat(program).st_mode | stat.S_IXUSR)
        result = run_memory(program, CFGATE_MEMORY_LARGE_MIB="30", CFGATE_MEMORY_RUNS="1")
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)
        self.assertIn("the 30 MiB stream peaks more than 5% above the 10 MiB stream", result.stderr)

    def test_statistic_follows_layout(self):
        # One run per stream can peak 128 KiB (5%) apart even with a fixed
        # layout, so only the statistic is checked here, not the verdict.
        result = run_memory(CFGATE_MEMORY_LARGE_MIB="10", CFGATE_MEMORY_RUNS="1")
        self.assertIn(result.returncode, (0, 1), result.stdout + result.stderr)
        if setarch_works():
            self.assertNotIn("setarch -R is not available", result.stdout)
            self.assertIn("max peak RSS 10MiB / 10MiB", result.stdout)
        else:
            self.assertIn("setarch -R is not available", result.stdout)
            self.assertIn("median peak RSS 10MiB / 10MiB", result.stdout)

    def test_bad_runs_rejected(self):
        for value in ("0", "-1", "abc"):
            result = run_memory(CFGATE_MEMORY_RUNS=value)
            self.assertEqual(result.returncode, 2, value)
            self.assertIn("CFGATE_MEMORY_RUNS must be a positive integer, not '%s'" % value, result.stderr)

    def test_small_large_size_rejected(self):
        result = run_memory(CFGATE_MEMORY_LARGE_MIB="5")
        self.assertEqual(result.returncode, 2)
        self.assertIn("CFGATE_MEMORY_LARGE_MIB must be an integer of at least 10, not '5'", result.stderr)


if __name__ == "__main__":
    CFGATE = sys.argv[1]
    unittest.main(argv=sys.argv[:1])
