"""Tests of the "$schema" check of `cfgate validate`: a schema for another
dialect is rejected with its position, the draft-07 URIs are accepted, and
what `cfgate compile` and `cfgate instantiate` write validates.

    validate_dialect_test.py CFGATE SCHEMAS WORK_DIR
"""

import os
import subprocess
import sys
import unittest

CFGATE = SCHEMAS = WORK = None

SCHEMA_2020 = """{
  "type": "object",
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "dependentRequired": {"a": ["b"]}
}
"""


def write(name, text):
    path = os.path.join(WORK, name)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    return path


def run(*args, stdin=None):
    return subprocess.run([CFGATE, *args], input=stdin, capture_output=True, text=True,
                          timeout=120, env={**os.environ, "CFGATE_SCHEMAS": SCHEMAS})


class DialectTest(unittest.TestCase):
    def test_2020_12_rejected(self):
        path = write("s2020.json", SCHEMA_2020)
        result = run("validate", "--schema", path, stdin='{"a": 1}')
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stdout, "")
        self.assertEqual(result.stderr,
                         '%s:3:14: error: unsupported $schema '
                         '"https://json-schema.org/draft/2020-12/schema": cfgate validates '
                         'draft-07 only (http://json-schema.org/draft-07/schema#)\n' % path)

    def test_non_string_rejected(self):
        path = write("number.json", '{"$schema": 7}')
        result = run("validate", "--schema", path, stdin="{}")
        self.assertEqual(result.returncode, 2)
        self.assertIn("%s:1:13: error: unsupported $schema 7:" % path, result.stderr)

    def test_nested_schema_key_not_located(self):
        text = '{"properties": {"$schema": {}},\n "$schema": "draft-04"}'
        path = write("nested.json", text)
        result = run("validate", "--schema", path, stdin="{}")
        self.assertEqual(result.returncode, 2)
        self.assertIn('%s:2:13: error: unsupported $schema "draft-04"' % path, result.stderr)

    def test_draft7_uris_accepted(self):
        for uri in ["http://json-schema.org/draft-07/schema#", "http://json-schema.org/draft-07/schema",
                    "https://json-schema.org/draft-07/schema#", "https://json-schema.org/draft-07/schema"]:
            with self.subTest(uri=uri):
                path = write("draft7.json", '{"$schema": "%s", "required": ["a"]}' % uri)
                self.assertEqual(run("validate", "--schema", path, stdin='{"a": 1}').returncode, 0)
                self.assertEqual(run("validate", "--schema", path, stdin='{}').returncode, 1)

    def test_provider_schemas_accepted(self):
        names = ["aws-ec2-securitygroup.json", "aws-sqs-queue.json"]
        for name in names:
            with self.subTest(name=name):
                result = run("validate", "--schema", os.path.join(SCHEMAS, name), stdin="{}")
                self.assertNotIn("unsupported $schema", result.stderr)
                self.assertIn(result.returncode, (0, 1), result.stderr)

    def test_provider_uri_needs_https_suffix(self):
        for uri in ["http://example.com/provider.definition.schema.v1.json",
                    "https://example.com/provider.definition.schema.v2.json"]:
            with self.subTest(uri=uri):
                path = write("provider.json", '{"$schema": "%s"}' % uri)
                result = run("validate", "--schema", path, stdin="{}")
                self.assertEqual(result.returncode, 2)
                self.assertIn("unsupported $schema", result.stderr)

    def test_compiled_and_instantiated_validate(self):
        policy = write("queue.gate", 'type AWS::SQS::Queue {\n  QueueName pattern "^${AWS::Region}-"\n}\n')
        out = os.path.join(WORK, "compiled")
        result = run("compile", policy, "-o", out)
        self.assertEqual(result.returncode, 0, result.stderr)

        template = os.path.join(out, "templates", "aws-sqs-queue.json")
        context = ["--context", "AWS::Region=us-east-1"]
        result = run("validate", "--schema", template, *context, stdin='{"QueueName": "us-east-1-q"}')
        self.assertEqual(result.returncode, 0, result.stderr)

        result = run("instantiate", template, *context)
        self.assertEqual(result.returncode, 0, result.stderr)
        schema = write("instantiated.json", result.stdout)
        result = run("validate", "--schema", schema, stdin='{"QueueName": "us-east-1-q"}')
        self.assertEqual(result.returncode, 0, result.stderr)
        result = run("validate", "--schema", schema, stdin='{"QueueName": "eu-west-1-q"}')
        self.assertEqual(result.returncode, 1, result.stderr)


if __name__ == "__main__":
    CFGATE, SCHEMAS, WORK = sys.argv[1:4]
    os.makedirs(WORK, exist_ok=True)
    unittest.main(argv=sys.argv[:1], verbosity=1)
