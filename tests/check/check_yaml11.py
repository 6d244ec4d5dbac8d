"""Runs cfgate check on YAML templates with plain scalars that YAML 1.1 and
YAML 1.2 read differently (yes, on, 0777, 012345678910). A resource must
pass in both readings; quoted values, timestamps and JSON templates are read
once. Fn::Equals on a number whose text a reader may write back otherwise
(10.10) is undecidable in JSON and YAML alike. Plain mapping keys get both
readings too: yes is the key true, and 0777 has no known text.

usage: check_yaml11.py CFGATE SCHEMAS
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from runner import run_tests  # noqa: E402
from scratch import scratch_writer  # noqa: E402

cfgate, schemas = sys.argv[1:3]
write = scratch_writer("cfgate-yaml11-")
workdir = write.root

POLICY = """type AWS::SQS::Queue {
    QueueName pattern "^[0-9]{12}$"
    DelaySeconds range 0..10
    Tags
}
"""

NOTE = "(in the YAML 1.1 reading of the template)"


POLICY_PATH = write("queue.gate", POLICY)


def run(path, *options):
    """Returns the exit status and the JSON report of cfgate check on path."""
    command = [cfgate, "check", "--policy", POLICY_PATH, "--schemas", schemas,
               "--account-id", "123456789012", "--region", "us-east-1", "--format", "json",
               *options, path]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    return result.returncode, json.loads(result.stdout)


def check(name, text):
    code, report = run(write(name, text))
    resource = report["templates"][0]["resources"][0]
    return code, resource["status"], [f["message"] for f in resource["findings"]]


def test_condition_on_plain_yes():
    # YAML 1.2 compares "true" with "yes" and skips the queue; YAML 1.1 reads
    # yes as true, so a deployment with Legacy=true creates it.
    code, status, messages = check("condition.yaml", """Parameters:
  Legacy: {Type: String, AllowedValues: ["true", "false"], Default: "false"}
Conditions:
  IsLegacy: !Equals [!Ref Legacy, yes]
Resources:
  Q:
    Type: AWS::SQS::Queue
    Condition: IsLegacy
    Properties:
      DelaySeconds: 60
""")
    assert code == 1, (code, messages)
    assert status == "violation", status
    assert len(messages) == 1, messages
    assert messages[0].startswith("60 is greater than the maximum 10"), messages
    assert messages[0].endswith(NOTE), messages


def test_if_on_plain_on():
    code, status, messages = check("if.yaml", """Conditions:
  Slow: !Equals [on, "true"]
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: !If [Slow, 60, 5]
""")
    assert code == 1, (code, messages)
    assert status == "violation", status
    assert any("in the true branch of Fn::If condition Slow" in m and m.endswith(NOTE)
               for m in messages), messages


def test_condition_on_plain_y_and_mixed_case():
    # Some YAML 1.1 readers take y and n as booleans, some compare yes and
    # true in any letter case.
    for word in ["y", "Y", "yEs", "oN", "tRue"]:
        code, status, messages = check("condition-%s.yaml" % word, """Conditions:
  Slow: !Equals [%s, "true"]
Resources:
  Q:
    Type: AWS::SQS::Queue
    Condition: Slow
    Properties:
      DelaySeconds: 60
""" % word)
        assert code == 1, (word, code, messages)
        assert status == "violation", (word, status)
        assert messages[0].endswith(NOTE), (word, messages)


def test_text_before_tag_check():
    # Characters of several bytes before a plain yes, and a tag after an
    # anchor: the tag is looked up at the scalar's byte, not its character.
    code, status, messages = check("multibyte.yaml", """Description: "équipe données — accès réservé l'été"
Conditions:
  Slow: !Equals [yes, "true"]
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: !If [Slow, 60, 5]
""")
    assert code == 1, (code, messages)
    assert status == "violation", (status, messages)
    code, status, messages = check("anchor.yaml", """Conditions:
  Slow: !Equals [&a !!str yes, "true"]
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: !If [Slow, 60, 5]
""")
    assert code == 0, (code, messages)
    assert status == "compliant", (status, messages)


def test_tags_found_after_jumps_and_line_breaks():
    # Aliases send the tag lookup back to their anchors over long text, a
    # tag may sit on the line after its anchor, and a second byte order
    # mark is an error.
    padding = "".join("# %s\n" % ("é" * 300) for _ in range(200))
    code, status, messages = check("aliases.yaml", """Metadata:
  Plain: &p yes
  Tagged: &t
    !!str yes
