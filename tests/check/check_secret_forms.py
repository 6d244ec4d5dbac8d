"""Runs cfgate check on templates that rewrite a NoEcho parameter's value
with intrinsic functions: Fn::ToJsonString (nested, so the escapes repeat),
Fn::Base64 (nested, and of longer text), Fn::Split, Fn::Select and their
combinations. No report format shows the value in any of these forms, and
each note names the parameter whose value was hidden.

usage: check_secret_forms.py CFGATE SCHEMAS
"""
import base64
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ElementTree

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from runner import run_tests  # noqa: E402
from scratch import scratch_writer  # noqa: E402

cfgate, schemas = sys.argv[1:3]
write = scratch_writer("cfgate-secret-forms-")

POLICY_PATH = write("queue.gate", """type AWS::SQS::Queue {
    QueueName       pattern "^q-[a-z]+$"
    KmsMasterKeyId  pattern "^alias/acme-"
    DelaySeconds    range 0..10
    Tags
}
""")

FORMATS = ("text", "json", "sarif", "junit")

# Letters and digits survive every JSON escape, so each run must be absent
# from every output. The separators are the characters that the escapes
# rewrite: " and \ (a backslash each, twice as many per level) and a
# newline and a control character (\n or \u000a, \u0001).
SECRET = 'Qz7Lm"Hx4Rt\\Kp9Sd\nWv3Yb\x01Ne8Uf/Gj2Ic'
SECRET_RUNS = ["Qz7Lm", "Hx4Rt", "Kp9Sd", "Wv3Yb", "Ne8Uf", "Gj2Ic"]


def b64(text):
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def run(path, fmt, parameters):
    command = [cfgate, "check", "--policy", POLICY_PATH, "--schemas", schemas, "--format", fmt]
    for parameter in parameters:
        command += ["--parameter", parameter]
    result = subprocess.run(command + [path], capture_output=True, text=True, timeout=120)
    return result.returncode, result.stdout, result.stderr


def strings_in(value):
    """Returns every string in a parsed JSON document, keys included."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for item in value for s in strings_in(item)]
    if isinstance(value, dict):
        return [s for key, item in value.items() for s in [key] + strings_in(item)]
    return []


def output_texts(fmt, out):
    """Returns the output as written and, for a structured format, as read."""
    if fmt in ("json", "sarif"):
        return [out] + strings_in(json.loads(out))
    if fmt == "junit":
        texts = [out]
        for element in ElementTree.fromstring(out).iter():
            texts += [element.text or ""] + list(element.attrib.values())
        return texts
    return [out]


def assert_hidden(path, shown, parameters=()):
    """Checks that no text of shown appears in any format, and that the
    value was hidden (a note says so)."""
    for fmt in FORMATS:
        status, out, err = run(path, fmt, parameters)
        assert status == 1, (fmt, status, out, err)
        for text in output_texts(fmt, out) + [err]:
            for secret in shown:
                assert secret not in text, (fmt, secret, text)
        assert "value hidden: NoEcho parameter Pw" in out, (fmt, out)


def findings(path, parameters=()):
    """Returns {logical id: [finding]} from the JSON report."""
    status, out, err = run(path, "json", parameters)
    report = json.loads(out)
    return {r["logicalId"]: r["findings"] for t in report["templates"] for r in t["resources"]}


QUEUES = """Transform: AWS::LanguageExtensions
Parameters:
  Pw:
    Type: String
    NoEcho: true
    AllowEDVALUES
  Num:
    Type: Number
    NoEcho: "True"
    Default: 987654321
Resources:
RESOURCES"""


def queues(name, resources, allowed=""):
    text = QUEUES.replace("RESOURCES", resources)
    text = text.replace("    AllowEDVALUES\n", allowed)
    return write(name, text)


def queue(name, queue_name, kms="alias/acme-x"):
    return """  %s:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: %s
      KmsMasterKeyId: %s
