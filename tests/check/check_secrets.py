"""Runs cfgate check on templates that pass secrets to properties. The value
of a NoEcho parameter (given with --parameter, or its Default) appears in no
report format, and neither does the value of a write-only property of the
provider schema (MasterUserPassword of AWS::RDS::DBInstance), also where an
intrinsic function's error quotes the text written for it. Each finding
stays, with the value shown as **** and a note that names the parameter or
property.

usage: check_secrets.py CFGATE SCHEMAS
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from runner import run_tests  # noqa: E402
from scratch import scratch_writer  # noqa: E402

cfgate, schemas = sys.argv[1:3]
write = scratch_writer("cfgate-secrets-")
workdir = write.root

POLICY = """type AWS::RDS::DBInstance {
    DBInstanceClass
    Engine              in ["postgres"]
    AllocatedStorage
    MasterUsername      length 1..10
    DBName              in ["app"]
    MasterUserPassword  length 16..64
                        because "database passwords have at least 16 characters"
    StorageEncrypted    = true required
}
"""

FORMATS = ("text", "json", "sarif", "junit")


POLICY_PATH = write("db.gate", POLICY)


def check(path, fmt, parameters=()):
    command = [cfgate, "check", "--policy", POLICY_PATH, "--schemas", schemas, "--format", fmt]
    for parameter in parameters:
        command += ["--parameter", parameter]
    result = subprocess.run(command + [path], capture_output=True, text=True, timeout=120)
    return result.returncode, result.stdout, result.stderr


def findings(path, parameters=()):
    status, out, err = check(path, "json", parameters)
    report = json.loads(out)
    return status, [f for t in report["templates"] for r in t["resources"] for f in r["findings"]]


def assert_hidden(path, secrets, parameters=()):
    for fmt in FORMATS:
        status, out, err = check(path, fmt, parameters)
        for secret in secrets:
            assert secret not in out, (fmt, secret, out)
            assert secret not in err, (fmt, secret, err)
        assert "****" in out, (fmt, out)


def test_no_echo_value_hidden():
    path = write("db.yaml", """Parameters:
  DBPassword:
    Type: String
    NoEcho: true
    MinLength: 8
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceClass: db.t3.micro
      Engine: postgres
      AllocatedStorage: "20"
      MasterUsername: app
      MasterUserPassword: !Ref DBPassword
      StorageEncrypted: true
""")
    assert_hidden(path, ["S3cret-Pa55", "S3cret"], ["DBPassword=S3cret-Pa55"])
    status, found = findings(path, ["DBPassword=S3cret-Pa55"])
    assert status == 1, found
    assert [(f["pointer"], f["keyword"], f["kind"], f["line"], f["column"], f["rule"]["line"])
            for f in found] == [("/MasterUserPassword", "minLength", "violation", 14, 27, 7)], found
    assert found[0]["message"].startswith('"****" has 11 characters, fewer than the minimum 16 '
                                          "(value hidden: "), found


def test_write_only_literal_hidden():
    path = write("literal.yaml", """Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceClass: db.t3.micro
      Engine: postgres
      AllocatedStorage: "20"
      MasterUsername: app
      MasterUserPassword: "lit\\"Pa55"
      StorageEncrypted: true
""")
    assert_hidden(path, ['lit\\"Pa55', 'lit"Pa55', "Pa55"])
    status, found = findings(path)
    assert status == 1, found
    assert found[0]["message"] == ('"****" has 8 characters, fewer than the minimum 16 '
                                   "(value hidden: write-only property MasterUserPassword)"), found


def test_write_only_reference_with_text_hidden():
    # The unknown value's reason quotes the dynamic reference alone, so it
    # is hidden whether or not text surrounds it, as the hook hides it.
    for index, value in enumerate(("{{resolve:secretsmanager:S3cretName:SecretString:pw}}",
                                   "abc{{resolve:secretsmanager:S3cretName:SecretString:pw}}",
                                   "S3cretPre{{resolve:ssm:/x}}",
                                   "{{resolve:ssm:/S3cretParam}}S3cretSuffix")):
        path = write("reference-%d.yaml" % index, """Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceClass: db.t3.micro
      Engine: postgres
      AllocatedStorage: "20"
      MasterUsername: app
      MasterUserPassword: "%s"
      StorageEncrypted: true
