"""Tests of the workload cache of bench/workloads/generate.py: a workload
folder with a missing or truncated file is generated again, not reported
as up to date.

usage: workload_cache.py SNAPSHOT
"""
import os
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
from scratch import scratch_writer  # noqa: E402

GENERATE = os.path.join(HERE, "..", "..", "bench", "workloads", "generate.py")
SNAPSHOT = None
WORKLOAD = "ec2-securitygroup"


def generate(out):
    result = subprocess.run(["/usr/bin/python3", GENERATE, "--snapshot", SNAPSHOT, "--out", out, "--quick",
                             "--only", WORKLOAD], capture_output=True, text=True, timeout=600)
    if result.returncode != 0:
        raise AssertionError("generate.py exited %d: %s" % (result.returncode, result.stderr))
    return result.stdout


class CacheTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.out = os.path.join(scratch_writer("cfgate-bench-cache-").root, "workloads")
        generate(cls.out)
        cls.folder = os.path.join(cls.out, WORKLOAD)

    def test_complete_folder_is_cached(self):
        self.assertIn("%s is up to date" % WORKLOAD, generate(self.out))

    def test_missing_data_regenerated(self):
        for name in ("instances.ndjson", "expected.txt"):
            os.remove(os.path.join(self.folder, name))
            output = generate(self.out)
            self.assertNotIn("up to date", output, name)
            self.assertTrue(os.path.isfile(os.path.join(self.folder, name)), name)

    def test_missing_schema_written(self):
        # The schemas are written before the cache check, on every run.
        for name in ("schema.json", "schema.peers.json"):
            os.remove(os.path.join(self.folder, name))
            generate(self.out)
            self.assertTrue(os.path.isfile(os.path.join(self.folder, name)), name)

    def test_truncated_instances_regenerated(self):
        path = os.path.join(self.folder, "instances.ndjson")
        size = os.path.getsize(path)
        with open(path, "r+b") as f:
            f.truncate(size // 2)
        self.assertNotIn("up to date", generate(self.out))
        self.assertEqual(os.path.getsize(path), size)


class ProviderSchemaErrorTest(unittest.TestCase):
    """A stand-in schema needs the provider schema file: a missing or broken
    one is named in one line, not in a traceback."""

    def run_generate(self, snapshot):
        out = os.path.join(snapshot, "out")
        return subprocess.run(["/usr/bin/python3", GENERATE, "--snapshot", snapshot, "--out", out, "--quick",
                               "--only", WORKLOAD], capture_output=True, text=True, timeout=600)

    def test_missing_provider_schema_named(self):
        snapshot = scratch_writer("cfgate-bench-nosnap-").root
        result = self.run_generate(snapshot)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn("generate: cannot read the provider schema %s/aws-ec2-securitygroup.json" % snapshot,
                      result.stderr)
        self.assertNotIn("Traceback", result.stderr)

    def test_broken_provider_schema_named(self):
        write = scratch_writer("cfgate-bench-badsnap-")
        write("aws-ec2-securitygroup.json", "{ not json")
        result = self.run_generate(write.root)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn("generate: the provider schema %s/aws-ec2-securitygroup.json is not valid JSON" % write.root,
                      result.stderr)
        self.assertNotIn("Traceback", result.stderr)

    def test_unusable_provider_schema_named(self):
        cases = [
            ('{"typeName": "AWS::EC2::SecurityGroup"}', 'has no "properties" object'),
            ('{"properties": {}}', 'has no "properties" object'),
            ("[]", "is not a JSON object"),
            ('{"properties": {"A": 5}}', "is not a valid draft-07 schema at properties/A"),
            ('{"properties": {"A": {"$ref": "#/definitions/Nope"}}}', "cannot generate instances for"),
        ]
        for text, message in cases:
            write = scratch_writer("cfgate-bench-badprovider-")
            write("aws-ec2-securitygroup.json", text)
            result = self.run_generate(write.root)
            self.assertEqual(result.returncode, 1, (text, result.stderr))
            self.assertIn("generate: ", result.stderr, text)
            self.assertIn(message, result.stderr, text)
            self.assertNotIn("Traceback", result.stderr, text)


if __name__ == "__main__":
    SNAPSHOT = sys.argv[1]
    unittest.main(argv=sys.argv[:1])
