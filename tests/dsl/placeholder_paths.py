"""Checks that a placeholder in a pattern means the same on every path.

The policy below puts every accepted placeholder form in a pattern: a group
under a quantifier, escaped braces, an escaped backslash, a scoped (?i:..)
or a backreference in a group before it, and the built-in AWS:: names. It
is compiled against the provider schema corpus. For several sets of context
values, with regex metacharacters among them, each instance gets a verdict
from:

- `cfgate validate --schema TEMPLATE --context ...` (the pattern engine binds
  the values, as `cfgate hook` does);
- `cfgate hook --policy OUT --context ...` on a hook event;
- `cfgate instantiate` followed by `cfgate validate` on the plain schema;
- python3-jsonschema (Python's re) on the instantiated schema;
- ajv 8 on the instantiated schema, when --ajv names a node_modules folder
  that contains it (JavaScript has no (?i:..), so ajv skips that schema).

It also checks that instantiate refuses a template edited by hand to put a
placeholder where the two readings differ.

Every verdict must agree, and a table of expected verdicts shows that the
placeholders were bound (a value repeated by a group, literal braces, ...).

usage: placeholder_paths.py CFGATE SCHEMAS WORKDIR [--ajv NODE_MODULES]
"""

import json
import os
import shutil
import subprocess
import sys

import jsonschema

POLICY = r"""context Team
context Env
context MaxLen

type AWS::SQS::Queue {
    QueueName       pattern "^(${Team})+$"
    KmsMasterKeyId  pattern "^alias/(${Env}){2}$"
}

type AWS::SNS::Topic {
    TopicName       pattern "^q\\{${MaxLen}\\}$"
    DisplayName     pattern "^\\\\${Team}-x$"
    KmsMasterKeyId  pattern "^arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/(a)(?:\\1)${Team}$"
}

type AWS::S3::Bucket {
    BucketName      pattern "^(?i:ab)-${Team}$"
}
"""

ACCOUNT = "123456789012"
REGION = "us-east-1"
BUILTINS = {"AWS::AccountId": ACCOUNT, "AWS::Region": REGION, "AWS::Partition": "aws",
            "AWS::URLSuffix": "amazonaws.com"}

# Context values with regex metacharacters, a value of digits and a comma
# (a repeat count if pasted unescaped), and a non-ASCII value.
CONTEXTS = [
    {"Team": "web", "Env": "prod", "MaxLen": "1,5"},
    {"Team": "a-z", "Env": "(p)?", "MaxLen": "{2}"},
    {"Team": "x.y*", "Env": "a|b", "MaxLen": "\\d"},
    {"Team": "$1", "Env": "\u00e9", "MaxLen": "3"},
]

KEY_ARN = "arn:aws:kms:%s:%s:key/" % (REGION, ACCOUNT)


def candidates(ctx):
    """Returns (type, property, value) triples to validate under ctx."""
    team, env, max_len = ctx["Team"], ctx["Env"], ctx["MaxLen"]
    values = {
        ("AWS::SQS::Queue", "QueueName"): [
            team, team * 2, team * 3, team + team[-1] * 2, "", "${Team}", team[:-1], "T"],
        ("AWS::SQS::Queue", "KmsMasterKeyId"): [
            "alias/" + env * 2, "alias/" + env, "alias/" + env + env[-1], "alias/" + env * 3,
            "alias/${Env}${Env}"],
        ("AWS::SNS::Topic", "TopicName"): [
            "q{%s}" % max_len, "q", "qq", "qqq", "q{${MaxLen}}", "q" + max_len, "q{}"],
        ("AWS::SNS::Topic", "DisplayName"): [
            "\\%s-x" % team, "%s-x" % team, "\\${Team}-x", "\\\\%s-x" % team, "\\w%s-x" % team],
        ("AWS::SNS::Topic", "KmsMasterKeyId"): [
            KEY_ARN + "aa" + team, KEY_ARN + "a" + team, KEY_ARN + "aa" + team + "1",
            KEY_ARN.replace(ACCOUNT, "210987654321") + "aa" + team, KEY_ARN + "ab" + team],
        ("AWS::S3::Bucket", "BucketName"): [
            "ab-" + team, "AB-" + team, "aB-" + team, "ab-" + team.upper(), "ab-${Team}"],
    }
    return [(t, p, v) for (t, p), vs in values.items() for v in vs]


# Verdicts under the first context set that show the values were bound.
EXPECTED = {
    ("AWS::SQS::Queue", "QueueName", "webweb"): True,
    ("AWS::SQS::Queue", "QueueName", "webbb"): False,
    ("AWS::SQS::Queue", "QueueName", "${Team}"): False,
    ("AWS::SQS::Queue", "KmsMasterKeyId", "alias/prodprod"): True,
    ("AWS::SQS::Queue", "KmsMasterKeyId", "alias/prodd"): False,
    ("AWS::SNS::Topic", "TopicName", "q{1,5}"): True,
    ("AWS::SNS::Topic", "TopicName", "qqq"): False,
    ("AWS::SNS::Topic", "DisplayName", "\\web-x"): True,
    ("AWS::SNS::Topic", "DisplayName", "\\${Team}-x"): False,
    ("AWS::SNS::Topic", "KmsMasterKeyId", KEY_ARN + "aaweb"): True,
    ("AWS::SNS::Topic", "KmsMasterKeyId", KEY_ARN + "aweb"): False,
    ("AWS::S3::Bucket", "BucketName", "AB-web"): True,
    ("AWS::S3::Bucket", "BucketName", "ab-WEB"): False,
}