""" % value)
        assert_hidden(path, ["S3cret", "resolve:"])
        status, found = findings(path)
        assert [f["kind"] for f in found] == ["unverified"], (value, found)
        assert found[0]["message"] == (
            "the value is unknown before deployment, so its minLength and maxLength cannot "
            "be checked (dynamic reference **** is resolved at deployment) (value hidden: write-only "
            "property MasterUserPassword)"), (value, found)


def test_write_only_text_in_intrinsic_errors():
    path = write("calls.yaml", """Parameters:
  Suffix: {Type: String, Default: x}
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceClass: db.t3.micro
      Engine: postgres
      AllocatedStorage: "20"
      MasterUsername: app
      MasterUserPassword: !Sub "Unterm1nated-S3cret${"
      StorageEncrypted: true
  Db2:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceClass: db.t3.micro
      Engine: postgres
      AllocatedStorage: "20"
      MasterUsername: app
      MasterUserPassword: !Select ["Index-S3cret", [!Ref Suffix]]
      StorageEncrypted: true
  Db3:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceClass: db.t3.micro
      Engine: postgres
      AllocatedStorage: "20"
      MasterUsername: app
      MasterUserPassword: !FindInMap [Secrets, Key-S3cret, Name]
      StorageEncrypted: true
  Db4:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceClass: db.t3.micro
      Engine: postgres
      AllocatedStorage: "20"
      MasterUsername: app
      MasterUserPassword: !Join ["", [!Ref Undefined, Join-S3cret]]
      StorageEncrypted: true
Mappings:
  Secrets:
    Other: {Name: value}
""")
    assert_hidden(path, ["Unterm1nated", "Index-S3cret", "Key-S3cret", "S3cret"])
    status, found = findings(path)
    assert status == 1, found
    note = " (value hidden: write-only property MasterUserPassword)"
    assert [(f["line"], f["message"]) for f in found] == [
        (11, "Fn::Sub: unterminated ${ in '****'" + note),
        (20, "Fn::Select index '****' is not a non-negative integer" + note),
        (29, "Fn::FindInMap: no value for Secrets/****/**** in Mappings" + note),
        (38, "Ref to 'Undefined', which is not a parameter or resource"),
    ], found


def test_no_echo_in_built_strings():
    path = write("built.yaml", """Parameters:
  DBPassword:
    Type: String
    NoEcho: "true"
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceClass: db.t3.micro
      Engine: !Sub "pg-${DBPassword}"
      AllocatedStorage: "20"
      MasterUsername: !Join ["", ["0123456789012345678901234567890123456789", !Ref DBPassword]]
      DBName: !Sub "${DBPassword}"
      StorageEncrypted: true
""")
    secret = "ZyXwVuTsRqPo"
    assert_hidden(path, [secret, secret[:4], secret[:8]], ["DBPassword=" + secret])
    status, found = findings(path, ["DBPassword=" + secret])
    by_pointer = {f["pointer"]: f["message"] for f in found}
    assert by_pointer["/Engine"].startswith('"pg-****" is not one of'), by_pointer
    # The value is longer than the runtime's preview, so the secret is cut inside.
    assert by_pointer["/MasterUsername"].startswith(
        '"0123456789012345678901234567890123456789****..."'), by_pointer
    assert "NoEcho parameter DBPassword" in by_pointer["/DBName"], by_pointer


def test_no_echo_default_hidden():
    path = write("default.yaml", """Parameters:
  DBPassword:
    Type: String
    NoEcho: true
    Default: Def4ultSecret
  Kind:
    Type: String
    NoEcho: true
    AllowedValues: [Alpha9Value, Beta9Value]
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceClass: db.t3.micro
      Engine: !Ref Kind
      AllocatedStorage: "20"
      MasterUsername: app
      MasterUserPassword: !Ref DBPassword
      StorageEncrypted: true
