"""Checks the approval step of `cfgate compile -o OUTDIR` into a folder
written before, with the real provider schemas and a copy that this test
changes the way AWS changes a schema:

- A property added under a property listed without children, under
  `{ * }` and inside a definition reached by $ref is listed with the
  file:line:col of the rule that admits it. The compile exits 3 and leaves
  OUTDIR and the --emit-c folder unchanged.
- A property added to a recursive definition is listed once, at the
  shortest path.
- A new enum value, a looser bound, a new type, a changed pattern, a
  property no longer required and a new map key pattern are listed too.
- A policy constraint that still rejects the new value, and a rule that
  lists the children of a level, hide what they reject.
- Going back to the old snapshot lists only the changed pattern, which may
  match more in either direction.
- --accept-new-properties writes the templates and still lists the
  findings. The next compile with the same snapshot lists nothing.
- A type that the policy newly allows, and a policy change under the same
  snapshot, list nothing: the team wrote those rules.
- A template removed from the folder is reported as not compared, unless
  the snapshot is the one the manifest records.
- `cfgate check` and `cfgate hook` with .gate files follow the snapshot
  given. With --baseline DIR they reject a policy that admits what DIR's
  templates reject, listing the findings, and a DIR compiled from other
  policy files or without a template for a type the policy allows.
- A change inside an anyOf or oneOf branch (a new enum value, a looser
  maxLength, a new type, a looser bound of a property inside a branch) is
  listed with the branch. A branch added to an anyOf is listed as one
  finding, and a oneOf branch that gets narrower too, since a value that
  matched it and another branch may pass now.
- Tuple items (an items array) are compared position by position: a new
  position is listed. A provider tuple that drops additionalItems: false
  lists nothing, because the template closes every tuple.
- A looser then branch of an if/then/else is listed with the branch.
- Every type of the snapshot compiled with `{ * }`, then again from a copy
  whose files differ only in their bytes (so every template is compared),
  lists nothing.

usage: new_properties.py CFGATE SCHEMAS WORKDIR
"""

import glob
import json
import os
import shutil
import subprocess
import sys

cfgate, schemas, work = sys.argv[1:4]
failures = []

GATED = """type AWS::SQS::Queue { * }
type AWS::S3::Bucket {
  PublicAccessBlockConfiguration
  BucketEncryption
  Tags
}
type AWS::Lambda::Function {
  Environment
  Handler
  Role
  Code
}
"""

# A constraint that rejects the new SSEAlgorithm value, and a rule that
# lists the children of ServerSideEncryptionByDefault, so NewAlgoOpt stays
# denied.
CONSTRAINED = """type AWS::S3::Bucket {
  PublicAccessBlockConfiguration
  BucketEncryption.ServerSideEncryptionConfiguration[].ServerSideEncryptionByDefault.SSEAlgorithm in ["aws:kms", "AES256"]
}
"""

# Each expected line of the gated policy against the changed snapshot.
GATED_FINDINGS = [
    "gated.gate:1:24: {s}: AWS::SQS::Queue /NewFeature: new property [new-property]",
    "gated.gate:1:24: {s}: AWS::SQS::Queue /DelaySeconds: new type \"string\" [wider-constraint]",
    "gated.gate:3:3: {s}: AWS::S3::Bucket /PublicAccessBlockConfiguration/NewBlock: "
    "new property [new-property]",
    "gated.gate:4:3: {s}: AWS::S3::Bucket /BucketEncryption/ServerSideEncryptionConfiguration/*/"
    "ServerSideEncryptionByDefault/NewAlgoOpt: new property [new-property]",
    "gated.gate:4:3: {s}: AWS::S3::Bucket /BucketEncryption/ServerSideEncryptionConfiguration/*/"
    "ServerSideEncryptionByDefault/SSEAlgorithm: new value \"aws:new\" [wider-constraint]",
    "gated.gate:5:3: {s}: AWS::S3::Bucket /Tags/*/Key: maxLength 256, where the old template "
    "had 128 [wider-constraint]",
    "gated.gate:5:3: {s}: AWS::S3::Bucket /Tags/*: property \"Value\" is no longer required "
    "[wider-constraint]",
    "gated.gate:8:3: {s}: AWS::Lambda::Function /Environment/Variables/*: new map key pattern "
    "\"^x-[a-z]+$\" [new-property]",
    "gated.gate:9:3: {s}: AWS::Lambda::Function /Handler: the pattern \"^[^\\\\s]+$\" of the old "
    "template is gone or changed [wider-constraint]",
]


