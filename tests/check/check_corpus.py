"""Runs cfgate check with the baseline policy over the whole template
corpus: no crash or timeout, every template read, the known unparseable
and non-template files reported with positions, every resource given a
status, and the summary printed.

usage: check_corpus.py CFGATE POLICY CORPUS OUTPUT_SCHEMA
"""
import json
import os
import subprocess
import sys

import jsonschema

cfgate, policy, corpus, output_schema = sys.argv[1:5]
templates = os.path.join(corpus, "templates")
base = [cfgate, "check", "--policy", policy, "--schemas", os.path.join(corpus, "cfn-schemas", "us-east-1"),
        "--account-id", "123456789012", "--region", "us-east-1"]

# Files that are not valid YAML/JSON, are empty, repeat a key, put a tag on a
# key, have a top-level key that is not a template section (Errors,
# Parameter), or are not templates. CloudFormation rejects a template without
# resources, so the files whose Resources mapping is empty are here as well.
EMPTY_RESOURCES = {
    "cfn-lint/bad/conditions/and.yaml",
    "cfn-lint/bad/conditions/equals.yaml",
    "cfn-lint/bad/conditions/equals_not_useful.yaml",
    "cfn-lint/bad/core/conditions_list.yaml",
    "cfn-lint/bad/core/conditions_missing.yaml",
    "cfn-lint/bad/core/config_parameters.yaml",
    "cfn-lint/bad/mappings/name.yaml",
    "cfn-lint/bad/parameters/default.yaml",
    "cfn-lint/bad/templates/base.yaml",
    "cfn-lint/bad/templates/base_date.yaml",
    "cfn-lint/bad/templates/base_null.yaml",
    "cfn-lint/good/core/config_cfn_lint.json",
    "cfn-lint/good/core/config_cfn_lint.yaml",
    "cfn-lint/good/core/config_only_i1002.yaml",
    "cfn-lint/good/core/config_only_i1003.yaml",
    "cfn-lint/good/core/config_parameters.yaml",
    "cfn-lint/good/decode/parsing.json",
    "cfn-lint/good/mappings/name.yaml",
    "cfn-lint/good/parameters/default.yaml",
    "cfn-lint/good/resources/cloudformation/stack_nested.yaml",
}
UNPARSEABLE = EMPTY_RESOURCES | {
    "cfn-lint/bad/generic.yaml",
    "cfn-lint/good/custom/is-defined.yaml",
    "cfn-lint/bad/core/config_invalid_json.json",
    "cfn-lint/bad/core/parse_invalid_map.yaml",
    "cfn-lint/bad/core/config_invalid_yaml.yaml",
    "cfn-lint/bad/duplicate.json",
    "cfn-lint/bad/duplicate.yaml",
    "cfn-lint/bad/empty_file.yaml",
    "cfn-lint/bad/json_parse.json",
    "cfn-lint/bad/template.yaml",
    "cfn-lint/bad/not_cloudformation.yaml",
    "cfn-lint/bad/parameters/configuration.yaml",
    "cfn-lint/bad/string.yaml",
}

result = subprocess.run([*base, "--format", "json", templates], capture_output=True, text=True,
                        timeout=550)
assert result.returncode == 2, (result.returncode, result.stderr[-2000:])
report = json.loads(result.stdout)
with open(output_schema, encoding="utf-8") as handle:
    jsonschema.validate(report, json.load(handle), cls=jsonschema.Draft7Validator)

summary = report["summary"]
assert summary["templates"] == 311, summary
unparseable = {os.path.relpath(t["path"], templates) for t in report["templates"] if not t["parsed"]}
assert unparseable == UNPARSEABLE, sorted(unparseable ^ UNPARSEABLE)
for template in report["templates"]:
    if not template["parsed"]:
        assert template["error"]["line"] >= 1, template
        assert template["error"]["column"] >= 1, template
        assert template["error"]["message"], template
        if os.path.relpath(template["path"], templates) in EMPTY_RESOURCES:
            message = "not a CloudFormation template: the Resources mapping is empty"
            assert template["error"]["message"] == message, template

counted = summary["compliant"] + summary["violations"] + summary["unverified"] + summary["skipped"]
assert counted == summary["resources"], summary
assert summary["resources"] > 1500, summary
for template in report["templates"]:
    for resource in template["resources"]:
        assert resource["status"] in ("compliant", "violation", "unverified", "skipped"), resource
        for finding in resource["findings"]:
            assert finding["line"] >= 1, (template["path"], resource["logicalId"], finding)

text = subprocess.run([*base, templates], capture_output=True, text=True, timeout=550)
assert text.returncode == 2
last = text.stdout.splitlines()[-1]
assert last.startswith("summary: 311 templates, "), last
print(last)