""" + padding + """Conditions:
  Slow: !Equals [*p, "true"]
  Never: !Equals [*t, "true"]
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: !If [Never, 60, !If [Slow, 7, 5]]
      Tags:
        - Key: t
          Value: *t
""")
    assert code == 0, (code, messages)
    assert status == "compliant", (status, messages)
    path = write("two-marks.yaml", "\ufeff\ufeffResources: {}\n")
    error = run(path)[1]["templates"][0]["error"]
    assert error == {"line": 1, "column": 1, "message":
                     "the template starts with two byte order marks: remove one"}, error


def test_unicode_line_breaks_end_anchors_and_comments():
    # YAML 1.1 also ends lines at U+0085, U+2028 and U+2029, so the plain yes
    # after them is untagged although the text after it starts with a tag.
    for name, brk in [("nel", "\u0085"), ("ls", "\u2028"), ("ps", "\u2029")]:
        for head in ["&T # c" + brk + "      yes,", "&T" + brk + "yes,"]:
            code, status, messages = check("break-%s.yaml" % name, """Conditions:
  Slow: !Equals [%s
    &U !!str "true"]
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: !If [Slow, 60, 5]
""" % head)
            assert code == 1, (name, head, code, messages)
            assert status == "violation", (name, head, status)


def test_wide_encoding_after_utf8_mark():
    path = os.path.join(workdir, "wide.yaml")
    with open(path, "wb") as handle:
        handle.write(b"\xef\xbb\xbf" + "\ufeffResources: {}\n".encode("utf-16-le"))
    error = run(path)[1]["templates"][0]["error"]
    assert error["message"] == (
        "the template starts with a UTF-8 byte order mark and then a UTF-16LE one: remove the "
        "first 3 bytes and convert the rest to UTF-8 (iconv -f UTF-16LE -t UTF-8)"), error


def test_tagged_numbers_rewritten():
    # !!float 5 is 5.0 and !!float 10.10 is 10.1 to a YAML 1.1 reader. The
    # YAML 1.1 reading finds the first, and both readings find the second.
    for value in ["!!float 5", "!!float 10.10", "!!int -0"]:
        code, status, messages = check("tagged.yaml", """Conditions:
  Same: !Equals [%s, "%s"]
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: !If [Same, 5, 60]
""" % (value, value.split(" ")[1]))
        assert code == 1, (value, code, messages)
        assert any(m.startswith("60 is greater than the maximum 10") for m in messages), (
            value, messages)
    code, status, messages = check("tagged-name.yaml", """Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !!float 123456789012
""")
    assert status == "unverified", (status, messages)
    assert ("YAML readers disagree on the text of the number 123456789012 tagged !!float, "
            "which YAML 1.1 reads with other text: write it as a quoted string without the "
            "tag") in messages[0], messages


def test_zero_and_small_numbers_rewritten():
    for value in ["-0", "0.00001", "12345678.5"]:
        code, status, messages = check("number.yaml", """Conditions:
  Same: !Equals [%s, "%s"]
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: !If [Same, 5, 60]
""" % (value, value))
        assert code == 1, (value, code, messages)
        assert any(m.startswith("60 is greater than the maximum 10") for m in messages), (
            value, messages)


def test_parameter_outside_yaml11_allowed_values():
    # A YAML 1.1 reader that reads [y, n] as [true, false] rejects Flag=n;
    # one that keeps them as strings deploys it and reads yes as true. In the
    # YAML 1.1 reading Flag is unknown, so IsN is undecidable and the queue,
    # created when IsN holds, is checked with Slow true.
    template = """Parameters:
  Flag: {Type: String, AllowedValues: [y, n]}
  Env: {Type: String, AllowedValues: ["true", "false"]}
Conditions:
  Slow: !Equals [!Ref Env, yes]
  IsN: !Equals [!Ref Flag, n]
Resources:
  Q:
    Type: AWS::SQS::Queue
    Condition: IsN
    Properties:
      DelaySeconds: !If [Slow, 60, 5]
