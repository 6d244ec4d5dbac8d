"""Record the current SHA-256 of each template in a compiled policy folder's
manifest, as someone who edits a template and its manifest together would.
Tests use it to reach the checks behind the digest check.

Usage: record_digests.py FOLDER
"""
import hashlib
import json
import os
import sys


def main():
    folder = sys.argv[1]
    manifest_path = os.path.join(folder, "manifest.json")
    with open(manifest_path) as f:
        manifest = json.load(f)
    for entry in manifest["types"]:
        with open(os.path.join(folder, entry["template"]), "rb") as f:
            entry["templateSha256"] = hashlib.sha256(f.read()).hexdigest()
        entry.pop("previousTemplateSha256", None)
    with open(manifest_path, "w") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
