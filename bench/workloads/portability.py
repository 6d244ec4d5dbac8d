"""Find the patterns of a schema that some validator cannot compile or reads
differently, and make a copy of the schema that every peer compiles."""
import copy
import json
import os
import re
import subprocess

from regex_sample import is_portable
from schema_walk import collect_patterns

NODE = os.environ.get("CFGATE_BENCH_NODE", "node")
REGEX_CHECK = os.path.join(os.path.dirname(__file__), "..", "peers", "regex_check.js")


def rejected_patterns(schema):
    """Return {pattern: reason} for every pattern that Python's re or
    ECMA-262 in Unicode mode fails to compile."""
    patterns = sorted(collect_patterns(schema))
    rejected = {}
    for pattern in patterns:
        try:
            re.compile(pattern)
        except (re.error, OverflowError) as error:
            rejected[pattern] = "python re: %s" % error
    output = subprocess.run([NODE, REGEX_CHECK], input=json.dumps(patterns), capture_output=True,
                            text=True, check=True).stdout
    for pattern, message in json.loads(output).items():
        rejected.setdefault(pattern, "ECMA-262 'u': %s" % message)
    return rejected


def avoided_patterns(schema, rejected):
    """Return the patterns that generated instances never exercise: those some
    validator rejects plus those whose Python and ECMA-262 readings differ."""
    return set(rejected) | {p for p in collect_patterns(schema) if not is_portable(p)}


def peer_schema(schema, rejected):
    """Return a copy of SCHEMA where each rejected `pattern` becomes
    `"not": {}` and each rejected patternProperties key is dropped. Generated
    instances never reach those places, so verdicts are unchanged."""
    result = copy.deepcopy(schema)
    _replace(result, rejected)
    return result


def _replace(node, rejected):
    if isinstance(node, dict):
        if node.get("pattern") in rejected and isinstance(node["pattern"], str):
            del node["pattern"]
            node["not"] = {}
        if isinstance(node.get("patternProperties"), dict):
            for key in [k for k in node["patternProperties"] if k in rejected]:
                del node["patternProperties"][key]
        for key, value in node.items():
            if key not in ("enum", "const"):
                _replace(value, rejected)
    elif isinstance(node, list):
        for value in node:
            _replace(value, rejected)