TEMPLATE_FILES = {"AWS::SQS::Queue": "aws-sqs-queue.json", "AWS::SNS::Topic": "aws-sns-topic.json",
                  "AWS::S3::Bucket": "aws-s3-bucket.json"}

AJV_SCRIPT = r"""
const Ajv = require('ajv');
const fs = require('fs');
const schema = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const lines = fs.readFileSync(process.argv[3], 'utf8').split('\n').filter(l => l.length > 0);
let validate;
try {
  validate = new Ajv({strict: false}).compile(schema);
} catch (e) {
  console.log(JSON.stringify({error: e.message}));
  process.exit(0);
}
console.log(JSON.stringify({verdicts: lines.map(l => validate(JSON.parse(l)))}));
"""


def run(args, **kwargs):
    return subprocess.run(args, capture_output=True, text=True, **kwargs)


def context_args(ctx, builtins=True):
    values = dict(ctx, **BUILTINS) if builtins else ctx
    args = []
    for name, value in values.items():
        args += ["--context", "%s=%s" % (name, value)]
    return args


def validate_verdicts(cfgate, schema, instances_path, ctx_args):
    result = run([cfgate, "validate", "--schema", schema, "--ndjson", "--format", "json",
                  instances_path] + ctx_args)
    if result.returncode not in (0, 1):
        raise AssertionError("cfgate validate --schema %s failed (%d): %s"
                             % (schema, result.returncode, result.stderr))
    verdicts = [json.loads(line)["verdict"] for line in result.stdout.splitlines()]
    assert all(v in ("valid", "invalid") for v in verdicts), verdicts
    return [v == "valid" for v in verdicts]


def hook_verdict(cfgate, out_dir, work, type_name, instance, ctx):
    event = {
        "clientRequestToken": "token-1",
        "awsAccountId": ACCOUNT,
        "stackId": "arn:aws:cloudformation:%s:%s:stack/app/5b2c3e40" % (REGION, ACCOUNT),
        "actionInvocationPoint": "CREATE_PRE_PROVISION",
        "requestData": {"targetName": type_name, "targetType": "RESOURCE",
                        "targetLogicalId": "R1",
                        "targetModel": {"resourceProperties": instance,
                                        "previousResourceProperties": None}},
    }
    event_path = os.path.join(work, "event.json")
    with open(event_path, "w", encoding="utf-8") as f:
        json.dump(event, f)
    result = run([cfgate, "hook", "--policy", out_dir, "--event", event_path]
                 + context_args(ctx, builtins=False))
    response = json.loads(result.stdout)
    status = response["hookStatus"]
    if status == "FAILED" and response.get("errorCode") != "NonCompliant":
        raise AssertionError("hook failed for %r: %s" % (instance, response))
    return status == "SUCCESS"


def ajv_verdicts(ajv_dir, work, schema_path, instances_path):
    script = os.path.join(work, "ajv_check.js")
    with open(script, "w", encoding="utf-8") as f:
        f.write(AJV_SCRIPT)
    result = run(["node", script, schema_path, instances_path],
                 env=dict(os.environ, NODE_PATH=ajv_dir))
    if result.returncode != 0:
        raise AssertionError("node failed: " + result.stderr)
    return json.loads(result.stdout)


def check_type(cfgate, out_dir, work, ctx, type_name, triples, ajv_dir, counts):
    template = os.path.join(out_dir, "templates", TEMPLATE_FILES[type_name])
    instances = [{prop: value} for _, prop, value in triples]
    instances_path = os.path.join(work, "instances.ndjson")
    with open(instances_path, "w", encoding="utf-8") as f:
        f.write("".join(json.dumps(i) + "\n" for i in instances))

    inst = run([cfgate, "instantiate", template] + context_args(ctx))
    assert inst.returncode == 0, "instantiate %s failed: %s" % (template, inst.stderr)
    schema_path = os.path.join(work, "instantiated.json")
    with open(schema_path, "w", encoding="utf-8") as f:
        f.write(inst.stdout)
    schema = json.loads(inst.stdout)

    paths = {
        "validate --schema template": validate_verdicts(cfgate, template, instances_path,
                                                        context_args(ctx)),
        "instantiate + validate": validate_verdicts(cfgate, schema_path, instances_path, []),
        "instantiate + python-jsonschema": [jsonschema.Draft7Validator(schema).is_valid(i)
                                            for i in instances],
        "hook": [hook_verdict(cfgate, out_dir, work, type_name, i, ctx) for i in instances],
    }
    if ajv_dir:
        ajv = ajv_verdicts(ajv_dir, work, schema_path, instances_path)
        if "error" in ajv:
            print("ajv cannot compile %s for %s: %s" % (type_name, ctx, ajv["error"]))
            counts["ajv_skipped"] += 1
        else:
            paths["instantiate + ajv"] = ajv["verdicts"]

    reference = paths["validate --schema template"]
    for name, verdicts in paths.items():
        for (_, prop, value), expected, got in zip(triples, reference, verdicts):
            if got != expected:
                raise AssertionError("%s %s=%r with %s: %s says %s, validate --schema template says %s"
                                     % (type_name, prop, value, ctx, name, got, expected))
    counts["instances"] += len(instances)
    counts["valid"] += sum(reference)
    return {(type_name, prop, value): verdict
            for (_, prop, value), verdict in zip(triples, reference)}


