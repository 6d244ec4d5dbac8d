#!/bin/sh
# Compiles `type T { * }` for every provider schema of the snapshot and checks
# each template (draft-07, closed, no path the provider schema lacks).
# usage: all_types.sh CFGATE PYTHON SCHEMAS TESTS_DIR WORK_DIR FORMATS_DIR
set -eu
cfgate=$1 python=$2 schemas=$3 tests=$4 work=$5 formats=$6

rm -rf "$work" && mkdir -p "$work"
"$python" - "$schemas" "$work/all.gate" <<'PY'
import glob, json, os, sys
names = [json.load(open(f))["typeName"] for f in sorted(glob.glob(os.path.join(sys.argv[1], "*.json")))]
with open(sys.argv[2], "w") as out:
    out.writelines(f"type {name} {{ * }}\n" for name in names)
print(f"{len(names)} types")
PY
"$cfgate" compile "$work/all.gate" --schemas "$schemas" -o "$work/out" 2> "$work/diagnostics.txt"
count=$(ls "$work/out/templates" | wc -l)
expected=$(ls "$schemas" | grep -c '\.json$')
[ "$count" -eq "$expected" ] || { echo "$count templates for $expected provider schemas"; exit 1; }
"$python" "$tests/check_templates.py" "$work/out" "$schemas" "$formats"
