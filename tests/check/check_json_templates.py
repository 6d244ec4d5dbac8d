"""Runs cfgate check on JSON templates that a YAML reader reads otherwise
than a JSON parser does:
- line-break characters inside strings (U+0085, U+2028, U+2029);
- characters YAML does not allow in text;
- keys over 1024 characters, a leading tab, a key and its colon on
  separate lines;
- numbers beyond a double, and the columns after escaped surrogate pairs.
Mappings with 80,000 keys in JSON and YAML are checked for the verdict
only, and for the duplicate-key message.

usage: check_json_templates.py CFGATE SCHEMAS
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from scratch import scratch_writer  # noqa: E402

cfgate, schemas = sys.argv[1:3]
write = scratch_writer("cfgate-json-")

POLICY = """type AWS::SQS::Queue {
    QueueName pattern "^[a-z0-9 -]+$" length ..20 because "short plain names"
    DelaySeconds range 0..10
    Tags
}
"""

PATTERN = 'does not match the pattern "^[a-z0-9 -]+$"'


POLICY_PATH = write("queue.gate", POLICY)


def check(path):
    command = [cfgate, "check", "--policy", POLICY_PATH, "--schemas", schemas,
               "--account-id", "123456789012", "--region", "us-east-1", "--format", "json", path]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    return result.returncode, json.loads(result.stdout)


def queue(properties):
    """Returns a one-line JSON template of one queue with the given
    Properties text."""
    return '{"Resources":{"Q":{"Type":"AWS::SQS::Queue","Properties":{%s}}}}' % properties


def column_of(text, needle):
    """Returns the 1-based column, in code points, of needle on its line."""
    index = text.index(needle)
    return index - (text.rfind("\n", 0, index) + 1) + 1


def findings(path):
    status, report = check(path)
    resources = [r for t in report["templates"] for r in t["resources"]]
    assert len(resources) == 1, report
    return status, resources[0]["findings"]


def assert_violation(path, text, needle, messages):
    """Checks that the value at needle is one violation per expected message
    fragment, at the value's line 1 column."""
    status, found = findings(path)
    assert status == 1, found
    assert len(found) == len(messages), found
    for finding, message in zip(found, messages):
        assert finding["kind"] == "violation", finding
        assert finding["pointer"] == "/QueueName", finding
        assert (finding["line"], finding["column"]) == (1, column_of(text, needle)), finding
        assert message in finding["message"], finding


def assert_compliant(path):
    status, report = check(path)
    assert status == 0, report
    assert report["summary"]["compliant"] == 1, report["summary"]


def assert_load_error(path, position, message):
    status, report = check(path)
    assert status == 2, report
    error = report["templates"][0]["error"]
    assert (error["line"], error["column"]) == position, error
    assert error["message"] == message, error


def test_next_line_is_kept_in_strings():
    text = queue('"QueueName":"ok-abc\u0085x"')
    assert_violation(write("nel.json", text), text, '"ok-abc', [PATTERN])

    # YAML trims the spaces around a line break, so these 68 characters
    # would pass the length limit as "ok-abc x".
    text = queue('"QueueName":"ok-abc' + " " * 60 + '\u0085x"')
    assert_violation(write("nel-spaces.json", text), text, '"ok-abc',
                     [PATTERN, "has 68 characters, more than the maximum 20"])

    text = queue('"QueueName":"aaa\u0085\u0085bbb"')
    assert_violation(write("nel-twice.json", text), text, '"aaa', [PATTERN])


def test_line_and_paragraph_separators_are_kept():
    for name, separator in (("line", "\u2028"), ("paragraph", "\u2029")):
        text = queue('"Tags":[{"Key":"k%s","Value":"v"}],"QueueName":"ok-a%sb"'
                     % (separator, separator))
        assert_violation(write(name + "-separator.json", text), text, '"ok-a', [PATTERN])


def test_characters_yaml_rejects_are_read():
    characters = ["\u007f", "\u0080", "\u009f", "\ufeff", "\ufffe", "\uffff"]
    for number, character in enumerate(characters):
        tagged = queue('"Tags":[{"Key":"k","Value":"a%sb"}],"QueueName":"ok"' % character)
        assert_compliant(write("tag-%d.json" % number, tagged))

        text = queue('"QueueName":"ok%s"' % character)
        assert_violation(write("name-%d.json" % number, text), text, '"ok', [PATTERN])


def test_key_over_1024_characters():
    text = ('{"Metadata":{"%s":1},"Resources":{"Q":{"Type":"AWS::SQS::Queue",'
            '"Properties":{"QueueName":"ok"}}}}' % ("K" * 1100))
    assert_compliant(write("long-key.json", text))


def test_leading_tab():
    assert_compliant(write("tab.json", "\t" + queue('"QueueName":"ok"')))

    text = "\t" + queue('"QueueName":"BAD!"')
    assert_violation(write("tab-bad.json", text), text, '"BAD!', [PATTERN])


def test_key_and_colon_on_separate_lines():
    text = ('{"Resources"\n:{"Q"\n:{"Type"\n:"AWS::SQS::Queue","Properties"\n:'
            '{"QueueName"\n:\n"BAD!"}}}}')
    status, found = findings(write("colon-lines.json", text))
    assert status == 1, found
    assert (found[0]["line"], found[0]["column"]) == (7, 1), found
    assert PATTERN in found[0]["message"], found


