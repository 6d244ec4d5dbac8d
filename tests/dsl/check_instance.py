"""Validate one JSON instance against one JSON Schema with python3-jsonschema.

Usage: check_instance.py SCHEMA INSTANCE valid|invalid [TEXT]

Exits 0 when the verdict is the expected one and, for an invalid instance,
when TEXT (if given) occurs in one of the error messages or paths.
"""
import json
import sys

import jsonschema


def main():
    schema_path, instance_path, expected = sys.argv[1:4]
    text = sys.argv[4] if len(sys.argv) > 4 else None
    with open(schema_path) as f:
        schema = json.load(f)
    with open(instance_path) as f:
        instance = json.load(f)

    validator = jsonschema.Draft7Validator(schema)
    errors = list(validator.iter_errors(instance))
    for error in errors:
        print(f"{'/'.join(map(str, error.absolute_path))}: {error.message}")

    verdict = "invalid" if errors else "valid"
    if verdict != expected:
        print(f"expected {expected}, got {verdict}: {instance_path}")
        return 1
    if text and not any(text in e.message or text in "/".join(map(str, e.absolute_path)) for e in errors):
        print(f"no error mentions '{text}'")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
