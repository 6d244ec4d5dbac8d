"""Tests that `cfgate validate` escapes the characters that move or hide
text on a terminal: line and paragraph separators, direction marks and other
invisible code points, in property names, string previews and both output
formats.

    validate_escape_test.py CFGATE WORK_DIR
"""

import json
import os
import subprocess
import sys
import unittest

CFGATE = WORK = None

# Code points that utf8_invisible() lists, one of each group: bidirectional
# controls, separators, default ignorable code points, format characters,
# tags, variation selectors and C1 controls.
INVISIBLE = ["\u202e", "\u2028", "\u2029", "\u200b", "\u2066", "\u061c", "\ufeff", "\u0085",
             "\u00ad", "\u2060", "\u0600", "\ufe0f", "\U000e0061", "\U0001d173"]


def escaped(char):
    """The JSON escape of char: a UTF-16 surrogate pair above U+FFFF."""
    return json.dumps(char)[1:-1]


def write(name, text):
    path = os.path.join(WORK, name)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    return path


def validate(*args):
    return subprocess.run([CFGATE, "validate", *args], capture_output=True, timeout=60)


class EscapeTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.closed = write("closed.json", '{"type": "object", "additionalProperties": false}')
        cls.pattern = write("pattern.json", '{"properties": {"v": {"pattern": "^a$"}}}')

    def assert_no_raw(self, output):
        text = output.decode("utf-8")
        for char in INVISIBLE:
            self.assertNotIn(char, text, "U+%04X written raw" % ord(char))

    def test_text_escapes_property_name(self):
        for char in INVISIBLE:
            path = write("key.json", json.dumps({"x%sy" % char: 1}))
            result = validate("--schema", self.closed, path)
            self.assertEqual(result.returncode, 1, result.stderr)
            self.assert_no_raw(result.stdout)
            expected = 'error: /x%sy: property "x%sy" is not allowed' % (escaped(char), escaped(char))
            self.assertIn(expected, result.stdout.decode("utf-8"))

    def test_text_escapes_string_preview(self):
        path = write("value.json", json.dumps({"v": "b\u2028c\u202ed"}))
        result = validate("--schema", self.pattern, path)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assert_no_raw(result.stdout)
        self.assertIn('/v: "b\\u2028c\\u202ed" does not match the pattern', result.stdout.decode("utf-8"))

    def test_text_keeps_other_characters(self):
        path = write("plain.json", json.dumps({"v": "\u00e9\u4e2d\U0001f600"}))
        result = validate("--schema", self.pattern, path)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn('/v: "\u00e9\u4e2d\U0001f600" does not match', result.stdout.decode("utf-8"))

    def test_ndjson_line_escaped(self):
        lines = [json.dumps({"x%sy" % char: 1}) for char in INVISIBLE]
        path = write("keys.ndjson", "\n".join(lines) + "\n")
        result = validate("--schema", self.closed, "--ndjson", path)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assert_no_raw(result.stdout)
        self.assertEqual(result.stdout.decode("utf-8").count(": error: /x\\u"), len(INVISIBLE))

    def test_json_escapes_and_round_trips(self):
        name = "x\u2028\u2029\u202e\u200b\ufeff\u007fy"
        path = write("json-key.json", json.dumps({name: 1}))
        result = validate("--schema", self.closed, "--format", "json", path)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assert_no_raw(result.stdout)
        self.assertNotIn(b"\x7f", result.stdout)
        raw = result.stdout.decode("utf-8")
        self.assertIn('"instancePath":"/x\\u2028\\u2029\\u202e\\u200b\\ufeff\\u007fy"', raw)
        record = json.loads(raw)
        self.assertEqual(record["errors"][0]["instancePath"], "/" + name)

    def test_json_surrogate_pair_escapes(self):
        name = "x\U0001d173\U000e0061\u2060y"
        path = write("json-pair.json", json.dumps({name: 1}))
        result = validate("--schema", self.closed, "--format", "json", path)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assert_no_raw(result.stdout)
        raw = result.stdout.decode("utf-8")
        self.assertIn('"instancePath":"/x\\ud834\\udd73\\udb40\\udc61\\u2060y"', raw)
        self.assertEqual(json.loads(raw)["errors"][0]["instancePath"], "/" + name)

    def test_json_keeps_other_characters(self):
        path = write("json-plain.json", json.dumps({"v": "\u00e9\U0001f600"}, ensure_ascii=False))
        result = validate("--schema", self.pattern, "--format", "json", path)
        self.assertEqual(result.returncode, 1, result.stderr)
        self.assertIn("\u00e9\U0001f600", result.stdout.decode("utf-8"))


if __name__ == "__main__":
    CFGATE, WORK = sys.argv[1], sys.argv[2]
    os.makedirs(WORK, exist_ok=True)
    unittest.main(argv=sys.argv[:1])
