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
- Each manifest entry records the SHA-256 of its template. A listed file
  with other bytes (a file put under the name of a template that a stopped
  compilation never wrote) is an error and stays.
- A compilation stopped while it writes the templates leaves the folder as
  it was; one killed while it renames them leaves every .json file whole
  and listed. The next compilation succeeds either way.
- A file put in templates/ after the checks, under a new template's name
  or in place of a template to replace or remove, stays (with strace, which
  slows the renames down so that the file comes in between).
- A templates/ folder that cannot be written and a write that fails leave
  manifest.json and the templates unchanged.
- Messages escape control characters of file names, and a manifest cut
  short is an "unexpected end of text" at its line and column.
- --emit-c DIR follows the same rules: no link is followed, a file that
  does not start with the comment of generated files is neither replaced
  nor removed, and a generated file is replaced.

usage: output_folder.py CFGATE SCHEMAS WORKDIR
"""

import fcntl
import hashlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time

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


def compile_command(policy, outdir, emit_c=None):
    return [cfgate, "compile", os.path.join(work, policy), "--schemas", schemas, "-o", outdir] + \
        (["--emit-c", emit_c] if emit_c else [])


def compile_policy(policy, outdir, limit=None, emit_c=None, ignore_limit=False):
    def lower_limit():
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        if ignore_limit:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    return subprocess.run(compile_command(policy, outdir, emit_c), capture_output=True, text=True,
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

    def other_manifest_types(outdir):
        write(os.path.join(outdir, "manifest.json"), '{"name": "web app", "types": []}\n')
    expect_rejected("other-manifest-types", other_manifest_types,
                    "other-manifest-types/manifest.json: error: not a manifest written by cfgate "
                    "compile: it lacks a member that every cfgate manifest has (cfgateVersion, "
                    "sources, types, denied and placeholders)")

    def extra_member(outdir):
        compiled(outdir)
        path = os.path.join(outdir, "manifest.json")
        with open(path) as f:
            manifest = json.load(f)
        manifest["license"] = "keep me"
        write(path, json.dumps(manifest))
    expect_rejected("extra-member", extra_member,
                    "extra-member/manifest.json: error: not a manifest written by cfgate "
                    "compile: it has top-level members that cfgate does not write")

    def no_digest(outdir):
        compiled(outdir)
        path = os.path.join(outdir, "manifest.json")
        with open(path) as f:
            manifest = json.load(f)
        del manifest["types"][0]["templateSha256"]
        write(path, json.dumps(manifest))
    expect_rejected("no-digest", no_digest,
                    "no-digest/manifest.json: error: not a manifest written by cfgate compile: "
                    "line 1, column ")
    expect_rejected("no-digest-message", no_digest,
                    "an entry has no templateSha256 (cfgate compile records one for every template)")

    def locked(outdir):
        compiled(outdir)
    outdir = os.path.join(work, "locked")
    locked(outdir)
    holder = os.open(outdir, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(holder, fcntl.LOCK_EX)
    before = snapshot(outdir)
    result = compile_policy("first.gate", outdir)
    os.close(holder)
    if result.returncode != 2 or "another cfgate compile is writing this folder" not in result.stderr:
        failures.append(f"locked: exit status {result.returncode}, expected 2 with the lock "
                        f"message: {result.stderr!r}")
    if snapshot(outdir) != before:
        failures.append("locked: the files changed")
    if compile_policy("first.gate", outdir).returncode != 0:
        failures.append("locked: the compile after the lock ended failed")

    def template_link(outdir):
        compiled(outdir)
        queue = os.path.join(outdir, "templates", "aws-sqs-queue.json")
        os.remove(queue)
        os.symlink(os.path.join(victim, "important.json"), queue)
    expect_rejected("template-link", template_link,
                    "template-link/templates/aws-sqs-queue.json: error: a symbolic link, not a "
                    "template file that cfgate wrote", (victim,))


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def check_exact(name, outdir):
    names, manifest = listed(outdir)
    found = json_names(os.path.join(outdir, "templates"))
    if found != names:
        failures.append(f"{name}: templates/ holds {found}, the manifest lists {names}")
    for entry in manifest["types"]:
        path = os.path.join(outdir, entry["template"])
        if os.path.isfile(path) and entry.get("templateSha256") != digest(path):
            failures.append(f"{name}: {entry['template']} has another digest than its entry")
    return manifest


def visible(path):
    """snapshot() without the hidden files a stopped compilation leaves."""
    return {k: v for k, v in snapshot(path).items() if not os.path.basename(k).startswith(".")}


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

    # Stopped while it writes the hidden files of the templates: the large
    # S3 bucket template passes the limit after the small ones were written.
    for name, first in (("stopped", True), ("stopped-fresh", False)):
        outdir = os.path.join(work, name)
        if first:
            compiled(outdir)
        before = visible(outdir)
        result = compile_policy("second.gate", outdir, WRITE_LIMIT)
        if result.returncode != -signal.SIGXFSZ:
            failures.append(f"{name}: exit status {result.returncode}, expected SIGXFSZ")
        if not first:  # the compilation created templates/ first
            before[os.path.join(outdir, "templates")] = "folder"
        if visible(outdir) != before:
            failures.append(f"{name}: the stopped compilation changed the folder")
        if not [n for n in os.listdir(os.path.join(outdir, "templates")) if n.endswith(".tmp")]:
            failures.append(f"{name}: the stop came before the first hidden file")
        recompiled(name, outdir, scratch)

    # The same failure with SIGXFSZ ignored: write() fails with EFBIG, the
    # compilation reports it and removes its hidden files.
    outdir = os.path.join(work, "too-large")
    compiled(outdir)
    before = snapshot(outdir)
    result = compile_policy("second.gate", outdir, WRITE_LIMIT, ignore_limit=True)
    if result.returncode != 2 or "error: cannot write: File too large; nothing was written" \
            not in result.stderr:
        failures.append(f"too-large: exit status {result.returncode}: {result.stderr!r}")
    if snapshot(outdir) != before:
        failures.append("too-large: the failed compilation changed the folder")


def recompiled(name, outdir, scratch):
    """Compiles second.gate into outdir after a stop and compares it with a
    clean compilation."""
    result = compile_policy("second.gate", outdir)
    if result.returncode != 0:
        failures.append(f"{name}: the compilation after the stop failed: {result.stderr}")
        return
    check_exact(name, outdir)
    for file_name in ("aws-s3-bucket.json", "aws-iam-group.json"):
        if digest(os.path.join(outdir, "templates", file_name)) != \
                digest(os.path.join(scratch, "templates", file_name)):
            failures.append(f"{name}: {file_name} differs from a clean compile")


def strace_run(command, inject, calls="renameat2"):
    """Runs command under strace with inject (an -e inject=... value) on
    calls. LeakSanitizer cannot run under ptrace, so a sanitizer build runs
    without leak checks here."""
    options = os.environ.get("ASAN_OPTIONS", "")
    env = dict(os.environ, ASAN_OPTIONS=(options + ":" if options else "") + "detect_leaks=0")
    return subprocess.run(["strace", "-f", "-o", "/dev/null", "-e", "trace=" + calls,
                           "-e", "inject=" + inject] + command, capture_output=True, text=True,
                          env=env)


def check_killed_while_renaming():
    """Kills a compilation at its third rename: after the manifest that lists
    the old and the new templates, before every template is in place. The
    folder's .json files must be whole and listed. A file put under the name
    of a template not written yet must stay, because its bytes are not the
    ones the manifest records."""
    scratch = os.path.join(work, "scratch")
    outdir = os.path.join(work, "killed")
    compiled(outdir)
    result = strace_run(compile_command("second.gate", outdir),
                        "renameat2:signal=SIGKILL:when=3")
    names, manifest = listed(outdir)
    missing = [n for n in names if not os.path.exists(os.path.join(outdir, "templates", n))]
    if "aws-iam-group.json" not in names or not missing:
        failures.append(f"killed: the kill did not come between the manifests: {names}, "
                        f"missing {missing}, {result.stderr[-300:]!r}")
        return
    for file_name in json_names(os.path.join(outdir, "templates")):
        if file_name not in names:
            failures.append(f"killed: {file_name} is not listed after the kill")

    mine = os.path.join(outdir, "templates", missing[0])
    write(mine, '{"mine": "user data"}\n')
    for policy in ("first.gate", "second.gate"):
        result = compile_policy(policy, outdir)
        expected = (f"killed/templates/{missing[0]}: error: not the file cfgate wrote (its "
                    "SHA-256 differs from the templateSha256 that")
        if result.returncode != 2 or expected not in result.stderr:
            failures.append(f"killed: {policy}: exit status {result.returncode}, expected 2 "
                            f"with {expected!r}: {result.stderr!r}")
    with open(mine) as f:
        if f.read() != '{"mine": "user data"}\n':
            failures.append(f"killed: {missing[0]} was replaced")
    os.remove(mine)
    recompiled("killed", outdir, scratch)


def race(name, first, policy, victim, replace):
    """Compiles first into work/NAME, then policy with every rename and
    unlink delayed by a second. Once the compilation has written a hidden
    file in templates/, so its checks are done, puts a file of its own at
    templates/VICTIM (replace: in place of the file there). The compilation
    must fail and the file stay."""
    outdir = os.path.join(work, name)
    if compile_policy(first, outdir).returncode != 0:
        sys.exit(f"compile of {first} failed")
    templates = os.path.join(outdir, "templates")
    path = os.path.join(templates, victim)
    mine = '{"mine": "written after the check"}\n'

    def put_file():
        deadline = time.monotonic() + 20
        while not [n for n in os.listdir(templates) if n.endswith(".tmp")]:
            if time.monotonic() > deadline:
                return
            time.sleep(0.01)
        if replace and os.path.exists(path):
            os.remove(path)
        write(path, mine)
    thread = threading.Thread(target=put_file)
    thread.start()
    result = strace_run(compile_command(policy, outdir), "all:delay_enter=1000000",
                        "renameat,renameat2,unlinkat")
    thread.join()
    expected = f"{name}/templates/{victim}: error: not "
    if result.returncode != 2 or expected not in result.stderr or \
            "cfgate did not write it" not in result.stderr:
        failures.append(f"{name}: exit status {result.returncode}, expected 2 with "
                        f"{expected!r}: {result.stderr!r}")
    if not os.path.exists(path):
        failures.append(f"{name}: the file put there after the check was removed")
        return
    with open(path) as f:
        if f.read() != mine:
            failures.append(f"{name}: the file put there after the check was changed")


def check_races():
    if not shutil.which("strace"):
        print("strace not found: the checks of files put in place during a compilation "
              "did not run")
        return
    check_killed_while_renaming()
    # A new template's name taken after the check.
    race("race-new", "third.gate", "fourth.gate", "aws-sqs-queue.json", False)
    # A listed template replaced after the check, before it is replaced.
    race("race-replace", "fourth.gate", "fourth.gate", "aws-sqs-queue.json", True)
    # A stale template replaced after the check, before it is removed.
    race("race-remove", "fourth.gate", "fifth.gate", "aws-sns-topic.json", True)


def check_messages():
    outdir = os.path.join(work, "cut")
    compiled(outdir)
    write(os.path.join(outdir, "manifest.json"), '{"types":[')
    result = compile_policy("first.gate", outdir)
    expected = ("cut/manifest.json: error: not a manifest written by cfgate compile: line 1, "
                "column 11: unexpected end of text")
    if result.returncode != 2 or expected not in result.stderr:
        failures.append(f"cut: expected {expected!r}: {result.stderr!r}")

    outdir = os.path.join(work, "bad-digest")
    compiled(outdir)
    with open(os.path.join(outdir, "manifest.json")) as f:
        text = f.read()
    write(os.path.join(outdir, "manifest.json"),
          text.replace('"templateSha256": "', '"templateSha256": "X', 1))
    result = compile_policy("first.gate", outdir)
    if result.returncode != 2 or \
            "line 10, column 25: a template digest is not 64 lowercase hexadecimal digits" not in result.stderr:
        failures.append(f"bad-digest: exit status {result.returncode}: {result.stderr!r}")

    for name, file_name, shown in (("newline", "app\nstack.json", "app\\x0astack.json"),
                                   ("escape", "x\x1b[31mRED.json", "x\\x1b[31mRED.json")):
        outdir = os.path.join(work, name)
        write(os.path.join(outdir, "templates", file_name), "{}")
        result = compile_policy("first.gate", outdir)
        if result.returncode != 2 or f"templates/{shown}: error: not written by cfgate" \
                not in result.stderr or "\x1b" in result.stderr or \
                result.stderr.count("\n") != 1:
            failures.append(f"{name}: the file name is not escaped: {result.stderr!r}")


def check_read_only_templates():
    """templates/ that cannot be written: the error names the folder and
    manifest.json stays as it was (as user 65534 when run as root, because
    file modes do not stop root)."""
    outdir = os.path.join(work, "read-only")
    compiled(outdir)
    templates = os.path.join(outdir, "templates")
    user = None
    if os.geteuid() == 0:
        user = 65534
        for root, dirs, files in os.walk(work):
            for item in [root] + [os.path.join(root, n) for n in files]:
                os.chown(item, user, user)
    os.chmod(templates, 0o555)
    before = snapshot(outdir)

    def drop():
        if user is not None:
            os.setgid(user)
            os.setuid(user)
    result = subprocess.run(compile_command("second.gate", outdir), capture_output=True,
                            text=True, preexec_fn=drop)
    os.chmod(templates, 0o755)
    expected = "read-only/templates: error: cannot create a file in this folder: Permission " \
        "denied; nothing was written"
    if result.returncode != 2 or expected not in result.stderr:
        failures.append(f"read-only: expected {expected!r}: {result.stderr!r}")
    if snapshot(outdir) != before:
        failures.append("read-only: the failed compilation changed the folder")


def check_emit_c():
    outdir, emit = os.path.join(work, "emit-out"), os.path.join(work, "emit")
    victim = os.path.join(work, "emit-victim.txt")
    write(victim, "important\n")
    os.makedirs(emit)
    os.symlink(victim, os.path.join(emit, "cfgate_policy.h"))
    result = compile_policy("third.gate", outdir, emit_c=emit)
    if result.returncode != 2 or "emit/cfgate_policy.h: a symbolic link, not a file that " \
            "cfgate wrote" not in result.stderr:
        failures.append(f"emit-link: exit status {result.returncode}: {result.stderr!r}")
    with open(victim) as f:
        if f.read() != "important\n":
            failures.append("emit-link: the link's target was written")
    if sorted(os.listdir(emit)) != ["cfgate_policy.h"]:
        failures.append(f"emit-link: files were written: {os.listdir(emit)}")
    if os.path.exists(outdir):
        failures.append("emit-link: the -o folder was written although --emit-c failed")
    os.remove(os.path.join(emit, "cfgate_policy.h"))

    mine = os.path.join(emit, "cfgate_policy_registry.c")
    write(mine, "/* my own registry */\n")
    result = compile_policy("third.gate", outdir, emit_c=emit)
    if result.returncode != 2 or "emit/cfgate_policy_registry.c: not written by cfgate" \
            not in result.stderr:
        failures.append(f"emit-mine: exit status {result.returncode}: {result.stderr!r}")
    with open(mine) as f:
        if f.read() != "/* my own registry */\n":
            failures.append("emit-mine: the hand-written file was replaced")
    os.remove(mine)

    for step in ("first", "second"):
        result = compile_policy("third.gate", outdir, emit_c=emit)
        if result.returncode != 0:
            failures.append(f"emit-{step}: exit status {result.returncode}: {result.stderr!r}")
    found = sorted(os.listdir(emit))
    if found != ["cfgate_policy.h", "cfgate_policy_AWS__SNS__Topic.c", "cfgate_policy_registry.c"]:
        failures.append(f"emit: the folder holds {found}")

    # A type the policy no longer allows loses its generated file; a
    # hand-written file with a name of the same shape stays.
    own = os.path.join(emit, "cfgate_policy_extra.c")
    write(own, "/* helpers written by hand */\n")
    # A copy of a generated file, renamed and edited by hand, keeps the
    # generator's first line: the registry does not list it, so it stays.
    with open(os.path.join(emit, "cfgate_policy_registry.c")) as f:
        marker = f.readline()
    mine = os.path.join(emit, "cfgate_policy_mine.c")
    write(mine, marker + "/* edited by hand */\n")
    for policy, expected in (("fourth.gate", ["cfgate_policy.h", "cfgate_policy_AWS__SNS__Topic.c",
                                              "cfgate_policy_AWS__SQS__Queue.c",
                                              "cfgate_policy_extra.c", "cfgate_policy_mine.c",
                                              "cfgate_policy_registry.c"]),
                             ("fifth.gate", ["cfgate_policy.h", "cfgate_policy_AWS__SQS__Queue.c",
                                             "cfgate_policy_extra.c", "cfgate_policy_mine.c",
                                             "cfgate_policy_registry.c"])):
        result = compile_policy(policy, outdir, emit_c=emit)
        found = sorted(os.listdir(emit))
        if result.returncode != 0 or found != expected:
            failures.append(f"emit-stale: {policy}: exit status {result.returncode}, the folder "
                            f"holds {found}, expected {expected}: {result.stderr!r}")
    with open(own) as f:
        if f.read() != "/* helpers written by hand */\n":
            failures.append("emit-stale: the hand-written file changed")

    # When the -o folder is rejected, the --emit-c folder keeps its files.
    project = os.path.join(work, "emit-project")
    write(os.path.join(project, "templates", "app-stack.json"), "{}\n")
    before = snapshot(emit)
    result = compile_policy("third.gate", project, emit_c=emit)
    if result.returncode != 2 or "not written by cfgate" not in result.stderr:
        failures.append(f"emit-after-o: exit status {result.returncode}: {result.stderr!r}")
    if snapshot(emit) != before:
        failures.append("emit-after-o: the --emit-c folder changed although -o failed")

    # A folder that the failed compile created for --emit-c is removed.
    fresh = os.path.join(work, "emit-fresh")
    result = compile_policy("third.gate", project, emit_c=fresh)
    if result.returncode != 2 or os.path.exists(fresh):
        failures.append(f"emit-fresh: exit status {result.returncode}, the folder exists: "
                        f"{os.path.exists(fresh)}")


def main():
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    write(os.path.join(work, "first.gate"), FIRST)
    write(os.path.join(work, "second.gate"), SECOND)
    write(os.path.join(work, "third.gate"), "type AWS::SNS::Topic { * }\n")
    write(os.path.join(work, "fourth.gate"),
          "type AWS::SNS::Topic { * }\ntype AWS::SQS::Queue { * }\n")
    write(os.path.join(work, "fifth.gate"), "type AWS::SQS::Queue { * }\n")
    check_rejections()
    check_recompile()
    check_stop_halfway()
    check_races()
    check_messages()
    check_emit_c()
    check_read_only_templates()
    for failure in failures:
        print(failure)
    return 1 if failures else 0


sys.exit(main())