"""
    path = write("flag.yaml", template)
    for flag in ["n", "y"]:
        code, report = run(path, "--parameter", "Flag=" + flag, "--parameter", "Env=true")
        resource = report["templates"][0]["resources"][0]
        assert code == 1, (flag, report)
        assert resource["status"] == "violation", (flag, resource)
        messages = [f["message"] for f in resource["findings"]]
        delays = [m for m in messages if m.startswith("60 is greater than the maximum 10")]
        assert delays, (flag, messages)
        assert delays[0].endswith(NOTE), (flag, delays)


def test_non_specific_tag_and_mixed_readers():
    # Some readers resolve "! yes" as if it had no tag; PyYAML reads yes as a
    # boolean but keeps y as a string, so y is unknown in the YAML 1.1
    # reading and the condition on both is undecidable there.
    for head in ["! yes", "!<!> yes", "&A ! yes"]:
        code, status, messages = check("non-specific.yaml", """Conditions:
  Slow: !Equals [%s, "true"]
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: !If [Slow, 60, 5]
""" % head)
        assert code == 1, (head, code, messages)
        assert status == "violation", (head, status)
    code, status, messages = check("mixed.yaml", """Conditions:
  A: !Equals [y, "y"]
  B: !Equals [yes, "true"]
  Both: !And [!Condition A, !Condition B]
Resources:
  Q:
    Type: AWS::SQS::Queue
    Condition: Both
    Properties:
      DelaySeconds: 60
""")
    assert code == 1, (code, messages)
    assert status == "violation", status
    assert messages == ["60 is greater than the maximum 10 " + NOTE], messages


def test_non_specific_tag_on_quoted_scalar():
    # PyYAML resolves ! "yes" as true, other readers keep the string.
    for value in ['! "yes"', "! 'on'", "! >-\n      yes"]:
        code, report = run(write("quoted-tag.yaml", """Conditions:
  Slow: !Equals
    - %s
    - "true"
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: !If [Slow, 60, 5]
""" % value))
        error = report["templates"][0]["error"]
        assert code == 2, (value, report)
        assert error["line"] == 3, (value, error)
        assert error["message"] == (
            "the non-specific tag ! on a quoted or block scalar is read as a string by some YAML "
            "readers and resolved like a plain value by others: remove the tag"), (value, error)


def test_explicit_str_read_once():
    code, status, messages = check("str.yaml", """Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !!str 012345678910
      Tags:
        - Key: flag
          Value: !!str yes
""")
    assert code == 0, (code, messages)
    assert status == "compliant", status


def test_explicit_str_on_number_and_boolean():
    # !!str makes 10 and true strings, as Fn::ToJsonString shows by quoting them.
    code, status, messages = check("str-kinds.yaml", """Transform: AWS::LanguageExtensions
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !ToJsonString [!!str 10, 10, !!str true, true]
""")
    assert code == 1, (code, messages)
    assert status == "violation", status
    assert len(messages) == 1, messages
    assert messages[0].startswith(
        '"[\\"10\\",10,\\"true\\",true]" does not match'), messages


def test_decimal_text_rewritten():
    # A YAML 1.1 reader makes 10.10 the number 10.1, so its text is not known.
    code, status, messages = check("decimal.yaml", """Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      Tags:
        - Key: version
          Value: 10.10
        - Key: kept
          Value: 10.5
""")
    assert code == 0, (code, messages)
    assert status == "unverified", (status, messages)
    assert len(messages) == 1 and "plain value 10.10," in messages[0], messages
    code, status, messages = check("decimal-name.yaml", """Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: 1234567890.10
""")
    assert status == "violation", (status, messages)
    assert any("YAML readers disagree on the plain value 1234567890.10, which YAML 1.1 reads "
               "as a number with other text" in m and m.endswith(NOTE) for m in messages), messages


def test_parameter_values_not_known():
    # AllowedValues [01, 02] and Default 0x10 are numbers in YAML 1.1: the
    # parameters are unknown there, which leaves the pattern unverified.
    code, status, messages = check("parameters.yaml", """Parameters:
  Hour: {Type: String, AllowedValues: [01, 02], Default: "01"}
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Sub "1234567890${Hour}"
""")
    assert code == 0, (code, messages)
    assert status == "unverified", (status, messages)
    assert messages == [
        "the value is unknown before deployment, so its pattern cannot be checked (parameter "
        "Hour has an AllowedValues item that is not known offline (YAML readers disagree on "
        'the plain value 01, which YAML 1.1 reads as a number: quote it ("01") to keep the '
        "text)) " + NOTE], messages


def test_consistent_yes_no_parameter():
    # Yes and No are plain everywhere, so both readings agree on every value.
    code, status, messages = check("consistent.yaml", """Parameters:
  Create: {Type: String, AllowedValues: [Yes, No], Default: No}
