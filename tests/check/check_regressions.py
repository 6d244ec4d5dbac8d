"""Runs cfgate check on small templates written to a temporary folder.
Each test is a case that was once passed or reported wrongly. The cases
cover SSM parameter types, undecidable conditions beyond the limit,
Fn::Transform inside a resource, control characters in text reports,
pseudo parameters, options, placeholders, policy paths, SARIF fields,
loader errors (NUL characters, tags on keys, empty folders, encoding
errors, errors of keys written as aliases), an empty
Resources mapping, --context names, unknown Properties, dynamic
references, summary counts, Fn::FindInMap DefaultValue without its
transform, a SARIF message, quoted name or YAML tag cut inside a
UTF-8 sequence, and uniqueItems arrays nested in one another from
sibling schema branches, conditions that read a shared condition twice
at each of 40 levels, and an Fn::Sub result past the string limit.

usage: check_regressions.py CFGATE SCHEMAS
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from scratch import scratch_writer  # noqa: E402
import xml.etree.ElementTree as ElementTree

cfgate, schemas = sys.argv[1:3]
write = scratch_writer("cfgate-check-")
workdir = write.root

POLICY = """type AWS::SQS::Queue {
    QueueName length 1..20
    DelaySeconds range 0..10
    Tags
}
"""


POLICY_PATH = write("queue.gate", POLICY)


def check(*paths, fmt="json", extra=()):
    command = [cfgate, "check", "--policy", POLICY_PATH, "--schemas", schemas,
               "--account-id", "123456789012", "--region", "us-east-1",
               "--format", fmt, *extra, *paths]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if fmt != "json":
        return result.returncode, result.stdout, result.stderr
    report = json.loads(result.stdout) if result.stdout else None
    return result.returncode, report, result.stderr


def only_resource(report):
    resources = [r for t in report["templates"] for r in t["resources"]]
    assert len(resources) == 1, resources
    return resources[0]


def test_ssm_parameter_is_unknown():
    path = write("ssm.yaml", """Parameters:
  Delay:
    Type: AWS::SSM::Parameter::Value<String>
    Default: "5"
  Names:
    Type: AWS::SSM::Parameter::Value<List<String>>
    Default: /team/names
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: !Ref Delay
      QueueName: !Select [0, !Ref Names]
