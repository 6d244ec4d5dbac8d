"""Checks the four report formats written by report_sample.

json: valid against docs/check-output.schema.json and the expected counts.
sarif: the SARIF 2.1.0 structure GitHub code scanning reads (runs, tool
driver rules, results with ruleId, ruleIndex, level, message and a region).
junit: well-formed XML with one testcase per resource.
text: grouped lines with positions, because text and the summary.
"""
import json
import subprocess
import sys
import xml.etree.ElementTree as ElementTree

import jsonschema

sample, schema_path = sys.argv[1], sys.argv[2]


def run(fmt, *extra):
    result = subprocess.run([sample, fmt, *extra], capture_output=True, text=True, check=True)
    return result.stdout


def check_json():
    report = json.loads(run("json"))
    with open(schema_path, encoding="utf-8") as handle:
        jsonschema.validate(report, json.load(handle), cls=jsonschema.Draft7Validator)
    assert report["summary"] == {"templates": 2, "resources": 5, "compliant": 1, "violations": 2,
                                 "unverified": 1, "unparseable": 1, "skipped": 1,
                                 "templateErrors": 0}, report["summary"]
    assert report["exitStatus"] == 2
    bucket = report["templates"][0]["resources"][0]
    assert bucket["status"] == "violation"
    finding = bucket["findings"][0]
    assert (finding["line"], finding["column"]) == (9, 21)
    assert finding["rule"] == {"file": "storage.gate", "line": 8, "column": 5}
    assert report["templates"][1]["error"]["line"] == 7

    strict = json.loads(run("json", "strict"))
    assert strict["summary"]["violations"] == 3, strict["summary"]
    assert strict["templates"][0]["resources"][1]["findings"][0]["level"] == "error"


def check_sarif():
    sarif = json.loads(run("sarif"))
    assert sarif["version"] == "2.1.0"
    run_ = sarif["runs"][0]
    rules = run_["tool"]["driver"]["rules"]
    assert run_["tool"]["driver"]["name"] == "cfgate"
    ids = [rule["id"] for rule in rules]
    assert len(ids) == len(set(ids)), ids
    levels = {}
    for result in run_["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["message"]["text"]
        pointer = result["properties"]["pointer"]
        if pointer:
            assert (": %s: " % pointer) in result["message"]["text"], result["message"]
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1, region
        assert region["startColumn"] >= 1, region
        levels.setdefault(result["properties"]["kind"], set()).add(result["level"])
    assert levels == {"violation": {"error"}, "unverified": {"warning"}, "denied": {"error"},
                      "invalid": {"error"}}, levels


def check_junit():
    root = ElementTree.fromstring(run("junit"))
    cases = root.findall("./testsuite/testcase")
    assert len(cases) == 6, len(cases)
    failures = [case for case in cases if case.find("failure") is not None]
    assert len(failures) == 2, len(failures)
    assert root.find("./testsuite/testcase/error") is not None
    assert "&" in cases[0].find("failure").text


def check_text():
    text = run("text")
    assert "templates/app.yaml:9:21: error: /BucketEncryption/0/KMSMasterKeyID:" in text, text
    assert "because: bucket keys belong to this account & region <kms>" in text, text
    assert "templates/app.yaml:15:24: warning: /KmsMasterKeyId:" in text, text
    assert "templates/broken.json:7:12: error: invalid JSON" in text, text
    assert "Role (" not in text, text
    assert text.rstrip().endswith("1 unparseable, 1 skipped by conditions"), text
    assert "\033[" not in text


for check in (check_json, check_sarif, check_junit, check_text):
    check()
    print(check.__name__, "ok")