def write(path, text):
    with open(path, "w") as f:
        f.write(text)


def load_schema(name):
    with open(os.path.join(schemas, name)) as f:
        return json.load(f)


def changed_snapshot(folder):
    """Writes the provider schemas of the gated types with changes of the
    kinds AWS makes: new properties, a new enum value, looser limits."""
    os.makedirs(folder)
    queue = load_schema("aws-sqs-queue.json")
    queue["properties"]["NewFeature"] = {"type": "string"}
    queue["properties"]["DelaySeconds"]["type"] = ["integer", "string"]

    bucket = load_schema("aws-s3-bucket.json")
    definitions = bucket["definitions"]
    definitions["PublicAccessBlockConfiguration"]["properties"]["NewBlock"] = {"type": "boolean"}
    by_default = definitions["ServerSideEncryptionByDefault"]["properties"]
    by_default["NewAlgoOpt"] = {"type": "string"}
    by_default["SSEAlgorithm"]["enum"].append("aws:new")
    definitions["Tag"]["properties"]["Key"]["maxLength"] = 256
    definitions["Tag"]["required"] = ["Key"]

    function = load_schema("aws-lambda-function.json")
    variables = function["definitions"]["Environment"]["properties"]["Variables"]
    variables["patternProperties"]["^x-[a-z]+$"] = {"type": "string"}
    function["properties"]["Handler"]["pattern"] = "^.+$"

    # A definition that reaches itself: Statement, AndStatement.Statements[].
    # Rules[].Statement and four other places refer to Statement.
    rule_group = load_schema("aws-wafv2-rulegroup.json")
    rule_group["definitions"]["AndStatement"]["properties"]["NewMatch"] = {"type": "string"}
    rule_group["definitions"]["Statement"]["properties"]["NewStmt"] = {"type": "string"}

    for name, schema in (("aws-sqs-queue.json", queue), ("aws-s3-bucket.json", bucket),
                         ("aws-lambda-function.json", function),
                         ("aws-wafv2-rulegroup.json", rule_group)):
        write(os.path.join(folder, name), json.dumps(schema, indent=1))


def original_snapshot(folder):
    """Copies the provider schemas of the gated types unchanged."""
    os.makedirs(folder)
    for name in ("aws-sqs-queue.json", "aws-s3-bucket.json", "aws-lambda-function.json",
                 "aws-wafv2-rulegroup.json"):
        shutil.copy(os.path.join(schemas, name), folder)


def files_of(path):
    found = {}
    for root, dirs, files in os.walk(path):
        for name in files:
            full = os.path.join(root, name)
            with open(full, "rb") as f:
                found[full] = f.read()
    return found


def compile_policy(policy, snapshot, outdir, *extra):
    return subprocess.run([cfgate, "compile", policy, "--schemas", snapshot, "-o", outdir] +
                          list(extra), capture_output=True, text=True, cwd=work)


def expect(name, result, status, lines, strict=True):
    """Checks the exit status and that standard error lists lines (and,
    when strict, no other finding)."""
    if result.returncode != status:
        failures.append(f"{name}: exit status {result.returncode}, expected {status}: "
                        f"{result.stderr}")
    found = [line for line in result.stderr.splitlines()
             if line.endswith("[new-property]") or line.endswith("[wider-constraint]")]
    for line in lines:
        if line not in found:
            failures.append(f"{name}: standard error lacks {line!r}: {result.stderr!r}")
    if strict:
        for line in found:
            if line not in lines:
                failures.append(f"{name}: unexpected finding {line!r}")