""")
    status, report, _ = check(path)
    assert status == 0, report
    resource = only_resource(report)
    assert resource["status"] == "unverified", resource
    kinds = sorted((f["pointer"], f["kind"], f["line"], f["column"]) for f in resource["findings"])
    # The policy's constraints and the provider's type are one warning each.
    assert kinds == [("/DelaySeconds", "unverified", 12, 21)] * 2 + [
        ("/QueueName", "unverified", 13, 30)] * 2, kinds
    assert "SSM Parameter Store" in resource["findings"][0]["message"], resource

    status, report, _ = check(path, extra=["--strict", "--parameter", "Delay=5"])
    assert status == 1, report
    assert only_resource(report)["status"] == "violation", report


def test_conditions_beyond_limit_fail():
    conditions = "".join(f"  C{i}: !Equals [!Ref P{i}, x]\n" for i in range(8))
    parameters = "".join(f"  P{i}: {{Type: String}}\n" for i in range(8))
    tags = "".join(f"        - !If [C{i}, {{Key: k{i}, Value: v}}, !Ref AWS::NoValue]\n"
                   for i in range(7))
    path = write("conditions.yaml", "Parameters:\n" + parameters + "Conditions:\n" + conditions
                 + "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n"
                 + "      Tags:\n" + tags + "      DelaySeconds: !If [C7, 5, 50]\n")
    status, report, _ = check(path)
    assert status == 1, report
    resource = only_resource(report)
    assert resource["status"] == "violation", resource
    finding = resource["findings"][-1]
    assert finding["kind"] == "failed", finding
    assert finding["ruleId"] == "cfgate/conditions", finding
    assert (finding["line"], finding["column"]) == (23, 7), finding
    assert "too many undecidable conditions in Fn::If (limit is 6)" in finding["message"], finding


def diamond_template(first, levels, condition_on="Q"):
    """Returns a template whose conditions each read the one before twice."""
    conditions = [f"  C0: {first}\n"]
    conditions += [f"  C{i}: !Or [!Condition C{i - 1}, !Condition C{i - 1}]\n"
                   for i in range(1, levels)]
    return ("Parameters:\n  P: {Type: String}\nConditions:\n" + "".join(conditions)
            + "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n"
            + f"    Condition: C{levels - 1}\n    Properties:\n"
            + f"      DelaySeconds: !If [C{levels - 1}, 50, 5]\n")


def test_shared_conditions_decided_once():
    # 40 levels would take 2^40 evaluations if each read were evaluated again.
    path = write("diamond-false.yaml",
                 diamond_template("!Equals [!Ref AWS::Region, eu-west-1]", 40))
    status, report, stderr = check(path)
    assert status == 0, (report, stderr)
    assert only_resource(report)["status"] == "skipped", report


def test_shared_undecidable_conditions_enumerated():
    path = write("diamond-open.yaml", diamond_template("!Equals [!Ref P, a]", 40))
    status, report, stderr = check(path)
    assert status == 1, (report, stderr)
    findings = only_resource(report)["findings"]
    messages = [f["message"] for f in findings]
    assert messages == ["50 is greater than the maximum 10 (in the true branch of Fn::If "
                        "condition C39)"], messages


def test_sub_result_too_long_named():
    long_value = "a" * 600000
    path = write("sub-long.json", json.dumps({"Resources": {"Q": {
        "Type": "AWS::SQS::Queue",
        "Properties": {"QueueName": {"Fn::Sub": ["${x}${x}", {"x": long_value}]}}}}}))
    status, report, _ = check(path)
    assert status == 1, report
    findings = only_resource(report)["findings"]
    assert [f["message"] for f in findings] == [
        "Fn::Sub result too long (limit is 1048576 bytes)"], findings
    assert findings[0]["ruleId"] == "cfgate/intrinsic", findings


def test_transform_in_resource_unsupported():
    path = write("include.yaml", """Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: 1
      Fn::Transform: {Name: AWS::Include, Parameters: {Location: s3://bucket/part.yaml}}
""")
    status, report, _ = check(path)
    assert status == 1, report
    resource = only_resource(report)
    assert resource["status"] == "violation", resource
    finding = resource["findings"][0]
    assert finding["kind"] == "unsupported", finding
    assert finding["ruleId"] == "cfgate/transform", finding
    assert (finding["line"], finding["column"]) == (6, 22), finding
    assert "check the processed template" in finding["message"], finding


def test_nested_stack_without_stack_name():
    # The provider schema requires StackName, which a template cannot set: a
    # nested stack gets its name from CloudFormation.
    policy = write("stack.gate", 'type AWS::CloudFormation::Stack {\n'
                                 '    TemplateURL pattern "^https://acme-templates\\\\."\n'
                                 '    Parameters\n}\n')
    path = write("nested.yaml", """Resources:
  Child:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: https://acme-templates.s3.amazonaws.com/child.yaml
      Parameters: {Env: prod}
  Other:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: https://example.com/child.yaml
""")
    command = [cfgate, "check", "--policy", policy, "--schemas", schemas, "--format", "json", path]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stderr
    assert "unsatisfiable" not in result.stderr, result.stderr
    statuses = {r["logicalId"]: (r["status"], [f["keyword"] for f in r["findings"]])
                for r in json.loads(result.stdout)["templates"][0]["resources"]}
    assert statuses == {"Child": ("compliant", []), "Other": ("violation", ["pattern"])}, statuses


def test_file_name_not_utf8():
    # A file name that is not UTF-8 is written with \xHH in every format, so
    # the JSON and SARIF reports keep the field instead of dropping it.
    folder = os.path.join(workdir, "latin")
    os.makedirs(folder, exist_ok=True)
    name = os.path.join(os.fsencode(folder), b"caf\xe9.yaml")
    with open(name, "wb") as handle:
        handle.write(b"Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties: {Nope: 1}\n")
    status, report, _ = check(folder)
    assert status == 1, report
    assert report["templates"][0]["path"].endswith("caf\\xe9.yaml"), report
    assert report["templates"][0]["resources"][0]["findings"][0]["message"], report
    status, text, _ = check(folder, fmt="sarif")
    uri = json.loads(text)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert "caf" in uri["artifactLocation"]["uri"], uri
    os.remove(name)


def test_text_report_escapes_controls():
    name = "ctl\x1b[2Kname.json"
    path = write(name, json.dumps({"Resources": {"Q\x1b[2KEvil\nfake: compliant": {
        "Type": "AWS::SQS::Queue",
        "Properties": {"QueueName": "x\x1b[31mRED\r\nsummary: all good\x7f"}}}}))
    status, text, _ = check(path, fmt="text")
    assert status == 1, text
    assert "\x1b" not in text, repr(text)
    assert "\r" not in text, repr(text)
    assert "\x7f" not in text, repr(text)
    lines = text.splitlines()
    assert len(lines) == 5, lines
    assert lines[0].endswith("ctl\\x1b[2Kname.json"), lines
    assert lines[1] == "  Q\\x1b[2KEvil\\nfake: compliant (AWS::SQS::Queue): violation", lines
    assert "invalid logical ID 'Q\\x1b[2KEvil\\nfake: compliant'" in lines[2], lines
    assert '"x\\u001b[31mRED\\r\\nsummary: all good\\u007f"' in lines[3], lines
    assert lines[4].startswith("summary: "), lines


def test_text_report_escapes_unicode_controls():
    # C1 controls, line separators and bidirectional overrides are line breaks
    # or reorderings to terminals and editors, so they are escaped too.
    path = write("unicode\u2028name.json", json.dumps({"Resources": {"Q": {
        "Type": "AWS::SQS::Queue",
        "Properties": {"a\u009b31mb\u0085c\u2029d\u202ee\u2066f\u200fg\ufeffh\u061ci": 1}}}}))
    status, text, _ = check(path, fmt="text")
    assert status == 1, text
    for raw in ["\u009b", "\u0085", "\u2028", "\u2029", "\u202e", "\u2066", "\u200f", "\ufeff",
                "\u061c"]:
        assert raw not in text, (raw, text)
    assert "unicode\\u2028name.json" in text, text
    assert "a\\u009b31mb\\u0085c\\u2029d\\u202ee\\u2066f\\u200fg\\ufeffh\\u061ci" in text, text
    assert len(text.splitlines()) == 4, text


def test_all_formats_escape_invisibles():
    # Code scanning and CI pages show SARIF and JUnit reports, and a JSON
    # report is read by people too: each writes an invisible character in a
    # value or a file name as the text report does.
    path = write("bidi\u2066name.yaml", """Resources:
  Jobs:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: "app-jobs\u202e-txt.exe-long\U0001d173\u200b"
""")
    for fmt in ("json", "sarif", "junit"):
        result = subprocess.run([cfgate, "check", "--policy", POLICY_PATH, "--schemas", schemas,
                                 "--format", fmt, path], capture_output=True, text=True,
                                timeout=120)
        status, text = result.returncode, result.stdout
        assert status == 1, text
        for raw in ("\u202e", "\u2066", "\u200b", "\U0001d173"):
            assert raw not in text, (fmt, raw, text)
        if fmt == "junit":
            assert "app-jobs\\u202e-txt.exe-long\\ud834\\udd73\\u200b" in text, text
            assert "bidi\\u2066name.yaml" in text, text
            continue
        # The JSON formats hold the escape as text, so a parser reads a backslash.
        report = json.loads(text)
        if fmt == "json":
            template = report["templates"][0]
            assert template["path"].endswith("bidi\\u2066name.yaml"), template["path"]
            message = template["resources"][0]["findings"][0]["message"]
        else:
            message = report["runs"][0]["results"][0]["message"]["text"]
            assert message.startswith("Jobs: /QueueName: "), message
        assert '"app-jobs\\u202e-txt.exe-long\\ud834\\udd73\\u200b"' in message, message


def test_junit_totals_sum_suites():
    # A template-level finding (Transform) is a testcase of its suite, so
    # it counts in the totals of <testsuites> too.
    include = write("include.yaml", """Transform: {Name: AWS::Include, Parameters: {Location: "s3://b/k.yaml"}}
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: 5
""")
    broken = write("totals-broken.yaml", "Resources: [\n")
    plain = write("totals-plain.yaml", """Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: 50
""")
    status, text, _ = check(include, broken, plain, fmt="junit")
    assert status == 2, text
    root = ElementTree.fromstring(text)
    suites = root.findall("testsuite")
    assert len(suites) == 3, text
    for key in ("tests", "failures", "errors"):
        total = sum(int(suite.get(key)) for suite in suites)
        assert int(root.get(key)) == total, (key, text)
    assert [suite.get("tests") for suite in suites] == ["2", "1", "1"], text
    assert root.get("tests") == "4", text
    assert root.get("failures") == "3", text


def test_text_report_escapes_ignorables():
    # Default ignorable code points, format characters and tags show as nothing;
    # a code point above U+FFFF is written as its UTF-16 surrogate pair.
    path = write("ignorable.json", json.dumps({"Resources": {"Q": {
        "Type": "AWS::SQS::Queue",
        "Properties": {"a\u00adb\u2060c\u0600d\ufe0fe\U000e0061f\U0001d173g": 1}}}}))
    status, text, _ = check(path, fmt="text")
    assert status == 1, text
    for raw in ["\u00ad", "\u2060", "\u0600", "\ufe0f", "\U000e0061", "\U0001d173"]:
        assert raw not in text, (raw, text)
    assert "a\\u00adb\\u2060c\\u0600d\\ufe0fe\\udb40\\udc61f\\ud834\\udd73g" in text, text


def test_undefined_pseudo_parameter_invalid():
    path = write("pseudo.yaml", """Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Ref AWS::NotARealPseudo
""")
    status, report, _ = check(path)
    assert status == 1, report
    finding = only_resource(report)["findings"][0]
    assert finding["kind"] == "invalid", finding
    assert (finding["line"], finding["column"]) == (5, 18), finding
    assert finding["message"] == "Ref to 'AWS::NotARealPseudo', which is not a pseudo parameter", \
        finding


def test_stack_id_option():
    path = write("stackid.yaml", """Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Select [1, !Split ["/", !Ref AWS::StackId]]
      DelaySeconds: !Select [1, !Split ["-", !Ref AWS::Region]]
""")
    result = subprocess.run([cfgate, "check", "--policy", POLICY_PATH, "--schemas", schemas,
                             "--format", "json", path], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout
    findings = only_resource(json.loads(result.stdout))["findings"]
    assert "AWS::StackId is not given (pass --stack-id)" in findings[0]["message"], findings

    arn = "arn:aws:cloudformation:eu-west-1:123456789012:stack/my-stack/1a2b"
    result = subprocess.run([cfgate, "check", "--policy", POLICY_PATH, "--schemas", schemas,
                             "--stack-id", arn, "--format", "json", path],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1, result.stdout
    findings = only_resource(json.loads(result.stdout))["findings"]
    assert [(f["pointer"], f["message"]) for f in findings] == \
        [("/DelaySeconds", 'expected integer, got string "west"')], findings

    status, text, stderr = check(path, fmt="text", extra=["--stack-id", arn])
    assert status == 2, text
    assert stderr.startswith("cfgate check: --region 'us-east-1' does not match --stack-id, "
                             "which has 'eu-west-1'"), stderr
    status, text, stderr = check(path, fmt="text", extra=["--stack-id", "arn:aws:s3:::bucket"])
    assert status == 2, text
    assert stderr.startswith("cfgate check: invalid --stack-id 'arn:aws:s3:::bucket'"), stderr


def test_invalid_options_usage_error():
    path = write("plain.yaml", "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n")
    cases = [
        (["--partition", "bogus"], "invalid --partition 'bogus'"),
        (["--stack-name", "bad name!"], "invalid --stack-name 'bad name!'"),
        (["--partition", "aws-cn"],
         "--partition 'aws-cn' does not match --region 'us-east-1', which is in partition aws"),
    ]
    for extra, expected in cases:
        status, text, stderr = check(path, fmt="text", extra=extra)
        assert status == 2, (extra, text, stderr)
        assert text == "", (extra, text)
        assert stderr.startswith("cfgate check: " + expected), (extra, stderr)


def test_unknown_parameter_warning():
    path = write("parameter.yaml", """Parameters:
  Delay: {Type: Number, Default: 3}
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: !Ref Delay
""")
    status, report, stderr = check(path, extra=["--parameter", "Nope=1", "--parameter", "Delay=4"])
    assert status == 0, report
    assert "--parameter Nope is not a parameter of any checked template" in stderr, stderr
    assert "Delay" not in stderr, stderr


def test_missing_placeholder_usage_error():
    policy = write("placeholders.gate", """context Env
type AWS::SQS::Queue {
    QueueName pattern "^${Env}-${AWS::AccountId}$"
}
""")
    path = write("two-queues.yaml", "Resources:\n  A:\n    Type: AWS::SQS::Queue\n"
                 "  B:\n    Type: AWS::SQS::Queue\n")
    base = [cfgate, "check", "--policy", policy, "--schemas", schemas, "--region", "us-east-1"]
    account = "cfgate check: the policy needs a value for ${AWS::AccountId}: pass --account-id ID"
    env = "cfgate check: the policy needs a value for ${Env}: pass --context Env=VALUE"
    cases = [
        ([], [account, env]),
        (["--account-id", "123456789012"], [env]),
    ]
    for extra, expected in cases:
        result = subprocess.run([*base, *extra, path], capture_output=True, text=True, timeout=120)
        assert result.returncode == 2, (extra, result.stdout, result.stderr)
        assert result.stdout == "", (extra, result.stdout)
        lines = result.stderr.splitlines()
        assert lines[:-1] == expected, (extra, lines)
        assert lines[-1] == "Run 'cfgate check --help' for the options.", (extra, lines)

    result = subprocess.run([*base, "--account-id", "123456789012", "--context", "Env=prod", path],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, (result.stdout, result.stderr)


def language_extensions_findings(transform):
    path = write("language.yaml", transform + """Parameters:
  Names: {Type: CommaDelimitedList, Default: "a,b,c,d,e,f,g,h,i,j,k"}
Resources:
  Long:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: !Length [1, 2, 3]
      QueueName: !ToJsonString {a: [1, "x\\"y"], b: true}
  Counted:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: {"Fn::Length": !Ref Names}
""")
    status, report, _ = check(path, extra=["--parameter", "Names=a,b,c,d,e,f,g,h,i,j,k"])
    resources = {r["logicalId"]: r for t in report["templates"] for r in t["resources"]}
    return status, {name: [(f["kind"], f["pointer"], f["line"], f["column"], f["message"])
                           for f in r["findings"]] for name, r in resources.items()}


def test_language_extensions_functions():
    for transform in ("Transform: AWS::LanguageExtensions\n",
                      "Transform: [AWS::LanguageExtensions]\n",
                      "Transform:\n  - AWS::LanguageExtensions\n"):
        status, findings = language_extensions_findings(transform)
        assert status == 1, (transform, findings)
        long_findings = findings["Long"]
        assert len(long_findings) == 1, long_findings
        kind, pointer, line, column, message = long_findings[0]
        assert (kind, pointer) == ("violation", "/QueueName"), long_findings
        assert message.startswith('"{\\"a\\":[1,\\"x\\\\\\"y\\"],\\"b\\":true}" has 25 characters'), \
            message
        counted = findings["Counted"]
        line = 12 + transform.count("\n")
        assert [(k, p, l, c) for k, p, l, c, _ in counted] == [("violation", "/DelaySeconds", line, 21)], \
            counted
        assert counted[0][4] == "11 is greater than the maximum 10", counted


def test_language_functions_need_transform():
    status, findings = language_extensions_findings("")
    assert status == 1, findings
    assert findings["Long"] == [("invalid", "", 7, 21,
                                 "Fn::Length needs Transform: AWS::LanguageExtensions, which the "
                                 "template does not declare")], findings["Long"]


FIND_IN_MAP_DEFAULT = """Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: !FindInMap [NoSuchMap, a, b, {DefaultValue: 50}]
"""


def test_find_in_map_default_needs_transform():
    # CloudFormation rejects DefaultValue without the transform, as it rejects Fn::Length.
    status, report, _ = check(write("map-default.yaml", FIND_IN_MAP_DEFAULT), extra=["--strict"])
    assert status == 1, report
    found = [(f["kind"], f["ruleId"], f["line"], f["column"], f["message"])
             for f in only_resource(report)["findings"]]
    assert found == [("invalid", "cfgate/intrinsic", 5, 21,
                      "Fn::FindInMap with DefaultValue needs Transform: "
                      "AWS::LanguageExtensions, which the template does not declare")], found

    path = write("map-default.yaml", "Transform: AWS::LanguageExtensions\n" + FIND_IN_MAP_DEFAULT)
    status, report, _ = check(path)
    assert status == 1, report
    found = [(f["kind"], f["line"], f["column"], f["message"])
             for f in only_resource(report)["findings"]]
    assert found == [("violation", 6, 65, "50 is greater than the maximum 10")], found


def test_macro_transform_counted_in_summary():
    path = write("macro.yaml", """Transform: [AWS::LanguageExtensions, MyMacro]
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties: {DelaySeconds: 1}
""")
    status, report, _ = check(path)
    assert status == 1, report
    assert report["summary"]["compliant"] == 0, report["summary"]
    assert report["summary"]["violations"] == 1, report["summary"]
    finding = only_resource(report)["findings"][0]
    assert (finding["kind"], finding["line"], finding["column"]) == ("unsupported", 1, 38), finding
    status, text, _ = check(path, fmt="text")
    assert text.splitlines()[-1].startswith("summary: 1 template, 1 resource, 0 compliant, "
                                            "1 violation"), text


def test_findings_sorted_by_line():
    path = write("order.yaml", """Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: a-name-that-is-much-too-long
      Unknown: 1
      DelaySeconds: 50
""")
    status, report, _ = check(path)
    assert status == 1, report
    lines = [f["line"] for f in only_resource(report)["findings"]]
    assert lines == [5, 6, 7], only_resource(report)["findings"]


def test_unverified_names_constraints():
    path = write("unknown.yaml", """Parameters:
  Name: {Type: String}
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Ref Name
""")
    status, report, _ = check(path)
    assert status == 0, report
    message = only_resource(report)["findings"][0]["message"]
    # A String parameter is a string, so only the text constraints are unchecked.
    assert message == ("the value is unknown before deployment, so its minLength and maxLength "
                       "cannot be checked (parameter Name has no default and no --parameter "
                       "value)"), message


def test_sarif_uri_and_rules():
    path = write("a b#c%.json", json.dumps({"Resources": {"Q": {
        "Type": "AWS::SQS::Queue", "Properties": {"DelaySeconds": 50}}}}))
    status, text, _ = check(path, fmt="sarif")
    assert status == 1, text
    run = json.loads(text)["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints", run
    uri = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "file://" + workdir + "/a%20b%23c%25.json", uri
    rules = run["tool"]["driver"]["rules"]
    assert len(rules) == 1, rules
    assert rules[0]["shortDescription"]["text"] == \
        f"policy rule at {POLICY_PATH}:3:5, keyword maximum", rules


def test_policy_inputs_rejected():
    compiled = os.path.join(workdir, "compiled")
    result = subprocess.run([cfgate, "compile", "--schemas", schemas, "-o", compiled, POLICY_PATH],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    schema_file = write("queue.json", "{}")
    template = write("empty-queue.yaml", "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n")
    cases = [
        (["--policy", compiled, "--policy", POLICY_PATH],
         compiled + ": error: a compiled policy folder cannot be combined with other --policy paths"),
        (["--policy", compiled, "--policy", compiled],
         compiled + ": error: a compiled policy folder cannot be combined with other --policy paths"),
        (["--policy", schema_file], schema_file + ": error: not a .gate file"),
    ]
    for policy_args, expected in cases:
        result = subprocess.run([cfgate, "check", *policy_args, "--schemas", schemas, template],
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 2, (policy_args, result.stdout, result.stderr)
        assert result.stdout == "", (policy_args, result.stdout)
        assert result.stderr.startswith(expected), (policy_args, result.stderr)
        assert result.stderr.count("\n") == 1, (policy_args, result.stderr)

    result = subprocess.run([cfgate, "check", "--policy", compiled, template],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, (result.stdout, result.stderr)

    # Sources beside the manifest: compile would read them, check the manifest.
    with open(os.path.join(compiled, "strict.gate"), "w", encoding="utf-8") as handle:
        handle.write('type AWS::SQS::Queue {\n    QueueName pattern "^strict-"\n}\n')
    result = subprocess.run([cfgate, "check", "--policy", compiled, template],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stderr.startswith(
        compiled + ": error: the folder contains both manifest.json (a compiled policy) and "
        ".gate files"), result.stderr


def test_loader_bom_and_utf8_position():
    bom = os.path.join(workdir, "bom.json")
    with open(bom, "wb") as handle:
        handle.write(b'\xef\xbb\xbf{"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}')
    status, report, _ = check(bom)
    assert status == 0, report
    assert only_resource(report)["status"] == "compliant", report

    bad = os.path.join(workdir, "bad-utf8.yaml")
    with open(bad, "wb") as handle:
        handle.write(b"Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n"
                     b"      QueueName: \xc3\xa9a\xff\n")
    status, report, _ = check(bad)
    assert status == 2, report
    error = report["templates"][0]["error"]
    assert (error["line"], error["column"]) == (5, 20), error
    assert error["message"] == "invalid UTF-8: byte FF never occurs in UTF-8", error


def test_encoding_errors_name_bytes():
    # Encoding errors name the bytes in hex and the fault, alike in JSON and
    # YAML, and never call a code point a byte.
    head = b"Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: "
    cases = [
        ("overlong.yaml", head + b"acme-\xc0\xaf\n", (5, 23),
         "invalid UTF-8: bytes C0 AF are an overlong encoding of U+002F"),
        ("overlong.json", b'{"Resources": {"Q": {"Type": "AWS::SQS::Queue",\n'
         b' "Properties": {"QueueName": "acme-\xc0\xaf"}}}}\n', (2, 36),
         "invalid UTF-8: bytes C0 AF are an overlong encoding of U+002F"),
        ("surrogate.yaml", head + b'"acme-\xed\xa0\x80"\n', (5, 24),
         "invalid UTF-8: bytes ED A0 80 encode U+D800, a UTF-16 surrogate"),
        ("noncharacter.yaml", head + b"acme-\xef\xbf\xbe\n", (5, 23),
         "YAML does not allow U+FFFE (bytes EF BF BE), a noncharacter"),
        ("truncated.yaml", head + b"acme-\xe2\x82\n", (5, 23),
         "invalid UTF-8: bytes E2 82 are a truncated sequence: E2 starts a sequence of 3 bytes"),
    ]
    for name, text, position, message in cases:
        path = os.path.join(workdir, name)
        with open(path, "wb") as handle:
            handle.write(text)
        status, report, _ = check(path)
        assert status == 2, (name, report)
        error = report["templates"][0]["error"]
        assert (error["line"], error["column"]) == position, (name, error)
        assert error["message"] == message, (name, error)


def test_alias_duplicate_key_at_alias():
    path = write("alias-duplicate.yaml", """Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      &k QueueName : acme-x
      *k : acme-y
""")
    status, report, _ = check(path)
    assert status == 2, report
    error = report["templates"][0]["error"]
    assert (error["line"], error["column"]) == (6, 7), error
    assert error["message"] == "duplicate key 'QueueName' (first at line 5)", error


def test_alias_key_errors_at_alias():
    cases = [("alias-tag-key.yaml", """Metadata:
  Note: &k !Ref QueueName
Resources:
  B:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: acme-x
      *k : acme-y
""", (8, 7), "YAML tag '!Ref' on a mapping key is not allowed"),
             ("alias-map-key.yaml", """Metadata: &m {a: 1}
Resources:
  B:
    Type: AWS::SQS::Queue
    Properties:
      ? *m
      : x
""", (6, 9), "mapping key is not a scalar")]
    for name, text, position, message in cases:
        status, report, _ = check(write(name, text))
        assert status == 2, report
        error = report["templates"][0]["error"]
        assert (error["line"], error["column"]) == position, (name, error)
        assert error["message"] == message, (name, error)


def test_folder_scan_and_duplicates():
    folder = os.path.join(workdir, "scan")
    os.makedirs(folder, exist_ok=True)
    body = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n"
    for name in ("A.YAML", "b.Json", "c.txt"):
        with open(os.path.join(folder, name), "w", encoding="utf-8") as handle:
            handle.write(body)
    same = os.path.join(folder, "..", "scan", "A.YAML")
    status, report, _ = check(folder, os.path.join(folder, "A.YAML"), same)
    assert status == 0, report
    paths = [os.path.basename(t["path"]) for t in report["templates"]]
    assert paths == ["A.YAML", "b.Json"], paths


def test_unknown_resource_attribute():
    path = write("attributes.yaml", """Resources:
  Q:
    Type: AWS::SQS::Queue
    Propertys:
      DelaySeconds: 900
    Metadata: {a: 1}
  M:
    Type: !Rain::Module mod.yaml
""")
    status, report, _ = check(path)
    assert status == 1, report
    resources = {r["logicalId"]: r for t in report["templates"] for r in t["resources"]}
    finding = resources["Q"]["findings"][0]
    assert len(resources["Q"]["findings"]) == 1, resources["Q"]
    assert (finding["kind"], finding["line"], finding["column"]) == ("invalid", 4, 5), finding
    assert finding["message"] == "unknown resource attribute 'Propertys' (did you mean 'Properties'?)", \
        finding
    finding = resources["M"]["findings"][0]
    assert (finding["kind"], finding["line"], finding["column"]) == ("unsupported", 8, 11), finding
    assert finding["message"].startswith("Type is not a resource type name: YAML tag !Rain::Module"), \
        finding

    path = write("macro-attributes.yaml", """Transform: AWS::Serverless-2016-10-31
Resources:
  Q:
    Type: AWS::SQS::Queue
    IgnoreGlobals: "*"
    Version: "1.0"
""")
    status, report, _ = check(path)
    assert status == 1, report
    kinds = [f["kind"] for f in only_resource(report)["findings"]]
    assert kinds == ["unsupported"], only_resource(report)


def test_if_findings_name_condition():
    path = write("branches.yaml", """Parameters:
  Env: {Type: String}
  Size: {Type: String}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  IsBig: !Equals [!Ref Size, big]
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: !If [IsProd, 5, !If [IsBig, 50, 1]]
      QueueName: a-name-that-is-much-too-long
""")
    status, report, _ = check(path)
    assert status == 1, report
    findings = only_resource(report)["findings"]
    assert [(f["line"], f["column"]) for f in findings] == [(11, 49), (12, 18)], findings
    assert findings[0]["message"] == ("50 is greater than the maximum 10 (in the true branch of "
                                      "Fn::If condition IsBig)"), findings[0]
    assert "Fn::If" not in findings[1]["message"], findings[1]


def assert_load_error(path, position, message):
    status, report, _ = check(path)
    assert status == 2, report
    error = report["templates"][0]["error"]
    assert (error["line"], error["column"]) == position, error
    assert error["message"] == message, error


def test_nul_in_string_rejected():
    nul = "NUL character in a string is not allowed"
    value = write("nul-value.yaml", """Conditions:
  Deploy: !Not [!Equals ["a\\0x", "a\\0y"]]
Resources:
  Q:
    Type: AWS::SQS::Queue
    Condition: Deploy
""")
    assert_load_error(value, (2, 26), nul)

    key = write("nul-key.yaml", """Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      "QueueName\\0x": a
""")
    assert_load_error(key, (5, 7), nul)

    json_path = write("nul.json", '{"Resources": {"Q": {"Type": "AWS::SQS::Queue", '
                      '"Properties": {"QueueName": "a\\u0000b"}}}}')
    status, report, _ = check(json_path)
    assert status == 2, report
    assert report["templates"][0]["error"]["message"] != "", report


def test_empty_resources_rejected():
    empty = "not a CloudFormation template: the Resources mapping is empty"
    yaml_path = write("empty-resources.yaml", """AWSTemplateFormatVersion: "2010-09-09"
Resources: {}
""")
    assert_load_error(yaml_path, (2, 12), empty)

    json_path = write("empty-resources.json", '{\n  "Resources": {\n  }\n}\n')
    assert_load_error(json_path, (2, 16), empty)

    compliant = write("one-queue.yaml", "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n")
    status, report, _ = check(yaml_path, compliant)
    assert status == 2, report
    summary = report["summary"]
    assert (summary["templates"], summary["resources"], summary["compliant"],
            summary["unparseable"]) == (2, 1, 1, 1), summary

    status, text, _ = check(json_path, fmt="text")
    assert status == 2, text
    assert f"{json_path}:2:16: error: {empty}" in text, text


def test_tag_on_mapping_key_rejected():
    path = write("key-tag.yaml", """Resources:
  Q:
    !Sub Type: AWS::SQS::Queue
""")
    assert_load_error(path, (3, 5), "YAML tag '!Sub' on a mapping key is not allowed")


def test_resource_level_transform_unsupported():
    path = write("resource-transform.yaml", """Resources:
  Q:
    Type: AWS::SQS::Queue
    Fn::Transform: {Name: AWS::Include, Parameters: {Location: s3://bucket/q.yaml}}
    Properties:
      DelaySeconds: 1
""")
    status, report, _ = check(path)
    assert status == 1, report
    resource = only_resource(report)
    assert resource["status"] == "violation", resource
    assert len(resource["findings"]) == 1, resource
    finding = resource["findings"][0]
    assert (finding["kind"], finding["ruleId"]) == ("unsupported", "cfgate/transform"), finding
    assert (finding["line"], finding["column"]) == (4, 20), finding


def test_empty_folder_usage_error():
    folder = os.path.join(workdir, "empty")
    os.makedirs(folder, exist_ok=True)
    status, text, stderr = check(folder, fmt="text")
    assert status == 2, (text, stderr)
    assert stderr.startswith(f"cfgate check: {folder}: no templates in this folder"), stderr
    assert "*.json, *.yaml, *.yml or *.template" in stderr, stderr
    assert "runtime error" not in stderr, stderr


def test_context_builtin_and_duplicate_rejected():
    path = write("context.yaml", "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n")
    cases = [
        (["--context", "AWS::AccountId=999999999999"],
         "invalid --context name 'AWS::AccountId': AWS:: placeholders are set by"),
        (["--context", "Org=a", "--context", "Org=b"], "duplicate --context name 'Org'"),
    ]
    for extra, expected in cases:
        status, text, stderr = check(path, fmt="text", extra=extra)
        assert status == 2, (extra, text, stderr)
        assert text == "", (extra, text)
        assert stderr.startswith("cfgate check: " + expected), (extra, stderr)


def test_unknown_properties_fail():
    path = write("unknown-properties.yaml", """Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties: !ImportValue SharedQueueProperties
""")
    status, report, _ = check(path)
    assert status == 1, report
    resource = only_resource(report)
    assert resource["status"] == "violation", resource
    assert len(resource["findings"]) == 1, resource
    finding = resource["findings"][0]
    assert (finding["kind"], finding["ruleId"]) == ("unsupported", "cfgate/properties"), finding
    assert (finding["line"], finding["column"]) == (4, 17), finding
    assert finding["message"] == ("Properties is unknown before deployment (Fn::ImportValue reads "
                                  "another stack's export), so none of its properties can be "
                                  "checked: write the properties out in the template"), finding


def test_dynamic_reference_is_string():
    path = write("dynamic.yaml", """Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: "{{resolve:ssm:/queue/name}}"
      Tags: "{{resolve:ssm:/queue/tags}}"
""")
    status, report, _ = check(path)
    assert status == 1, report
    findings = {f["pointer"]: f for f in only_resource(report)["findings"]}
    assert sorted(findings) == ["/QueueName", "/Tags"], findings
    assert findings["/QueueName"]["kind"] == "unverified", findings
    tags = findings["/Tags"]
    assert tags["kind"] == "violation", tags
    assert (tags["line"], tags["column"]) == (6, 13), tags
    assert tags["message"] == ("expected array, got a string known only at deployment (dynamic "
                               "reference {{resolve:ssm:/queue/tags}} is resolved at "
                               "deployment)"), tags


def test_sarif_long_because_kept():
    # The SARIF message buffer (2048 bytes) fills in the middle of an "é".
    because = "x" + "\u00e9" * 1000
    policy = write("long-because.gate", 'type AWS::SQS::Queue {\n    DelaySeconds range 0..10 '
                                        'because "%s"\n}\n' % because)
    path = write("long-because.yaml", """Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: 99
""")
    command = [cfgate, "check", "--policy", policy, "--schemas", schemas, "--format", "sarif", path]
    result = subprocess.run(command, capture_output=True, timeout=120)
    assert result.returncode == 1, result
    results = json.loads(result.stdout.decode("utf-8"))["runs"][0]["results"]
    assert len(results) == 1, results
    text = results[0]["message"]["text"]
    assert text.startswith("Q: /DelaySeconds: 99 is greater than the maximum 10 (because x\u00e9"), text
    assert text.endswith("\u00e9"), text


def test_sarif_multibyte_names_kept():
    # Messages quote 200 bytes of an attribute name and 100 bytes of a
    # condition name, and both limits fall in the middle of an "é".
    name = "x" + "\u00e9" * 150
    attribute = write("multibyte-attribute.yaml", f"""Resources:
  Q:
    Type: AWS::SQS::Queue
    "{name}": 1
    Properties:
      DelaySeconds: 1
""")
    condition = write("multibyte-condition.yaml", f"""Parameters:
  P:
    Type: String
Conditions:
  "{name}": !Equals [!Ref P, "a"]
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: !If ["{name}", 99, 1]
""")
    cases = [
        (attribute, "Q: unknown resource attribute 'x%s'" % ("\u00e9" * 99)),
        (condition, "Q: /DelaySeconds: 99 is greater than the maximum 10 (in the true branch of "
                    "Fn::If condition x%s)" % ("\u00e9" * 49)),
    ]
    for path, text in cases:
        status, output, _ = check(path, fmt="sarif")
        assert status == 1, output
        results = json.loads(output)["runs"][0]["results"]
        assert [r["message"]["text"] for r in results] == [text], results


def test_sarif_multibyte_tags_kept():
    # libyaml decodes %C3%A9 in a tag to "é". Messages quote 150 bytes of a
    # tag, which falls in the middle of an "é" after "!xy".
    tag = "!xy" + "%C3%A9" * 100
    shown = "!xy" + "\u00e9" * 73
    value = write("multibyte-tag.yaml", f"""Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: {tag} 1
""")
    key = write("multibyte-key-tag.yaml", f"""Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      {tag} DelaySeconds: 1
""")
    status, output, _ = check(value, fmt="sarif")
    assert status == 1, output
    texts = [r["message"]["text"] for r in json.loads(output)["runs"][0]["results"]]
    assert any(f"(YAML tag {shown} is not a CloudFormation function; " in t for t in texts), texts
    assert any(t.startswith("CloudFormation rejects the template as written: YAML tag "
                            f"{shown} is not a CloudFormation function; ") for t in texts), texts

    status, output, _ = check(key, fmt="sarif")
    assert status == 2, output
    texts = [r["message"]["text"] for r in json.loads(output)["runs"][0]["results"]]
    assert texts == [f"YAML tag '{shown}' on a mapping key is not allowed"], texts


def check_with(policy_text, template_text, name):
    policy = write(name + ".gate", policy_text)
    template = write(name + ".yaml", template_text)
    command = [cfgate, "check", "--policy", policy, "--schemas", schemas, "--strict",
               "--format", "json", template]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    report = json.loads(result.stdout)
    messages = [f["message"] for t in report["templates"] for r in t["resources"]
                for f in r["findings"]]
    return result.returncode, messages


def test_second_rule_keeps_numeric_bounds():
    # The first rule's range goes into an allOf branch without a type, which
    # reads the template's string "100000" as a number too.
    status, messages = check_with("""type AWS::Lambda::Function {
    Code
    Role
    MemorySize range 128..512
    MemorySize required
}
""", """Resources:
  F:
    Type: AWS::Lambda::Function
    Properties:
      Code: {ZipFile: x}
      Role: arn:aws:iam::123456789012:role/x
      MemorySize: 100000
""", "second-rule")
    assert status == 1, messages
    assert messages == ["100000 is greater than the maximum 512"], messages


DYNAMODB_POLICY = """type AWS::DynamoDB::Table {
    KeySchema
    AttributeDefinitions
    BillingMode
    GlobalSecondaryIndexes unique because "each index once"
    GlobalSecondaryIndexes items ..5 because "at most five indexes"
}
"""


def dynamodb_table(indexes):
    return """Resources:
  T:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      KeySchema: [{AttributeName: pk, KeyType: HASH}]
      AttributeDefinitions:
        - {AttributeName: pk, AttributeType: S}
        - {AttributeName: g, AttributeType: S}
      GlobalSecondaryIndexes:
""" + "".join(f"""        - IndexName: {name}
          KeySchema: [{keys}]
          Projection: {{ProjectionType: ALL}}
""" for name, keys in indexes)


def test_unique_rule_beside_provider_unique_items():
    # The unique rule goes into an allOf branch of GlobalSecondaryIndexes,
    # and the provider gives each index's KeySchema uniqueItems, so an index
    # list and a KeySchema in it each hold a uniqueness table at once.
    hash_key = "{AttributeName: g, KeyType: HASH}"
    status, messages = check_with(DYNAMODB_POLICY, dynamodb_table([("gsi1", hash_key)]),
                                  "unique-nested")
    assert status == 0, messages
    assert messages == [], messages
    status, messages = check_with(DYNAMODB_POLICY, dynamodb_table(
        [("gsi1", hash_key), ("gsi2", hash_key + ", " + hash_key)]), "unique-nested-keys")
    assert status == 1, messages
    assert messages == ["items 0 and 1 are equal"], messages
    status, messages = check_with(DYNAMODB_POLICY, dynamodb_table(
        [("gsi1", hash_key), ("gsi1", hash_key)]), "unique-nested-indexes")
    assert status == 1, messages
    assert messages == ["items 0 and 1 are equal"], messages


def test_second_rule_keeps_boolean_constant():
    status, messages = check_with("""type AWS::RDS::DBInstance {
    DBInstanceClass
    Engine
    StorageEncrypted = true
    StorageEncrypted required
}
""", """Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceClass: db.m6g.large
      Engine: postgres
      StorageEncrypted: true
""", "second-rule-boolean")
    assert status == 0, messages
    assert messages == [], messages


def test_bounds_on_a_defined_number():
    # IndexingPercentage is a $ref to a number definition: the range sits
    # beside the $ref and applies to the string "50" that check passes.
    status, messages = check_with("""type AWS::XRay::TransactionSearchConfig {
    IndexingPercentage range 1..10
}
""", """Resources:
  X:
    Type: AWS::XRay::TransactionSearchConfig
    Properties:
      IndexingPercentage: 50
""", "defined-number")
    assert status == 1, messages
    assert messages == ["50 is greater than the maximum 10"], messages


TESTS = [value for name, value in sorted(globals().items()) if name.startswith("test_")]
for test in TESTS:
    test()
    print("ok", test.__name__)
