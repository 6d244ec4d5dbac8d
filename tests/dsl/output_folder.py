"""Checks what `cfgate compile -o OUTDIR` does with files already in OUTDIR.

- These are errors (exit 2) that name the file: a .json file in
  OUTDIR/templates/ that OUTDIR/manifest.json does not list (or with no
  manifest at all), a manifest.json that is not a cfgate manifest, and a
  symbolic link or other non-regular entry in place of templates/,
  manifest.json or a listed template. The folder and whatever a link points
  to stay unchanged.
- Files that are not .json files and subfolders of templates/ stay.
- A second compilation removes the templates of types the policy no longer
  allows, so the templates folder holds exactly the listed templates.
- A compilation killed while it writes a template leaves every .json file
  whole and listed, and the next compilation succeeds.

usage: output_folder.py CFGATE SCHEMAS WORKDIR
"""

import json
import os
import resource
import shutil
import signal
import subprocess
import sys

FIRST = """type AWS::SQS::Queue { * }
type AWS::SNS::Topic { TopicName }
type AWS::IAM::User
"""

# Adds a small template (IAM group) and a large one (S3 bucket) that sort
# before the queue, and denies the topic.
SECOND = """type AWS::IAM::Group { GroupName }
type AWS::S3::Bucket { * }
type AWS::SQS::Queue { QueueName }
type AWS::SNS::Topic
"""

# A file size limit between the small files and the S3 bucket template.
WRITE_LIMIT = 60000

cfgate, schemas, work = sys.argv[1:4]
failures = []


def compile_policy(policy, outdir, limit=None):
    def lower_limit():
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return subprocess.run([cfgate, "compile", os.path.join(work, policy), "--schemas", schemas,
                           "-o", outdir], capture_output=True, text=True,
                          preexec_fn=lower_limit if limit else None)


def snapshot(path):
    """Maps every path under path (links not followed) to its bytes or link
    target."""
    found = {}
    for root, dirs, files in os.walk(path):
        for name in dirs + files:
            full = os.path.join(root, name)
            if os.path.islink(full):
                found[full] = "link:" + os.readlink(full)
            elif os.path.isfile(full):
                with open(full, "rb") as f:
                    found[full] = f.read()
            else:
                found[full] = "folder"
    return found


def json_names(templates):
    return sorted(n for n in os.listdir(templates) if n.lower().endswith(".json"))


def listed(outdir):
    with open(os.path.join(outdir, "manifest.json")) as f:
        manifest = json.load(f)
    return sorted(e["template"][len("templates/"):] for e in manifest["types"]), manifest


def expect_rejected(name, setup, expected, watched=()):
    """setup(outdir) prepares work/NAME; compile must exit 2 with expected in
    its standard error and leave the folder and the watched paths as they
    were."""
    outdir = os.path.join(work, name)
    setup(outdir)
    before = {p: snapshot(p) for p in (outdir,) + tuple(watched)}
    result = compile_policy("first.gate", outdir)
    after = {p: snapshot(p) for p in before}
    if result.returncode != 2:
        failures.append(f"{name}: exit status {result.returncode}, expected 2: {result.stderr}")
    if expected not in result.stderr:
        failures.append(f"{name}: standard error lacks {expected!r}: {result.stderr!r}")
    if after != before:
        failures.append(f"{name}: the files changed: {sorted(set(after[outdir]) ^ set(before[outdir]))}")


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def compiled(outdir):
    result = compile_policy("first.gate", outdir)
    if result.returncode != 0:
        sys.exit(f"compile failed: {result.stderr}")


def check_rejections():
    stack = '{"Resources": {"Q": {"Type": "AWS::SQS::Queue"}}}\n'

    def project(outdir):
        write(os.path.join(outdir, "templates", "app-stack.json"), stack)
        write(os.path.join(outdir, "templates", "network-stack.json"), stack)
    expect_rejected("project", project,
                    "project/templates/app-stack.json: error: not written by cfgate (there is no "
                    f"{work}/project/manifest.json); the templates folder may hold only the "
                    "templates cfgate writes: move this file and 1 other .json file there away "
                    "or pick another output folder; nothing was written")

    def unlisted(outdir):
        compiled(outdir)
        write(os.path.join(outdir, "templates", "notes.json"), "{}")
    expect_rejected("unlisted", unlisted,
                    "unlisted/templates/notes.json: error: not written by cfgate "
                    f"({work}/unlisted/manifest.json does not list it)")

    def upper_case(outdir):
        compiled(outdir)
        write(os.path.join(outdir, "templates", "AWS-SQS-QUEUE.JSON"), "{}")
    expect_rejected("upper-case", upper_case, "upper-case/templates/AWS-SQS-QUEUE.JSON: error: "
                    "not written by cfgate")

    def json_folder(outdir):
        compiled(outdir)
        os.makedirs(os.path.join(outdir, "templates", "old.json"))
    expect_rejected("json-folder", json_folder, "json-folder/templates/old.json: error: not "
                    "written by cfgate")

    victim = os.path.join(work, "victim")
    write(os.path.join(victim, "important.json"), '{"keep": "me"}\n')

    def templates_link(outdir):
        os.makedirs(outdir)
        os.symlink(victim, os.path.join(outdir, "templates"))
    expect_rejected("templates-link", templates_link,
                    "templates-link/templates: error: a symbolic link, not a folder that cfgate "
                    "created: remove it or pick another output folder; nothing was written",
                    (victim,))

    def templates_file(outdir):
        write(os.path.join(outdir, "templates"), "text\n")
    expect_rejected("templates-file", templates_file,
                    "templates-file/templates: error: a regular file, not a folder")

    def manifest_link(outdir):
        compiled(outdir)
        os.remove(os.path.join(outdir, "manifest.json"))
        os.symlink(os.path.join(victim, "important.json"), os.path.join(outdir, "manifest.json"))
    expect_rejected("manifest-link", manifest_link,
                    "manifest-link/manifest.json: error: a symbolic link, not a regular file that "
                    "cfgate wrote", (victim,))

    def other_manifest(outdir):
        write(os.path.join(outdir, "manifest.json"), '{"name": "web app"}\n')
    expect_rejected("other-manifest", other_manifest,
                    "other-manifest/manifest.json: error: not a manifest written by cfgate "
                    "compile: line 2, column 1: 'types' is not an array: remove it or pick "
                    "another output folder; nothing was written")

    def template_link(outdir):
        compiled(outdir)
        queue = os.path.join(outdir, "templates", "aws-sqs-queue.json")
        os.remove(queue)
        os.symlink(os.path.join(victim, "important.json"), queue)
    expect_rejected("template-link", template_link,
                    "template-link/templates/aws-sqs-queue.json: error: a symbolic link, not a "
                    "template file that cfgate wrote", (victim,))


