"""Tests of the messages of cfgate for unusual inputs: deep plain
nesting, several missing placeholders, standard input named twice, a
resource without Type, unknown --context names in check,
validate and instantiate, and a UTF-8 byte order mark in validate input.

    check_cli_messages.py CFGATE SCHEMAS WORK_DIR
"""

import json
import os
import subprocess
import sys
import unittest

CFGATE = SCHEMAS = WORK = None

POLICY = """type AWS::SQS::Queue {
    QueueName pattern "^ok-[a-z]+$"
}
"""

ACCOUNT = ["--account-id", "123456789012", "--region", "us-east-1"]


def write(name, text, mode="w"):
    path = os.path.join(WORK, name)
    with open(path, mode) as handle:
        handle.write(text)
    return path


def run(*args, stdin=None):
    return subprocess.run([CFGATE, *args], capture_output=True, text=True, input=stdin,
                          timeout=120, env={**os.environ, "CFGATE_SCHEMAS": SCHEMAS})


def nested_template(depth, leaf):
    value = leaf
    for _ in range(depth):
        value = {"a": value}
    return json.dumps({"Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {
        "QueueName": "ok-a", "RedrivePolicy": value}}}})


class MessageTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.policy = write("queue.gate", POLICY)
        cls.star = write("star.gate", "type AWS::SQS::Queue { * }\n")

    def check_json(self, policy, *args):
        result = run("check", "--policy", policy, *ACCOUNT, "--format", "json", *args)
        return result.returncode, json.loads(result.stdout) if result.stdout else None, result.stderr

    def test_plain_nesting_past_limit(self):
        path = write("deep.json", nested_template(70, 1))
        status, report, _ = self.check_json(self.star, path)
        self.assertEqual(status, 1)
        finding = report["templates"][0]["resources"][0]["findings"][0]
        self.assertEqual(finding["message"], "too many nested arrays and objects (limit is 64)")
        self.assertEqual(finding["kind"], "failed")
        self.assertEqual(finding["ruleId"], "cfgate/failed")
        self.assertEqual((finding["line"], finding["column"]), (1, 480))

    def test_yaml_syntax_errors_name_cause(self):
        cases = [
            ("tab.yaml", "Resources:\n\tQ:\n    Type: x\n",
             "2:1: error: a tab is not allowed for indentation: indent with spaces"),
            ("open.yaml", "Resources: [\n",
             "1:12: error: unclosed flow sequence: the '[' at line 1, column 12 has no "
             "matching ']' before the end of the text"),
            ("recursive.yaml", "Resources: &a\n  Q: *a\n",
             "1:12: error: recursive alias: *a is inside the value that &a names, so the "
             "value would contain itself"),
        ]
        for name, text, message in cases:
            path = write(name, text)
            result = run("check", "--policy", self.policy, *ACCOUNT, path)
            self.assertEqual(result.returncode, 2, result.stdout)
            self.assertIn(f"{path}:{message}\n", result.stdout)

    def test_standard_input_named_twice(self):
        result = run("check", "--policy", self.policy, *ACCOUNT, "-", "-",
                     stdin='{"Resources": {}}')
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stdout, "")
        self.assertIn("-: standard input is named twice, but it can be read once",
                      result.stderr)

    def test_missing_type_names_misspelt_key(self):
        path = write("no-type.yaml", "Resources:\n  Q:\n    Tpye: AWS::SQS::Queue\n"
                     "  R:\n    Properties: {}\n")
        status, report, _ = self.check_json(self.policy, path)
        self.assertEqual(status, 1)
        resources = report["templates"][0]["resources"]
        messages = [[f["message"] for f in r["findings"]] for r in resources]
        self.assertEqual(messages, [
            ["invalid resource: missing Type, the resource type name such as AWS::S3::Bucket "
             "(did you mean 'Type' for 'Tpye'?)"],
            ["invalid resource: missing Type, the resource type name such as AWS::S3::Bucket"],
        ])

    def test_intrinsic_nesting_past_limit(self):
        path = write("deep-call.json", nested_template(70, {"Ref": "AWS::Region"}))
        status, report, _ = self.check_json(self.star, path)
        self.assertEqual(status, 1)
        finding = report["templates"][0]["resources"][0]["findings"][0]
        self.assertEqual(finding["message"], "too many nested arrays and objects (limit is 64)")
        calls = {"Fn::Join": ["", [{"Fn::Join": ["", ["a"]]}]]}
        for _ in range(40):
            calls = {"Fn::Join": ["", [calls]]}
        path = write("deep-join.json", json.dumps({"Resources": {"Q": {
            "Type": "AWS::SQS::Queue", "Properties": {"QueueName": calls}}}}))
        status, report, _ = self.check_json(self.star, path)
        self.assertEqual(status, 1)
        finding = report["templates"][0]["resources"][0]["findings"][0]
        self.assertEqual(finding["message"],
                         "too many nested intrinsic functions, arrays and objects (limit is 64)")
        self.assertEqual(finding["kind"], "failed")
        self.assertEqual(finding["ruleId"], "cfgate/failed")

    def test_text_after_document_end(self):
        """Text after a '...' line, or a directive without '---', gets a
        message that names the cause and what to change."""
        path = write("document-end.yaml", "Resources:\n  Q: {Type: AWS::SQS::Queue}\n"
                                          "... # end\n\nfoo: [\n")
        status, report, _ = self.check_json(self.star, path)
        self.assertEqual(status, 2)
        error = report["templates"][0]["error"]
        self.assertEqual((error["line"], error["column"]), (5, 1))
        self.assertEqual(error["message"],
                         "text after the end of the YAML document: the '...' line at line 3 "
                         "ends it, and a template is one document, so remove that line or the "
                         "text after it")

        path = write("directive.yaml", "%YAML 1.2\nResources:\n  Q: {Type: AWS::SQS::Queue}\n")
        status, report, _ = self.check_json(self.star, path)
        self.assertEqual(status, 2)
        error = report["templates"][0]["error"]
        self.assertEqual((error["line"], error["column"]), (2, 1))
        self.assertEqual(error["message"],
                         "missing '---' line: a %YAML or %TAG directive must be followed by a "
                         "'---' line before the document, so add one before line 2")

    def test_map_key_pattern_named(self):
        policy = write("variables.gate", "type AWS::Lambda::Function {\n    Code\n    Role\n"
                                         "    Environment.Variables\n}\n")
        path = write("variables.yaml", """Resources:
  F:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/run
      Code: {ZipFile: x}
      Environment: {Variables: {A: ok, GOOD_NAME: ok}}
""")
        status, report, _ = self.check_json(policy, path)
        self.assertEqual(status, 1)
        findings = report["templates"][0]["resources"][0]["findings"]
        self.assertEqual([(f["pointer"], f["message"]) for f in findings], [
            ("/Environment/Variables/A", 'property "A" is not allowed: its name does not match '
                                         'the pattern "[a-zA-Z][a-zA-Z0-9_]+"')])

    def test_condition_cycle_named(self):
        path = write("cycle.yaml", """Conditions:
  A: !Condition A
  B: !Not [!Condition C]
  C: !And [!Condition D, !Equals [1, 1]]
  D: !Condition B
Resources:
  Q:
    Type: AWS::SQS::Queue
    Condition: A
  R:
    Type: AWS::SQS::Queue
    Properties: {QueueName: !If [C, ok-a, ok-b]}
""")
        status, report, _ = self.check_json(self.star, path)
        self.assertEqual(status, 1)
        found = [(f["ruleId"], f["line"], f["column"], f["message"])
                 for r in report["templates"][0]["resources"] for f in r["findings"]]
        self.assertEqual(found, [
            ("cfgate/intrinsic", 2, 6, "condition 'A' refers to itself"),
            ("cfgate/intrinsic", 4, 6, "condition 'C' refers to itself through 'D' -> 'B'")])

    def test_condition_attribute_not_name(self):
        cases = [
            ("[F]", "found the list [F]: write Condition: F"),
            ("!Condition F", "found a call of Condition naming F: write Condition: F"),
            ("{Condition: F}", "found a call of Condition naming F: write Condition: F"),
            ("!Equals [a, b]", "found a call of Fn::Equals: define the condition in "
             "Conditions and write its name (Condition: NAME)"),
            ("", "found null"),
            ("[F, G]", "found a list of 2 items"),
            ("true", "found boolean true"),
        ]
        for value, found in cases:
            path = write("condition.yaml", f"""Conditions:
  F: !Equals [a, b]
Resources:
  Q:
    Type: AWS::SQS::Queue
    Condition: {value}
    Properties: {{QueueName: ok-a}}
""")
            status, report, _ = self.check_json(self.policy, path)
            self.assertEqual(status, 1, value)
            messages = [f["message"] for f in report["templates"][0]["resources"][0]["findings"]]
            self.assertEqual(messages, [
                "resource Condition must be a condition name, " + found], value)

    def test_pattern_limit_named(self):
        policy = write("steps.gate", 'type AWS::SQS::Queue {\n'
                       '    QueueName pattern "^(x)\\\\1(a|aa|aaa)*(a|aa)*$"\n}\n')
        path = write("steps.yaml", "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n"
                     "    Properties: {QueueName: xx%sb}\n" % ("a" * 60))
        status, report, _ = self.check_json(policy, path)
        self.assertEqual(status, 1)
        finding = report["templates"][0]["resources"][0]["findings"][0]
        self.assertEqual(finding["ruleId"], "cfgate/limit")
        self.assertEqual(finding["message"],
                         'too many matching steps for pattern "^(x)\\1(a|aa|aaa)*(a|aa)*$" '
                         "(limit is 1024 per byte of the value); simplify the pattern, for "
                         "example by removing nested or overlapping repetitions such as (a|aa)*")

    def test_policy_attribute_values_checked(self):
        deletion = "CloudFormation accepts Delete, Retain, RetainExceptOnCreate or Snapshot"
        update_replace = "CloudFormation accepts Delete, Retain or Snapshot"
        cases = [
            ("DeletionPolicy: Bogus", 6, 21, "invalid DeletionPolicy 'Bogus': " + deletion),
            ("DeletionPolicy: retain", 6, 21,
             "invalid DeletionPolicy 'retain' (did you mean 'Retain'?): " + deletion),
            ("UpdateReplacePolicy: RetainExceptOnCreate", 6, 26,
             "invalid UpdateReplacePolicy 'RetainExceptOnCreate': " + update_replace),
            ("DeletionPolicy: [Retain]", 6, 21,
             "invalid DeletionPolicy: found a list of 1 item, but " + deletion),
            ("DeletionPolicy: true", 6, 21,
             "invalid DeletionPolicy: found boolean true, but " + deletion),
            ("UpdateReplacePolicy:", 6, 25,
             "invalid UpdateReplacePolicy: found null, but " + update_replace),
        ]
        for attribute, line, column, message in cases:
            path = write("deletion.yaml", f"""Parameters:
  Keep: {{Type: String, AllowedValues: [Retain, Delete]}}
Resources:
  Q:
    Type: AWS::SQS::Queue
    {attribute}
    Properties: {{QueueName: ok-a}}
""")
            status, report, _ = self.check_json(self.policy, path)
            self.assertEqual(status, 1, attribute)
            findings = report["templates"][0]["resources"][0]["findings"]
            self.assertEqual([f["message"] for f in findings], [message], attribute)
            self.assertEqual(findings[0]["kind"], "invalid", attribute)
            self.assertEqual(findings[0]["ruleId"], "cfgate/resource", attribute)
            self.assertEqual((findings[0]["line"], findings[0]["column"]), (line, column),
                             attribute)

        # Allowed names, and values CloudFormation resolves, pass unchanged.
        for attribute in ["DeletionPolicy: RetainExceptOnCreate", "DeletionPolicy: Snapshot",
                          "UpdateReplacePolicy: Retain", "DeletionPolicy: !Ref Keep"]:
            path = write("deletion.yaml", f"""Parameters:
  Keep: {{Type: String, AllowedValues: [Retain, Delete]}}
Resources:
  Q:
    Type: AWS::SQS::Queue
    {attribute}
    Properties: {{QueueName: ok-a}}
""")
            status, report, _ = self.check_json(self.policy, path)
            self.assertEqual(status, 0, (attribute, report))

    def test_condition_chain_past_limit(self):
        chain = "".join(f"  C{i}: !Condition C{i + 1}\n" for i in range(70))
        path = write("chain.yaml", "Conditions:\n" + chain + "  C70: !Equals [1, 1]\n"
                     "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Condition: C0\n")
        status, report, _ = self.check_json(self.star, path)
        self.assertEqual(status, 1)
        finding = report["templates"][0]["resources"][0]["findings"][0]
        self.assertEqual(finding["message"], "too many nested conditions (limit is 64)")
        self.assertEqual(finding["ruleId"], "cfgate/failed")
        self.assertEqual((finding["line"], finding["column"]), (65, 8))

    def type_messages(self, path):
        status, report, stderr = self.check_json(self.star, path)
        self.assertEqual(status, 1, stderr)
        # Plain -1e3 and long decimals get a second, YAML 1.1 reading, whose
        # findings are checked in check_yaml11.py.
        return {f["pointer"]: f["message"]
                for f in report["templates"][0]["resources"][0]["findings"]
                if not f["message"].endswith("(in the YAML 1.1 reading of the template)")}

    def test_type_error_names_yaml_type(self):
        path = write("types.yaml", """Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: 5.5
      MaximumMessageSize: true
      MessageRetentionPeriod: "5.5"
      FifoQueue: 5
      Tags: -1e3
      VisibilityTimeout: 0.%s
""" % ("5" * 60))
        self.assertEqual(self.type_messages(path), {
            "/DelaySeconds": "expected integer, got number 5.5",
            "/MaximumMessageSize": "expected integer, got boolean true",
            "/MessageRetentionPeriod": 'expected integer, got string "5.5"',
            "/FifoQueue": "expected boolean, got number 5",
            "/Tags": "expected array, got number -1e3",
            "/VisibilityTimeout": "expected integer, got number 0." + "5" * 46 + "..."})

    def test_type_error_names_json_type(self):
        path = write("types.json", json.dumps({"Resources": {"Q": {
            "Type": "AWS::SQS::Queue", "Properties": {
                "DelaySeconds": 5.5, "MaximumMessageSize": False, "Tags": 5,
                "ReceiveMessageWaitTimeSeconds": "x" + "9" * 60}}}}))
        self.assertEqual(self.type_messages(path), {
            "/DelaySeconds": "expected integer, got number 5.5",
            "/MaximumMessageSize": "expected integer, got boolean false",
            "/Tags": "expected array, got number 5",
            "/ReceiveMessageWaitTimeSeconds": 'expected integer, got string "x' + "9" * 47 + '..."'})

    def test_nesting_within_limit(self):
        path = write("shallow.json", nested_template(50, 1))
        status, report, stderr = self.check_json(self.star, path)
        self.assertEqual(status, 0, stderr)
        self.assertEqual(report["summary"]["compliant"], 1)

    def test_every_missing_placeholder_named(self):
        policy = write("ctx.gate", """context Team
type AWS::SQS::Queue {
    QueueName pattern "^${Team}-"
    KmsMasterKeyId pattern "^arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/"
}
""")
        template = write("q.yaml", "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n"
                                   "    Properties:\n      QueueName: payments-orders\n")
        result = run("check", "--policy", policy, template)
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stdout, "")
        self.assertEqual(result.stderr.splitlines(), [
            "cfgate check: the policy needs a value for ${AWS::AccountId}: pass --account-id ID",
            "cfgate check: the policy needs a value for ${AWS::Partition}: pass --region R or "
            "--partition P",
            "cfgate check: the policy needs a value for ${AWS::Region}: pass --region R",
            "cfgate check: the policy needs a value for ${Team}: pass --context Team=VALUE",
            "Run 'cfgate check --help' for the options."])

        result = run("check", "--policy", policy, "--region", "us-east-1", template)
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stderr.splitlines()[:2], [
            "cfgate check: the policy needs a value for ${AWS::AccountId}: pass --account-id ID",
            "cfgate check: the policy needs a value for ${Team}: pass --context Team=VALUE"])

    def test_placeholders_of_checked_types_only(self):
        """Only the type blocks that validate a resource of the checked
        templates need their placeholder values."""
        policy = write("org.gate", """context OrganizationId
type AWS::SQS::Queue { * }
type AWS::Lambda::Permission {
    Action
    FunctionName
    Principal
    PrincipalOrgID = "${OrganizationId}"
}
""")
        queues = write("queues.yaml", "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n")
        result = run("check", "--policy", policy, queues)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("1 compliant", result.stdout)

        skipped = write("skipped.yaml", """Conditions:
  Never: !Equals [a, b]
Resources:
  P:
    Type: AWS::Lambda::Permission
    Condition: Never
    Properties: {Action: lambda:InvokeFunction, FunctionName: f, Principal: s3.amazonaws.com}
""")
        result = run("check", "--policy", policy, skipped)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("1 skipped by conditions", result.stdout)

        created = write("created.yaml", """Resources:
  P:
    Type: AWS::Lambda::Permission
    Properties: {Action: lambda:InvokeFunction, FunctionName: f, Principal: s3.amazonaws.com}
""")
        result = run("check", "--policy", policy, created)
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stderr.splitlines(), [
            "cfgate check: the policy needs a value for ${OrganizationId}: pass --context "
            "OrganizationId=VALUE",
            "Run 'cfgate check --help' for the options."])

    def test_check_unknown_context_warns(self):
        policy = write("team.gate", 'context Team\ntype AWS::SQS::Queue {\n'
                                    '    QueueName pattern "^${Team}-"\n}\n')
        template = write("team.yaml", "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n"
                                      "    Properties:\n      QueueName: payments-orders\n")
        result = run("check", "--policy", policy, *ACCOUNT, "--context", "Bogus=1",
                     "--context", "Team=payments", template)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr,
                         "cfgate check: warning: the policy has no placeholder ${Bogus}, so "
                         "--context Bogus is not used (its context placeholders: Team)\n")

        result = run("check", "--policy", self.star, *ACCOUNT, "--context", "Bogus=1", template)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("(it has no context placeholders)", result.stderr)

    def test_validate_instantiate_unknown_context_warn(self):
        out = os.path.join(WORK, "compiled")
        policy = write("team2.gate", 'context Team\ntype AWS::SQS::Queue {\n'
                                     '    QueueName pattern "^${Team}-"\n}\n')
        self.assertEqual(run("compile", policy, "-o", out).returncode, 0)
        template = os.path.join(out, "templates", "aws-sqs-queue.json")

        result = run("validate", "--schema", template, "--context", "Team=a", "--context", "Bogus=1",
                     stdin='{"QueueName": "a-b"}')
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr,
                         "%s: warning: the schema has no placeholder ${Bogus}, so --context Bogus "
                         "is not used (its placeholders: Team)\n" % template)

        result = run("instantiate", template, "--context", "Team=a", "--context", "Bogus=1")
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stderr,
                         "%s: warning: the template has no placeholder '${Bogus}', so --context "
                         "Bogus=... is not used (its placeholders: Team)\n" % template)

    def test_validate_skips_byte_order_mark(self):
        schema = write("bom-schema.json", b'\xef\xbb\xbf{"required": ["a"]}', "wb")
        instance = write("bom.json", b'\xef\xbb\xbf{"a": 1}', "wb")
        result = run("validate", "--schema", schema, instance)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertEqual(result.stdout, "%s: valid\n" % instance)

        lines = write("bom.ndjson", b'\xef\xbb\xbf{"a": 1}\n{}\n', "wb")
        result = run("validate", "--schema", schema, "--ndjson", lines)
        self.assertEqual(result.returncode, 1)
        self.assertTrue(result.stdout.startswith("%s:1: valid\n%s:2: invalid\n" % (lines, lines)),
                        result.stdout)

        twice = write("bom2.json", b'\xef\xbb\xbf\xef\xbb\xbf{}', "wb")
        result = run("validate", "--schema", schema, twice)
        self.assertEqual(result.returncode, 2)
        self.assertIn("%s:1:1: invalid JSON: unexpected byte 0xEF" % twice, result.stdout + result.stderr)

    def test_instantiate_positions_one_based(self):
        folder = os.path.join(WORK, "folder")
        os.makedirs(folder, exist_ok=True)
        result = run("instantiate", folder)
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stderr,
                         "%s: error: is a directory, expected a restricted schema template file\n"
                         % folder)

        truncated = write("trunc.json", '{"a":\n')
        result = run("instantiate", truncated)
        self.assertEqual(result.returncode, 2)
        self.assertEqual(result.stderr,
                         "%s:2:1: error: unexpected token near end of file\n" % truncated)


if __name__ == "__main__":
    CFGATE, SCHEMAS, WORK = sys.argv[1:4]
    os.makedirs(WORK, exist_ok=True)
    unittest.main(argv=sys.argv[:1], verbosity=1)
