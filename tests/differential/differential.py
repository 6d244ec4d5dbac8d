"""Differential test: cfgate's verdicts against python3-jsonschema's.

Compiles `type T { * }` for every provider schema of the snapshot and the
example policies, instantiates each template with a context, and validates
the same instances with both:
  - `cfgate validate --schema TEMPLATE --context ...` (placeholders bound at
    run time) and `cfgate validate --schema INSTANTIATED` must agree;
  - python's jsonschema.Draft7Validator on the instantiated schema must
    agree with them, except for the cases listed with a reason in the
    expected disagreements file (python's `re` dialect differs from the
    ECMA-262 dialect JSON Schema specifies).
Instances are resource Properties from the corpus templates (properties with
intrinsic functions removed), one synthesized instance per type, and
mutations of both: an unknown property, a wrong type, a pattern violation
and an enum violation.

Exits 0 when every verdict agrees or the disagreement is listed, 1
otherwise, and also 1 when a listed disagreement no longer occurs.
"""

import argparse
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import tempfile

import jsonschema

import instances

# Values bound to the placeholders of every template.
CONTEXT = {
    "AWS::AccountId": "123456789012",
    "AWS::Region": "us-east-1",
    "AWS::Partition": "aws",
    "AWS::URLSuffix": "amazonaws.com",
}
# Value of any placeholder a policy declares with `context NAME`.
CUSTOM_CONTEXT_VALUE = "o-exampleorg1"
# Corpus instances used per type, so a few common types do not dominate the run time.
MAX_CORPUS_INSTANCES = 40
# Causes a committed list entry may give; "binding" and unexplained
# disagreements are always failures.
EXPLAINED_CAUSES = ("python-regex-error", "regex-dialect")
# Seconds one cfgate process may take before the test fails.
PROCESS_TIMEOUT = 120


def run(command, **kwargs):
    return subprocess.run(command, capture_output=True, text=True, timeout=PROCESS_TIMEOUT, **kwargs)


def provider_type_names(schemas_dir):
    names = []
    for name in sorted(os.listdir(schemas_dir)):
        if name.endswith(".json"):
            with open(os.path.join(schemas_dir, name), encoding="utf-8") as handle:
                names.append(json.load(handle)["typeName"])
    return names


def compile_policy(cfgate, sources, schemas_dir, out_dir):
    """Runs cfgate compile and returns the template paths it wrote."""
    result = run([cfgate, "compile", *sources, "--schemas", schemas_dir, "-o", out_dir])
    if result.returncode != 0:
        raise RuntimeError("cfgate compile %s failed (exit %d): %s"
                           % (" ".join(os.path.basename(s) for s in sources[:3]), result.returncode,
                              result.stderr[-2000:]))
    templates_dir = os.path.join(out_dir, "templates")
    return [os.path.join(templates_dir, n) for n in sorted(os.listdir(templates_dir)) if n.endswith(".json")]


def context_arguments(template):
    arguments = []
    for name in template.get("x-cfgate", {}).get("placeholders", []):
        arguments += ["--context", "%s=%s" % (name, CONTEXT.get(name, CUSTOM_CONTEXT_VALUE))]
    return arguments


def cfgate_verdicts(cfgate, schema_path, context, ndjson_path, count):
    """Returns one (valid, first error) pair per NDJSON line."""
    result = run([cfgate, "validate", "--schema", schema_path, *context, "--ndjson", "--format", "json",
                  ndjson_path])
    if result.returncode not in (0, 1):
        raise RuntimeError("cfgate validate --schema %s failed (exit %d): %s"
                           % (schema_path, result.returncode, result.stderr[-2000:]))
    verdicts = [None] * count
    for line in result.stdout.splitlines():
        record = json.loads(line)
        first = record["errors"][0] if record["errors"] else None
        verdicts[record["line"] - 1] = (record["valid"], first)
    if any(v is None for v in verdicts):
        raise RuntimeError("cfgate validate --schema %s reported %d of %d instances"
                           % (schema_path, sum(v is not None for v in verdicts), count))
    return verdicts


def python_verdict(validator, instance):
    """Returns (valid, error keywords) or ("error", message) when python
    cannot evaluate the schema (a pattern its `re` module rejects)."""
    try:
        errors = list(validator.iter_errors(instance))
    except re.error as error:
        return "error", "python re rejects a pattern: %s" % error
    keywords = sorted({e.validator for e in errors} | {c.validator for e in errors for c in e.context})
    return not errors, keywords


