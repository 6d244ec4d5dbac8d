"""Find the patterns of a schema that some validator cannot compile or reads
differently, and make a copy of the schema that every peer compiles."""
import copy
import json
import os
import re
import subprocess
import sys

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
    try:
        output = subprocess.run([NODE, REGEX_CHECK], input=json.dumps(patterns), capture_output=True,
                                text=True, check=True).stdout
    except OSError as error:
        print("generate: WARNING: %s cannot run (%s), so patterns are checked with Python only" % (NODE, error),
              file=sys.stderr)
        return rejected
    for pattern, message in json.loads(output).items():
        rejected.setdefault(pattern, "ECMA-262 'u': %s" % message)
    return rejected


def avoided_patterns(schema, rejected):
    """Return the patterns that generated instances never exercise: those some
    validator rejects plus those whose Python and ECMA-262 readings differ."""
    return set(rejected) | {p for p in collect_patterns(schema) if not is_portable(p)}


# Keywords that apply to one JSON type only, by that type.
TYPE_KEYWORDS = {
    "string": ("minLength", "maxLength", "pattern", "format"),
    "number": ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf"),
    "array": ("items", "additionalItems", "minItems", "maxItems", "uniqueItems", "contains"),
    "object": ("properties", "patternProperties", "additionalProperties", "required",
               "minProperties", "maxProperties", "dependencies", "propertyNames"),
}


def peer_schema(schema, rejected):
    """Return a copy of SCHEMA that every peer compiles, with the same verdicts.

    Each rejected `pattern` becomes `"not": {}` and each rejected
    patternProperties key is dropped, because generated instances never
    reach those places. Keywords that cannot apply to a node's declared type
    are dropped too: the snapshot has minLength on integers, which schemasafe
    rejects at compile time, and such keywords never change a verdict."""
    result = copy.deepcopy(schema)
    _replace(result, rejected)
    dropped = _drop_inapplicable(result)
    return result, dropped


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


def _applicable_types(declared):
    types = set(declared if isinstance(declared, list) else [declared])
    if "integer" in types:
        types.add("number")
    return types


def _drop_inapplicable(node):
    """Remove keywords of other types from typed nodes; return how many."""
    dropped = 0
    if isinstance(node, dict):
        if isinstance(node.get("type"), (str, list)):
            types = _applicable_types(node["type"])
            for kind, keywords in TYPE_KEYWORDS.items():
                if kind not in types:
                    for keyword in keywords:
                        if keyword in node:
                            del node[keyword]
                            dropped += 1
        for key, value in node.items():
            if key not in ("enum", "const", "properties", "patternProperties", "definitions"):
                dropped += _drop_inapplicable(value)
            elif key in ("properties", "patternProperties", "definitions") and isinstance(value, dict):
                dropped += sum(_drop_inapplicable(v) for v in value.values())
    elif isinstance(node, list):
        dropped += sum(_drop_inapplicable(v) for v in node)
    return dropped
