#!/bin/sh
# Checks how `cfgate compile`, `check` and `hook` read edited copies of the
# SQS queue provider schema and of its compiled template. A UTF-8 byte order
# mark is skipped. A typeName in other letter case, a keyword value that no
# validator accepts, an open map, a template for another JSON Schema dialect
# and a long folder path each fail. Each error names the file, the location
# and the value.
# Usage: provider_input_errors.sh CFGATE PYTHON SCHEMAS WORKDIR
set -u
cfgate=$1 python=$2 schemas=$3 work=$4
status=0
rm -rf "$work" && mkdir -p "$work" || exit 2
queue=$schemas/aws-sqs-queue.json
printf 'type AWS::SQS::Queue {\n    QueueName pattern "^ok-[a-z]+$"\n    DelaySeconds range 0..10\n}\n' \
  > "$work/policy.gate"
printf 'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: ok-abc\n' \
  > "$work/good.yaml"
printf 'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: bad\n' \
  > "$work/bad.yaml"

# fail NAME MESSAGE OUTPUT: reports a failed check of case NAME.
fail() {
  echo "$1: $2"
  printf '%s\n' "$3"
  status=1
}

# expect NAME EXPECTED-CODE: the last run exited with EXPECTED-CODE, and
# its output contains each further argument.
expect() {
  name=$1 expected=$2
  shift 2
  [ "$code" -eq "$expected" ] || fail "$name" "exit status $code, expected $expected" "$output"
  for text in "$@"; do
    case $output in
      *"$text"*) ;;
      *) fail "$name" "the output lacks: $text" "$output" ;;
    esac
  done
}

# edit_schema NAME PYTHON-STATEMENT: writes a copy of the queue schema, as
# the dict d, into the snapshot folder NAME after the statement ran on it.
edit_schema() {
  mkdir -p "$work/$1"
  "$python" -c "import json, sys
d = json.load(open(sys.argv[1]))
$2
json.dump(d, open(sys.argv[2], 'w'))" "$queue" "$work/$1/aws-sqs-queue.json" || exit 2
}

# compile NAME: compiles the policy against the snapshot folder NAME.
compile() {
  output=$("$cfgate" compile "$work/policy.gate" --schemas "$work/$1" -o "$work/out-$1" 2>&1)
  code=$?
}

# check POLICY TEMPLATE: checks TEMPLATE against a policy folder.
check() {
  output=$("$cfgate" check --policy "$1" --account-id 123456789012 --region us-east-1 "$2" 2>&1)
  code=$?
}

# A provider schema that starts with a byte order mark compiles, and the
# manifest's digest is that of the file's bytes, mark included.
mkdir -p "$work/bom"
printf '\357\273\277' > "$work/bom/aws-sqs-queue.json"
cat "$queue" >> "$work/bom/aws-sqs-queue.json"
compile bom
expect bom 0
digest=$(sha256sum "$work/bom/aws-sqs-queue.json" | cut -d' ' -f1)
grep -F "\"providerSchemaSha256\": \"$digest\"" "$work/out-bom/manifest.json" > /dev/null ||
  fail bom "the manifest lacks the digest $digest" "$(cat "$work/out-bom/manifest.json")"

# The mark does not count in a reported position: column 56 is the 56th
# character after it.
mkdir -p "$work/bom-number"
printf '\357\273\277{"typeName": "AWS::SQS::Queue", "properties": {}, "x": 0.30000000000000000001}' \
  > "$work/bom-number/aws-sqs-queue.json"
compile bom-number
expect bom-number 2 "policy.gate:1:6: error: invalid provider schema 'aws-sqs-queue.json' in '$work/bom-number' at line 1, column 56: number 0.30000000000000000001 cannot be held exactly (a double reads it as 0.3) [snapshot]"

# A compiled template and manifest that start with a byte order mark load,
# and the template still rejects a bad value.
cp -r "$work/out-bom" "$work/bom-folder"
for file in manifest.json templates/aws-sqs-queue.json; do
  { printf '\357\273\277'; cat "$work/out-bom/$file"; } > "$work/bom-folder/$file"
done
check "$work/bom-folder" "$work/good.yaml"
expect bom-folder-good 0 "1 compliant, 0 violations"
check "$work/bom-folder" "$work/bad.yaml"
expect bom-folder-bad 1 \
  "bad.yaml:5:18: error: /QueueName: \"bad\" does not match the pattern \"^ok-[a-z]+\$\""

# A second byte order mark in a compiled template is an error.
cp -r "$work/bom-folder" "$work/two-marks-folder"
{ printf '\357\273\277'; cat "$work/bom-folder/templates/aws-sqs-queue.json"; } \
  > "$work/two-marks-folder/templates/aws-sqs-queue.json"
check "$work/two-marks-folder" "$work/good.yaml"
expect two-marks-folder 2 "invalid template: the file starts with two byte order marks: remove one"

# The hook loads the same folder and returns SUCCESS for a good queue.
printf '%s' '{"clientRequestToken": "tok", "awsAccountId": "123456789012", "stackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/app/5b2c3e40-8f1a-11ef-9a3c-0affd3c2b1e1", "actionInvocationPoint": "CREATE_PRE_PROVISION", "requestData": {"targetName": "AWS::SQS::Queue", "targetType": "RESOURCE", "targetLogicalId": "Q", "targetModel": {"resourceProperties": {"QueueName": "ok-abc"}}}}' \
  > "$work/event.json"
output=$("$cfgate" hook --policy "$work/bom-folder" --event "$work/event.json" 2>&1)
code=$?
expect bom-folder-hook 0 '{"hookStatus":"SUCCESS","message":"Q (AWS::SQS::Queue) complies with the policy","clientRequestToken":"tok"}'

