"""Checks that the approval step of `cfgate compile -o OUTDIR` fails closed
on every keyword that restricts a value, and names each path where the
new template admits more.

Each case writes two snapshots of the real S3 bucket provider schema. The
first may add a keyword where the schema has none, and is compiled into
OUTDIR. The second changes the first the way AWS changes a schema (a
keyword removed or loosened, a value added), and is compiled into the same
folder. That compile must exit 3 and list exactly
the expected findings. Each case also gives a resource that the
old template rejects and the new one accepts (`cfgate validate`), so a
finding names a real widening, and may give resources that the new
template still rejects.

usage: widen_cases.py CFGATE SCHEMAS WORKDIR
"""

import json
import os
import shutil
import subprocess
import sys

cfgate, schemas, work = sys.argv[1:4]
failures = []

BUCKET = "aws-s3-bucket.json"

KEYWORDS_GATE = """type AWS::S3::Bucket {
  Tags
  CorsConfiguration
  ObjectLockConfiguration
}
"""

# StorageClass is restricted at one path to the definition
# NoncurrentVersionTransition and allowed whole at another.
TWO_PATHS_GATE = """type AWS::S3::Bucket {
    LifecycleConfiguration.Rules[] {
        Status
        NoncurrentVersionTransition {
            StorageClass = "GLACIER"
            TransitionInDays
        }
        NoncurrentVersionTransitions
    }
}
"""

# The definition NoncurrentVersionTransition is allowed whole at two paths,
# each by a rule of its own.
TWO_RULES_GATE = """type AWS::S3::Bucket {
    LifecycleConfiguration.Rules[] {
        Status
        NoncurrentVersionTransition
        NoncurrentVersionTransitions
    }
}
"""

NONCURRENT = "/LifecycleConfiguration/Rules/*/NoncurrentVersionTransition"


def definitions(schema):
    return schema["definitions"]


def retention(schema):
    return schema["definitions"]["DefaultRetention"]


def days(schema):
    return retention(schema)["properties"]["Days"]


def set_key(target, key, value):
    target[key] = value


def retained(days_value=None, **members):
    """A bucket with an Object Lock default retention."""
    if days_value is not None:
        members["Days"] = days_value
    return {"ObjectLockConfiguration": {"ObjectLockEnabled": "Enabled",
                                        "Rule": {"DefaultRetention": members}}}


def lifecycle_rule(**members):
    return {"LifecycleConfiguration": {"Rules": [dict(Status="Enabled", **members)]}}

# One rule admits the definition NoncurrentVersionTransition at two paths.
ONE_RULE_GATE = """type AWS::S3::Bucket {
    LifecycleConfiguration
}
"""

