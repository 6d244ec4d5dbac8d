"""Checks that the baseline policy reports a setting its because text
promises as missing when a template leaves it out: a value constraint
alone only applies to a property that is present.

usage: check_baseline_required.py CFGATE POLICY SCHEMAS TEMPLATE
"""
import json
import subprocess
import sys

cfgate, policy, schemas, template = sys.argv[1:5]

EXPECTED = {
    "Bucket": [
        ("", "VersioningConfiguration", "storage.gate:31:5"),
        ("/BucketEncryption/ServerSideEncryptionConfiguration/0",
         "ServerSideEncryptionByDefault", "storage.gate:11:5"),
        ("/PublicAccessBlockConfiguration", "BlockPublicAcls", "storage.gate:22:9"),
        ("/PublicAccessBlockConfiguration", "BlockPublicPolicy", "storage.gate:24:9"),
        ("/PublicAccessBlockConfiguration", "IgnorePublicAcls", "storage.gate:26:9"),
        ("/PublicAccessBlockConfiguration", "RestrictPublicBuckets", "storage.gate:28:9"),
    ],
    "Db": [
        ("", "StorageEncrypted", "storage.gate:66:5"),
        ("", "PubliclyAccessible", "storage.gate:70:5"),
        ("", "BackupRetentionPeriod", "storage.gate:79:5"),
    ],
    "Elb": [("", "Scheme", "operations.gate:77:5")],
    "Fn": [("", "TracingConfig", "compute.gate:96:5")],
    "Perm": [("", "SourceAccount", "compute.gate:119:5")],
    "Role": [("", "RoleName", "iam.gate:14:5"), ("", "Path", "iam.gate:16:5")],
}

ALARM = """Resources:
  Alarm:
    Type: AWS::CloudWatch::Alarm
    Properties:
      ComparisonOperator: GreaterThanThreshold
      EvaluationPeriods: 1
      MetricName: CPUUtilization
      Namespace: AWS/EC2
      Period: 60
      Statistic: Average
      Threshold: 90
      AlarmActions: ["arn:aws:automate:us-east-1:ec2:stop"]
      OKActions: ["arn:aws:sns:us-east-1:999999999999:elsewhere"]
"""

EMPTY_ENCRYPTION = """Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketEncryption: {ServerSideEncryptionConfiguration: []}
      PublicAccessBlockConfiguration:
        {BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true,
         RestrictPublicBuckets: true}
      VersioningConfiguration: {Status: Enabled}
"""


def check(path, stdin=None):
    command = [cfgate, "check", "--policy", policy, "--schemas", schemas, "--strict",
               "--account-id", "123456789012", "--region", "us-east-1", "--format", "json",
               path]
    return subprocess.run(command, capture_output=True, text=True, input=stdin, timeout=120)


def check_empty_encryption_list():
    result = check("-", stdin=EMPTY_ENCRYPTION)
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    report = json.loads(result.stdout)
    findings = report["templates"][0]["resources"][0]["findings"]
    assert len(findings) == 1, findings
    finding = findings[0]
    assert finding["pointer"] == "/BucketEncryption/ServerSideEncryptionConfiguration", finding
    assert finding["message"] == "array has 0 items, fewer than the minimum 1", finding
    assert finding["because"] == "buckets are encrypted with KMS", finding


def check_alarm_actions():
    # An EC2 stop action is allowed, an OK action in another account is not.
    result = check("-", stdin=ALARM)
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    findings = json.loads(result.stdout)["templates"][0]["resources"][0]["findings"]
    assert len(findings) == 1, findings
    assert findings[0]["pointer"] == "/OKActions/0", findings
    assert findings[0]["keyword"] == "pattern", findings


def main():
    result = check(template)
    assert result.returncode == 1, (result.returncode, result.stdout, result.stderr)
    report = json.loads(result.stdout)

    resources = {r["logicalId"]: r for t in report["templates"] for r in t["resources"]}
    assert sorted(resources) == sorted(EXPECTED), sorted(resources)
    for name, expected in EXPECTED.items():
        resource = resources[name]
        assert resource["status"] == "violation", resource
        got = []
        for finding in resource["findings"]:
            assert finding["kind"] == "violation", finding
            prefix = 'missing required property "'
            message = finding["message"]
            assert prefix in message, finding
            missing = message.split(prefix, 1)[1].split('"', 1)[0]
            rule = finding["rule"]
            where = "%s:%d:%d" % (rule["file"].rsplit("/", 1)[-1], rule["line"], rule["column"])
            assert finding["because"], finding
            got.append((finding["pointer"], missing, where))
        assert sorted(got) == sorted(expected), (name, got)
    check_empty_encryption_list()
    check_alarm_actions()
    print("ok: %d resources, each missing setting reported at its rule" % len(EXPECTED))


if __name__ == "__main__":
    main()
