"""Compare the tokenizer's event log with Python's json module on every JSON
file of the corpus: both must accept the same files and deliver the same
keys, strings, literals and numbers (compared as exact decimals). The
templates include malformed files, which both must reject.

Usage: test_lexer_python.py TEST_LEXER_DUMP CORPUS_DIR
"""
import decimal
import glob
import json
import os
import subprocess
import sys


def python_log(text):
    """Return the event log lines the recorder writes for text. A line feed
    inside a key or string splits its line, as it does in the recorder's
    log."""
    lines = []

    def add_text(prefix, value):
        lines.extend((prefix + value.replace("\0", "<NUL>")).split("\n"))

    def walk(value):
        if isinstance(value, list) and value and value[0] == "\0object":
            lines.append("{")
            for key, item in value[1]:
                add_text("key ", key)
                walk(item)
            lines.append("}")
        elif isinstance(value, list):
            lines.append("[")
            for item in value:
                walk(item)
            lines.append("]")
        elif isinstance(value, str):
            add_text("string ", value)
        elif isinstance(value, tuple):
            lines.append(("number", value[1]))
        elif value is True:
            lines.append("true")
        elif value is False:
            lines.append("false")
        else:
            lines.append("null")

    def reject_constant(name):
        raise ValueError("invalid literal " + name)

    document = json.loads(text,
                          object_pairs_hook=lambda pairs: ["\0object", pairs],
                          parse_int=lambda s: ("number", s),
                          parse_float=lambda s: ("number", s),
                          parse_constant=reject_constant)
    walk(document)
    return lines


def same_number(line, text):
    """True when a recorder line "number TEXT = VALUE" has this text and an
    exactly equal normalized value."""
    if not line.startswith("number "):
        return False
    source, _, formatted = line[len("number "):].partition(" = ")
    return source == text and decimal.Decimal(source) == decimal.Decimal(formatted)


def compare(path, ours):
    while ours and ours[-1] == "":
        ours = ours[:-1]
    try:
        expected = python_log(open(path, encoding="utf-8").read())
    except (ValueError, RecursionError):
        if ours and ours[-1] == "rejected":
            return None
        return "Python rejects it, the tokenizer accepted it"
    if not ours or ours[-1] != "ok":
        return "tokenizer rejected it: " + " | ".join(line for line in ours if line.startswith("error"))
    ours = ours[:-1]
    if len(ours) != len(expected):
        return "%d events, Python has %d" % (len(ours), len(expected))
    for index, (mine, theirs) in enumerate(zip(ours, expected)):
        if isinstance(theirs, tuple):
            if not same_number(mine, theirs[1]):
                return "event %d: %r, Python has number %s" % (index, mine, theirs[1])
        elif mine != theirs:
            return "event %d: %r, Python has %r" % (index, mine, theirs)
    return None


def split_logs(output, files):
    """Split the output of test_lexer_dump into the log lines of each file."""
    logs = {}
    listed = set(files)
    current = None
    for line in output.split("\n"):
        if line.startswith("file ") and line[len("file "):] in listed:
            current = line[len("file "):]
            logs[current] = []
        elif current is not None:
            logs[current].append(line)
    return logs


def main():
    dump, corpus = sys.argv[1], sys.argv[2]
    files = sorted(glob.glob(os.path.join(corpus, "cfn-schemas", "us-east-1", "*.json")))
    files += sorted(glob.glob(os.path.join(corpus, "json-schema-test-suite", "**", "*.json"), recursive=True))
    files += sorted(glob.glob(os.path.join(corpus, "templates", "**", "*.json"), recursive=True))
    output = subprocess.run([dump] + files, check=True, capture_output=True).stdout.decode("utf-8")
    logs = split_logs(output, files)

    failures = 0
    for path in files:
        problem = compare(path, logs.get(path, []))
        if problem:
            failures += 1
            print("%s: %s" % (path, problem))
    print("%d files compared with Python's json module, %d differ" % (len(files), failures))
    return 1 if failures or len(files) < 1000 else 0


if __name__ == "__main__":
    sys.exit(main())