# Provider schemas are UTF-8 with at most one byte order mark.
mkdir -p "$work/utf16" "$work/two-marks"
"$python" -c "import sys; t = open(sys.argv[1], encoding='utf-8').read()
open(sys.argv[2], 'wb').write('\ufeff'.encode('utf-16-le') + t.encode('utf-16-le'))
open(sys.argv[3], 'wb').write(b'\xef\xbb\xbf\xef\xbb\xbf' + t.encode('utf-8'))" \
  "$queue" "$work/utf16/aws-sqs-queue.json" "$work/two-marks/aws-sqs-queue.json" || exit 2
compile utf16
expect utf16 2 "policy.gate:1:6: error: provider schema 'aws-sqs-queue.json' in '$work/utf16' is UTF-16LE: provider schemas are UTF-8 with at most one byte order mark [snapshot]"
compile two-marks
expect two-marks 2 "policy.gate:1:6: error: provider schema 'aws-sqs-queue.json' in '$work/two-marks' starts with two byte order marks: provider schemas are UTF-8 with at most one byte order mark [snapshot]"

# A typeName that differs from the policy's type in letter case alone.
edit_schema typename-case "d['typeName'] = 'aws::sqs::queue'"
compile typename-case
expect typename-case 2 "policy.gate:1:6: error: provider schema 'aws-sqs-queue.json' in '$work/typename-case' has the typeName 'aws::sqs::queue', but its file name is that of 'AWS::SQS::Queue': the file name and the typeName differ in letter case (type names are case-sensitive, so correct the policy or the provider schema) [snapshot]"

# Keyword values that no validator accepts fail the compilation.
edit_schema maxlength "d['properties']['QueueName']['maxLength'] = 'x'"
compile maxlength
expect maxlength 2 "policy.gate:1:6: error: invalid provider schema 'aws-sqs-queue.json' in '$work/maxlength': the restricted template of AWS::SQS::Queue has a value that no validator accepts at /properties/QueueName/maxLength (\"x\"): invalid maxLength: expected a non-negative integer [snapshot]"
[ -e "$work/out-maxlength/templates/aws-sqs-queue.json" ] &&
  fail maxlength "a template was written" ""
edit_schema enum "d['properties']['QueueName']['enum'] = 'x'"
compile enum
expect enum 2 "policy.gate:1:6: error: invalid provider schema 'aws-sqs-queue.json' in '$work/enum': the restricted template of AWS::SQS::Queue has a value that no validator accepts at /properties/QueueName/enum (\"x\"): invalid enum: expected an array [snapshot]"

# A required list must hold names; a number in it is a provider defect.
edit_schema required-number "d['required'] = ['QueueName', 5]"
compile required-number
expect required-number 2 "policy.gate:1:6: error: invalid provider schema 'aws-sqs-queue.json' in '$work/required-number': /required/1: a required property name must be a string [snapshot]"
edit_schema required-object "d['required'] = {'a': 1}"
compile required-object
expect required-object 2 "policy.gate:1:6: error: invalid provider schema 'aws-sqs-queue.json' in '$work/required-object': /required: required must be an array of property names [snapshot]"

# A map left open with true fails the final check as a provider defect.
edit_schema map-true "d['properties']['Tags'] = {'type': 'object', 'additionalProperties': True}"
printf 'type AWS::SQS::Queue { Tags }\n' > "$work/tags.gate"
output=$("$cfgate" compile "$work/tags.gate" --schemas "$work/map-true" -o "$work/out-map-true" 2>&1)
code=$?
expect map-true 2 "tags.gate:1:6: error: invalid provider schema 'aws-sqs-queue.json' in '$work/map-true': the restricted template of AWS::SQS::Queue fails its final check at /properties/Tags/additionalProperties (true): additionalProperties is not false, so names outside properties pass [snapshot]"

# A compiled template must name draft-07 in $schema.
cp -r "$work/out-bom" "$work/dialect"
template=$work/dialect/templates/aws-sqs-queue.json
"$python" -c "import json, sys
d = json.load(open(sys.argv[1]))
d['\$schema'] = 'https://json-schema.org/draft/2020-12/schema'
json.dump(d, open(sys.argv[1], 'w'))" "$template" || exit 2
"$python" "$(dirname "$0")/record_digests.py" "$work/dialect" || exit 2
check "$work/dialect" "$work/good.yaml"
expect dialect 2 "$work/dialect: error: $template: invalid template: schema location '/\$schema': unsupported \$schema \"https://json-schema.org/draft/2020-12/schema\": a template is draft-07 only (http://json-schema.org/draft-07/schema#)"
output=$("$cfgate" hook --policy "$work/dialect" --event "$work/event.json" 2>&1)
code=$?
expect dialect-hook 1 '"hookStatus":"FAILED","errorCode":"InternalFailure","message":"the policy could not be loaded: ' \
  "$work/dialect: error: $template: invalid template: schema location '/\$schema': unsupported \$schema \"https://json-schema.org/draft/2020-12/schema\""

# A load error under a folder path of 3800 bytes is printed whole.
long=$work/$("$python" -c "print('/'.join(['d' * 200] * 19))")
mkdir -p "$long" && cp -r "$work/dialect" "$long/" || exit 2
check "$long/dialect" "$work/good.yaml"
expect long-path 2 "$long/dialect: error: $long/dialect/templates/aws-sqs-queue.json: invalid template: schema location '/\$schema': unsupported \$schema \"https://json-schema.org/draft/2020-12/schema\": a template is draft-07 only (http://json-schema.org/draft-07/schema#)"

exit $status