def classify(cfgate_result, python_result):
    """Names the cause of a disagreement: a pattern python cannot compile, a
    pattern-only difference (regex dialect), or None when unexplained."""
    if python_result[0] == "error":
        return "python-regex-error"
    cfgate_valid, cfgate_error = cfgate_result
    python_valid, python_keywords = python_result
    if not python_valid and cfgate_valid and set(python_keywords) <= {"pattern", "patternProperties", "anyOf",
                                                                       "oneOf", "allOf", "not"}:
        return "regex-dialect"
    if python_valid and not cfgate_valid and cfgate_error and cfgate_error["keyword"] in (
            "pattern", "patternProperties", "additionalProperties"):
        return "regex-dialect"
    return None


def type_instances(corpus, type_name, instantiated):
    view = instances.SchemaView(instantiated)
    base = list(corpus.get(type_name, [])[:MAX_CORPUS_INSTANCES])
    base.append(("synthesized", instances.synthesize(view, instantiated)))
    result = []
    for instance_id, properties in base:
        result.append((instance_id, properties))
        for kind, mutated in instances.mutations(view, instantiated, properties):
            result.append(("%s+%s" % (instance_id, kind), mutated))
    return result


def check_template(args, corpus, template_path, work_dir):
    """Validates the instances of one template with both validators. Returns
    (instance count, [disagreements]) where a disagreement is a dict."""
    with open(template_path, encoding="utf-8") as handle:
        template = json.load(handle)
    type_name = template["x-cfgate"]["typeName"]
    context = context_arguments(template)
    stem = os.path.join(work_dir, os.path.basename(os.path.dirname(os.path.dirname(template_path))) + "-"
                        + os.path.basename(template_path)[:-5])

    instantiate = run([args.cfgate, "instantiate", template_path, *context])
    if instantiate.returncode != 0:
        raise RuntimeError("cfgate instantiate %s failed: %s" % (template_path, instantiate.stderr[-2000:]))
    instantiated = json.loads(instantiate.stdout)
    with open(stem + ".schema.json", "w", encoding="utf-8") as handle:
        handle.write(instantiate.stdout)

    cases = type_instances(corpus, type_name, instantiated)
    with open(stem + ".ndjson", "w", encoding="utf-8") as handle:
        for _, instance in cases:
            handle.write(json.dumps(instance, ensure_ascii=False) + "\n")

    bound = cfgate_verdicts(args.cfgate, template_path, context, stem + ".ndjson", len(cases))
    plain = cfgate_verdicts(args.cfgate, stem + ".schema.json", [], stem + ".ndjson", len(cases))
    validator = jsonschema.Draft7Validator(instantiated)

    disagreements = []
    for (instance_id, instance), bound_result, plain_result in zip(cases, bound, plain):
        python_result = python_verdict(validator, instance)
        record = {"type": type_name, "id": instance_id, "template": template_path,
                  "cfgate": bound_result[0], "python": python_result[0],
                  "cfgate_error": bound_result[1], "python_detail": python_result[1]}
        if bound_result[0] != plain_result[0]:
            record["cause"] = "binding"
            record["detail"] = "placeholders bound at run time gave %s, the instantiated schema %s" % (
                bound_result[0], plain_result[0])
            disagreements.append(record)
        elif python_result[0] != bound_result[0]:
            record["cause"] = classify(bound_result, python_result)
            disagreements.append(record)
    return len(cases), disagreements


def load_expected(path):
    """Returns [[type, instance id or "*", cause, reason, matched]] from the
    committed list."""
    expected = []
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            fields = line.split("\t")
            if len(fields) != 4 or not fields[3]:
                raise ValueError("%s:%d: expected TYPE, INSTANCE ID, CAUSE and REASON separated by tabs"
                                 % (path, number))
            if fields[2] not in EXPLAINED_CAUSES:
                raise ValueError("%s:%d: invalid cause '%s': expected one of %s"
                                 % (path, number, fields[2], ", ".join(EXPLAINED_CAUSES)))
            expected.append(fields + [False])
    return expected


