"""Workload folders for the bench harness tests, written as bench/workloads/generate.py writes them."""
import json
import os

TWO_LINES = '{"a":1}\n[]\n'


def write_workload_folder(write, name, schema='{"type":"object"}', instances=TWO_LINES, expected="1\n0\n",
                          source="test"):
    """Write the workload folder NAME with the scratch writer WRITE and return its path."""
    write(name + "/schema.json", schema)
    write(name + "/schema.peers.json", schema)
    write(name + "/instances.ndjson", instances)
    write(name + "/expected.txt", expected)
    lines = len(instances.splitlines())
    write(name + "/manifest.json", json.dumps({"lines": lines, "source": source}))
    return os.path.join(write.root, name)