# Hand-edited patterns that the compiler would reject, and the error
# instantiate prints for each instead of filling the template.
HAND_EDITED = [
    ("^${Team}+$", "quantifier '+' on placeholder '${Team}': after instantiation it would repeat "
     "the last character of the value only; put the placeholder in a group, as in '(${Team})+'"),
    ("^[${Team}]$", "placeholder '${Team}' inside a character class: its value would be read as "
     "a set of characters; move it out of the brackets, as in '(?:${Team}|[a-z])'"),
    ("^q{1,${Team}}$", "placeholder '${Team}' inside '{...}': a value of digits and commas would "
     "turn the braces into a repeat count; write '\\{' and '\\}' for literal braces"),
]


def check_instantiate_rejects(cfgate, out_dir, work):
    """Checks that instantiate fails on a template edited by hand to hold a
    misplaced placeholder, instead of writing a schema that disagrees with
    the pattern engine."""
    with open(os.path.join(out_dir, "templates", TEMPLATE_FILES["AWS::SQS::Queue"]),
              encoding="utf-8") as f:
        template = json.load(f)
    path = os.path.join(work, "hand-edited.json")
    for pattern, message in HAND_EDITED:
        template["properties"]["QueueName"]["pattern"] = pattern
        with open(path, "w", encoding="utf-8") as f:
            json.dump(template, f)
        result = run([cfgate, "instantiate", path] + context_args(CONTEXTS[0]))
        assert result.returncode == 2, (pattern, result.returncode)
        assert result.stdout == "", (pattern, result.stdout[:80])
        expected = ("%s: error: invalid restricted schema template: schema location "
                    "'/properties/QueueName/pattern': pattern \"%s\": %s" % (path, pattern, message))
        errors = [line for line in result.stderr.splitlines() if ": error: " in line]
        assert errors == [expected], (pattern, errors)

        # validate reads the same template with --context: it rejects it the same way.
        result = run([cfgate, "validate", "--schema", path] + context_args(CONTEXTS[0]) + ["-"],
                     input='{"QueueName": "x"}')
        assert result.returncode == 2, (pattern, result.returncode, result.stdout)
        expected = ("%s: error: invalid restricted schema template: schema location "
                    "'/properties/QueueName/pattern': pattern \"%s\": %s" % (path, pattern, message))
        errors = [line for line in result.stderr.splitlines() if ": error: " in line]
        assert errors == [expected], (pattern, result.stderr)


def main():
    cfgate, schemas, work = sys.argv[1:4]
    ajv_dir = sys.argv[5] if len(sys.argv) > 5 and sys.argv[4] == "--ajv" else None
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    policy = os.path.join(work, "policy.gate")
    with open(policy, "w", encoding="utf-8") as f:
        f.write(POLICY)
    out_dir = os.path.join(work, "out")
    compiled = run([cfgate, "compile", policy, "--schemas", schemas, "-o", out_dir])
    assert compiled.returncode == 0, compiled.stderr
    assert compiled.stderr.count("error") == 0, compiled.stderr

    counts = {"instances": 0, "valid": 0, "ajv_skipped": 0}
    for index, ctx in enumerate(CONTEXTS):
        triples = candidates(ctx)
        verdicts = {}
        for type_name in TEMPLATE_FILES:
            own = [t for t in triples if t[0] == type_name]
            verdicts.update(check_type(cfgate, out_dir, work, ctx, type_name, own, ajv_dir, counts))
        if index == 0:
            for key, expected in EXPECTED.items():
                assert verdicts[key] == expected, "%s: expected %s, got %s" % (key, expected, verdicts[key])

    check_instantiate_rejects(cfgate, out_dir, work)
    paths = 5 if ajv_dir else 4
    print("%d instances under %d context sets: %d paths agree on each (%d valid, %d invalid)"
          % (counts["instances"], len(CONTEXTS), paths, counts["valid"],
             counts["instances"] - counts["valid"]))
    if ajv_dir:
        print("ajv skipped %d schemas it cannot compile" % counts["ajv_skipped"])


if __name__ == "__main__":
    main()