def test_gated(old_snapshot, new_snapshot):
    write(os.path.join(work, "gated.gate"), GATED)
    outdir, emit = os.path.join(work, "gated-out"), os.path.join(work, "gated-c")
    result = compile_policy("gated.gate", old_snapshot, outdir, "--emit-c", emit)
    expect("first compile", result, 0, [])

    before = (files_of(outdir), files_of(emit))
    result = compile_policy("gated.gate", new_snapshot, outdir, "--emit-c", emit)
    expect("changed snapshot", result, 3, [f.format(s="error") for f in GATED_FINDINGS])
    summary = (f"{outdir}: error: the new templates admit {len(GATED_FINDINGS)} properties or "
               "values that the templates in this folder reject, listed above: review them, then "
               "compile again with --accept-new-properties to write them; nothing was written")
    if summary not in result.stderr:
        failures.append(f"changed snapshot: standard error lacks {summary!r}: {result.stderr!r}")
    if (files_of(outdir), files_of(emit)) != before:
        failures.append("changed snapshot: the output folders changed")

    result = compile_policy("gated.gate", new_snapshot, outdir, "--emit-c", emit,
                            "--accept-new-properties")
    expect("accepted", result, 0, [f.format(s="warning") for f in GATED_FINDINGS])
    with open(os.path.join(outdir, "templates", "aws-s3-bucket.json")) as f:
        bucket = json.load(f)
    if "NewBlock" not in bucket["definitions"]["PublicAccessBlockConfiguration"]["properties"]:
        failures.append("accepted: the bucket template does not admit NewBlock")

    result = compile_policy("gated.gate", new_snapshot, outdir, "--emit-c", emit)
    expect("after acceptance", result, 0, [])

    # Back to the original snapshot: the removed properties admit nothing
    # new, but a changed pattern may match more in either direction.
    result = compile_policy("gated.gate", old_snapshot, outdir)
    expect("snapshot rolled back", result, 3, [
        "gated.gate:9:3: error: AWS::Lambda::Function /Handler: the pattern \"^.+$\" of the old "
        "template is gone or changed [wider-constraint]"])


def test_constrained(old_snapshot, new_snapshot):
    write(os.path.join(work, "constrained.gate"), CONSTRAINED)
    outdir = os.path.join(work, "constrained-out")
    expect("constrained first", compile_policy("constrained.gate", old_snapshot, outdir), 0, [])
    result = compile_policy("constrained.gate", new_snapshot, outdir)
    expect("constrained", result, 3, [
        "constrained.gate:2:3: error: AWS::S3::Bucket /PublicAccessBlockConfiguration/NewBlock: "
        "new property [new-property]"])


def test_recursive(old_snapshot, new_snapshot):
    """A property added to a recursive definition is listed once, at the
    shortest path that reaches it, however many places refer to it."""
    write(os.path.join(work, "recursive.gate"), "type AWS::WAFv2::RuleGroup {\n  Rules\n"
          "  Scope\n  Capacity\n  VisibilityConfig\n}\n")
    outdir = os.path.join(work, "recursive-out")
    expect("recursive first", compile_policy("recursive.gate", old_snapshot, outdir), 0, [])
    result = compile_policy("recursive.gate", new_snapshot, outdir)
    expect("recursive", result, 3, [
        "recursive.gate:2:3: error: AWS::WAFv2::RuleGroup /Rules/*/Statement/AndStatement/"
        "NewMatch: new property [new-property]",
        "recursive.gate:2:3: error: AWS::WAFv2::RuleGroup /Rules/*/Statement/NewStmt: "
        "new property [new-property]"])

    write(os.path.join(work, "recursive-all.gate"), "type AWS::WAFv2::RuleGroup { * }\n")
    outdir = os.path.join(work, "recursive-all-out")
    expect("recursive, all first", compile_policy("recursive-all.gate", old_snapshot, outdir),
           0, [])
    result = compile_policy("recursive-all.gate", new_snapshot, outdir)
    expect("recursive, all", result, 3, [
        "recursive-all.gate:1:30: error: AWS::WAFv2::RuleGroup /Rules/*/Statement/AndStatement/"
        "NewMatch: new property [new-property]",
        "recursive-all.gate:1:30: error: AWS::WAFv2::RuleGroup /Rules/*/Statement/NewStmt: "
        "new property [new-property]"])
    if "2 properties or values" not in result.stderr:
        failures.append(f"recursive, all: the summary does not count 2: {result.stderr}")