Conditions:
  DoCreate: !Equals [!Ref Create, Yes]
Resources:
  Q:
    Type: AWS::SQS::Queue
    Condition: DoCreate
    Properties:
      DelaySeconds: 5
""")
    assert code == 0, (code, messages)
    assert status == "compliant", status
    assert messages == [], messages


def test_number_form_is_unverified():
    code, status, messages = check("account.yaml", """Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: 012345678910
""")
    assert code == 0, (code, messages)
    assert status == "unverified", status
    # One warning for the policy's pattern, one for the provider's type.
    assert len(messages) == 2, messages
    for message in messages:
        assert ("YAML readers disagree on the plain value 012345678910, which YAML 1.1 reads as "
                'a number: quote it ("012345678910") to keep the text') in message, messages
        assert message.endswith(NOTE), messages


def test_quoted_and_timestamp_read_once():
    code, status, messages = check("quoted.yaml", """Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: '012345678910'
      Tags:
        - Key: since
          Value: 2012-10-17
        - Key: flag
          Value: "yes"
""")
    assert code == 0, (code, messages)
    assert status == "compliant", status
    assert messages == [], messages


def test_json_read_once():
    code, status, messages = check("queue.json", json.dumps({
        "Resources": {"Q": {"Type": "AWS::SQS::Queue",
                            "Properties": {"QueueName": "012345678910",
                                           "Tags": [{"Key": "a", "Value": "yes"}]}}}}))
    assert code == 0, (code, messages)
    assert status == "compliant", status


def test_equals_on_rewritten_number():
    # A reader may write 10.10 back as 10.1 and 1e2 as 100.0. Fn::Equals on
    # such a number decides nothing, in JSON as in YAML, so the queue is checked.
    cases = [("10.10", '"10.1"'), ("1.5", "1.50"), ("1e2", '"100.0"'), ("100", "1e2")]
    json_text = ('{"Conditions": {"C": {"Fn::Equals": [%s, %s]}}, "Resources": {"Q": '
                 '{"Type": "AWS::SQS::Queue", "Condition": "C", "Properties": '
                 '{"DelaySeconds": 60}}}}')
    yaml_text = """Conditions:
  C: !Equals [%s, %s]
Resources:
  Q: {Type: AWS::SQS::Queue, Condition: C, Properties: {DelaySeconds: 60}}
"""
    for left, right in cases:
        for name, text in [("equals.json", json_text), ("equals.yaml", yaml_text)]:
            code, status, messages = check(name, text % (left, right))
            assert code == 1, (name, left, right, code, messages)
            assert status == "violation", (name, left, right, status)
            assert messages[0].startswith("60 is greater than the maximum 10"), messages
    code, status, messages = check("equals-decided.json", """{"Conditions": {"C": {"Fn::Equals":
  [10.5, "10.6"]}}, "Resources": {"Q": {"Type": "AWS::SQS::Queue", "Condition": "C",
  "Properties": {"DelaySeconds": 60}}}}""")
    assert code == 0, (code, messages)
    assert status == "skipped", (status, messages)


def test_mapping_key_read_as_boolean():
    # YAML 1.1 reads the key yes as true, so the lookup of "true" finds 60
    # there, where the first reading takes the DefaultValue.
    code, status, messages = check("key-boolean.yaml", """Transform: AWS::LanguageExtensions
