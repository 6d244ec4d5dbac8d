"""Tests of `cfgate validate`: verdicts, exit status, error positions, NDJSON
streams, the JSON output (checked against schemas/validate-output.schema.json)
and usage errors.

    validate_cli_test.py CFGATE SOURCE_DIR WORK_DIR
"""

import json
import os
import re
import subprocess
import sys
import unittest

import jsonschema

CFGATE = SOURCE = WORK = None

SCHEMA = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "additionalProperties": False,
    "required": ["Name"],
    "properties": {
        "Name": {"type": "string", "pattern": "^[a-z]+$"},
        "Size": {"type": "integer", "maximum": 9223372036854775807, "multipleOf": 2},
        "Mode": {"enum": ["on", "off"]},
        "Tags": {"type": "array", "uniqueItems": True, "items": {"type": "string"}},
    },
}

TEMPLATE = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "Account": {"type": "string", "pattern": "^${AWS::AccountId}$",
                    "x-cfgate-rule": {"file": "p.gate", "line": 2, "column": 5, "because": "own account only"}},
    },
    "x-cfgate": {"typeName": "Test::Validate::Template", "placeholders": ["AWS::AccountId"],
                 "sources": ["p.gate"], "providerSchemaSha256": "0" * 64},
}


def write(name, text):
    path = os.path.join(WORK, name)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    return path


def validate(*args, stdin=None):
    return subprocess.run([CFGATE, "validate", *args], input=stdin, capture_output=True, text=True, timeout=60)


class ValidateTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.schema = write("schema.json", json.dumps(SCHEMA))
        cls.template = write("template.json", json.dumps(TEMPLATE))
        with open(os.path.join(SOURCE, "schemas", "validate-output.schema.json"), encoding="utf-8") as handle:
            cls.output_validator = jsonschema.Draft7Validator(json.load(handle))

    def json_records(self, result):
        records = [json.loads(line) for line in result.stdout.splitlines()]
        for record in records:
            errors = list(self.output_validator.iter_errors(record))
            self.assertEqual(errors, [], "output line breaks validate-output.schema.json: %s" % record)
        return records

    def test_valid_file_exits_zero(self):
        path = write("valid.json", '{"Name": "abc", "Size": 9223372036854775806, "Tags": ["a", "b"]}')
        result = validate("--schema", self.schema, path)
        self.assertEqual(result.returncode, 0)
        self.assertEqual(result.stdout, "%s: valid\n" % path)

    def test_invalid_file_names_pointer_and_keyword(self):
        path = write("invalid.json", '{"Name": "abc", "Size": 3}')
        result = validate("--schema", self.schema, path)
        self.assertEqual(result.returncode, 1)
        self.assertEqual(result.stdout.splitlines(), [
            "%s: invalid" % path,
            "%s:1:25: error: /Size: 3 is not a multiple of 2 (multipleOf at /properties/Size/multipleOf)" % path,
        ])

    def test_counts_of_one_are_singular(self):
        schema = write("counts.json", json.dumps({
            "properties": {"A": {"maxItems": 0}, "S": {"minLength": 2}, "O": {"maxProperties": 0},
                           "C": {"contains": {"type": "string"}}, "E": {"contains": {}}}}))
        path = write("counts-one.json", '{"A": [1], "S": "x", "O": {"k": 1}, "C": [1], "E": []}')
        result = validate("--schema", schema, "--all-errors", path)
        self.assertEqual(result.returncode, 1)
        messages = [line.split(": error: ", 1)[1] for line in result.stdout.splitlines()[1:]]
        self.assertEqual(messages, [
            "/A: array has 1 item, more than the maximum 0 (maxItems at /properties/A/maxItems)",
            '/S: "x" has 1 character, fewer than the minimum 2 (minLength at /properties/S/minLength)',
            "/O: object has 1 property, more than the maximum 0 (maxProperties at "
            "/properties/O/maxProperties)",
            "/C: the one item does not match the contains schema (contains at "
            "/properties/C/contains)",
            "/E: array is empty, so no item matches the contains schema (contains at "
            "/properties/E/contains)",
        ])

    def test_big_integer_beyond_maximum(self):
        path = write("big.json", '{"Name": "abc", "Size": 9223372036854775808}')
        result = validate("--schema", self.schema, path)
        self.assertEqual(result.returncode, 1)
        self.assertIn("(maximum at /properties/Size/maximum)", result.stdout)

    def test_malformed_file_reports_line_and_column(self):
        path = write("malformed.json", '{\n  "Name": "abc",\n  "Size": 01\n}')
        result = validate("--schema", self.schema, path)
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stdout,
                         "%s: malformed\n"
                         "%s:3:11: invalid JSON: invalid number '01': leading zeros are not allowed\n"
                         % (path, path))

    def test_endless_malformed_input_stops(self):
        result = subprocess.run([CFGATE, "validate", "--schema", self.schema, "/dev/zero"],
                                capture_output=True, text=True, timeout=20)
        self.assertEqual(result.returncode, 2)
        self.assertIn("/dev/zero:1:1: invalid JSON", result.stdout)

    def test_trailing_comma_is_malformed(self):
        result = validate("--schema", self.schema, stdin='{"Name": "abc",}')
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stdout,
                         "<stdin>: malformed\n<stdin>:1:15: invalid JSON: unexpected ',' before '}'\n")

    def test_repeated_property_name_is_malformed(self):
        result = validate("--schema", self.schema, stdin='{"Name": "abc",\n "N\\u0061me": "x"}')
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stdout,
                         '<stdin>: malformed\n<stdin>:2:2: invalid JSON: duplicate property name "Name"\n')

    def test_empty_input_is_malformed(self):
        result = validate("--schema", self.schema, stdin="")
        self.assertEqual(result.returncode, 2)
        self.assertIn("invalid JSON", result.stdout)

    def test_all_errors_reports_each_violation(self):
        path = write("many.json", '{"Size": 3, "Mode": "auto", "Extra": 1}')
        first = validate("--schema", self.schema, "--format", "json", path)
        every = validate("--schema", self.schema, "--format", "json", "--all-errors", path)
        self.assertEqual(first.returncode, 1)
        self.assertEqual(every.returncode, 1)
        self.assertEqual(len(self.json_records(first)[0]["errors"]), 1)
        keywords = sorted(e["keyword"] for e in self.json_records(every)[0]["errors"])
        self.assertEqual(keywords, ["additionalProperties", "enum", "multipleOf", "required"])

    def test_ndjson_continues_after_malformed_line(self):
        path = write("stream.ndjson", '{"Name": "abc"}\n{"Name": 5}\n\n  {"Name": "a",\n{"Name": "xyz"}\n{"Name": "B"}')
        result = validate("--schema", self.schema, "--ndjson", "--format", "json", path)
        self.assertEqual(result.returncode, 2)
        records = self.json_records(result)
        self.assertEqual([r["line"] for r in records], [1, 2, 4, 5, 6])
        self.assertEqual([r["valid"] for r in records], [True, False, False, True, False])
        malformed = records[2]
        self.assertTrue(malformed["malformed"])
        self.assertEqual(malformed["errors"][0]["keyword"], "syntax")
        self.assertEqual(malformed["errors"][0]["line"], 4)
        self.assertEqual(malformed["errors"][0]["column"], 16)
        self.assertEqual(records[1]["errors"][0]["instancePath"], "/Name")
        self.assertEqual(records[1]["errors"][0]["schemaPath"], "/properties/Name/type")
        self.assertEqual(records[1]["errors"][0]["line"], 2)
        self.assertEqual(records[1]["errors"][0]["column"], 10)

    def test_ndjson_lines_across_chunk_boundaries(self):
        # Lines of many sizes, one far longer than the 64 KiB read chunk, so
        # instances start and end at every offset of a chunk.
        lines, expected = [], []
        for i in range(3000):
            name = "abc" * (i % 97) if i != 1500 else "x" * 200000
            document = {"Name": name or "a", "Tags": ["t%d" % k for k in range(i % 13)]}
            if i % 7 == 3:
                document["Mode"] = "auto"
            lines.append(json.dumps(document))
            expected.append(jsonschema.Draft7Validator(SCHEMA).is_valid(document))
        path = write("chunks.ndjson", "\n".join(lines) + "\n")
        result = validate("--schema", self.schema, "--ndjson", "--format", "json", path)
        self.assertEqual(result.returncode, 1)
        records = [json.loads(line) for line in result.stdout.splitlines()]
        self.assertEqual([r["line"] for r in records], list(range(1, 3001)))
        self.assertEqual([r["valid"] for r in records], expected)

    def test_ndjson_text_lines(self):
        path = write("text.ndjson", '{"Name": "abc"}\r\n{"Name": "ABC"}\r\n')
        result = validate("--schema", self.schema, "--ndjson", path)
        self.assertEqual(result.returncode, 1)
        lines = result.stdout.splitlines()
        self.assertEqual(lines[0], "%s:1: valid" % path)
        self.assertEqual(lines[1], "%s:2: invalid" % path)
        self.assertTrue(lines[2].startswith("%s:2:10: error: /Name: " % path), lines[2])

    def test_several_files_in_order(self):
        good = write("good.json", '{"Name": "abc"}')
        bad = write("bad.json", '{"Name": "abc", "Mode": "auto"}')
        result = validate("--schema", self.schema, "--format", "json", good, bad, good)
        self.assertEqual(result.returncode, 1)
        records = self.json_records(result)
        self.assertEqual([(r["file"], r["valid"]) for r in records], [(good, True), (bad, False), (good, True)])

    def test_missing_file_is_usage_error(self):
        result = validate("--schema", self.schema, os.path.join(WORK, "absent.json"))
        self.assertEqual(result.returncode, 2)
        self.assertIn("cannot open %s" % os.path.join(WORK, "absent.json"), result.stderr)

    def test_context_binds_placeholder(self):
        path = write("account.json", '{"Account": "123456789012"}')
        bound = validate("--schema", self.template, "--context", "AWS::AccountId=123456789012", path)
        other = validate("--schema", self.template, "--context", "AWS::AccountId=999999999999", path)
        self.assertEqual(bound.returncode, 0, bound.stdout + bound.stderr)
        self.assertEqual(other.returncode, 1)
        self.assertIn("because: own account only", other.stdout)

    def test_missing_context_fails_closed(self):
        path = write("account2.json", '{"Account": "123456789012"}')
        result = validate("--schema", self.template, path)
        self.assertEqual(result.returncode, 2)
        self.assertIn("AWS::AccountId", result.stderr)

    def test_context_value_is_literal_in_pattern(self):
        team = dict(TEMPLATE, properties={"Team": {"type": "string", "pattern": "^${Org::Team}$"}})
        team["x-cfgate"] = dict(TEMPLATE["x-cfgate"], placeholders=["Org::Team"])
        template = write("team-template.json", json.dumps(team))
        path = write("team.json", '{"Team": "opsxdev"}')
        result = validate("--schema", template, "--context", "Org::Team=ops.dev", path)
        self.assertEqual(result.returncode, 1, result.stdout + result.stderr)

    def test_malformed_builtin_context_values(self):
        path = write("account4.json", '{"Account": "1"}')
        short = validate("--schema", self.template, "--context", "AWS::AccountId=1", path)
        self.assertEqual(short.returncode, 2)
        self.assertIn("invalid --context AWS::AccountId '1': expected 12 digits", short.stderr)

        mixed = validate("--schema", self.template, "--context", "AWS::AccountId=123456789012",
                         "--context", "AWS::Region=cn-north-1", "--context", "AWS::Partition=aws", path)
        self.assertEqual(mixed.returncode, 2)
        self.assertIn("--context AWS::Partition 'aws' does not match --context AWS::Region 'cn-north-1'",
                      mixed.stderr)

    def test_nul_in_schema_string(self):
        schema = write("nul-schema.json", '{"const": "a\\u0000b"}')
        self.assertEqual(validate("--schema", schema, stdin='"a\\u0000b"').returncode, 0)
        self.assertEqual(validate("--schema", schema, stdin='"a"').returncode, 1)

    def test_assert_formats(self):
        schema = write("format.json", '{"type": "string", "format": "ipv4"}')
        path = write("address.json", '"999.1.1.1"')
        self.assertEqual(validate("--schema", schema, path).returncode, 0)
        self.assertEqual(validate("--schema", schema, "--assert-formats", path).returncode, 1)

    def test_formats_without_checker_are_annotations(self):
        path = write("any-string.json", '"not-a-value-of-any-format"')
        for name in ("mac-address", "foo", "json-pointer", "idn-email"):
            schema = write("format-%s.json" % name, json.dumps({"type": "string", "format": name}))
            result = validate("--schema", schema, "--assert-formats", path)
            self.assertEqual(result.returncode, 0, name)
        asserted = write("format-uuid.json", '{"type": "string", "format": "uuid"}')
        self.assertEqual(validate("--schema", asserted, "--assert-formats", path).returncode, 1)

    def test_schema_syntax_error_names_position(self):
        schema = write("broken-schema.json", '{"type": "object",\n "properties": }')
        result = validate("--schema", schema, stdin="{}")
        self.assertEqual(result.returncode, 2)
        self.assertTrue(result.stderr.startswith("%s:2:" % schema), result.stderr)

    def test_schema_keyword_error_names_position_and_value(self):
        schema = write("bad-type.json", '{"type": "strin"}')
        result = validate("--schema", schema, stdin="{}")
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stderr, "%s:1:10: error: schema location '/type': invalid type: "
                         "expected one of null, boolean, object, array, number, integer, string, "
                         "or an array of them; got \"strin\"\n" % schema)

        schema = write("bad-minimum.json", '{\n  "properties": {\n    "a~b": {"minimum": "5"}\n  }\n}')
        result = validate("--schema", schema, stdin="{}")
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stderr, "%s:3:24: error: schema location '/properties/a~0b/minimum': "
                         "invalid minimum: expected a number; got \"5\"\n" % schema)

        schema = write("remote-ref.json", '{"$ref": "http://example.com/s"}')
        result = validate("--schema", schema, stdin="{}")
        self.assertEqual(result.returncode, 2)
        self.assertTrue(result.stderr.startswith("%s:1:10: error: schema location '/$ref': " % schema),
                        result.stderr)
        self.assertNotIn("; got", result.stderr)

    def test_schema_location_escapes_controls(self):
        schema = write("escaped-key.json", '{"properties": {"\\u001b[31m\\u202e": {"type": "strin"}}}')
        result = validate("--schema", schema, stdin="{}")
        self.assertEqual(result.returncode, 2)
        self.assertIn("schema location '/properties/\\x1B[31m\\u202e/type'", result.stderr)
        self.assertNotIn("\x1b", result.stderr)
        self.assertNotIn("\u202e", result.stderr)

    def test_usage_errors(self):
        cases = [
            ([], "missing --schema"),
            (["--schema"], "needs a value"),
            (["--schema", "x", "--format", "xml"], "invalid --format 'xml'"),
            (["--schema", "x", "--context", "NoEquals"], "invalid --context 'NoEquals'"),
            (["--schema", "x", "--bogus"], "unknown option '--bogus'"),
        ]
        for args, message in cases:
            result = validate(*args)
            self.assertEqual(result.returncode, 2, args)
            self.assertIn(message, result.stderr, args)

    def test_stdin_given_twice_is_usage_error(self):
        result = validate("--schema", self.schema, "-", "-", stdin='{"Name": "abc"}')
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stdout, "")
        self.assertIn("'-' (standard input) given 2 times; it can be read only once", result.stderr)

    def test_context_value_controls_escaped(self):
        path = write("account5.json", '{"Account": "123456789012"}')
        result = validate("--schema", self.template, "--context", "AWS::AccountId=123456789012",
                          "--context", "AWS::Region=us-east-1\nfoo\x7f", path)
        self.assertEqual(result.returncode, 2)
        self.assertIn("invalid --context AWS::Region 'us-east-1\\x0Afoo\\x7F': expected a region name",
                      result.stderr)
        self.assertEqual(len(result.stderr.splitlines()), 1, result.stderr)

    def test_error_cap_keeps_verdict_invalid(self):
        extra = {"Name": "abc"}
        extra.update(("X%d" % i, i) for i in range(70))
        path = write("cap.json", json.dumps(extra))
        text = validate("--schema", self.schema, "--all-errors", path)
        self.assertEqual(text.returncode, 1)
        lines = text.stdout.splitlines()
        self.assertEqual(lines[0], "%s: invalid" % path)
        self.assertEqual(len(lines), 1 + 64 + 1)
        self.assertIn("/X63: property \"X63\" is not allowed (additionalProperties at /additionalProperties)", lines[64])
        self.assertEqual(lines[65], "%s: 6 more errors not shown" % path)
        self.assertNotIn("too many errors", text.stdout)
        record = self.json_records(validate("--schema", self.schema, "--all-errors", "--format", "json", path))[0]
        self.assertEqual(record["verdict"], "invalid")
        self.assertEqual(record["errorsOmitted"], 6)
        self.assertEqual(len(record["errors"]), 64)
        self.assertEqual({e["keyword"] for e in record["errors"]}, {"additionalProperties"})

    def test_malformed_after_violation_in_both_modes(self):
        cases = [
            ('{"Name": "abc", "Extra": 1,}', "1:27: invalid JSON: unexpected ',' before '}'"),
            ('{"Name": "ABC"} x', "1:17: invalid JSON: unexpected 'x', expected end of input after the JSON value"),
            ('{"Name": "ABC", "Tags": [1, 2', "1:30: invalid JSON: unexpected end of input, expected ',' or a closing bracket"),
        ]
        for text, message in cases:
            path = write("late-syntax.json", text)
            for mode in ([], ["--all-errors"]):
                result = validate("--schema", self.schema, *mode, path)
                self.assertEqual(result.returncode, 2, (text, mode))
                self.assertEqual(result.stdout, "%s: malformed\n%s:%s\n" % (path, path, message),
                                 (text, mode))
                record = self.json_records(validate("--schema", self.schema, "--format", "json", *mode, path))[0]
                self.assertEqual(record["verdict"], "malformed")
                self.assertEqual([e["keyword"] for e in record["errors"]], ["syntax"])

    def test_malformed_before_type_error(self):
        # The wrong type is known at '[', but the syntax error still decides.
        schema = write("object.schema.json", '{"type": "object"}')
        result = validate("--schema", schema, stdin="[1,]")
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stdout,
                         "<stdin>: malformed\n<stdin>:1:3: invalid JSON: unexpected ',' before ']'\n")
        stream = validate("--schema", schema, "--ndjson", stdin='{"zz":1,,,}\n')
        self.assertEqual(stream.returncode, 2)
        self.assertEqual(stream.stdout, "<stdin>:1: malformed\n"
                                        "<stdin>:1:9: invalid JSON: unexpected ',', expected a string key\n")

    def test_text_output_escapes_control_characters(self):
        path = write("control.json", '{"Name": "a\\u001b[31mred\\r\\nX\\t\\u007f"}')
        result = validate("--schema", self.schema, path)
        self.assertEqual(result.returncode, 1)
        lines = result.stdout.splitlines()
        self.assertEqual(len(lines), 2)
        self.assertIn('/Name: "a\\u001b[31mred\\r\\nX\\t\\u007f" does not match the pattern', lines[1])
        self.assertNotIn("\x1b", result.stdout)
        self.assertNotIn("\r", result.stdout)

    def test_const_beside_enum_reports_const(self):
        schema = write("enum-const.json", '{"enum": ["Enabled", "Disabled"], "const": "Enabled"}')
        path = write("enum-const-instance.json", '"Disabled"')
        result = validate("--format", "json", "--schema", schema, path)
        self.assertEqual(result.returncode, 1)
        errors = self.json_records(result)[0]["errors"]
        self.assertEqual([(e["keyword"], e["schemaPath"]) for e in errors], [("const", "/const")])
        self.assertEqual(errors[0]["message"], '"Disabled" is not the required constant')

    def test_required_names_escaped(self):
        schema = write("required-nul.json",
                       '{"required": ["a\\u0000b", "c\\nd"], "dependencies": {"a": ["x\\u0000y"]}}')
        path = write("required-nul-instance.json", '{"a": 1}')
        result = validate("--all-errors", "--schema", schema, path)
        self.assertEqual(result.returncode, 1)
        self.assertIn('missing required property "a\\u0000b"', result.stdout)
        self.assertIn('missing required property "c\\nd"', result.stdout)
        self.assertIn('property "a" requires property "x\\u0000y"', result.stdout)

    def test_nul_in_property_name_kept(self):
        schema = write("closed.json", '{"additionalProperties": false}')
        path = write("nul-key.json", '{"b\\u0001c\\u0000d": 1}')
        result = validate("--schema", schema, "--format", "json", path)
        self.assertEqual(result.returncode, 1)
        records = self.json_records(result)
        self.assertEqual(records[0]["errors"][0]["instancePath"], "/b\x01c\x00d")
        self.assertEqual(records[0]["errors"][0]["message"], 'property "b\\u0001c\\u0000d" is not allowed')
        text = validate("--schema", schema, path)
        self.assertEqual(text.returncode, 1)
        self.assertIn(': error: /b\\x01c\\x00d: property "b\\u0001c\\u0000d" is not allowed', text.stdout)

    def test_unreadable_file_gets_json_record(self):
        absent = os.path.join(WORK, "absent.json")
        good = write("good2.json", '{"Name": "abc"}')
        result = validate("--schema", self.schema, "--format", "json", absent, good)
        self.assertEqual(result.returncode, 2)
        records = self.json_records(result)
        self.assertEqual([(r["file"], r["verdict"]) for r in records], [(absent, "failed"), (good, "valid")])
        self.assertFalse(records[0]["valid"])
        self.assertEqual(records[0]["errors"][0]["keyword"], "file")
        self.assertEqual(records[0]["errors"][0]["message"], "cannot open %s: No such file or directory" % absent)
        self.assertIsNone(records[0]["errors"][0]["schemaPath"])

    def test_missing_context_gets_json_record(self):
        path = write("account4.json", '{"Account": "123456789012"}')
        result = validate("--schema", self.template, "--format", "json", path)
        self.assertEqual(result.returncode, 2)
        records = self.json_records(result)
        self.assertEqual(len(records), 1)
        self.assertEqual(records[0]["verdict"], "failed")
        self.assertEqual(records[0]["errors"][0]["keyword"], "session")
        self.assertIn("${AWS::AccountId}", records[0]["errors"][0]["message"])

    def test_verdict_field_per_outcome(self):
        good = write("v-good.json", '{"Name": "abc"}')
        bad = write("v-bad.json", '{"Name": "ABC"}')
        broken = write("v-broken.json", '{"Name": ')
        result = validate("--schema", self.schema, "--format", "json", good, bad, broken)
        self.assertEqual([r["verdict"] for r in self.json_records(result)], ["valid", "invalid", "malformed"])

    def test_limit_error_has_no_schema_location(self):
        schema = write("any.json", "{}")
        deep = write("deep.json", "[" * 70 + "]" * 70)
        text = validate("--schema", schema, deep)
        self.assertEqual(text.returncode, 1)
        lines = text.stdout.splitlines()
        self.assertEqual(lines[0], "%s: failed" % deep)
        self.assertRegex(lines[1], r"^%s:1:\d+: error: (/\d+)+: nesting too deep \(limit is 64\)$" % re.escape(deep))
        record = self.json_records(validate("--schema", schema, "--format", "json", deep))[0]
        self.assertEqual(record["verdict"], "failed")
        self.assertEqual(record["errors"][0]["keyword"], "limit")
        self.assertIsNone(record["errors"][0]["schemaPath"])

    def test_false_schema_path(self):
        schema = write("false-member.json", '{"properties": {"Name": false}}')
        root = write("false-root.json", "false")
        path = write("false-instance.json", '{"Name": 1}')
        member = self.json_records(validate("--schema", schema, "--format", "json", path))[0]
        self.assertEqual(member["errors"][0]["schemaPath"], "/properties/Name")
        self.assertEqual(member["errors"][0]["keyword"], "false")
        whole = self.json_records(validate("--schema", root, "--format", "json", path))[0]
        self.assertEqual(whole["errors"][0]["schemaPath"], "")
        text = validate("--schema", schema, path)
        self.assertIn("(false at /properties/Name)", text.stdout)

    def test_schema_directory_is_named(self):
        result = validate("--schema", WORK, stdin="{}")
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stderr, "%s: error: is a directory, expected a JSON Schema file\n" % WORK)

    def test_schema_syntax_error_at_token_start(self):
        cases = [
            ("not json", "1:1: error: invalid literal 'not' (expected true, false or null)"),
            ('{"type":\n  [1, 2,]}', "2:8: error: unexpected ',' before ']'"),
            ('{"type": "string"} x', "1:20: error: unexpected 'x', expected end of input after the JSON value"),
        ]
        for text, message in cases:
            schema = write("bad-schema.json", text)
            result = validate("--schema", schema, stdin="{}")
            self.assertEqual(result.returncode, 2, text)
            self.assertEqual(result.stderr, "%s:%s\n" % (schema, message), text)

    def test_pattern_message_names_bound_values(self):
        path = write("account5.json", '{"Account": "99999"}')
        result = validate("--schema", self.template, "--context", "AWS::AccountId=123456789012", path)
        self.assertEqual(result.returncode, 1)
        self.assertIn('/Account: "99999" does not match the pattern "^${AWS::AccountId}$" '
                      'with AWS::AccountId="123456789012" (pattern at /properties/Account/pattern)', result.stdout)

    def test_long_values_cut_with_ellipsis(self):
        digits = "1234567890" * 6
        number = validate("--schema", self.schema, stdin='{"Name": "abc", "Size": %s}' % digits)
        self.assertEqual(number.returncode, 1)
        self.assertIn("/Size: %s... is greater than the maximum 9223372036854775807" % digits[:48], number.stdout)
        text = validate("--schema", self.schema, stdin='{"Name": "%s"}' % ("A" * 70))
        self.assertEqual(text.returncode, 1)
        self.assertIn('/Name: "%s..." does not match the pattern' % ("A" * 48), text.stdout)

    def test_multibyte_value_cut_at_code_point(self):
        # The first 48 bytes of "a" + 30 "é" end in the middle of an "é".
        cases = [("a" + "\u00e9" * 30, "a" + "\u00e9" * 23),
                 ("ab" + "\U0001f600" * 20, "ab" + "\U0001f600" * 11)]
        for value, prefix in cases:
            path = write("multibyte.json", json.dumps({"Name": value}, ensure_ascii=False))
            result = subprocess.run([CFGATE, "validate", "--schema", self.schema, "--format", "json", path],
                                    capture_output=True, timeout=60)
            self.assertEqual(result.returncode, 1, value)
            output = result.stdout.decode("utf-8")
            records = self.json_records(subprocess.CompletedProcess(result.args, 1, output, ""))
            message = records[0]["errors"][0]["message"]
            self.assertEqual(message, '"%s..." does not match the pattern "^[a-z]+$"' % prefix)

    def test_denied_key_cut_at_code_point(self):
        # "Name" is required, and the 64-byte cut of the key falls inside an "é".
        key = "k" + "\u00e9" * 500
        path = write("long-key.json", json.dumps({"Name": "abc", key: 1}, ensure_ascii=False))
        result = subprocess.run([CFGATE, "validate", "--schema", self.schema, "--format", "json", path],
                                capture_output=True, timeout=60)
        self.assertEqual(result.returncode, 1)
        error = json.loads(result.stdout.decode("utf-8"))["errors"][0]
        self.assertEqual(error["instancePath"], "/" + key)
        self.assertEqual(error["message"], 'property "k%s..." is not allowed' % ("\u00e9" * 31))

    def test_full_message_cut_at_code_point(self):
        pattern = "^" + "\u00e9" * 400 + "$"
        schema = write("long-pattern.json", json.dumps({"pattern": pattern}, ensure_ascii=False))
        result = subprocess.run([CFGATE, "validate", "--schema", schema, "--format", "json", "-"],
                                input=b'"x"', capture_output=True, timeout=60)
        self.assertEqual(result.returncode, 1)
        message = json.loads(result.stdout.decode("utf-8"))["errors"][0]["message"]
        self.assertTrue(message.startswith('"x" does not match the pattern "^\u00e9'), message)
        self.assertTrue(message.endswith("\u00e9..."), message)
        self.assertLessEqual(len(message.encode("utf-8")), 383)

    def test_rounded_schema_numbers_rejected(self):
        # jansson reads a decimal as a double, so these bounds would move.
        cases = [('{"minimum": 1e-400}', "1e-400", "0"),
                 ('{"maximum": 3599.99999999999999999}', "3599.99999999999999999", "3600"),
                 ('{"minimum": 1.0000000000000001}', "1.0000000000000001", "1")]
        for text, number, read_as in cases:
            schema = write("rounded.json", text)
            result = validate("--schema", schema, stdin="0")
            self.assertEqual(result.returncode, 2, result.stdout)
            self.assertEqual(result.stderr.splitlines()[0],
                             "%s:1:13: error: schema number %s cannot be held exactly: a double "
                             "reads it as %s, so a bound would move; write a value with at most 15 "
                             "significant digits and a magnitude from 1e-307 to 1e308"
                             % (schema, number, read_as))

        # The 17-digit text of a double, as jansson writes 0.1, names that double.
        schema = write("rounded.json", '{"minimum": 0.10000000000000001}')
        self.assertEqual(validate("--schema", schema, stdin="0.1").returncode, 0)
        self.assertEqual(validate("--schema", schema, stdin="0.09").returncode, 1)

    def test_long_numbers_cut_in_messages(self):
        digits = "7" * 60 + "0" * 180  # the runtime takes at most 64 significant digits
        result = validate("--schema", self.schema, stdin='{"Name": "abc", "Size": %s}' % digits)
        self.assertEqual(result.returncode, 1)
        self.assertIn("/Size: %s... is greater than the maximum 9223372036854775807 "
                      "(maximum at /properties/Size/maximum)" % digits[:48], result.stdout)
        self.assertLess(len(result.stdout), 300)
        # Valid JSON past the exact-number limits fails as a limit, not as malformed input.
        huge = validate("--schema", self.schema, stdin='{"Name": "abc", "Size": %s}' % ("7" * 100000))
        self.assertEqual(huge.returncode, 1)
        self.assertEqual(huge.stdout, "<stdin>: failed\n<stdin>:1:25: error: /Size: number too long "
                         "(limit is 256 characters): '%s...'\n" % ("7" * 40))

    def test_duplicate_context_is_usage_error(self):
        result = validate("--schema", self.template, "--context", "AWS::AccountId=123456789012",
                          "--context", "AWS::AccountId=999999999999", stdin='{"Account": "123456789012"}')
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stdout, "")
        self.assertIn("duplicate --context AWS::AccountId", result.stderr)

    def test_instantiate_duplicate_context_is_usage_error(self):
        result = subprocess.run([CFGATE, "instantiate", self.template, "--context", "AWS::AccountId=123456789012",
                                 "--context", "AWS::AccountId=999999999999"],
                                capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stdout, "")
        self.assertIn("duplicate --context AWS::AccountId", result.stderr)

    def test_ndjson_without_instance_is_malformed(self):
        # As an empty JSON file is: verdict malformed, syntax error at 1:1.
        for text in ["", "\n", " \r\n\t\n"]:
            result = validate("--schema", self.schema, "--ndjson", "--format", "json", stdin=text)
            self.assertEqual(result.returncode, 2, repr(text))
            self.assertIn("<stdin>: no JSON value: the NDJSON input has no instance", result.stderr, repr(text))
            records = self.json_records(result)
            self.assertEqual(len(records), 1, repr(text))
            self.assertEqual(records[0]["verdict"], "malformed", repr(text))
            self.assertTrue(records[0]["malformed"], repr(text))
            error = records[0]["errors"][0]
            self.assertEqual(error["keyword"], "syntax", repr(text))
            self.assertEqual(error["message"], "no JSON value: the NDJSON input has no instance")
            self.assertEqual((error["line"], error["column"]), (1, 1), repr(text))

            result = validate("--schema", self.schema, "--ndjson", stdin=text)
            self.assertEqual(result.returncode, 2, repr(text))
            self.assertEqual(result.stdout, "<stdin>: malformed\n<stdin>:1:1: invalid JSON: no JSON "
                                            "value: the NDJSON input has no instance\n", repr(text))

    def test_ndjson_malformed_line_has_verdict(self):
        path = write("verdicts.ndjson", '{"Name": "abc"}\n{"Name": "a",}\n{"Name": "xyz"}\n')
        result = validate("--schema", self.schema, "--ndjson", path)
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stdout.splitlines(), [
            "%s:1: valid" % path,
            "%s:2: malformed" % path,
            "%s:2:13: invalid JSON: unexpected ',' before '}'" % path,
            "%s:3: valid" % path,
        ])

    def test_whitespace_document_is_malformed(self):
        result = validate("--schema", self.schema, stdin=" \n\t")
        self.assertEqual(result.returncode, 2)
        self.assertIn("invalid JSON: empty input, expected a JSON value", result.stdout)

    def test_type_error_quotes_string(self):
        for mode in ([], ["--all-errors"]):
            result = validate("--schema", self.schema, *mode, stdin='{"Name": "abc", "Size": "%s"}' % ("7" * 60))
            self.assertEqual(result.returncode, 1, mode)
            self.assertIn('/Size: expected integer, got string "%s..." (type at /properties/Size/type)' % ("7" * 48),
                          result.stdout, mode)

    def test_help(self):
        result = validate("--help")
        self.assertEqual(result.returncode, 0)
        self.assertIn("usage: cfgate validate --schema SCHEMA.json", result.stdout)


if __name__ == "__main__":
    CFGATE, SOURCE, WORK = sys.argv[1:4]
    os.makedirs(WORK, exist_ok=True)
    unittest.main(argv=sys.argv[:1], verbosity=2)
