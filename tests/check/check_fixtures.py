"""Runs cfgate check with the baseline policy on the fixture templates and
checks verdicts, finding kinds, JSON pointers and template positions in
YAML and JSON, exit statuses, standard input, --strict, and all four
report formats.

usage: check_fixtures.py CFGATE POLICY SCHEMAS FIXTURES OUTPUT_SCHEMA
"""
import json
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree

import jsonschema

cfgate, policy, schemas, fixtures, output_schema = sys.argv[1:6]
with open(output_schema, encoding="utf-8") as handle:
    OUTPUT_SCHEMA = json.load(handle)


def check(*paths, fmt="json", extra=(), stdin=None):
    command = [cfgate, "check", "--policy", policy, "--schemas", schemas,
               "--account-id", "123456789012", "--region", "us-east-1",
               "--format", fmt, *extra, *paths]
    result = subprocess.run(command, capture_output=True, text=True, input=stdin, timeout=300)
    if fmt != "json":
        return result.returncode, result.stdout
    report = json.loads(result.stdout)
    jsonschema.validate(report, OUTPUT_SCHEMA, cls=jsonschema.Draft7Validator)
    assert report["exitStatus"] == result.returncode, (report["exitStatus"], result.returncode)
    return result.returncode, report


def fixture(name):
    return os.path.join(fixtures, name)


def resources(report):
    return {r["logicalId"]: r for t in report["templates"] for r in t["resources"]}


def finding_at(resource, pointer):
    matches = [f for f in resource["findings"] if f["pointer"] == pointer]
    assert matches, (pointer, resource["findings"])
    return matches[0]


def test_compliant_bucket():
    status, report = check(fixture("bucket-compliant.yaml"))
    assert status == 0, report
    assert resources(report)["Logs"]["status"] == "compliant", report


def expect_bucket_violations(name, positions):
    status, report = check(fixture(name))
    assert status == 1, report
    logs = resources(report)["Logs"]
    assert logs["status"] == "violation"
    for pointer, (line, column, because) in positions.items():
        finding = finding_at(logs, pointer)
        assert finding["kind"] == "violation", finding
        assert (finding["line"], finding["column"]) == (line, column), (pointer, finding)
        if because:
            assert finding["because"] == because, finding
            assert finding["rule"]["file"].endswith("storage.gate"), finding
    keywords = {f["keyword"] for f in logs["findings"]}
    assert "additionalProperties" in keywords or "false" in keywords, logs["findings"]


def test_violations_yaml():
    sse = "/BucketEncryption/ServerSideEncryptionConfiguration/0/ServerSideEncryptionByDefault/SSEAlgorithm"
    expect_bucket_violations("bucket-violations.yaml", {
        sse: (8, 29, "buckets are encrypted with KMS keys, not S3-managed keys"),
        "/PublicAccessBlockConfiguration/BlockPublicPolicy": (11, 28, "all four public access block settings are on"),
        "/VersioningConfiguration/Status": (15, 17, "versioning protects against overwrites and deletes"),
    })


def test_violations_json():
    sse = "/BucketEncryption/ServerSideEncryptionConfiguration/0/ServerSideEncryptionByDefault/SSEAlgorithm"
    expect_bucket_violations("bucket-violations.json", {
        sse: (8, 64, "buckets are encrypted with KMS keys, not S3-managed keys"),
        "/PublicAccessBlockConfiguration/BlockPublicPolicy": (13, 32, None),
        "/VersioningConfiguration/Status": (17, 47, None),
    })


