"""Print the --context NAME=VALUE arguments that instantiate a restricted
template for the bench account: one per placeholder the template lists."""
import json
import sys

VALUES = {
    "AWS::AccountId": "123456789012",
    "AWS::Region": "us-east-1",
    "AWS::Partition": "aws",
    "AWS::URLSuffix": "amazonaws.com",
}
CUSTOM_VALUE = "bench-value"

with open(sys.argv[1], encoding="utf-8") as f:
    names = json.load(f).get("x-cfgate", {}).get("placeholders", [])
print(" ".join("--context %s=%s" % (name, VALUES.get(name, CUSTOM_VALUE)) for name in names))