def test_policy_changes(new_snapshot):
    # The queue is denied, then allowed whole: a newly allowed type.
    write(os.path.join(work, "before.gate"), "type AWS::SQS::Queue\n"
          "type AWS::S3::Bucket { PublicAccessBlockConfiguration.BlockPublicAcls }\n")
    write(os.path.join(work, "after.gate"), "type AWS::SQS::Queue { * }\n"
          "type AWS::S3::Bucket { PublicAccessBlockConfiguration }\n")
    outdir = os.path.join(work, "policy-change-out")
    expect("policy before", compile_policy("before.gate", new_snapshot, outdir), 0, [])
    expect("policy after", compile_policy("after.gate", new_snapshot, outdir), 0, [])


def test_missing_template(old_snapshot, new_snapshot):
    """A template removed from the folder cannot be compared: that fails
    too, unless the provider schema is the one the manifest records."""
    write(os.path.join(work, "queue.gate"), "type AWS::SQS::Queue { * }\n")
    outdir = os.path.join(work, "missing-out")
    expect("missing first", compile_policy("queue.gate", old_snapshot, outdir), 0, [])
    template = os.path.join(outdir, "templates", "aws-sqs-queue.json")
    os.remove(template)
    result = compile_policy("queue.gate", new_snapshot, outdir)
    expect("missing template", result, 3, [
        f"queue.gate:1:6: error: AWS::SQS::Queue: not compared: the old template {template} is "
        "missing [new-property]"])
    if os.path.exists(template):
        failures.append("missing template: the template was written")
    expect("missing, same snapshot", compile_policy("queue.gate", old_snapshot, outdir), 0, [])
    if not os.path.exists(template):
        failures.append("missing, same snapshot: the template was not written")


QUEUE_TEMPLATE = """Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      NewFeature: x
"""

QUEUE_EVENT = {
    "clientRequestToken": "7f8e2a10-0001-4c1e-9a7b-1d2e3f405001",
    "awsAccountId": "123456789012",
    "stackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/app/"
               "5b2c3e40-8f1a-11ef-9a3c-0affd3c2b1e1",
    "actionInvocationPoint": "CREATE_PRE_PROVISION",
    "requestData": {"targetName": "AWS::SQS::Queue", "targetType": "RESOURCE",
                    "targetLogicalId": "Queue",
                    "targetModel": {"resourceProperties": {"NewFeature": "x"}}},
}


def test_baseline(old_snapshot, new_snapshot):
    """check and hook with .gate files and --baseline DIR reject a policy
    that admits what DIR's templates reject, and without --baseline they
    follow the snapshot given."""
    write(os.path.join(work, "queue.gate"), "type AWS::SQS::Queue { * }\n")
    write(os.path.join(work, "queue.yaml"), QUEUE_TEMPLATE)
    write(os.path.join(work, "queue.event.json"), json.dumps(QUEUE_EVENT))
    baseline = os.path.join(work, "baseline-out")
    expect("baseline first", compile_policy("queue.gate", old_snapshot, baseline), 0, [])
    findings = ["queue.gate:1:24: error: AWS::SQS::Queue /NewFeature: new property [new-property]",
                "queue.gate:1:24: error: AWS::SQS::Queue /DelaySeconds: new type \"string\" "
                "[wider-constraint]"]

    def run(*args):
        return subprocess.run([cfgate] + list(args), capture_output=True, text=True, cwd=work)

    result = run("check", "--policy", "queue.gate", "--schemas", new_snapshot, "queue.yaml")
    expect("check without baseline", result, 0, [])

    result = run("check", "--policy", "queue.gate", "--schemas", new_snapshot, "--baseline",
                 baseline, "queue.yaml")
    expect("check with baseline", result, 2, findings)
    if "summary:" in result.stdout:
        failures.append(f"check with baseline: templates were checked: {result.stdout!r}")

    result = run("check", "--policy", "queue.gate", "--schemas", old_snapshot, "--baseline",
                 baseline, "queue.yaml")
    expect("check with baseline, same snapshot", result, 1, [])
    if "property \"NewFeature\" is not allowed" not in result.stdout:
        failures.append(f"check with baseline, same snapshot: no violation: {result.stdout!r}")

    result = run("check", "--policy", baseline, "--baseline", baseline, "queue.yaml")
    expect("check baseline with folder", result, 2, [])
    if "--baseline applies to .gate policies only" not in result.stderr:
        failures.append(f"check baseline with folder: {result.stderr!r}")

    result = run("hook", "--policy", "queue.gate", "--schemas", new_snapshot, "--baseline",
                 baseline, "--event", "queue.event.json")
    response = json.loads(result.stdout or "{}")
    if response.get("hookStatus") != "FAILED" or response.get("errorCode") != "InternalFailure":
        failures.append(f"hook with baseline: response {result.stdout!r}")
    message = response.get("message", "")
    if "AWS::SQS::Queue /NewFeature: new property" not in message:
        failures.append(f"hook with baseline: message lacks the finding: {result.stdout!r}")
    if not message.startswith("the policy admits 2 properties or values that the templates "
                              f"in {baseline} reject"):
        failures.append(f"hook with baseline: message does not say what failed: {message!r}")
    if f"cfgate compile --accept-new-properties into {baseline}" not in message:
        failures.append(f"hook with baseline: message lacks how to approve: {message!r}")

    result = run("hook", "--policy", "queue.gate", "--schemas", new_snapshot, "--event",
                 "queue.event.json")
    if json.loads(result.stdout or "{}").get("hookStatus") != "SUCCESS":
        failures.append(f"hook without baseline: response {result.stdout!r}")


