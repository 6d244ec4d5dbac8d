"""A CloudFormation Lambda hook handler written the common way in Python:
json + python-jsonschema, run as a process for one event.

usage: python_hook.py --schema SCHEMA.json --event EVENT.json

Hooks receive every primitive property as a string, so before validating,
the handler converts strings to booleans and numbers where the schema
expects those types. Prints the hook response JSON, like `cfgate hook`.
"""
import argparse
import json

import jsonschema

MAX_REF_CHAIN = 64
MAX_MESSAGE = 4096


def resolve(root, node):
    """Follow local $ref pointers such as #/definitions/Name."""
    for _ in range(MAX_REF_CHAIN):
        if not isinstance(node, dict) or "$ref" not in node:
            return node
        target = root
        for token in node["$ref"].lstrip("#").strip("/").split("/"):
            target = target[token.replace("~1", "/").replace("~0", "~")]
        node = target
    raise ValueError("too many chained $ref (limit is %d)" % MAX_REF_CHAIN)


def coerce_string(text, types):
    if "boolean" in types and text in ("true", "false"):
        return text == "true"
    if "integer" in types:
        try:
            return int(text)
        except ValueError:
            pass
    if "number" in types:
        try:
            return float(text)
        except ValueError:
            pass
    return text


def coerce(root, node, value):
    """Return VALUE with strings converted to the primitive types NODE expects."""
    node = resolve(root, node)
    if not isinstance(node, dict):
        return value
    if isinstance(value, dict):
        properties = node.get("properties", {})
        return {k: coerce(root, properties.get(k, {}), v) for k, v in value.items()}
    if isinstance(value, list):
        return [coerce(root, node.get("items", {}), v) for v in value]
    if isinstance(value, str):
        types = node.get("type", [])
        return coerce_string(value, types if isinstance(types, list) else [types])
    return value


def handle(schema, event):
    token = event.get("clientRequestToken")
    request = event.get("requestData", {})
    properties = request.get("targetModel", {}).get("resourceProperties", {})
    instance = coerce(schema, schema, properties)
    error = next(iter(jsonschema.Draft7Validator(schema).iter_errors(instance)), None)
    if error is None:
        return {"hookStatus": "SUCCESS", "message": "compliant", "clientRequestToken": token}
    pointer = "/" + "/".join(str(p) for p in error.absolute_path)
    message = "%s %s: %s" % (request.get("targetLogicalId", ""), pointer, error.message)
    return {"hookStatus": "FAILED", "errorCode": "NonCompliant", "message": message[:MAX_MESSAGE],
            "clientRequestToken": token}


def main():
    parser = argparse.ArgumentParser(description="respond to one hook event with python-jsonschema")
    parser.add_argument("--schema", required=True, help="instantiated JSON Schema of the target type")
    parser.add_argument("--event", required=True, help="hook invocation event JSON")
    args = parser.parse_args()
    with open(args.schema, encoding="utf-8") as f:
        schema = json.load(f)
    with open(args.event, encoding="utf-8") as f:
        event = json.load(f)
    print(json.dumps(handle(schema, event)))


if __name__ == "__main__":
    main()
