#!/bin/sh
# Checks that `cfgate compile` decodes a provider $ref as JSON Schema does:
# the fragment's %XX escapes (RFC 3986), then ~1 and ~0 in each pointer
# token (RFC 6901), and array indexes. Each property refers to a definition
# that allows only "x", so `cfgate check` must reject "y" for every one. The
# definition "e%25f" allows anything: "#/definitions/e%25f" names "e%f".
# Usage: provider_ref_pointers.sh CFGATE WORKDIR
set -u
cfgate=$1 work=$2
status=0
rm -rf "$work" && mkdir -p "$work/schemas" || exit 2
cat > "$work/schemas/aws-x-y-z.json" <<'JSON'
{"typeName": "AWS::X::Y::Z", "description": "encoded references",
 "additionalProperties": false,
 "definitions": {
   "a/b": {"type": "string", "enum": ["x"]},
   "c~d": {"type": "string", "enum": ["x"]},
   "g h": {"type": "string", "enum": ["x"]},
   "e%f": {"type": "string", "enum": ["x"]},
   "e%25f": {"type": "string"},
   "List": {"oneOf": [{"type": "string", "enum": ["x"]}, {"type": "integer"}]}
 },
 "properties": {
   "Slash": {"$ref": "#/definitions/a~1b"},
   "Tilde": {"$ref": "#/definitions/c~0d"},
   "Space": {"$ref": "#/definitions/g%20h"},
   "Percent": {"$ref": "#/definitions/e%25f"},
   "Item": {"$ref": "#/definitions/List/oneOf/0"}
 },
 "primaryIdentifier": ["/properties/Slash"]}
JSON
printf 'type AWS::X::Y::Z { * }\n' > "$work/policy.gate"
"$cfgate" compile "$work/policy.gate" --schemas "$work/schemas" -o "$work/out" || exit 1

for property in Slash Tilde Space Percent Item; do
  for value in x y; do
    printf 'Resources:\n  R:\n    Type: AWS::X::Y::Z\n    Properties:\n      %s: "%s"\n' \
      "$property" "$value" > "$work/template.yaml"
    "$cfgate" check --policy "$work/out" --schemas "$work/schemas" "$work/template.yaml" \
      > "$work/output.txt" 2>&1
    code=$?
    expected=0
    [ "$value" = x ] || expected=1
    if [ "$code" -ne "$expected" ]; then
      echo "$property \"$value\": check exit status $code, expected $expected"
      cat "$work/output.txt"
      status=1
    fi
  done
done
exit $status
