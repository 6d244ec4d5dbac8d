"""Writes NDJSON instances for the emit test: corpus Properties of one
resource type plus a synthesized instance, each with its mutations (see
tests/differential/instances.py).

    emit_instances.py SOURCE_DIR CORPUS TYPE SCHEMA.json OUT.ndjson
"""

import json
import os
import sys

source_dir, corpus, type_name, schema_path, out_path = sys.argv[1:6]
sys.path.insert(0, os.path.join(source_dir, "tests", "differential"))
import instances  # noqa: E402  (found through the path set above)

with open(schema_path, encoding="utf-8") as handle:
    schema = json.load(handle)
view = instances.SchemaView(schema)
found = instances.corpus_properties(os.path.join(corpus, "templates")).get(type_name, [])[:20]
base = [properties for _, properties in found] + [instances.synthesize(view, schema)]

with open(out_path, "w", encoding="utf-8") as out:
    for properties in base:
        out.write(json.dumps(properties) + "\n")
        for _, mutated in instances.mutations(view, schema, properties):
            out.write(json.dumps(mutated) + "\n")
