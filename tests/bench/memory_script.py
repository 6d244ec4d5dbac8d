"""Tests of bench/memory.sh on a small stream: an unchanged build passes
with the median of several runs, layout randomization is off when setarch
works here, and bad settings are rejected with exit status 2.

usage: memory_script.py CFGATE
"""
import os
import platform
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
MEMORY_SH = os.path.join(HERE, "..", "..", "bench", "memory.sh")
CFGATE = None


def run_memory(**settings):
    env = {**os.environ, **settings}
    return subprocess.run([MEMORY_SH, CFGATE], capture_output=True, text=True, env=env, timeout=600)


def setarch_works():
    try:
        return subprocess.run(["setarch", platform.machine(), "-R", "true"], capture_output=True).returncode == 0
    except OSError:
        return False


class MemoryScriptTest(unittest.TestCase):
    def test_small_stream_passes(self):
        result = run_memory(CFGATE_MEMORY_LARGE_MIB="20", CFGATE_MEMORY_RUNS="3")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertIn("median peak RSS 20MiB / 10MiB", result.stdout)
        rows = [line.split() for line in result.stdout.splitlines() if line.startswith(("10MiB", "20MiB"))]
        self.assertEqual(len(rows), 2)
        for row in rows:
            self.assertEqual(len(row), 4 + 3, row)

    def test_fixed_layout_when_available(self):
        result = run_memory(CFGATE_MEMORY_LARGE_MIB="10", CFGATE_MEMORY_RUNS="1")
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        if setarch_works():
            self.assertNotIn("setarch -R is not available", result.stdout)
        else:
            self.assertIn("setarch -R is not available", result.stdout)

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
