"""Writes JSON-Schema-Test-Suite draft-7 groups as inputs for the emit test:
one schema file per group and one line per test instance, so emitted and
in-memory tables can be compared on every keyword. Groups that need a
remote document, format assertion or integers beyond 64 bits in the schema
are left out, because emit_schemas has no remote loader, embed_validate
runs with formats as annotations and jansson cannot read such integers.

    emit_suite_cases.py SUITE_DIR OUT_DIR

Writes OUT_DIR/schemas/gN.json and OUT_DIR/cases.tsv with lines
"TYPE<TAB>SCHEMA<TAB>INSTANCE JSON".
"""

import json
import os
import sys

suite_dir, out_dir = sys.argv[1:3]
tests_dir = os.path.join(suite_dir, "tests", "draft7")
os.makedirs(os.path.join(out_dir, "schemas"), exist_ok=True)

files = sorted(os.path.join(tests_dir, n) for n in os.listdir(tests_dir) if n.endswith(".json"))
files += sorted(os.path.join(tests_dir, "optional", n) for n in os.listdir(os.path.join(tests_dir, "optional"))
                if n.endswith(".json"))

def has_remote_ref(node):
    """True when node references another document by an absolute URI."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(("http:", "https:", "urn:")):
            return True
        return any(has_remote_ref(v) for v in node.values())
    if isinstance(node, list):
        return any(has_remote_ref(v) for v in node)
    return False


def has_big_integer(node):
    """True when node contains an integer beyond 64 bits, which jansson (and so
    emit_schemas) cannot read."""
    if isinstance(node, bool):
        return False
    if isinstance(node, int):
        return not -(1 << 63) <= node < (1 << 63)
    if isinstance(node, dict):
        return any(has_big_integer(v) for v in node.values())
    if isinstance(node, list):
        return any(has_big_integer(v) for v in node)
    return False


group_number = 0
with open(os.path.join(out_dir, "cases.tsv"), "w", encoding="utf-8") as cases:
    for path in files:
        with open(path, encoding="utf-8") as handle:
            groups = json.load(handle)
        for group in groups:
            schema = group["schema"]
            if has_remote_ref(schema) or "localhost:1234" in json.dumps(schema) or has_big_integer(schema):
                continue
            text = json.dumps(group["schema"])
            group_number += 1
            type_name = "Suite::G%d" % group_number
            schema_path = os.path.join(out_dir, "schemas", "g%d.json" % group_number)
            with open(schema_path, "w", encoding="utf-8") as out:
                out.write(text)
            for test in group["tests"]:
                cases.write("%s\t%s\t%s\n" % (type_name, schema_path, json.dumps(test["data"])))
