"""A policy with a context placeholder (${OrganizationId}): cfgate hook and
cfgate check fail closed without --context (hook: InternalFailure, check: a
usage error naming the option), accept the matching value and
reject another one. Both warn about a --context name that the policy does
not read.

usage: check_context_placeholders.py CFGATE SCHEMAS FIXTURES
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

cfgate, schemas, fixtures = sys.argv[1:4]
policy = os.path.join(fixtures, "org-permission.gate")
MATCHING = ["--context", "OrganizationId=o-a1b2c3d4e5"]
OTHER = ["--context", "OrganizationId=o-other00000"]


def hook(*extra):
    result = subprocess.run([cfgate, "hook", "--policy", policy, "--schemas", schemas, "--event",
                             os.path.join(fixtures, "org-permission.event.json"), *extra],
                            capture_output=True, text=True, timeout=120)
    return result.returncode, json.loads(result.stdout)


def run_check(*extra):
    return subprocess.run([cfgate, "check", "--policy", policy, "--schemas", schemas,
                           "--account-id", "123456789012", "--region", "us-east-1",
                           "--format", "json", *extra,
                           os.path.join(fixtures, "org-permission.yaml")],
                          capture_output=True, text=True, timeout=120)


def check(*extra):
    result = run_check(*extra)
    report = json.loads(result.stdout)
    return result.returncode, report["templates"][0]["resources"][0]


status, response = hook()
assert status == 1, status
assert response["hookStatus"] == "FAILED", response
assert response["errorCode"] == "InternalFailure", response
assert "${OrganizationId}" in response["message"], response
assert response["message"].endswith(": pass --context OrganizationId=VALUE"), response

status, response = hook(*MATCHING)
assert status == 0, (status, response)
assert response["hookStatus"] == "SUCCESS", response

status, response = hook(*OTHER)
assert status == 1, status
assert response["errorCode"] == "NonCompliant", response
assert "/PrincipalOrgID" in response["message"], response
assert "(because invocations stay inside the organization)" in response["message"], response

missing = run_check()
assert missing.returncode == 2, (missing.returncode, missing.stdout)
assert missing.stdout == "", missing.stdout
assert missing.stderr.startswith(
    "cfgate check: the policy needs a value for ${OrganizationId}: "
    "pass --context OrganizationId=VALUE\n"), missing.stderr

status, resource = check(*MATCHING)
assert status == 0, (status, resource)
assert resource["status"] == "compliant", resource

status, resource = check(*OTHER)
assert status == 1, status
assert resource["findings"][0]["pointer"] == "/PrincipalOrgID", resource
assert resource["findings"][0]["line"] == 8, resource
# An unused --context name gets the warning that check gives, on standard
# error, and the response on standard output stays one JSON object. A
# compiled folder, which the hook loads for the event's type only, names
# the placeholders that its manifest lists.
compiled = tempfile.mkdtemp(prefix="cfgate-context-")
result = subprocess.run([cfgate, "compile", "--schemas", schemas, policy, "-o",
                         os.path.join(compiled, "out")], capture_output=True, text=True,
                        timeout=120)
assert result.returncode == 0, result.stderr
warning = ("cfgate hook: warning: the policy has no placeholder ${Extra}, so --context Extra is "
           "not used (its context placeholders: OrganizationId)\n")
for source in (policy, os.path.join(compiled, "out")):
    for extra in ([], ["--context", "Extra=1"]):
        result = subprocess.run([cfgate, "hook", "--policy", source, "--schemas", schemas,
                                 "--event", os.path.join(fixtures, "org-permission.event.json"),
                                 *MATCHING, *extra], capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, (source, extra, result.stdout, result.stderr)
        assert json.loads(result.stdout)["hookStatus"] == "SUCCESS", (source, result.stdout)
        assert (warning in result.stderr) == bool(extra), (source, extra, result.stderr)
        if not extra:
            assert "warning" not in result.stderr, (source, result.stderr)
shutil.rmtree(compiled)
print("context placeholders ok")