def test_unknown_values():
    status, report = check(fixture("unknown-values.yaml"))
    assert status == 1, report
    found = resources(report)
    assert found["Key"]["status"] == "violation"
    assert found["Key"]["findings"][0]["kind"] == "denied"
    assert found["Key"]["findings"][0]["message"] == "no restriction for AWS::KMS::Key: denied"
    role = found["Role"]
    assert role["status"] == "unverified", role
    finding = finding_at(role, "/PermissionsBoundary")
    assert finding["kind"] == "unverified", finding
    assert finding["level"] == "warning", finding
    assert (finding["line"], finding["column"]) == (18, 28), finding
    assert "(parameter BoundaryName has no default and no --parameter value)" in finding["message"]
    topic = finding_at(found["Topic"], "/KmsMasterKeyId")
    assert "(Fn::GetAtt is known only after deployment)" in topic["message"], topic

    status, strict = check(fixture("unknown-values.yaml"), extra=["--strict"])
    assert status == 1
    assert resources(strict)["Role"]["status"] == "violation"
    assert finding_at(resources(strict)["Role"], "/PermissionsBoundary")["level"] == "error"


def test_condition_branches():
    status, report = check(fixture("condition-branches.yaml"))
    assert status == 1, report
    found = resources(report)
    assert found["DevOnly"]["status"] == "skipped"
    vpc = found["Vpc"]
    assert vpc["status"] == "violation"
    finding = finding_at(vpc, "/CidrBlock")
    assert (finding["line"], finding["column"]) == (16, 44), finding
    assert finding["because"] == "VPCs use RFC 1918 address space"

    # Only the combination IsProd false, IsBig false reaches 1.2.3.0/24.
    nested = found["Nested"]
    assert nested["status"] == "violation", nested
    finding = finding_at(nested, "/CidrBlock")
    assert (finding["line"], finding["column"]) == (26, 69), finding
    assert len(nested["findings"]) == 1, nested["findings"]

    # IsNotProd follows the value assumed for IsProd, so 1.1.1.0/24 is unreachable.
    assert found["Correlated"]["status"] == "compliant", found["Correlated"]

    status, prod = check(fixture("condition-branches.yaml"), extra=["--parameter", "Env=prod"])
    assert status == 0, prod


def test_unsupported():
    status, report = check(fixture("unsupported.yaml"))
    assert status == 1, report
    template = report["templates"][0]
    assert template["findings"][0]["ruleId"] == "cfgate/transform"
    assert "SAM transform" in template["findings"][0]["message"]
    found = resources(report)
    assert found["Api"]["findings"][0]["kind"] == "unsupported"
    assert found["Seed"]["findings"][0]["kind"] == "unsupported"
    assert "custom resource Custom::SeedData" in found["Seed"]["findings"][0]["message"]
    assert found["Queue"]["findings"][0]["kind"] == "denied"


def test_unparseable():
    status, report = check(fixture("not-a-template.yaml"))
    assert status == 2
    error = report["templates"][0]["error"]
    assert error == {"line": 1, "column": 1,
                     "message": "not a CloudFormation template: no Resources mapping"}, error

    status, report = check(fixture("broken.yaml"))
    assert status == 2
    error = report["templates"][0]["error"]
    assert (error["line"], error["column"]) == (5, 4), error
    assert "did not find expected ',' or '}'" in error["message"], error

    status, text = check(fixture("broken.yaml"), fmt="text")
    assert status == 2
    assert f"{fixture('broken.yaml')}:5:4: error: " in text, text


def test_stdin():
    with open(fixture("bucket-compliant.yaml"), encoding="utf-8") as handle:
        status, report = check("-", stdin=handle.read())
    assert status == 0, report
    assert report["templates"][0]["path"] == "<stdin>"


def test_formats_over_folder():
    status, report = check(fixtures)
    assert status == 2
    assert report["summary"]["templates"] == len([n for n in os.listdir(fixtures)
                                                  if n.endswith((".yaml", ".json"))])

    status, sarif_text = check(fixtures, fmt="sarif")
    sarif = json.loads(sarif_text)
    assert sarif["version"] == "2.1.0"
    results = sarif["runs"][0]["results"]
    rules = sarif["runs"][0]["tool"]["driver"]["rules"]
    assert {r["level"] for r in results} == {"error", "warning"}
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1

    status, junit = check(fixtures, fmt="junit")
    root = ElementTree.fromstring(junit)
    assert len(root.findall("./testsuite/testcase")) >= report["summary"]["resources"]

    status, text = check(fixtures, fmt="text")
    assert text.splitlines()[-1].startswith("summary: 8 templates, "), text
    assert "\033[" not in text


