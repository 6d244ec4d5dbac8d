"""Check the templates compiled from tests/dsl/features/policy.gate.

Usage: check_features.py OUTDIR
"""
import json
import os
import sys


def load(outdir, name):
    with open(os.path.join(outdir, name)) as f:
        return json.load(f)


def allowed(properties):
    """Return the sorted names a level allows: a denied name is {"not": {}}."""
    return sorted(name for name, schema in properties.items()
                  if not (isinstance(schema, dict) and schema.get("not") == {}))


def main():
    outdir = sys.argv[1]
    manifest = load(outdir, "manifest.json")
    lam = load(outdir, "templates/aws-lambda-function.json")
    props = lam["properties"]
    bucket = load(outdir, "templates/aws-s3-bucket.json")["properties"]
    notification = bucket["NotificationConfiguration"]
    topic_items = notification["properties"]["TopicConfigurations"]["items"]
    denied_rule = bucket["PublicAccessBlockConfiguration"]["properties"]["BlockPublicAcls"]["x-cfgate-rule"]
    redirect = bucket["WebsiteConfiguration"]["properties"]["RedirectAllRequestsTo"]["properties"]
    checks = [
        ("types listed", [t["typeName"] for t in manifest["types"]]
         == ["AWS::Lambda::Function", "AWS::S3::Bucket", "AWS::SQS::Queue", "AWS::WAFv2::RuleGroup"]),
        ("denied type listed", [d["typeName"] for d in manifest["denied"]] == ["AWS::EC2::Instance"]),
        ("included file is a source", any(s.endswith("shared.gate") for s in manifest["sources"])),
        ("'.*' with constraints allows only the listed child", allowed(redirect) == ["HostName"]),
        ("'.*' constraints reach the listed child",
         [b.get("maxLength") for b in redirect["HostName"].get("allOf", [])] == [50]),
        ("allowed properties", sorted(props)
         == ["Code", "Environment", "Handler", "Layers", "MemorySize", "Role", "Runtime", "Tags"]),
        ("let pattern beside the provider's",
         [branch["pattern"] for branch in props["Role"]["allOf"]]
         == ["^arn:${AWS::Partition}:iam::${AWS::AccountId}:role/"]),
        ("let pattern branch names its rule",
         props["Role"]["allOf"][0]["x-cfgate-rule"]["keywords"] == ["pattern"]),
        ("provider pattern not the rule's", "pattern" not in props["Role"]["x-cfgate-rule"]["keywords"]),
        ("let length", (props["Role"]["minLength"], props["Role"]["maxLength"]) == (20, 2048)),
        ("enum", props["Runtime"]["enum"] == ["python3.12", "nodejs20.x"]),
        ("required names its rule", "Code" not in lam.get("required", []) and any(
            branch.get("required") == ["Code"] and branch["x-cfgate-rule"]["line"] == 9
            for branch in lam.get("allOf", []))),
        ("range", (props["MemorySize"]["minimum"], props["MemorySize"]["maximum"]) == (128, 3008)),
        ("items and unique", props["Layers"]["maxItems"] == 5 and props["Layers"]["uniqueItems"] is True),
        ("a count written 5.0 is the integer 5", type(props["Layers"]["maxItems"]) is int),
        ("map values", all(v["maxLength"] == 256 and type(v["maxLength"]) is int and v["x-cfgate-rule"]["because"]
                           == "environment values stay small"
                           for v in props["Environment"]["properties"]["Variables"]["patternProperties"].values())),
        ("context placeholder", "OrganizationId" in lam["x-cfgate"]["placeholders"]),
        ("rule location", props["MemorySize"]["x-cfgate-rule"]["line"] == 10),
        ("empty block closes the type", load(outdir, "templates/aws-sqs-queue.json")["properties"] == {}),
        ("recursive definitions kept", "definitions" in load(outdir, "templates/aws-wafv2-rulegroup.json")),
        ("nested deny keeps siblings", allowed(bucket["PublicAccessBlockConfiguration"]["properties"])
         == ["BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets"]),
        ("denied property rejects every value",
         bucket["PublicAccessBlockConfiguration"]["properties"]["BlockPublicAcls"]["not"] == {}),
        ("denied property names its rule",
         (denied_rule["line"], denied_rule["column"], denied_rule["file"].endswith("policy.gate"))
         == (27, 10, True)),
        ("deny through array items", allowed(topic_items["properties"]) == ["Event", "Topic"]),
        ("denied item property names its rule",
         topic_items["properties"]["Filter"]["x-cfgate-rule"]["line"] == 29),
        ("deny keeps other levels whole", "LambdaConfigurations" in notification["properties"]),
    ]
    failed = [name for name, ok in checks if not ok]
    for name in failed:
        print(f"failed: {name}")
    print(f"{len(checks)} checks, {len(failed)} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
