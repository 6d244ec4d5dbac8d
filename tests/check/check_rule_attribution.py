"""Runs cfgate check with the baseline policy and checks which findings on
values known only at deployment name a policy rule. A warning names the
rule for the constraints that the rule set, and the provider keyword
(cfgate/type) for those that only the provider schema sets, also when one
schema node contains both.

usage: check_rule_attribution.py CFGATE POLICY_DIR CORPUS
"""
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from scratch import scratch_writer  # noqa: E402

cfgate, policy_dir, corpus = sys.argv[1:4]
schemas = os.path.join(corpus, "cfn-schemas", "us-east-1")
write = scratch_writer("cfgate-attribution-")

MAX_DEPTH = 16  # schema nodes followed below a property, through $ref too


def escape(token):
    return token.replace("~", "~0").replace("/", "~1")


def rule_nodes(root):
    """Returns (pointer, rule id, keywords) for each node of a compiled
    template whose x-cfgate-rule lists keywords. A '*' token stands for
    any item or member."""
    seen = set()

    def walk(node, pointer, depth):
        if not isinstance(node, dict) or depth > MAX_DEPTH or (id(node), pointer) in seen:
            return
        seen.add((id(node), pointer))
        ref = node.get("$ref", "")
        if ref.startswith("#/definitions/"):
            walk(root["definitions"][ref[len("#/definitions/"):]], pointer, depth + 1)
        record = node.get("x-cfgate-rule")
        if isinstance(record, dict) and "keywords" in record:
            rule = "%s:%d:%d" % (record["file"], record["line"], record["column"])
            found.append((pointer, rule, set(record["keywords"])))
        for name, child in node.get("properties", {}).items():
            walk(child, pointer + "/" + escape(name), depth + 1)
        for child in node.get("patternProperties", {}).values():
            walk(child, pointer + "/*", depth + 1)
        for key in ("additionalProperties", "items"):
            walk(node.get(key), pointer + "/*", depth + 1)
        for key in ("allOf", "anyOf", "oneOf"):
            for branch in node.get(key, []):
                walk(branch, pointer, depth + 1)

    found = []
    walk(root, "", 0)
    return found


def matches(pattern, pointer):
    want, got = pattern.split("/"), pointer.split("/")
    return len(want) == len(got) and all(w in ("*", g) for w, g in zip(want, got))


def named_keywords(message):
    found = re.match(r"the value is unknown before deployment, so its (.*?) cannot be checked",
                     message)
    if not found:
        return set()
    return set(re.split(r", | and ", found.group(1)))


def compile_rules():
    output = os.path.join(write.root, "compiled")
    result = subprocess.run([cfgate, "compile", policy_dir, "--schemas", schemas, "-o", output],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    with open(os.path.join(output, "manifest.json"), encoding="utf-8") as handle:
        manifest = json.load(handle)
    rules = {}
    for entry in manifest["types"]:
        with open(os.path.join(output, entry["template"]), encoding="utf-8") as handle:
            rules[entry["typeName"]] = rule_nodes(json.load(handle))
    return rules


def check(paths):
    command = [cfgate, "check", "--policy", policy_dir, "--schemas", schemas,
               "--account-id", "123456789012", "--region", "us-east-1", "--format", "json"]
    result = subprocess.run(command + paths, capture_output=True, text=True, timeout=900)
    return json.loads(result.stdout)


def test_corpus_unverified_name_their_rule():
    rules = compile_rules()
    report = check([os.path.join(corpus, "templates")])
    lost, borrowed, checked = [], [], 0
    for template in report["templates"]:
        for resource in template["resources"]:
            nodes = rules.get(resource["type"], [])
            for finding in resource["findings"]:
                if finding["kind"] != "unverified":
                    continue
                named = named_keywords(finding["message"])
                checked += 1
                for pointer, rule, keywords in nodes:
                    if not matches(pointer, finding["pointer"]):
                        continue
                    # The provider's keyword may be the rule's too (a pattern
                    # beside the provider's), so the rule must name it as well.
                    credited = set()
                    for other in resource["findings"]:
                        if other["pointer"] == finding["pointer"] and other["ruleId"] == rule:
                            credited |= named_keywords(other["message"])
                    if finding["ruleId"].startswith("cfgate/") and named & keywords - credited:
                        lost.append((template["path"], resource["logicalId"], finding["pointer"],
                                     finding["message"]))
                # A rule may set keywords on several nodes of one value (a
                # pattern in a branch beside the provider's).
                own = set()
                for pointer, rule, keywords in nodes:
                    if matches(pointer, finding["pointer"]) and finding["ruleId"] == rule:
                        own |= keywords
                if not finding["ruleId"].startswith("cfgate/") and named - own:
                    borrowed.append((template["path"], resource["logicalId"],
                                     finding["pointer"], finding["message"]))
    assert checked > 100, checked
    assert lost == [], "%d unverified warnings on a rule's keyword name no rule: %s" % (
        len(lost), lost[:5])
    assert borrowed == [], "%d unverified warnings credit a rule with the provider's: %s" % (
        len(borrowed), borrowed[:5])


def test_nested_stack_template_url():
    # TemplateURL has the provider's minLength and maxLength and the
    # baseline's pattern on one node. The pattern names the rule and its
    # because, the lengths name the provider keyword.
    template = write("stack.yaml", """Parameters:
  Bucket: {Type: String}
Resources:
  S:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: !Ref Bucket
""")
    report = check([template])
    resource = report["templates"][0]["resources"][0]
    rule = os.path.join(policy_dir, "operations.gate")
    with open(rule, encoding="utf-8") as handle:
        line = [i for i, text in enumerate(handle, 1) if text.lstrip().startswith("TemplateURL")]
    unknown = " (parameter Bucket has no default and no --parameter value)"
    assert [(f["kind"], f["ruleId"], f["because"], f["message"])
            for f in resource["findings"]] == [
        ("unverified", "%s:%d:5" % (rule, line[0]), "nested templates come from S3 over HTTPS",
         "the value is unknown before deployment, so its pattern cannot be checked" + unknown),
        ("unverified", "cfgate/minLength", None,
         "the value is unknown before deployment, so its minLength and maxLength cannot be "
         "checked" + unknown),
    ], resource["findings"]


for name, test in list(globals().items()):
    if name.startswith("test_"):
        test()
print("rule attribution checked")
