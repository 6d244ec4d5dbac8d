"""Runs cfgate hook against a folder written by cfgate compile, where only the
event's type is loaded. Every example event must give the same response as
with the .gate sources. A broken manifest or a broken template of the
event's type must give a FAILED InternalFailure response.

usage: run_hook_compiled.py CFGATE SCHEMAS EXAMPLES_DIR
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

cfgate, schemas, examples = sys.argv[1:4]
here = os.path.dirname(os.path.abspath(__file__))
root = os.path.normpath(os.path.join(here, "..", ".."))
policy_dir = os.path.join("examples", "policies", "baseline")
bucket_event = os.path.join(examples, "create-compliant-bucket.event.json")
failures = []


def compile_baseline(out):
    sources = sorted(os.path.join(policy_dir, name) for name in os.listdir(os.path.join(root, policy_dir))
                     if name.endswith(".gate"))
    result = subprocess.run([cfgate, "compile", *sources, "--schemas", schemas, "-o", out],
                            capture_output=True, text=True, cwd=root, timeout=300)
    if result.returncode != 0:
        sys.exit(f"cfgate compile of the baseline policy failed: {result.stderr}")


def hook(compiled, event):
    result = subprocess.run([cfgate, "hook", "--policy", compiled, "--event", event],
                            capture_output=True, text=True, cwd=root, timeout=60)
    return result.returncode, json.loads(result.stdout), result.stderr


def expect(name, outcome, status, hook_status, error_code=None, stderr_parts=()):
    code, response, stderr = outcome
    if code != status:
        failures.append(f"{name}: exit status {code}, expected {status}")
    if response.get("hookStatus") != hook_status:
        failures.append(f"{name}: hookStatus {response.get('hookStatus')}, expected {hook_status}")
    if response.get("errorCode") != error_code:
        failures.append(f"{name}: errorCode {response.get('errorCode')}, expected {error_code}")
    for part in stderr_parts:
        if part not in stderr:
            failures.append(f"{name}: standard error lacks {part!r}: {stderr!r}")


def overwrite(path, text):
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)


with tempfile.TemporaryDirectory() as work:
    compiled = os.path.join(work, "baseline")
    compile_baseline(compiled)

    # Every example gives the response it gives with the .gate sources.
    examples_run = subprocess.run([sys.executable, os.path.join(here, "run_hook_examples.py"), cfgate,
                                   compiled, schemas, examples], capture_output=True, text=True,
                                  timeout=600)
    if examples_run.returncode != 0:
        failures.append(f"examples with the compiled policy failed:\n{examples_run.stderr}")

    # A broken template of another type does not affect the event's type.
    broken = os.path.join(work, "other-broken")
    shutil.copytree(compiled, broken)
    other_template = os.path.join(broken, "templates", "aws-sns-topic.json")
    if not os.path.isfile(other_template):
        sys.exit(f"the compiled baseline policy has no {other_template}")
    overwrite(other_template, '{"type": ')
    expect("other type's template broken", hook(broken, bucket_event), 0, "SUCCESS")

    # A broken template of the event's type fails closed.
    broken = os.path.join(work, "own-broken")
    shutil.copytree(compiled, broken)
    overwrite(os.path.join(broken, "templates", "aws-s3-bucket.json"), '{"type": ')
    expect("event type's template broken", hook(broken, bucket_event), 1, "FAILED",
           "InternalFailure", ["aws-s3-bucket.json:1:", "invalid template"])

    # A missing template of the event's type fails closed.
    os.remove(os.path.join(broken, "templates", "aws-s3-bucket.json"))
    expect("event type's template missing", hook(broken, bucket_event), 1, "FAILED",
           "InternalFailure", ["aws-s3-bucket.json: invalid template: cannot read file"])

    # A manifest entry without a typeName fails closed, even for another type.
    broken = os.path.join(work, "manifest-broken")
    shutil.copytree(compiled, broken)
    manifest_path = os.path.join(broken, "manifest.json")
    with open(manifest_path, encoding="utf-8") as handle:
        manifest = json.load(handle)
    del manifest["types"][-1]["typeName"]
    overwrite(manifest_path, json.dumps(manifest))
    expect("manifest entry without typeName", hook(broken, bucket_event), 1, "FAILED",
           "InternalFailure", ["an entry has no typeName or template"])

    # A manifest that is not JSON fails closed, with the position of the error.
    overwrite(manifest_path, "{")
    expect("manifest not JSON", hook(broken, bucket_event), 1, "FAILED", "InternalFailure",
           ["manifest.json: invalid manifest: line 1, column 2: unexpected end of text"])
    overwrite(manifest_path, '{"types": [],\n "denied": [],}')
    expect("manifest trailing comma", hook(broken, bucket_event), 1, "FAILED", "InternalFailure",
           ["manifest.json: invalid manifest: line 2, column 15: expected a member name"])
    overwrite(manifest_path, '{"types": [], "types": []}')
    expect("manifest duplicate types", hook(broken, bucket_event), 1, "FAILED", "InternalFailure",
           ["invalid manifest: line 1, column 15: duplicate 'types' or 'denied'"])
    overwrite(manifest_path, '{"denied": []}')
    expect("manifest without types", hook(broken, bucket_event), 1, "FAILED", "InternalFailure",
           ["invalid manifest: line 1, column 15: 'types' is not an array"])

    def edited(name, change):
        """Returns a copy of the compiled policy whose manifest change() edited."""
        folder = os.path.join(work, name)
        shutil.copytree(compiled, folder)
        path = os.path.join(folder, "manifest.json")
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        change(data)
        overwrite(path, json.dumps(data, indent=2))
        return folder

    def bucket_entry(data):
        return next(entry for entry in data["types"] if entry["typeName"] == "AWS::S3::Bucket")

    # A template the manifest does not list is never used, so a leftover file
    # cannot allow its type.
    unlisted = edited("unlisted", lambda data: data["types"].remove(bucket_entry(data)))
    expect("template not in manifest", hook(unlisted, bucket_event), 1, "FAILED", "NonCompliant")

    # A type the manifest lists as denied is denied.
    def deny_bucket(data):
        entry = bucket_entry(data)
        data["types"].remove(entry)
        data.setdefault("denied", []).append({"typeName": entry["typeName"]})
    expect("type in denied list", hook(edited("denied", deny_bucket), bucket_event), 1, "FAILED",
           "NonCompliant")

    # A typeName written with escapes names the same type.
    escaped = edited("escaped", lambda data: None)
    escaped_manifest = os.path.join(escaped, "manifest.json")
    with open(escaped_manifest, encoding="utf-8") as handle:
        text = handle.read()
    overwrite(escaped_manifest,
              text.replace('"typeName": "AWS::S3::Bucket"', '"typeName": "AWS::S3::Buck\\u0065t"'))
    expect("escaped typeName", hook(escaped, bucket_event), 0, "SUCCESS")

for failure in failures:
    print(failure, file=sys.stderr)
print("ok" if not failures else f"{len(failures)} failures")
sys.exit(1 if failures else 0)
