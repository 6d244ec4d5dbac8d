"""Runs cfgate compile and cfgate check on AWS::IoTFleetWise::DecoderManifest,
whose network interfaces are a oneOf of three branches that each define
their own `Type` enum. A policy that lists `NetworkInterfaces[].Type` must
accept the OBD branch's "OBD_INTERFACE", and `= "OBD_INTERFACE"` must
compile: the level keeps no single branch's enum. On
AWS::BillingConductor::BillingGroup, an anyOf branch requires a property
inside AccountGrouping, and a policy that restricts AccountGrouping must
keep that requirement.

usage: check_branch_properties.py CFGATE SCHEMAS
"""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from scratch import scratch_writer  # noqa: E402

cfgate, schemas = sys.argv[1:3]
write = scratch_writer("cfgate-branches-")
workdir = write.root


def policy(type_constraint):
    return write("decoder.gate", f"""type AWS::IoTFleetWise::DecoderManifest {{
    Name
    ModelManifestArn
    NetworkInterfaces[].InterfaceId
    NetworkInterfaces[].Type {type_constraint}
    NetworkInterfaces[].ObdInterface {{
        Name
        RequestMessageId
        PidRequestIntervalSeconds range 1..10
    }}
}}
""")


def template(name, interface_type, interval):
    return write(name, f"""Resources:
  D:
    Type: AWS::IoTFleetWise::DecoderManifest
    Properties:
      Name: decoder
      ModelManifestArn: arn:x
      NetworkInterfaces:
        - InterfaceId: i
          Type: {interface_type}
          ObdInterface: {{Name: o, RequestMessageId: 1, PidRequestIntervalSeconds: {interval}}}
""")


def check(policy_path, template_path):
    command = [cfgate, "check", "--policy", policy_path, "--schemas", schemas,
               "--format", "json", template_path]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.stdout, result.stderr
    report = json.loads(result.stdout)
    resources = [r for t in report["templates"] for r in t["resources"]]
    assert len(resources) == 1, report
    return result.returncode, resources[0]


def findings(resource):
    return [(f["pointer"], f["keyword"], f["line"], f["column"]) for f in resource["findings"]]


def test_listed_type_accepts_other_branch():
    status, resource = check(policy(""), template("obd.yaml", "OBD_INTERFACE", 5))
    assert status == 0, resource
    assert resource["status"] == "compliant", resource


def test_listed_type_denies_unlisted_branch():
    status, resource = check(policy(""), template("custom.yaml", "CUSTOM_DECODING_INTERFACE", 5))
    assert status == 1, resource
    assert findings(resource) == [("/NetworkInterfaces/0", "oneOf", 8, 11)], resource


def test_const_of_other_branch_compiles():
    path = policy('= "OBD_INTERFACE"')
    status, resource = check(path, template("const.yaml", "OBD_INTERFACE", 5))
    assert status == 0, resource

    status, resource = check(path, template("const-range.yaml", "OBD_INTERFACE", '"50"'))
    assert status == 1, resource
    assert ("/NetworkInterfaces/0/ObdInterface/PidRequestIntervalSeconds", "maximum", 10, 83) \
        in findings(resource), resource


def test_level_keeps_no_branch_enum():
    out = os.path.join(workdir, "compiled")
    result = subprocess.run([cfgate, "compile", policy(""), "--schemas", schemas, "-o", out],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    with open(os.path.join(out, "templates", "aws-iotfleetwise-decodermanifest.json"),
              encoding="utf-8") as handle:
        items = json.load(handle)["properties"]["NetworkInterfaces"]["items"]
    assert "enum" not in items["properties"]["Type"], items["properties"]["Type"]
    enums = [branch["properties"]["Type"]["enum"] for branch in items["oneOf"]]
    assert enums == [["OBD_INTERFACE"]], enums


BILLING_POLICY = """type AWS::BillingConductor::BillingGroup {
    Name
    ComputationPreference
    AccountGrouping.LinkedAccountIds
    AccountGrouping.ResponsibilityTransferArn
}
"""


def test_branch_requirement_below_restricted_property():
    path = write("billing.gate", BILLING_POLICY)
    grouping = {"{}": 1, "{ResponsibilityTransferArn: arn:aws:organizations::123456789012:"
                         "transfer/o-abcdefghij/billing/inbound/rt-12345678}": 0}
    for value, expected in grouping.items():
        template = write("billing.yaml", """Resources:
  B:
    Type: AWS::BillingConductor::BillingGroup
    Properties:
      Name: g
      ComputationPreference: {PricingPlanArn: arn:aws:billingconductor::aws:pricingplan/Passthrough}
      AccountGrouping: %s
""" % value)
        result = subprocess.run([cfgate, "check", "--policy", path, "--schemas", schemas,
                                 "--format", "json", template],
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == expected, (value, result.stdout)
        if expected:
            resource = json.loads(result.stdout)["templates"][0]["resources"][0]
            assert [f["keyword"] for f in resource["findings"]] == ["anyOf"], resource


TESTS = [value for name, value in sorted(globals().items()) if name.startswith("test_")]
for test in TESTS:
    test()
    print("ok", test.__name__)