BRANCH_TYPES = {
    "aws-amazonmq-broker.json": "AWS::AmazonMQ::Broker",
    "aws-ecs-clustercapacityproviderassociations.json":
        "AWS::ECS::ClusterCapacityProviderAssociations",
    "aws-s3tables-table.json": "AWS::S3Tables::Table",
    "aws-cases-caserule.json": "AWS::Cases::CaseRule",
    "aws-docdb-globalcluster.json": "AWS::DocDB::GlobalCluster",
    "aws-lambda-function.json": "AWS::Lambda::Function",
    "aws-sqs-queue.json": "AWS::SQS::Queue",
}

# Each expected line of `{ * }` on the branch types against the changed
# snapshot.
BRANCH_FINDINGS = [
    "branches.gate:1:30: error: AWS::AmazonMQ::Broker /EngineType: new value \"KAFKA\" "
    "(in anyOf[0] at /EngineType) [wider-constraint]",
    "branches.gate:1:30: error: AWS::AmazonMQ::Broker /DeploymentMode: anyOf has 5 branches "
    "where the old template had 4, so they are not compared one by one and may admit more "
    "[wider-constraint]",
    "branches.gate:2:54: error: AWS::ECS::ClusterCapacityProviderAssociations /CapacityProviders/*: "
    "maxLength 4096, where the old template had 2048 (in anyOf[1] at /CapacityProviders/*) "
    "[wider-constraint]",
    "branches.gate:3:29: error: AWS::S3Tables::Table /IcebergMetadata/IcebergSchemaV2/SchemaV2FieldList/*/Type: "
    "new type \"number\" (in oneOf[0] at /IcebergMetadata/IcebergSchemaV2/SchemaV2FieldList/*/Type) "
    "[wider-constraint]",
    "branches.gate:4:29: error: AWS::Cases::CaseRule "
    "/Rule/Required/Conditions/*/EqualTo/OperandTwo/StringValue: maxLength 3000, where the old "
    "template had 1500 (in oneOf[0] at /Rule, oneOf[0] at /Rule/Required/Conditions/*, "
    "oneOf[0] at /Rule/Required/Conditions/*/EqualTo/OperandTwo) [wider-constraint]",
    "branches.gate:5:34: error: AWS::DocDB::GlobalCluster /SourceDBClusterIdentifier: the branch "
    "rejects values that it admitted, so a value that matched it and another branch, which the "
    "oneOf rejected, may pass now (in oneOf[1] at /SourceDBClusterIdentifier) [wider-constraint]",
    "branches.gate:6:30: error: AWS::Lambda::Function /Architectures/1: new tuple position "
    "[new-property]",
    "branches.gate:7:24: error: AWS::SQS::Queue /DelaySeconds: maximum 200, where the old "
    "template had 100 (in then at /DelaySeconds) [wider-constraint]",
]


