"""Derive a `{ * }` restricted schema from a provider schema without cfgate.

NOTE: this is a stand-in for `cfgate compile` + `cfgate instantiate`, used only
when those commands fail or are missing. It allows every property the provider
schema defines except read-only ones, keeps the reachable definitions and closes
every object that defines properties. The workload manifest records which
source a schema came from.
"""
import copy
import json

DRAFT_07 = "http://json-schema.org/draft-07/schema#"


def _close_objects(node):
    if isinstance(node, dict):
        if "properties" in node:
            node["additionalProperties"] = False
        for value in node.values():
            _close_objects(value)
    elif isinstance(node, list):
        for value in node:
            _close_objects(value)


def _step_into(schema, node, token):
    """Return the child schema named by one read-only pointer token. Pointers
    in the snapshot use both /properties/A/B and /properties/A/properties/B,
    and '*' for array items."""
    while isinstance(node, dict) and "$ref" in node:
        node = schema["definitions"][node["$ref"].split("/")[-1]]
    if token in ("properties", "*"):
        return node
    if isinstance(node, dict) and "items" in node and "properties" not in node:
        return _step_into(schema, node["items"], token)
    return node.get("properties", {}).get(token, {}) if isinstance(node, dict) else {}


def _remove_read_only(schema, provider):
    for pointer in provider.get("readOnlyProperties", []):
        tokens = pointer.strip("/").split("/")
        node = schema
        for token in tokens[1:-1]:
            node = _step_into(schema, node, token)
        node = _step_into(schema, node, "properties")
        if isinstance(node, dict) and "items" in node and "properties" not in node:
            node = _step_into(schema, node["items"], "properties")
        if isinstance(node, dict):
            node.get("properties", {}).pop(tokens[-1], None)
            if tokens[-1] in node.get("required", []):
                node["required"].remove(tokens[-1])


def _reachable_definitions(schema):
    definitions = schema.get("definitions", {})
    reached, pending = set(), [schema["properties"]]
    while pending:
        text = json.dumps(pending.pop())
        for name in definitions:
            if name not in reached and ('"#/definitions/%s"' % name) in text:
                reached.add(name)
                pending.append(definitions[name])
    return {name: definitions[name] for name in definitions if name in reached}


def derive(provider):
    """Return a closed draft-07 schema allowing every writable property of PROVIDER."""
    schema = {
        "$schema": DRAFT_07,
        "type": "object",
        "properties": copy.deepcopy(provider.get("properties", {})),
        "additionalProperties": False,
        "definitions": copy.deepcopy(provider.get("definitions", {})),
    }
    if provider.get("required"):
        schema["required"] = list(provider["required"])

    _remove_read_only(schema, provider)
    schema["definitions"] = _reachable_definitions(schema)
    _close_objects(schema)
    return schema
