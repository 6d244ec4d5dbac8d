"""Tests of the bench extras with stand-in schemas. When cfgate compile or
instantiate failed, the workloads use the generator's stand-in { * }
schemas. The cold start and the corpus check are then skipped with a
reason instead of failing the run.

usage: harness_stand_in.py CFGATE
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

import bench  # noqa: E402
import extras  # noqa: E402
import throughput  # noqa: E402

CFGATE = None
write = scratch_writer("cfgate-bench-stand-in-")
STAND_IN_SOURCE = "stand-in { * } derivation (bench/workloads/star_schema.py)"


def write_workload(name, source):
    """Write a one-line s3-restricted workload whose manifest names SOURCE."""
    path = write_workload_folder(write, name, "{}", '{"BucketName":"a-b-c"}\n', "1\n", source)
    return throughput.Workload(path)


class StandInTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.policy = os.path.dirname(write("policy/manifest.json", "{}"))
        cls.scratch = os.path.dirname(write("scratch/.keep", ""))

    def test_cold_start_skips_stand_in(self):
        workload = write_workload("stand-in/s3-restricted", STAND_IN_SOURCE)
        result = extras.cold_start(CFGATE, self.policy, workload, self.scratch, 0, io.StringIO())
        self.assertEqual(set(result), {"skipped"})
        self.assertIn("stand-in { * } derivation", result["skipped"])

    def test_cold_start_skips_missing_policy(self):
        workload = write_workload("compiled/s3-restricted", "cfgate compile + cfgate instantiate")
        missing = os.path.join(write.root, "no-policy")
        result = extras.cold_start(CFGATE, missing, workload, self.scratch, 0, io.StringIO())
        self.assertEqual(result, {"skipped": "no compiled policy in %s (cfgate compile failed)" % missing})

    def test_check_skips_missing_policy(self):
        missing = os.path.join(write.root, "no-policy")
        result = extras.corpus_check(CFGATE, missing, write.root, write.root, 0, self.scratch)
        self.assertIn("skipped", result)

    def test_skipped_extra_passes_run(self):
        workload = write_workload("run/s3-restricted", STAND_IN_SOURCE)
        args = bench.argparse.Namespace(cfgate=CFGATE, policy_dir=self.policy, quick=True,
                                        workloads=os.path.dirname(workload.data))
        log = io.StringIO()
        found = bench.run_extras(args, [workload], self.scratch, log)
        self.assertIn("skipped", found["cold_start"])
        self.assertNotIn("error", found["cold_start"])
        self.assertIn("bench: cold_start: skipped: the s3-restricted schema is the stand-in", log.getvalue())


if __name__ == "__main__":
    CFGATE = sys.argv[1]
    unittest.main(argv=sys.argv[:1])
