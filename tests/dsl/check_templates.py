"""Check restricted schema templates against their provider schemas.

Usage: check_templates.py OUTDIR SCHEMA_DIR [FORMATS_DIR]

For every template listed in OUTDIR/manifest.json, checks that it is a valid
draft-07 JSON Schema, that every schema node with `properties` or
`patternProperties` is closed (`additionalProperties: false`), and that every property path it allows
exists in the provider schema. With FORMATS_DIR (the repository's schemas/
folder), the manifest and the templates are also validated against
manifest.schema.json and restricted-template.schema.json. Exits 1 and lists the failures otherwise.
"""
import json
import os
import sys

import jsonschema

MAX_DEPTH = 8  # levels of recursive definitions followed when listing paths
COMBINATORS = ("allOf", "anyOf", "oneOf")


def resolve(root, node, seen=0):
    """Follow local $refs (also resource-schema.json#/...) to a node with content."""
    while isinstance(node, dict) and "$ref" in node and seen < 64:
        ref = node["$ref"]
        target = root
        for part in ref.split("#", 1)[1].strip("/").split("/"):
            target = target.get(part, {}) if isinstance(target, dict) else {}
        node = target
        seen += 1
    return node if isinstance(node, dict) else {}


def property_paths(root, node, prefix, depth, out):
    """Add every property path below node (names, '[]' for items, '{}' for map values)."""
    if depth > MAX_DEPTH:
        return
    node = resolve(root, node)
    for name, child in node.get("properties", {}).items():
        out.add(prefix + (name,))
        property_paths(root, child, prefix + (name,), depth + 1, out)
    for child in node.get("patternProperties", {}).values():
        property_paths(root, child, prefix + ("{}",), depth + 1, out)
    if isinstance(node.get("items"), dict):
        property_paths(root, node["items"], prefix + ("[]",), depth + 1, out)
    for key in COMBINATORS:
        for branch in node.get(key, []):
            property_paths(root, branch, prefix, depth, out)


def open_nodes(node, where, out):
    """Add the locations of schema nodes that have properties or
    patternProperties but are not closed."""
    if isinstance(node, list):
        for i, item in enumerate(node):
            open_nodes(item, f"{where}/{i}", out)
        return
    if not isinstance(node, dict):
        return
    closable = "properties" in node or "patternProperties" in node
    if closable and node.get("additionalProperties") is not False:
        out.append(where)
    for key, value in node.items():
        if key in ("properties", "patternProperties", "definitions", "dependencies"):
            for name, child in value.items() if isinstance(value, dict) else []:
                open_nodes(child, f"{where}/{key}/{name}", out)
        elif key in ("enum", "const", "default", "examples", "required", "x-cfgate", "x-cfgate-rule"):
            continue
        else:
            open_nodes(value, f"{where}/{key}", out)


def check_one(template_path, provider_path, conventions):
    failures = []
    with open(template_path) as f:
        template = json.load(f)
    for error in list(conventions.iter_errors(template))[:3]:
        where = "/".join(map(str, error.absolute_path))
        failures.append(f"breaks restricted-template.schema.json at /{where}: {error.message[:200]}")
    with open(provider_path) as f:
        provider = json.load(f)

    try:
        jsonschema.Draft7Validator.check_schema(template)
    except jsonschema.SchemaError as error:
        failures.append(f"invalid draft-07 schema: {error.message}")

    unclosed = []
    open_nodes(template, "#", unclosed)
    failures += [f"not closed: {where}" for where in unclosed[:5]]

    allowed, original = set(), set()
    property_paths(template, template, (), 0, allowed)
    property_paths(provider, provider, (), 0, original)
    extra = sorted(allowed - original)
    failures += ["path not in provider schema: " + ".".join(p) for p in extra[:5]]

    for pointer in provider.get("readOnlyProperties", []):
        parts = tuple(pointer.split("/")[2:])
        forms = {tuple("[]" if p == "*" else p for p in parts), tuple("{}" if p == "*" else p for p in parts)}
        if forms & allowed:
            failures.append(f"read-only property allowed: {pointer}")
    return failures


def main():
    outdir, schema_dir = sys.argv[1], sys.argv[2]
    with open(os.path.join(outdir, "manifest.json")) as f:
        manifest = json.load(f)

    conventions = jsonschema.Draft7Validator({})
    failed = 0
    if len(sys.argv) > 3:
        with open(os.path.join(sys.argv[3], "restricted-template.schema.json")) as f:
            conventions = jsonschema.Draft7Validator(json.load(f))
        with open(os.path.join(sys.argv[3], "manifest.schema.json")) as f:
            for error in jsonschema.Draft7Validator(json.load(f)).iter_errors(manifest):
                print(f"manifest.json breaks manifest.schema.json: {error.message[:200]}")
                failed += 1
    for entry in manifest["types"]:
        provider_file = entry["template"].split("/")[-1]
        failures = check_one(os.path.join(outdir, entry["template"]),
                             os.path.join(schema_dir, provider_file), conventions)
        for failure in failures:
            print(f"{entry['typeName']}: {failure}")
        failed += bool(failures)

    print(f"{len(manifest['types'])} templates checked, {failed} failed")
    return 1 if failed or not manifest["types"] else 0


if __name__ == "__main__":
    sys.exit(main())