def branch_snapshots(old_folder, new_folder):
    """Writes the branch types to old_folder, unchanged but for two tuples
    and an if/then/else, and to new_folder with one change of a branch or
    tuple in each."""
    os.makedirs(old_folder)
    os.makedirs(new_folder)
    old = {name: load_schema(name) for name in BRANCH_TYPES}

    # Tuples and if/then/else: the corpus has none, so both snapshots get
    # the same ones.
    function = old["aws-lambda-function.json"]["properties"]
    for name in ("Architectures", "Layers"):
        function[name]["items"] = [function[name]["items"]]
        function[name]["additionalItems"] = False
    delay = old["aws-sqs-queue.json"]["properties"]["DelaySeconds"]
    delay.update({"if": {"minimum": 10}, "then": {"maximum": 100}, "else": {"enum": [0, 5]}})
    new = json.loads(json.dumps(old))

    broker = new["aws-amazonmq-broker.json"]["properties"]
    broker["EngineType"]["anyOf"][0]["enum"].append("KAFKA")
    broker["DeploymentMode"]["anyOf"].append({"pattern": "^[Nn][Ee][Ww]$"})
    capacity = new["aws-ecs-clustercapacityproviderassociations.json"]["definitions"]
    capacity["CapacityProvider"]["anyOf"][1]["maxLength"] = 4096
    field = new["aws-s3tables-table.json"]["definitions"]["SchemaV2Field"]["properties"]
    field["Type"]["oneOf"][0]["type"] = ["string", "number"]
    operand = new["aws-cases-caserule.json"]["definitions"]["OperandTwo"]
    operand["oneOf"][0]["properties"]["StringValue"]["maxLength"] = 3000
    cluster = new["aws-docdb-globalcluster.json"]["properties"]["SourceDBClusterIdentifier"]
    cluster["oneOf"][1]["maxLength"] = 100
    function = new["aws-lambda-function.json"]["properties"]
    function["Architectures"]["items"].append({"type": "string"})
    del function["Layers"]["additionalItems"]
    new["aws-sqs-queue.json"]["properties"]["DelaySeconds"]["then"]["maximum"] = 200

    for name in BRANCH_TYPES:
        write(os.path.join(old_folder, name), json.dumps(old[name], indent=1))
        write(os.path.join(new_folder, name), json.dumps(new[name], indent=1))


def test_branches():
    """Changes inside anyOf, oneOf and if/then/else branches and at tuple
    positions are listed with the rule that admits them."""
    old_snapshot = os.path.join(work, "branches-old")
    new_snapshot = os.path.join(work, "branches-new")
    branch_snapshots(old_snapshot, new_snapshot)
    write(os.path.join(work, "branches.gate"),
          "".join(f"type {name} {{ * }}\n" for name in BRANCH_TYPES.values()))
    outdir = os.path.join(work, "branches-out")
    expect("branches first", compile_policy("branches.gate", old_snapshot, outdir), 0, [])
    result = compile_policy("branches.gate", new_snapshot, outdir)
    expect("branches", result, 3, BRANCH_FINDINGS)
    expect("branches, same snapshot", compile_policy("branches.gate", old_snapshot, outdir), 0,
           [])


