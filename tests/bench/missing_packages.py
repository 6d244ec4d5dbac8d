"""Tests of the bench with a package missing: without Node.js the Node.js
peers, the JSON.parse floor included, are skipped with the package named.
Without python-jsonschema the workload generator stops with a message
naming the Debian package, not a traceback.

usage: missing_packages.py SNAPSHOT
"""
import os
import subprocess
import sys
import unittest
from unittest import mock

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
sys.path.insert(0, os.path.join(HERE, "..", "..", "bench", "harness"))
from scratch import scratch_writer  # noqa: E402

import validators  # noqa: E402

GENERATE = os.path.join(HERE, "..", "..", "bench", "workloads", "generate.py")
SNAPSHOT = None
write = scratch_writer("cfgate-bench-packages-")


class MissingNodeTest(unittest.TestCase):
    def test_node_peers_skipped(self):
        missing = os.path.join(write.root, "no-node")
        with mock.patch.object(validators, "NODE", missing):
            for peer in validators.PEERS:
                reason = peer.missing_reason()
                if peer.language == "node":
                    self.assertEqual(reason, "%s is not installed (Debian package nodejs; bench/setup.sh "
                                             "installs it)" % missing, peer.name)


class MissingModuleTest(unittest.TestCase):
    def test_python_peer_names_package(self):
        peer = validators.PeerValidator("jsonschema", "python")
        with mock.patch.dict(validators.PYTHON_MODULES, {"jsonschema": "no_such_module_for_test"}):
            reason = peer.missing_reason()
        self.assertEqual(reason, "no_such_module_for_test is not installed (Debian package "
                                 "python3-no_such_module_for_test; bench/setup.sh installs it)")


class MissingJsonschemaTest(unittest.TestCase):
    def test_generator_names_package(self):
        write("shadow/jsonschema/__init__.py",
              'raise ModuleNotFoundError("No module named \'jsonschema\'", name="jsonschema")\n')
        env = {**os.environ, "PYTHONPATH": os.path.join(write.root, "shadow")}
        result = subprocess.run(["/usr/bin/python3", GENERATE, "--snapshot", SNAPSHOT, "--out",
                                 os.path.join(write.root, "out"), "--quick"],
                                capture_output=True, text=True, env=env, timeout=120)
        self.assertEqual(result.returncode, 1)
        self.assertIn("generate: python-jsonschema is missing", result.stderr)
        self.assertIn("install the Debian package python3-jsonschema", result.stderr)
        self.assertNotIn("Traceback", result.stderr)


if __name__ == "__main__":
    SNAPSHOT = sys.argv[1]
    unittest.main(argv=sys.argv[:1])