def test_compiled_policy_folder():
    global policy
    sources = policy
    with tempfile.TemporaryDirectory() as folder:
        compiled = os.path.join(folder, "baseline")
        subprocess.run([cfgate, "compile", sources, "--schemas", schemas, "-o", compiled], check=True,
                       capture_output=True)
        _, from_sources = check(fixture("bucket-violations.yaml"))
        policy = compiled
        try:
            status, from_folder = check(fixture("bucket-violations.yaml"))
        finally:
            policy = sources
    assert status == 1
    assert from_folder["templates"] == from_sources["templates"], (from_folder, from_sources)


def test_folder_walk():
    with tempfile.TemporaryDirectory() as folder:
        nested = os.path.join(folder, "nested")
        os.mkdir(nested)
        with open(fixture("bucket-compliant.yaml"), encoding="utf-8") as source:
            text = source.read()
        for name in ("a.template", "b.yml", ".hidden.yaml", "notes.txt"):
            with open(os.path.join(nested, name), "w", encoding="utf-8") as target:
                target.write(text)
        os.symlink(folder, os.path.join(nested, "loop"))
        os.symlink(os.path.join(nested, "b.yml"), os.path.join(folder, "linked.json"))

        status, report = check(folder)
    paths = [os.path.relpath(t["path"], folder) for t in report["templates"]]
    assert status == 0, report
    # linked.json is a link to nested/b.yml, so that file is checked once, under its first path.
    assert paths == ["linked.json", "nested/a.template"], paths


def test_usage_errors():
    result = subprocess.run([cfgate, "check", fixture("bucket-compliant.yaml")], capture_output=True,
                            text=True)
    assert result.returncode == 2, result.returncode
    assert "missing --policy" in result.stderr, result.stderr
    result = subprocess.run([cfgate, "check", "--policy", policy, "--format", "xml", fixtures],
                            capture_output=True, text=True)
    assert result.returncode == 2, result.returncode
    assert "invalid --format 'xml'" in result.stderr, result.stderr
    result = subprocess.run([cfgate, "check", "--help"], capture_output=True, text=True)
    assert result.returncode == 0, result.returncode
    assert "Exit status: 0" in result.stdout, result.stdout


def test_private_cidr_ranges():
    # The baseline allows a CIDR inside one private range only, with a prefix at
    # least as long as the range's: 10.0.0.0/7 also covers the public 11.0.0.0/8.
    allowed = ["10.0.0.0/8", "10.1.2.3/32", "172.16.0.0/12", "172.31.255.0/24",
               "192.168.0.0/16", "192.168.1.0/24"]
    denied = ["10.0.0.0/7", "10.0.0.0/0", "10.256.0.0/16", "172.16.0.0/11", "172.32.0.0/16",
              "192.168.0.0/15", "11.0.0.0/8", "10.0.0.0/33", "010.0.0.0/8", "0.0.0.0/0"]
    workdir = tempfile.mkdtemp(prefix="cfgate-cidr-")
    for cidr in allowed + denied:
        template = {"Resources": {"G": {"Type": "AWS::EC2::SecurityGroup", "Properties": {
            "VpcId": "vpc-1", "GroupDescription": "web", "SecurityGroupIngress": [
                {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIp": cidr}]}}}}
        path = os.path.join(workdir, "group.json")
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(template, handle)
        status, report = check(path)
        expected = "compliant" if cidr in allowed else "violation"
        assert resources(report)["G"]["status"] == expected, (cidr, report)


for name, test in list(globals().items()):
    if name.startswith("test_"):
        test()
        print(name, "ok")
