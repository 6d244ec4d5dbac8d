"""Runs cfgate hook on every event in examples/hook-events/ and compares the
response with NAME.response.json exactly, message text included, and the
exit status with the response (0 for SUCCESS, 1 for FAILED). The files
are the responses users read in the docs, so any change of wording must
update them.

usage: run_hook_examples.py CFGATE POLICY SCHEMAS EXAMPLES_DIR

POLICY is relative to the repository root, where cfgate runs, so the rule
paths in the messages match the expected responses on any machine.
"""
import json
import os
import subprocess
import sys

import jsonschema

cfgate, policy, schemas, examples = sys.argv[1:5]
root = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
schema_dir = os.path.join(root, "schemas")
with open(os.path.join(schema_dir, "hook-response.schema.json"), encoding="utf-8") as handle:
    response_schema = jsonschema.Draft7Validator(json.load(handle))

with open(os.path.join(examples, "cases.json"), encoding="utf-8") as handle:
    cases = json.load(handle)["cases"]

events = sorted(name[: -len(".event.json")] for name in os.listdir(examples)
                if name.endswith(".event.json"))
assert events == sorted(cases), f"cases.json and the event files differ: {events} vs {sorted(cases)}"



failures = []
for name in events:
    case = cases[name]
    env = {key: value for key, value in os.environ.items() if key != "AWS_REGION"}
    env.update(case.get("env", {}))
    command = [cfgate, "hook", "--policy", policy, "--schemas", schemas,
               "--event", os.path.join(examples, name + ".event.json"), *case.get("args", [])]
    result = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120, cwd=root)

    with open(os.path.join(examples, name + ".response.json"), encoding="utf-8") as handle:
        expected = json.load(handle)
    try:
        actual = json.loads(result.stdout)
    except json.JSONDecodeError:
        failures.append(f"{name}: output is not JSON: {result.stdout!r} {result.stderr!r}")
        continue

    for error in response_schema.iter_errors(actual):
        failures.append(f"{name}: response does not match the schema: {error.message}")
    if actual != expected:
        failures.append(f"{name}: response differs\n  expected {expected}\n  actual   {actual}")
    expected_status = 0 if expected["hookStatus"] == "SUCCESS" else 1
    if result.returncode != expected_status:
        failures.append(f"{name}: exit status {result.returncode}, expected {expected_status}")
    if len(actual.get("message", "")) > 4096:
        failures.append(f"{name}: message longer than 4096 characters")
    print(name, "ok" if not failures or not failures[-1].startswith(name) else "FAILED")

# A usage error still writes a FAILED response, so a wrapper never reads SUCCESS.
usage = subprocess.run([cfgate, "hook", "--policy", policy, "--bogus", "x"], capture_output=True,
                       text=True, cwd=root, timeout=60)
usage_response = json.loads(usage.stdout)
if usage.returncode != 2:
    failures.append(f"usage error: exit status {usage.returncode}, expected 2")
if usage_response != {"hookStatus": "FAILED", "errorCode": "InternalFailure",
                      "message": "cfgate hook: unknown option '--bogus'"}:
    failures.append(f"usage error: unexpected response {usage_response}")

# A policy that cannot be loaded is an internal failure, never a pass.
missing = subprocess.run([cfgate, "hook", "--policy", "missing.gate", "--schemas", schemas, "--event",
                          os.path.join(examples, "create-compliant-bucket.event.json")],
                         capture_output=True, text=True, cwd=root, timeout=60)
missing_response = json.loads(missing.stdout)
if missing.returncode != 1 or missing_response.get("errorCode") != "InternalFailure":
    failures.append(f"missing policy: exit status {missing.returncode}, response {missing_response}")

for failure in failures:
    print(failure, file=sys.stderr)
sys.exit(1 if failures else 0)