def test_baseline_other_policy(old_snapshot, new_snapshot):
    """--baseline DIR compiled from another policy, or without a template
    for a type the policy allows, cannot compare that type, so check and
    hook fail with an error instead of admitting its new properties."""
    write(os.path.join(work, "function.gate"), "type AWS::Lambda::Function { * }\n")
    other = os.path.join(work, "other-policy-out")
    expect("other policy first", compile_policy("function.gate", old_snapshot, other), 0, [])
    os.makedirs(os.path.join(work, "renamed"))
    write(os.path.join(work, "renamed", "queue.gate"), "type AWS::Lambda::Function { * }\n")
    same_name = os.path.join(work, "same-name-out")
    expect("same file name first",
           compile_policy("renamed/queue.gate", old_snapshot, same_name), 0, [])
    both = os.path.join(work, "both-out")
    result = subprocess.run([cfgate, "compile", "queue.gate", "function.gate", "--schemas",
                             old_snapshot, "-o", both], capture_output=True, text=True, cwd=work)
    expect("two files first", result, 0, [])

    cases = [
        (other, f"{other}: error: the policy reads queue.gate, and manifest.json of this folder "
                "does not list a source of that file name, so the folder was compiled from "
                "another policy: pass the folder that cfgate compile wrote from this policy"),
        (same_name, f"{same_name}: error: the policy allows AWS::SQS::Queue, and this folder "
                    "has no template for it, so its new properties cannot be compared: compile "
                    "the policy into this folder with cfgate compile, then run again"),
        (both, f"{both}: error: manifest.json of this folder lists the source function.gate, "
               "which the policy does not read, so the folder was compiled from another "
               "policy: pass the folder that cfgate compile wrote from this policy"),
    ]
    for folder, message in cases:
        name = os.path.basename(folder)
        result = subprocess.run([cfgate, "check", "--policy", "queue.gate", "--schemas",
                                 new_snapshot, "--baseline", folder, "queue.yaml"],
                                capture_output=True, text=True, cwd=work)
        expect(f"check baseline {name}", result, 2, [])
        if message not in result.stderr.splitlines():
            failures.append(f"check baseline {name}: standard error lacks {message!r}: "
                            f"{result.stderr!r}")
        if "summary:" in result.stdout:
            failures.append(f"check baseline {name}: templates were checked: {result.stdout!r}")

        result = subprocess.run([cfgate, "hook", "--policy", "queue.gate", "--schemas",
                                 new_snapshot, "--baseline", folder, "--event",
                                 "queue.event.json"], capture_output=True, text=True, cwd=work)
        response = json.loads(result.stdout or "{}")
        if response.get("hookStatus") != "FAILED" or \
                response.get("errorCode") != "InternalFailure":
            failures.append(f"hook baseline {name}: response {result.stdout!r}")
        if message not in response.get("message", ""):
            failures.append(f"hook baseline {name}: message lacks {message!r}: "
                            f"{result.stdout!r}")


def test_whole_snapshot():
    names = [json.load(open(f))["typeName"] for f in sorted(glob.glob(os.path.join(schemas,
                                                                                   "*.json")))]
    write(os.path.join(work, "all.gate"), "".join(f"type {n} {{ * }}\n" for n in names))
    respaced = os.path.join(work, "respaced")
    os.makedirs(respaced)
    for path in glob.glob(os.path.join(schemas, "*.json")):
        with open(path, "rb") as f:
            text = f.read()
        with open(os.path.join(respaced, os.path.basename(path)), "wb") as f:
            f.write(text + b"\n")
    outdir = os.path.join(work, "all-out")
    expect("all types first", compile_policy("all.gate", schemas, outdir), 0, [])
    result = compile_policy("all.gate", respaced, outdir)
    expect("all types respaced", result, 0, [])
    with open(os.path.join(outdir, "templates", "aws-s3-bucket.json")) as f:
        digest = json.load(f)["x-cfgate"]["providerSchemaSha256"]
    with open(os.path.join(schemas, "aws-s3-bucket.json"), "rb") as f:
        import hashlib
        if digest == hashlib.sha256(f.read()).hexdigest():
            failures.append("all types respaced: the templates were not rewritten")


def main():
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    old_snapshot, new_snapshot = os.path.join(work, "old"), os.path.join(work, "new")
    original_snapshot(old_snapshot)
    changed_snapshot(new_snapshot)
    test_gated(old_snapshot, new_snapshot)
    test_constrained(old_snapshot, new_snapshot)
    test_recursive(old_snapshot, new_snapshot)
    test_policy_changes(new_snapshot)
    test_missing_template(old_snapshot, new_snapshot)
    test_baseline(old_snapshot, new_snapshot)
    test_branches()
    test_baseline_other_policy(old_snapshot, new_snapshot)
    test_whole_snapshot()
    for failure in failures:
        print(failure)
    print(f"{len(failures)} failures")
    return 1 if failures else 0


sys.exit(main())