# name, gate, change for the first snapshot, change for the second one,
# expected findings ("LINE:COL POINTER: DETAIL [KIND]"), a resource that only
# the new template admits, resources that the new template still rejects.
CASES = [
    ("uniqueItems removed", KEYWORDS_GATE,
     lambda s: None,
     lambda s: definitions(s)["CorsRule"]["properties"]["AllowedMethods"].pop("uniqueItems"),
     ["3:3 /CorsConfiguration/CorsRules/*/AllowedMethods: 'uniqueItems' no longer applies "
      "[wider-constraint]"],
     {"CorsConfiguration": {"CorsRules": [{"AllowedMethods": ["GET", "GET"],
                                           "AllowedOrigins": ["*"]}]}}, []),
    ("multipleOf removed", KEYWORDS_GATE,
     lambda s: set_key(days(s), "multipleOf", 5),
     lambda s: days(s).pop("multipleOf"),
     ["4:3 /ObjectLockConfiguration/Rule/DefaultRetention/Days: 'multipleOf' no longer applies "
      "[wider-constraint]"],
     retained(7, Mode="GOVERNANCE"), []),
    ("multipleOf changed", KEYWORDS_GATE,
     lambda s: set_key(days(s), "multipleOf", 5),
     lambda s: set_key(days(s), "multipleOf", 3),
     ["4:3 /ObjectLockConfiguration/Rule/DefaultRetention/Days: changed 'multipleOf' 5 to 3 "
      "[wider-constraint]"],
     retained(3, Mode="GOVERNANCE"), []),
    ("dependencies removed", KEYWORDS_GATE,
     lambda s: set_key(retention(s), "dependencies", {"Days": ["Mode"]}),
     lambda s: retention(s).pop("dependencies"),
     ["4:3 /ObjectLockConfiguration/Rule/DefaultRetention: the 'dependencies' entry of \"Days\" "
      "no longer applies [wider-constraint]"],
     retained(5), []),
    ("dependencies changed", KEYWORDS_GATE,
     lambda s: set_key(retention(s), "dependencies", {"Days": ["Mode"]}),
     lambda s: set_key(retention(s), "dependencies", {"Days": ["Years"]}),
     ["4:3 /ObjectLockConfiguration/Rule/DefaultRetention: changed the 'dependencies' entry "
      "of \"Days\" [\"Mode\"] to [\"Years\"] [wider-constraint]"],
     retained(5, Years=1), [retained(5)]),
    ("not removed", KEYWORDS_GATE,
     lambda s: set_key(days(s), "not", {"const": 7}),
     lambda s: days(s).pop("not"),
     ["4:3 /ObjectLockConfiguration/Rule/DefaultRetention/Days: 'not' no longer applies "
      "[wider-constraint]"],
     retained(7, Mode="GOVERNANCE"), []),
    ("propertyNames removed", KEYWORDS_GATE,
     lambda s: set_key(retention(s), "propertyNames", {"maxLength": 4}),
     lambda s: retention(s).pop("propertyNames"),
     ["4:3 /ObjectLockConfiguration/Rule/DefaultRetention: 'propertyNames' no longer applies "
      "[wider-constraint]"],
     retained(None, Years=1, Mode="GOVERNANCE"), []),
    ("then removed", KEYWORDS_GATE,
     lambda s: retention(s).update({"if": {"required": ["Days"]},
                                    "then": {"required": ["Mode"]}}),
     lambda s: retention(s).pop("then"),
     ["4:3 /ObjectLockConfiguration/Rule/DefaultRetention: 'then' of the if/then/else no "
      "longer applies [wider-constraint]"],
     retained(5), []),
    ("else removed", KEYWORDS_GATE,
     lambda s: retention(s).update({"if": {"required": ["Days"]},
                                    "then": {"required": ["Mode"]},
                                    "else": {"required": ["Years"]}}),
     lambda s: retention(s).pop("else"),
     ["4:3 /ObjectLockConfiguration/Rule/DefaultRetention: 'else' of the if/then/else no "
      "longer applies [wider-constraint]"],
     retained(None, Mode="GOVERNANCE"), []),
    ("if and then removed", KEYWORDS_GATE,
     lambda s: retention(s).update({"if": {"required": ["Days"]},
                                    "then": {"required": ["Mode"]}}),
     lambda s: (retention(s).pop("if"), retention(s).pop("then")),
     ["4:3 /ObjectLockConfiguration/Rule/DefaultRetention: the if/then/else of the old "
      "template is gone [wider-constraint]"],
     retained(5), []),
    ("contains removed", KEYWORDS_GATE,
     lambda s: set_key(s["properties"]["Tags"], "contains",
                       {"properties": {"Key": {"const": "owner"}}, "required": ["Key"]}),
     lambda s: s["properties"]["Tags"].pop("contains"),
     ["2:3 /Tags: 'contains' no longer applies [wider-constraint]"],
     {"Tags": [{"Key": "team", "Value": "a"}]}, []),
    ("items removed", KEYWORDS_GATE,
     lambda s: None,
     lambda s: s["properties"]["Tags"].pop("items"),
     ["2:3 /Tags/*: any item, where the old template limited the items [wider-constraint]"],
     {"Tags": [42]}, []),
    ("items made a tuple", KEYWORDS_GATE,
     lambda s: None,
     lambda s: set_key(s["properties"]["Tags"], "items", [{"$ref": "#/definitions/Tag"}, {}]),
     ["2:3 /Tags/1: any property name, where the old template listed the names [new-property]",
      "2:3 /Tags/1: any type [wider-constraint]",
      "2:3 /Tags/1: property \"Value\" is no longer required [wider-constraint]",
      "2:3 /Tags/1: property \"Key\" is no longer required [wider-constraint]"],
     {"Tags": [{"Key": "a", "Value": "b"}, {"Anything": 1}]},
     [{"Tags": [{"Key": "a", "Value": "b"}, {"Key": "c", "Value": "d"}, {"Anything": 1}]}]),
    ("not changed", KEYWORDS_GATE,
     lambda s: set_key(days(s), "not", {"enum": [7, 14]}),
     lambda s: set_key(days(s), "not", {"enum": [14]}),
     ["4:3 /ObjectLockConfiguration/Rule/DefaultRetention/Days: changed 'not' {\"enum\":[7,14]} "
      "to {\"enum\":[14]} [wider-constraint]"],
     retained(7, Mode="GOVERNANCE"), [retained(14, Mode="GOVERNANCE")]),
    # The definition that contains refers to admits one more value.
    ("contains target changed", KEYWORDS_GATE,
     lambda s: (set_key(s["properties"]["Tags"], "contains", {"$ref": "#/definitions/Owner"}),
                set_key(definitions(s), "Owner", {"type": "object", "properties": {
                    "Key": {"type": "string", "enum": ["owner"]}, "Value": {"type": "string"}},
                    "required": ["Key"]})),
     lambda s: definitions(s)["Owner"]["properties"]["Key"]["enum"].append("team"),
     ["2:3 /Tags: 'contains' refers to a changed definition [wider-constraint]"],
     {"Tags": [{"Key": "team", "Value": "a"}]}, [{"Tags": [{"Key": "other", "Value": "a"}]}]),
    # The new value is admitted only under NoncurrentVersionTransitions:
    # the const of the restricted path still rejects it there.
    ("value at two paths", TWO_PATHS_GATE,
     lambda s: None,
     lambda s: definitions(s)["NoncurrentVersionTransition"]["properties"]["StorageClass"]
     ["enum"].append("NEWCLASS"),
     ["8:9 " + NONCURRENT + "s/*/StorageClass: new value \"NEWCLASS\" [wider-constraint]"],
     lifecycle_rule(NoncurrentVersionTransitions=[{"StorageClass": "NEWCLASS",
                                                   "TransitionInDays": 1}]),
     [lifecycle_rule(NoncurrentVersionTransition={"StorageClass": "NEWCLASS",
                                                  "TransitionInDays": 1})]),
    # A definition that two rules admit is listed under each of them.
    ("value under two rules", TWO_RULES_GATE,
     lambda s: None,
     lambda s: definitions(s)["NoncurrentVersionTransition"]["properties"]["StorageClass"]
     ["enum"].append("NEWCLASS"),
     ["4:9 " + NONCURRENT + "/StorageClass: new value \"NEWCLASS\" [wider-constraint]",
      "5:9 " + NONCURRENT + "s/*/StorageClass: new value \"NEWCLASS\" [wider-constraint]"],
     lifecycle_rule(NoncurrentVersionTransition={"StorageClass": "NEWCLASS",
                                                 "TransitionInDays": 1},
                    NoncurrentVersionTransitions=[{"StorageClass": "NEWCLASS",
                                                   "TransitionInDays": 1}]), []),
    # A required property dropped from the definition is admitted missing
    # at both paths, so both are listed with their rules.
    ("required at two paths", TWO_PATHS_GATE,
     lambda s: None,
     lambda s: set_key(definitions(s)["NoncurrentVersionTransition"], "required", []),
     ["4:9 " + NONCURRENT + ": property \"StorageClass\" is no longer required "
      "[wider-constraint]",
      "4:9 " + NONCURRENT + ": property \"TransitionInDays\" is no longer required "
      "[wider-constraint]",
      "8:9 " + NONCURRENT + "s/*: property \"StorageClass\" is no longer required "
      "[wider-constraint]",
      "8:9 " + NONCURRENT + "s/*: property \"TransitionInDays\" is no longer required "
      "[wider-constraint]"],
     lifecycle_rule(NoncurrentVersionTransition={"TransitionInDays": 1},
                    NoncurrentVersionTransitions=[{"TransitionInDays": 1}]), []),
    # The definition reached together with another keyword is compared
    # again at that path under the same rule, so the keyword's removal is
    # listed.
    ("keyword beside a definition", ONE_RULE_GATE,
     lambda s: set_key(definitions(s)["Rule"]["properties"]["NoncurrentVersionTransitions"],
                       "items", {"allOf": [{"$ref": "#/definitions/NoncurrentVersionTransition"}],
                                 "maxProperties": 2}),
     lambda s: definitions(s)["Rule"]["properties"]["NoncurrentVersionTransitions"]["items"]
     .pop("maxProperties"),
     ["2:5 " + NONCURRENT + "s/*: no maxProperties, where the old template had 2 "
      "[wider-constraint]"],
     lifecycle_rule(NoncurrentVersionTransitions=[{"StorageClass": "GLACIER",
                                                   "TransitionInDays": 1,
                                                   "NewerNoncurrentVersions": 1}]), []),
]