""")
    assert_hidden(path, ["Def4ultSecret", "Alpha9Value", "Beta9Value"])


def test_no_echo_yaml11_booleans_hidden():
    # The YAML 1.1 reading makes the allowed values no and yes booleans, and
    # a finding then names the parameter value as false or true.
    path = write("yaml11.yaml", """Parameters:
  Pw:
    Type: String
    NoEcho: true
    AllowedValues: [no, Zsecretvalue1, yes]
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceClass: db.t3.micro
      Engine: postgres
      AllocatedStorage: "20"
      MasterUsername: app
      MasterUserPassword: !Ref Pw
      StorageEncrypted: true
""")
    status, found = findings(path)
    messages = [f["message"] for f in found]
    assert len(messages) == 5, messages
    for message in messages:
        assert "parameter Pw is ****" in message, message
        for shown in ("false", "true", "Zsecretvalue1", "is no)", "is yes)"):
            assert shown not in message, (shown, message)


DB_WITH_PW = """Parameters:
  Pw:
    Type: TYPE
    NOECHO
    DEFAULT
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceClass: db.t3.micro
      Engine: ENGINE
      AllocatedStorage: "20"
      MasterUsername: app
      MasterUserPassword: PASSWORD
      StorageEncrypted: true
"""


def db_with_pw(name, engine, password="xxxxxxxxxxxxxxxxxxxx", kind="String", no_echo="true",
               default=""):
    text = (DB_WITH_PW.replace("TYPE", kind).replace("NOECHO", "NoEcho: " + no_echo)
            .replace("DEFAULT", default).replace("ENGINE", engine).replace("PASSWORD", password))
    return write(name, text)


def test_yaml11_readings_hide_values():
    # YAML 1.1 reads NoEcho: off as false and 0x5EC4E7 or 0x0DDBA11CAFE as
    # numbers; the findings of that reading hide the values all the same.
    assert_hidden(db_with_pw("off.yaml", "!Ref Pw", no_echo="off",
                             default="Default: Def4ultS3cret"), ["Def4ultS3cret"])
    assert_hidden(db_with_pw("hex.yaml", "!Ref Pw", password="0x0DDBA11CAFE",
                             default="Default: 0x5EC4E7"), ["0x0DDBA11CAFE", "0x5EC4E7"])


def test_base64_and_list_default_hidden():
    # Fn::Base64 of "NoEch0S3cretValue" would show the whole secret encoded.
    path = db_with_pw("b64.yaml", "!Base64 {Ref: Pw}")
    assert_hidden(path, ["Tm9FY2gwUzNjcmV0VmFsdWU"], parameters=["Pw=NoEch0S3cretValue"])
    path = db_with_pw("list.yaml", "!Select [0, !Ref Pw]", kind="CommaDelimitedList",
                      default="Default: [L1stS3cretA, L1stS3cretB]")
    assert_hidden(path, ["L1stS3cretA", "L1stS3cretB"])


def test_plain_parameter_shown():
    path = write("plain.yaml", """Parameters:
  Engine:
    Type: String
    NoEcho: false
Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceClass: db.t3.micro
      Engine: !Ref Engine
      AllocatedStorage: "20"
      MasterUsername: app
      StorageEncrypted: true
""")
    status, found = findings(path, ["Engine=mysql"])
    assert found[0]["message"].startswith('"mysql" is not one of'), found
    assert "hidden" not in found[0]["message"], found


def test_compiled_lists_write_only():
    out = os.path.join(workdir, "compiled")
    result = subprocess.run([cfgate, "compile", "--schemas", schemas, POLICY_PATH, "-o", out],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    with open(os.path.join(out, "templates", "aws-rds-dbinstance.json"), encoding="utf-8") as f:
        meta = json.load(f)["x-cfgate"]
    assert "/properties/MasterUserPassword" in meta["writeOnlyProperties"], meta

    path = write("compiled.yaml", """Resources:
  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceClass: db.t3.micro
      Engine: postgres
      AllocatedStorage: "20"
      MasterUsername: app
      MasterUserPassword: C0mpiledPass
      StorageEncrypted: true
""")
    result = subprocess.run([cfgate, "check", "--policy", out, path], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 1, result.stdout
    assert "C0mpiledPass" not in result.stdout, result.stdout
    assert "****" in result.stdout, result.stdout


if __name__ == "__main__":
    sys.exit(run_tests(globals()))
