#!/bin/sh
# Checks that `cfgate check --policy FOLDER` verifies each template of a
# compiled policy folder on load. A template whose bytes differ from the
# SHA-256 its manifest records is an error (status 2). So is each of these
# edits with the digest recorded again: an empty template, an open root,
# member object or map, patternProperties next to properties, a $ref beside
# other keywords, an $id, a dangling $ref, and an x-cfgate.typeName other
# than the manifest entry's.
# Usage: compiled_tampered.sh CFGATE PYTHON SCHEMAS WORKDIR
set -u
cfgate=$1 python=$2 schemas=$3 work=$4
tests=$(dirname "$0")
status=0
rm -rf "$work" && mkdir -p "$work" || exit 2
cat > "$work/policy.gate" <<'GATE'
type AWS::S3::Bucket {
    BucketName pattern "^acme-[a-z]+$"
    VersioningConfiguration.Status = "Enabled"
}
GATE
cat > "$work/template.yaml" <<'YAML'
Resources:
  B:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: EVIL
      VersioningConfiguration: {Status: Enabled, Anything: 1}
YAML
"$cfgate" compile "$work/policy.gate" --schemas "$schemas" -o "$work/good" || exit 2
template=templates/aws-s3-bucket.json

output=$("$cfgate" check --policy "$work/good" --schemas "$schemas" "$work/template.yaml" 2>&1)
code=$?
[ "$code" -eq 1 ] || { echo "untouched: exit status $code, expected 1"; printf '%s\n' "$output"; status=1; }

# expect NAME PYTHON-EDIT EXPECTED-PROBLEM: the edit changes `t`, the template.
expect() {
  name=$1 edit=$2 problem=$3
  cp -R "$work/good" "$work/$name"
  "$python" - "$work/$name/$template" "$edit" <<'PY' || exit 2
import json, sys
path, edit = sys.argv[1], sys.argv[2]
with open(path) as f:
    t = json.load(f)
exec(edit)
with open(path, "w") as f:
    json.dump(t, f)
PY
  "$python" "$tests/record_digests.py" "$work/$name" || exit 2
  output=$("$cfgate" check --policy "$work/$name" --schemas "$schemas" "$work/template.yaml" 2>&1)
  code=$?
  failed=0
  if [ "$code" -ne 2 ]; then
    echo "$name: exit status $code, expected 2"; failed=1
  fi
  expected="$work/$name/$template: invalid template: $problem"
  case $output in
    *"$expected"*) ;;
    *) echo "$name: the output lacks: $expected"; failed=1 ;;
  esac
  [ "$failed" -eq 0 ] || { printf '%s\n' "$output"; status=1; }
}

# An edit of the template alone no longer matches the manifest's digest.
cp -R "$work/good" "$work/unrecorded"
sed 's/\^acme-\[a-z\]+\$/^.*$/' "$work/good/$template" > "$work/unrecorded/$template"
cmp -s "$work/good/$template" "$work/unrecorded/$template" &&
  { echo "unrecorded: the sed edit changed nothing"; status=1; }
output=$("$cfgate" check --policy "$work/unrecorded" --schemas "$schemas" "$work/template.yaml" 2>&1)
code=$?
[ "$code" -eq 2 ] || { echo "unrecorded: exit status $code, expected 2"; status=1; }
case $output in
  *"$work/unrecorded/$template: invalid template: its SHA-256 is "*", but the manifest records "*", so the file is not the one cfgate compile wrote: compile the policy again"*) ;;
  *) echo "unrecorded: the output lacks the digest error"; printf '%s\n' "$output"; status=1 ;;
esac

expect emptied 't = {}' "no x-cfgate.typeName (expected 'AWS::S3::Bucket')"
expect other-type 't["x-cfgate"]["typeName"] = "AWS::SQS::Queue"' \
  "x-cfgate.typeName is 'AWS::SQS::Queue' but the manifest entry is for 'AWS::S3::Bucket'"
expect open-root 't["additionalProperties"] = True' \
  'the root is not a closed object schema (type "object" and additionalProperties false)'
expect open-member 'del t["properties"]["VersioningConfiguration"]["additionalProperties"]' \
  "schema location '/properties/VersioningConfiguration/additionalProperties': an object with properties has no additionalProperties false"
expect true-member 't["properties"]["VersioningConfiguration"]["additionalProperties"] = True' \
  "schema location '/properties/VersioningConfiguration/additionalProperties': additionalProperties is not false, so names outside properties pass"
expect pattern-member 't["properties"]["VersioningConfiguration"]["patternProperties"] = {".*": {}}' \
  "schema location '/properties/VersioningConfiguration/patternProperties': patternProperties next to properties let names through that additionalProperties false rejects"
expect open-map 't["properties"]["VersioningConfiguration"] = {"type": "object", "patternProperties": {"^x": {}}}' \
  "schema location '/properties/VersioningConfiguration/additionalProperties': a map with patternProperties has no additionalProperties false, so names that match none of its patterns pass"
expect pattern-root 't["patternProperties"] = {"": {}}' \
  "schema location '/patternProperties': patternProperties next to properties let names through that additionalProperties false rejects"
expect ref-beside 't["definitions"] = {"Open": {}}; t["properties"]["VersioningConfiguration"]["$ref"] = "#/definitions/Open"' \
  "schema location '/properties/VersioningConfiguration/type': a keyword next to \$ref, which draft-07 ignores"
expect id-member 't["properties"]["VersioningConfiguration"]["$id"] = "http://example.com/v.json"' \
  "schema location '/properties/VersioningConfiguration/\$id': \$id would make a \$ref below it resolve to other definitions"
expect dangling-ref 't["properties"]["BucketName"] = {"$ref": "#/definitions/Gone"}' \
  "schema location '/properties/BucketName/\$ref': reference to a missing definition \"#/definitions/Gone\""

# `cfgate validate --schema` runs the same node checks on an edited template.
echo '{"VersioningConfiguration": {"Status": "Enabled", "Evil": 1}}' > "$work/doc.json"
for name in true-member pattern-member pattern-root ref-beside id-member; do
  path="$work/$name/$template"
  output=$("$cfgate" validate --schema "$path" "$work/doc.json" 2>&1)
  code=$?
  [ "$code" -eq 2 ] || { echo "validate $name: exit status $code, expected 2"; status=1; }
  case $output in
    *"$path: error: invalid restricted schema template: schema location '"*) ;;
    *) echo "validate $name: no template error"; printf '%s\n' "$output"; status=1 ;;
  esac
done
exit $status