def write_snapshot(folder, change, base=None):
    """Writes the bucket schema of base (the corpus when None) with change
    applied into folder."""
    os.makedirs(folder)
    with open(os.path.join(base or schemas, BUCKET)) as f:
        schema = json.load(f)
    change(schema)
    with open(os.path.join(folder, BUCKET), "w") as f:
        json.dump(schema, f, indent=1)


def run(*args):
    return subprocess.run([cfgate] + list(args), capture_output=True, text=True, cwd=work)


def findings(stderr):
    return [line for line in stderr.splitlines()
            if line.endswith("[new-property]") or line.endswith("[wider-constraint]")]


def validate(name, template, resource):
    """Returns the exit status of cfgate validate for resource."""
    path = os.path.join(work, name + ".resource.json")
    with open(path, "w") as f:
        json.dump(resource, f)
    return run("validate", "--schema", template, path).returncode


def check_case(index, case):
    name, gate, first, second, expected, admitted, rejected = case
    folder = os.path.join(work, f"case{index}")
    os.makedirs(folder)
    gate_path = os.path.join(folder, "policy.gate")
    with open(gate_path, "w") as f:
        f.write(gate)
    old_snapshot, new_snapshot = os.path.join(folder, "old"), os.path.join(folder, "new")
    write_snapshot(old_snapshot, first)
    write_snapshot(new_snapshot, second, base=old_snapshot)
    outdir, fresh = os.path.join(folder, "out"), os.path.join(folder, "fresh")

    result = run("compile", gate_path, "--schemas", old_snapshot, "-o", outdir)
    if result.returncode != 0:
        failures.append(f"{name}: first compile exit status {result.returncode}: "
                        f"{result.stderr}")
        return
    # Kept apart, because a second compile that lists nothing replaces it.
    old_template = os.path.join(folder, "old-" + BUCKET)
    shutil.copy(os.path.join(outdir, "templates", BUCKET), old_template)
    result = run("compile", gate_path, "--schemas", new_snapshot, "-o", outdir)
    if result.returncode != 3:
        failures.append(f"{name}: second compile exit status {result.returncode}, expected 3: "
                        f"{result.stderr}")
    lines = [f"{gate_path}:{line.split(' ', 1)[0]}: error: AWS::S3::Bucket "
             f"{line.split(' ', 1)[1]}" for line in expected]
    found = findings(result.stderr)
    for line in lines:
        if line not in found:
            failures.append(f"{name}: standard error lacks {line!r}: {found!r}")
    for line in found:
        if line not in lines:
            failures.append(f"{name}: unexpected finding {line!r}")

    result = run("compile", gate_path, "--schemas", new_snapshot, "-o", fresh)
    if result.returncode != 0:
        failures.append(f"{name}: fresh compile exit status {result.returncode}: "
                        f"{result.stderr}")
        return
    new_template = os.path.join(fresh, "templates", BUCKET)
    if validate(f"case{index}-admitted", old_template, admitted) != 1:
        failures.append(f"{name}: the old template does not reject {admitted!r}")
    if validate(f"case{index}-admitted", new_template, admitted) != 0:
        failures.append(f"{name}: the new template does not admit {admitted!r}")
    for number, resource in enumerate(rejected):
        if validate(f"case{index}-rejected{number}", new_template, resource) != 1:
            failures.append(f"{name}: the new template does not reject {resource!r}")


def main():
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    for index, case in enumerate(CASES):
        check_case(index, case)
    for failure in failures:
        print(failure)
    print(f"{len(failures)} failures")
    return 1 if failures else 0


sys.exit(main())