Mappings:
  M:
    yes: {Delay: 60}
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: !FindInMap [M, "true", Delay, {DefaultValue: 5}]
""")
    assert code == 1, (code, messages)
    assert status == "violation", status
    assert messages == ["60 is greater than the maximum 10 " + NOTE], messages


def test_mapping_key_duplicate_as_yaml11():
    # "true", yes, On and TRUE are one key to a YAML 1.1 reader.
    for first, second in [('"true"', "yes"), ('"true"', "on"), ("On", "yes"), ("true", "TRUE"),
                          ("Off", '"false"')]:
        code, report = run(write("key-duplicate.yaml", """Mappings:
  M:
    %s: {Delay: 5}
    %s: {Delay: 60}
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: !FindInMap [M, "true", Delay]
""" % (first, second)))
        error = report["templates"][0]["error"]
        assert code == 2, (first, second, report)
        assert error["line"] == 4, (first, second, error)
        assert error["message"].startswith("duplicate key '%s' (first at line 3 as '%s')"
                                           % (second.strip('"'), first.strip('"'))), error
    code, report = run(write("key-distinct.yaml", """Mappings:
  M:
    "true": {Delay: 5}
    "yes": {Delay: 6}
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: !FindInMap [M, "true", Delay]
"""))
    assert code == 0, report


def test_mapping_key_text_unknown():
    # YAML 1.1 reads 0777 as 511 and 1.10 as 1.1. Only some readers take y
    # for a boolean, and a null key has no documented text.
    for key, what in [("0777", "which YAML 1.1 reads as a number:"),
                      ("1.10", "which YAML 1.1 reads as a number with other text:"),
                      ("y", "a boolean for some and a string for others:"),
                      ("null", "is null to YAML readers")]:
        code, status, messages = check("key-unknown.yaml", """Transform: AWS::LanguageExtensions
Mappings:
  M:
    %s: {Delay: 60}
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: !FindInMap [M, "511", Delay, {DefaultValue: 5}]
""" % key)
        assert code == 0, (key, code, messages)
        assert status == "unverified", (key, status)
        # One warning for the policy's range, one for the provider's type.
        assert len(messages) == 2, (key, messages)
        for message in messages:
            assert "mapping key %s" % key in message, (key, messages)
            assert what in message, (key, messages)
            assert message.endswith(NOTE), (key, messages)


def test_logical_id_read_as_yaml11():
    # The YAML 1.1 reading names the resource No false; its findings are
    # still the resource's. A logical ID Y has no known text there.
    code, status, messages = check("logical-id.yaml", """Conditions:
  Slow: !Equals [on, "true"]
Resources:
  No:
    Type: AWS::SQS::Queue
    Condition: Slow
    Properties:
      DelaySeconds: 60
""")
    assert code == 1, (code, messages)
    assert status == "violation", status
    assert messages == ["60 is greater than the maximum 10 " + NOTE], messages
    code, status, messages = check("logical-id-y.yaml", """Resources:
  Y:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: 5
""")
    assert code == 1, (code, messages)
    assert status == "violation", status
    assert messages == [
        'YAML 1.1 readers disagree on the mapping key Y, a boolean for some and a string for '
        'others: quote it ("Y") to keep the text ' + NOTE], messages


def test_parameter_and_condition_names_unknown():
    # A section with a name whose YAML 1.1 text is not known: every parameter
    # is unknown and every condition undecidable in that reading.
    code, report = run(write("section-names.yaml", """Parameters:
  Delay: {Type: Number, AllowedValues: [5], Default: 5}
  0778: {Type: String, Default: "1"}
Conditions:
  IsProd: !Equals [a, b]
  y: !Equals [a, a]
Resources:
  Q:
    Type: AWS::SQS::Queue
    Condition: IsProd
    Properties:
      DelaySeconds: !Ref Delay
  R:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: !If [IsProd, 60, 5]
  S:
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: 5
"""))
    statuses = {r["logicalId"]: r["status"] for r in report["templates"][0]["resources"]}
    assert code == 1, (code, report)
    assert statuses == {"Q": "unverified", "R": "violation", "S": "compliant"}, statuses


def test_quoted_mapping_keys_read_once():
    code, status, messages = check("key-quoted.yaml", """Mappings:
  M:
    "yes": {Delay: 5}
    '0777': {Delay: 5}
    !!str null: {Delay: 5}
Resources:
  "Y":
    Type: AWS::SQS::Queue
    Properties:
      DelaySeconds: !FindInMap [M, "yes", Delay]
""")
    assert code == 0, (code, messages)
    assert status == "compliant", status
    assert messages == [], messages


if __name__ == "__main__":
    sys.exit(run_tests(globals()))