def test_columns_after_surrogate_pairs():
    text = queue('"Tags":[{"Key":"\\ud83d\\ude00\\ud83d\\ude00","Value":"v"}],'
                 '"QueueName":"BAD!"')
    assert column_of(text, '"BAD!') == 127
    assert_violation(write("pairs.json", text), text, '"BAD!', [PATTERN])

    raw = queue('"Tags":[{"Key":"\U0001F600\U0001F600","Value":"v"}],"QueueName":"BAD!"')
    assert_violation(write("raw-pairs.json", raw), raw, '"BAD!', [PATTERN])


def test_line_ends_cr_and_crlf():
    for name, end in (("cr", "\r"), ("crlf", "\r\n")):
        text = ('{' + end + '"Resources": {"Q": {' + end + '"Type": "AWS::SQS::Queue",' + end
                + '  "Properties": {"QueueName": "BAD!"}}}}' + end)
        status, found = findings(write(name + ".json", text))
        assert status == 1, found
        assert (found[0]["line"], found[0]["column"]) == (4, 31), (name, found)


def test_syntax_error_position_with_cr_and_crlf():
    # jansson ends lines at LF only; the position is counted again for CR.
    for name, end in (("lf", "\n"), ("cr", "\r"), ("crlf", "\r\n")):
        text = end.join(['{', '  "Resources": {', '    "Q": {"Type": "AWS::SQS::Queue",',
                         '      "Properties": {"QueueName": tru}}}}', ''])
        assert_load_error(write("syntax-" + name + ".json", text), (4, 37),
                          "invalid JSON: invalid token near 'tru'")


def test_string_errors_at_character():
    # The character or escape itself, with any line end, where jansson names
    # the character before a control character and the end of the string.
    for name, end in (("lf", "\n"), ("cr", "\r"), ("crlf", "\r\n")):
        text = end.join(['{"Resources": {"Q": {"Type": "AWS::SQS::Queue",',
                         '"Properties": {"QueueName": "abc\x07def",',
                         '"RedrivePolicy": "x\\udc00y"}}}}', ''])
        assert_load_error(write("control-" + name + ".json", text), (2, 33),
                          "invalid JSON: U+0007 (byte 07), a C0 control character, must be "
                          "escaped in a string: write \\u0007")
        text = text.replace("\x07", "")
        assert_load_error(write("surrogate-" + name + ".json", text), (3, 20),
                          "invalid JSON: \\uDC00 is a lone UTF-16 surrogate")


def test_numbers_beyond_a_double():
    for number, value in enumerate(("1e400", "18446744073709551616", "-1e999")):
        text = queue('"QueueName":"ok","DelaySeconds":%s' % value)
        status, found = findings(write("number-%d.json" % number, text))
        assert status == 1, found
        assert len(found) == 1, found
        assert found[0]["pointer"] == "/DelaySeconds", found
        assert found[0]["column"] == column_of(text, value), found
        assert "maximum 10" in found[0]["message"] or "minimum 0" in found[0]["message"], found

    # jansson stops at the number, so the reader checks the rest of the grammar.
    assert_load_error(write("number-then-comma.json", '{"a": 1e400,\n "b": 1,\n}'), (3, 1),
                      "invalid JSON: expected a string key, found '}'")
    assert_load_error(write("number-then-escape.json", '{"a": 1e400, "b": "x\\q"}'), (1, 21),
                      "invalid JSON: invalid escape '\\q' in a string")
    assert_load_error(write("number-then-duplicate.json", '{"a": 1e400,\n "a": 1}'), (2, 2),
                      "duplicate key 'a' (first at line 1)")


def wide_json(count, duplicate=None):
    keys = ["k%d" % i for i in range(count)] + ([duplicate] if duplicate else [])
    members = ",\n".join('  "%s": %d' % (key, i) for i, key in enumerate(keys))
    return ('{"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {"QueueName": "ok"}}},\n'
            '"Metadata": {\n' + members + "\n}}\n")


def wide_yaml(count, duplicate=None):
    keys = ["k%d" % i for i in range(count)] + ([duplicate] if duplicate else [])
    members = "".join("  %s: %d\n" % (key, i) for i, key in enumerate(keys))
    return ("Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n"
            "      QueueName: ok\nMetadata:\n" + members)


def test_mappings_with_80000_keys():
    assert_compliant(write("wide.json", wide_json(80000)))
    assert_compliant(write("wide.yaml", wide_yaml(80000)))

    # k17 is on line 20 of the JSON text and line 24 of the YAML text.
    assert_load_error(write("wide-duplicate.json", wide_json(80000, "k17")), (80003, 3),
                      "duplicate key 'k17' (first at line 20)")
    assert_load_error(write("wide-duplicate.yaml", wide_yaml(80000, "k17")), (80007, 3),
                      "duplicate key 'k17' (first at line 24)")


def test_duplicate_key_in_small_mapping():
    text = '{"Resources": {"Q": {"Type": "AWS::SQS::Queue",\n "Type": "AWS::SQS::Queue"}}}'
    assert_load_error(write("small-duplicate.json", text), (2, 2),
                      "duplicate key 'Type' (first at line 1)")


TESTS = [value for name, value in sorted(globals().items()) if name.startswith("test_")]
for test in TESTS:
    test()
    print("ok", test.__name__)