""" % (name, queue_name, kms)


def test_to_json_string_levels_hidden():
    path = queues("json-levels.yaml",
                  queue("Once", "!ToJsonString {a: !Ref Pw}")
                  + queue("Twice", "!ToJsonString [!ToJsonString [!Ref Pw]]")
                  + queue("Thrice", "!ToJsonString [!ToJsonString [!ToJsonString [!Ref Pw]]]"))
    assert_hidden(path, SECRET_RUNS, ["Pw=" + SECRET])
    # A short value fits in the runtime's preview, so the JSON text around
    # it stays readable.
    found = findings(path, ['Pw=Ke"y9\\z'])
    once = found["Once"][0]["message"]
    assert once.startswith('"{\\"a\\":\\"****\\"}" does not match'), once
    twice = found["Twice"][0]["message"]
    assert twice.startswith('"[\\"[\\\\\\"****\\\\\\"]\\"]" does not match'), twice


def test_escaped_allowed_values_hidden():
    # Each AllowedValues item is checked in turn, and both have a character
    # that Fn::ToJsonString escapes.
    allowed = "    AllowedValues: ['Hunter\"2024Secret', 'Other\\Secret99']\n"
    path = queues("allowed.yaml", queue("Q1", "!ToJsonString [!Ref Pw]"), allowed)
    assert_hidden(path, ["Hunter", "2024Secret", "Other", "Secret99"])


def test_one_escape_each_hidden():
    for secret in ('Top"SecretValue9', "Top\\SecretValue9", "Top\nSecretValue9",
                   "Top\tSecretValue9"):
        path = queues("one.yaml", queue("Q1", "!ToJsonString {a: !Ref Pw}"))
        assert_hidden(path, ["SecretValue9"], ["Pw=" + secret])


def test_base64_levels_hidden():
    path = queues("base64.yaml",
                  queue("Twice", '!Base64 {"Fn::Base64": !Ref Pw}')
                  + queue("Thrice", '!Base64 {"Fn::Base64": {"Fn::Base64": !Ref Pw}}')
                  + queue("Longer", '!Base64 {"Fn::Sub": "x-${Pw}"}')
                  + queue("OfJson", '!Base64 {"Fn::ToJsonString": {a: !Ref Pw}}')
                  + queue("InJson", '!ToJsonString [{"Fn::Base64": {"Fn::Base64": !Ref Pw}}]'))
    once = b64(SECRET)
    twice = b64(once)
    shown = SECRET_RUNS + [once[:8], twice[:8], b64(twice)[:8], b64("x-" + SECRET)[:8],
                           b64('{"a":' + json.dumps(SECRET) + "}")[:8]]
    assert_hidden(path, shown, ["Pw=" + SECRET])
    for logical_id, found in findings(path, ["Pw=" + SECRET]).items():
        assert found[0]["pointer"] == "/QueueName", (logical_id, found)
        assert found[0]["message"].startswith('"****'), (logical_id, found)
        assert " does not match the pattern " in found[0]["message"], (logical_id, found)


def test_split_parts_hidden():
    counted = """  Counted:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: q-a
      KmsMasterKeyId: alias/acme-x
      DelaySeconds: !Length {"Fn::Split": ["/", !Sub "a/b/c/d/e/f/g/h/i/j/k/${Pw}"]}
"""
    path = queues("split.yaml",
                  queue("Picked", '!Select [1, !Split ["/", !Ref Pw]]')
                  + queue("Joined", '!Join ["", !Split ["/", !Ref Pw]]') + counted)
    assert_hidden(path, SECRET_RUNS, ["Pw=" + SECRET])
    found = findings(path, ["Pw=" + SECRET])
    for logical_id in ("Picked", "Joined"):
        message = found[logical_id][0]["message"]
        assert message.startswith('"****" does not match'), (logical_id, message)
    message = found["Counted"][0]["message"]
    assert message.startswith("**** is greater than the maximum 10"), message


def test_intrinsic_error_hidden():
    # The error would quote the key that Fn::Split picked out of the value.
    path = write("lookup.yaml", """Parameters:
  Pw:
    Type: String
    NoEcho: true
Mappings:
  Names:
    other: {Queue: q-a}
Resources:
  Looked:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !FindInMap [Names, !Select [0, !Split ["/", !Ref Pw]], Queue]
      KmsMasterKeyId: alias/acme-x
  Plain:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: !Select [7, [q-a, q-b]]
      KmsMasterKeyId: alias/acme-x
