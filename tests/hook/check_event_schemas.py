"""Checks schemas/hook-event.schema.json and hook-response.schema.json
against the examples: every well-formed example event is valid, every
malformed one that is JSON without duplicate keys is invalid, and every
expected response is valid.

usage: check_event_schemas.py SCHEMAS_DIR EXAMPLES_DIR
"""
import json
import os
import sys

import jsonschema

schemas, examples = sys.argv[1:3]


def load(path):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


event_schema = jsonschema.Draft7Validator(load(os.path.join(schemas, "hook-event.schema.json")))
response_schema = jsonschema.Draft7Validator(load(os.path.join(schemas, "hook-response.schema.json")))

# Not JSON, or JSON whose duplicate key a schema cannot see.
NOT_SCHEMA_CHECKABLE = {"malformed-json", "malformed-duplicate-key"}

for name in sorted(os.listdir(examples)):
    path = os.path.join(examples, name)
    if name.endswith(".response.json"):
        errors = list(response_schema.iter_errors(load(path)))
        assert not errors, (name, errors[0].message)
        continue
    if not name.endswith(".event.json"):
        continue

    case = name[: -len(".event.json")]
    if case in NOT_SCHEMA_CHECKABLE:
        continue
    errors = list(event_schema.iter_errors(load(path)))
    if case.startswith("malformed-"):
        assert errors, f"{name} should not match the event schema"
    else:
        assert not errors, (name, errors[0].message if errors else "")
    print(name, "ok")