def find_expected(expected, record):
    """Returns the list entry that explains record, or None."""
    for entry in expected:
        if entry[0] == record["type"] and entry[1] in ("*", record["id"]) and entry[2] == record.get("cause"):
            entry[4] = True
            return entry
    return None


def report(disagreements, expected, out_path, check_stale):
    """Prints unlisted disagreements and, when check_stale is set, stale list
    entries. Returns the number of problems and of listed disagreements."""
    problems = listed = 0
    with open(out_path, "w", encoding="utf-8") as out:
        for record in sorted(disagreements, key=lambda r: (r["type"], r["id"])):
            out.write("%s\t%s\t%s\t%s\n" % (record["type"], record["id"], record.get("cause") or "unexplained",
                                            json.dumps(record["cfgate_error"] or record["python_detail"])))
            if find_expected(expected, record) is not None:
                listed += 1
                continue
            problems += 1
            print("DISAGREE %s %s: cfgate %s, python %s, cause %s; cfgate error %s; python %s"
                  % (record["type"], record["id"], record["cfgate"], record["python"],
                     record.get("cause") or "unexplained", json.dumps(record["cfgate_error"]),
                     record["python_detail"]))
    for entry in expected:
        if check_stale and not entry[4]:
            problems += 1
            print("STALE %s %s %s: listed in the expected disagreements but no such disagreement occurred"
                  % tuple(entry[:3]))
    return problems, listed


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cfgate", required=True, help="path of the cfgate executable")
    parser.add_argument("--corpus", required=True, help="folder with cfn-schemas/ and templates/")
    parser.add_argument("--policies", required=True, help="folder of example .gate policies")
    parser.add_argument("--expected", required=True, help="expected disagreements list")
    parser.add_argument("--work", help="folder for generated files (default: a temporary folder)")
    parser.add_argument("--jobs", type=int, default=2, help="templates checked in parallel")
    parser.add_argument("--limit", type=int, default=0, help="check only the first N templates (0: all); skips the stale entry check")
    return parser.parse_args()


def compile_all(args, work_dir):
    schemas_dir = os.path.join(args.corpus, "cfn-schemas", "us-east-1")
    star_policy = os.path.join(work_dir, "all-types.gate")
    with open(star_policy, "w", encoding="utf-8") as handle:
        for name in provider_type_names(schemas_dir):
            handle.write("type %s { * }\n" % name)

    templates = compile_policy(args.cfgate, [star_policy], schemas_dir, os.path.join(work_dir, "star"))
    # Each .gate file and each folder of the examples is one policy.
    for name in sorted(os.listdir(args.policies)):
        path = os.path.join(args.policies, name)
        if os.path.isdir(path) or name.endswith(".gate"):
            out_dir = os.path.join(work_dir, "example-" + os.path.splitext(name)[0])
            templates += compile_policy(args.cfgate, [path], schemas_dir, out_dir)
    return templates


def main():
    args = parse_arguments()
    work_dir = args.work or tempfile.mkdtemp(prefix="cfgate-differential.")
    os.makedirs(os.path.join(work_dir, "cases"), exist_ok=True)
    expected = load_expected(args.expected)

    templates = compile_all(args, work_dir)
    if args.limit:
        templates = templates[:args.limit]
    corpus = instances.corpus_properties(os.path.join(args.corpus, "templates"))

    total, disagreements, failed_templates = 0, [], 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = [pool.submit(check_template, args, corpus, t, os.path.join(work_dir, "cases")) for t in templates]
        for template, future in zip(templates, futures):
            try:
                count, found = future.result()
            except (RuntimeError, ValueError, subprocess.TimeoutExpired) as error:
                # A template cfgate cannot instantiate or validate is a failure, but
                # the other templates are still compared.
                print("ERROR %s: %s" % (template, error))
                failed_templates += 1
                continue
            total += count
            disagreements += found

    # A partial run (--limit) cannot tell whether a list entry is stale.
    problems, listed = report(disagreements, expected, os.path.join(work_dir, "disagreements.txt"),
                              check_stale=not args.limit)
    problems += failed_templates
    print("%d templates (%d failed), %d instances, %d disagreements (%d listed), %d problems; details in %s"
          % (len(templates), failed_templates, total, len(disagreements), listed, problems,
             os.path.join(work_dir, "disagreements.txt")))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