""")
    assert_hidden(path, SECRET_RUNS, ["Pw=" + SECRET])
    found = findings(path, ["Pw=" + SECRET])
    assert [f["message"] for f in found["Looked"]] == [
        "Fn::FindInMap failed on a value derived from a NoEcho parameter "
        "(value hidden: NoEcho parameter Pw)"], found
    assert found["Looked"][0]["line"] == 12, found
    assert [f["message"] for f in found["Plain"]] == [
        "Fn::Select index 7 is out of range (list has 2 items)"], found


def test_note_names_parameter_shown():
    # The quoted value is cut inside the escaped secret, which ends in 9, as
    # Num's value starts: only Pw is named.
    path = queues("note.yaml", queue("Q2", "!ToJsonString [!ToJsonString {a: !Ref Pw}]"))
    found = findings(path, ['Pw=Se"cr\\et/Val<ue>9', "Num=987654321"])["Q2"]
    assert len(found) == 1, found
    message = found[0]["message"]
    assert message.endswith("(value hidden: NoEcho parameter Pw)"), message
    assert "Val<ue>" not in message, message


def test_plain_value_stays_readable():
    # A NoEcho value that no escape rewrites keeps the rest of the JSON text.
    path = queues("plain.yaml", queue("Q1", "!ToJsonString {a: !Ref Pw}"))
    found = findings(path, ["Pw=PlainSecret9"])["Q1"]
    assert found[0]["message"].startswith('"{\\"a\\":\\"****\\"}"'), found


def long_secret(length, multibyte_at=None):
    """Returns length bytes of letters and digits without a repeated run,
    with a two-byte "\u00e9" at byte multibyte_at when it is given."""
    alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    text = "".join(alphabet[(i * 7 + i // 57) % len(alphabet)] for i in range(length))
    if multibyte_at is not None:
        text = text[:multibyte_at] + "\u00e9" + text[multibyte_at + 2:]
    return text


def windows(text, size=10):
    return [text[i:i + size] for i in range(0, len(text) - size + 1)]


DB_POLICY_PATH = write("queue-db.gate", """type AWS::SQS::Queue {
    QueueName       pattern "^q-[a-z]+$"
    KmsMasterKeyId  pattern "^alias/acme-"
}
type AWS::RDS::DBInstance {
    DBInstanceClass
    MasterUserPassword
}
""")


# The known start of an unknown value is quoted up to 64 bytes and cut at a
# code point boundary ("..."...). A NoEcho value, an AllowedValues item and
# a write-only value that an alias copies are hidden in every cut of it,
# at the start of the value and after other text.
def test_cut_known_start_hidden():
    cases = [(63, None), (64, None), (65, None), (200, None), (80, 62), (80, 63), (80, 61)]
    for length, multibyte_at in cases:
        secret = long_secret(length, multibyte_at)
        given = queues("long-given-%d-%s.yaml" % (length, multibyte_at),
                       queue("Start", '!Sub "${Pw}-${AWS::StackName}"')
                       + queue("After", '!Sub "q-${Pw}-${AWS::StackName}"')
                       + queue("Dynamic", '!Join ["", [!Ref Pw, "{{resolve:ssm:/x}}"]]'))
        assert_hidden(given, windows(secret), ["Pw=" + secret])

        allowed = write("long-allowed-%d-%s.yaml" % (length, multibyte_at), """Parameters:
  Pw: {Type: String, NoEcho: true, AllowedValues: ['%s']}
Resources:
%s""" % (secret, queue("Start", '!Sub "${Pw}-${AWS::StackName}"')
         + queue("After", '!Sub "q-${Pw}-${AWS::StackName}"')))
        assert_hidden(allowed, windows(secret))

        aliased = write("long-alias-%d-%s.yaml" % (length, multibyte_at), """Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties: {DBInstanceClass: x, MasterUserPassword: &pw '%s'}
%s""" % (secret, queue("Joined", '!Join ["", [*pw, !Ref AWS::StackName]]')
         + queue("After", '!Join ["", [q-, *pw, !Ref AWS::StackName]]')))
        for fmt in FORMATS:
            command = [cfgate, "check", "--policy", DB_POLICY_PATH, "--schemas", schemas,
                       "--format", fmt, aliased]
            result = subprocess.run(command, capture_output=True, text=True, timeout=120)
            status, out, err = result.returncode, result.stdout, result.stderr
            assert status == 1, (fmt, status, out, err)
            for text in output_texts(fmt, out) + [err]:
                for window in windows(secret):
                    assert window not in text, (length, multibyte_at, fmt, window, text)
            assert "value hidden: write-only property MasterUserPassword" in out, (fmt, out)


if __name__ == "__main__":
    sys.exit(run_tests(globals()))