def check_exact(name, outdir):
    names, manifest = listed(outdir)
    found = json_names(os.path.join(outdir, "templates"))
    if found != names:
        failures.append(f"{name}: templates/ holds {found}, the manifest lists {names}")
    return manifest


def check_recompile():
    outdir = os.path.join(work, "recompile")
    compiled(outdir)
    write(os.path.join(outdir, "templates", "README.txt"), "notes\n")
    write(os.path.join(outdir, "templates", "sub", "kept.json"), "{}\n")
    result = compile_policy("second.gate", outdir)
    if result.returncode != 0:
        failures.append(f"recompile: exit status {result.returncode}: {result.stderr}")
        return
    manifest = check_exact("recompile", outdir)
    if "aws-sns-topic.json" in json_names(os.path.join(outdir, "templates")):
        failures.append("recompile: the template of the denied topic stayed")
    if [e["typeName"] for e in manifest["denied"]] != ["AWS::SNS::Topic"]:
        failures.append(f"recompile: denied lists {manifest['denied']}")
    for kept in ("README.txt", os.path.join("sub", "kept.json")):
        if not os.path.exists(os.path.join(outdir, "templates", kept)):
            failures.append(f"recompile: templates/{kept} was removed")


def check_stop_halfway():
    scratch = os.path.join(work, "scratch")
    if compile_policy("second.gate", scratch).returncode != 0:
        sys.exit("compile of second.gate failed")
    sizes = {n: os.path.getsize(os.path.join(scratch, "templates", n))
             for n in json_names(os.path.join(scratch, "templates"))}
    if sizes["aws-s3-bucket.json"] <= WRITE_LIMIT or \
            max(v for n, v in sizes.items() if n != "aws-s3-bucket.json") >= WRITE_LIMIT:
        sys.exit(f"template sizes do not fit the write limit {WRITE_LIMIT}: {sizes}")

    for name, first in (("stopped", True), ("stopped-fresh", False)):
        outdir = os.path.join(work, name)
        if first:
            compiled(outdir)
        result = compile_policy("second.gate", outdir, WRITE_LIMIT)
        if result.returncode != -signal.SIGXFSZ:
            failures.append(f"{name}: exit status {result.returncode}, expected SIGXFSZ")
        templates = os.path.join(outdir, "templates")
        if not os.path.isfile(os.path.join(outdir, "manifest.json")):
            failures.append(f"{name}: no manifest.json after the stop")
            continue
        names, _ = listed(outdir)
        for file_name in json_names(templates):
            if file_name not in names:
                failures.append(f"{name}: {file_name} is not listed after the stop")
            try:
                with open(os.path.join(templates, file_name)) as f:
                    json.load(f)
            except ValueError as error:
                failures.append(f"{name}: {file_name} is not whole after the stop: {error}")
        if "aws-iam-group.json" not in json_names(templates):
            failures.append(f"{name}: the stop came before the first new template")

        result = compile_policy("second.gate", outdir)
        if result.returncode != 0:
            failures.append(f"{name}: the compilation after the stop failed: {result.stderr}")
            continue
        check_exact(name, outdir)
        with open(os.path.join(templates, "aws-s3-bucket.json"), "rb") as f, \
                open(os.path.join(scratch, "templates", "aws-s3-bucket.json"), "rb") as g:
            if f.read() != g.read():
                failures.append(f"{name}: the S3 bucket template differs from a clean compile")


def main():
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    write(os.path.join(work, "first.gate"), FIRST)
    write(os.path.join(work, "second.gate"), SECOND)
    check_rejections()
    check_recompile()
    check_stop_halfway()
    for failure in failures:
        print(failure)
    return 1 if failures else 0


sys.exit(main())
