#!/bin/sh
# Checks how `cfgate check` and `cfgate hook` read a compiled policy folder.
# A manifest.json or template that is a FIFO, a link to /dev/zero or larger
# than the 16 MiB limit is rejected by name without being read. A manifest
# that lists a type twice (in "types", or in "types" and "denied"), names a
# template outside templates/, has an invalid typeName or lacks a template
# digest is rejected with the line and column of the value. Each case must
# fail in both commands: check exits 2, and hook returns FAILED with
# InternalFailure (exit 1).
# Usage: compiled_folder_inputs.sh CFGATE SCHEMAS WORKDIR
set -u
cfgate=$1 schemas=$2 work=$3
status=0
rm -rf "$work" && mkdir -p "$work" || exit 2
cat > "$work/policy.gate" <<'GATE'
type AWS::SQS::Queue { QueueName pattern "^ok-[a-z]+$" }
type AWS::SNS::Topic { TopicName }
type AWS::IAM::User
GATE
cat > "$work/template.yaml" <<'YAML'
Resources:
  Q:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: BAD
YAML
cat > "$work/event.json" <<'JSON'
{"clientRequestToken": "t-1", "awsAccountId": "123456789012",
 "stackId": "arn:aws:cloudformation:us-east-1:123456789012:stack/app/5b2c3e40-8f1a-11ef-9a3c-0affd3c2b1e1",
 "actionInvocationPoint": "CREATE_PRE_PROVISION",
 "requestData": {"targetName": "AWS::SQS::Queue", "targetType": "RESOURCE",
                 "targetLogicalId": "Q",
                 "targetModel": {"resourceProperties": {"QueueName": "BAD"}}}}
JSON
"$cfgate" compile "$work/policy.gate" --schemas "$schemas" -o "$work/good" || exit 2
queue=templates/aws-sqs-queue.json
sqs_sha=$(sha256sum "$work/good/$queue" | cut -c1-64)
sns_sha=$(sha256sum "$work/good/templates/aws-sns-topic.json" | cut -c1-64)

# run_check FOLDER and run_hook FOLDER store the output in $output and the
# exit status in $code. timeout turns a read that blocks into status 124.
run_check() {
  output=$(timeout 10 "$cfgate" check --policy "$1" --account-id 123456789012 \
    --region us-east-1 "$work/template.yaml" 2>&1)
  code=$?
}
run_hook() {
  output=$(timeout 10 "$cfgate" hook --policy "$1" --event "$work/event.json" 2>&1)
  code=$?
}

# expect NAME EXPECTED-TEXT: both commands fail on $work/NAME and print the
# text after "FOLDER: error: ".
expect() {
  name=$1 expected="$work/$1: error: $2"
  run_check "$work/$name"
  failed=0
  [ "$code" -eq 2 ] || { echo "$name: check exit status $code, expected 2"; failed=1; }
  case $output in
    *"$expected"*) ;;
    *) echo "$name: the check output lacks: $expected"; failed=1 ;;
  esac
  check_output=$output

  run_hook "$work/$name"
  [ "$code" -eq 1 ] || { echo "$name: hook exit status $code, expected 1"; failed=1; }
  case $output in
    *'"hookStatus":"FAILED","errorCode":"InternalFailure"'*) ;;
    *) echo "$name: the hook did not answer FAILED with InternalFailure"; failed=1 ;;
  esac
  case $output in
    *"$expected"*) ;;
    *) echo "$name: the hook output lacks: $expected"; failed=1 ;;
  esac
  case $check_output$output in
    *"runtime error"*|*"Sanitizer"*) echo "$name: sanitizer report"; failed=1 ;;
  esac
  [ "$failed" -eq 0 ] || { printf '%s\n%s\n' "$check_output" "$output"; status=1; }
}

# copy NAME: a fresh copy of the compiled folder.
copy() {
  rm -rf "$work/$1" && cp -R "$work/good" "$work/$1" || exit 2
}

# The untouched folder loads: the queue name is a violation (check 1, hook
# NonCompliant).
run_check "$work/good"
[ "$code" -eq 1 ] || { echo "untouched: check exit status $code, expected 1"; printf '%s\n' "$output"; status=1; }
run_hook "$work/good"
case $output in
  *'"errorCode":"NonCompliant"'*) ;;
  *) echo "untouched: the hook did not answer NonCompliant"; printf '%s\n' "$output"; status=1 ;;
esac

# Files that are not regular files, or over the limit.
copy manifest-dev-zero
ln -sf /dev/zero "$work/manifest-dev-zero/manifest.json"
expect manifest-dev-zero "$work/manifest-dev-zero/manifest.json: cannot load manifest: not a regular file"

copy manifest-fifo
rm "$work/manifest-fifo/manifest.json" && mkfifo "$work/manifest-fifo/manifest.json" || exit 2
expect manifest-fifo "$work/manifest-fifo/manifest.json: cannot load manifest: not a regular file"

copy manifest-large
truncate -s 17M "$work/manifest-large/manifest.json" || exit 2
expect manifest-large \
  "$work/manifest-large/manifest.json: cannot load manifest: too large (limit is 16777216 bytes)"

copy template-dev-zero
ln -sf /dev/zero "$work/template-dev-zero/$queue"
expect template-dev-zero "$work/template-dev-zero/$queue: invalid template: not a regular file"

copy template-fifo
rm "$work/template-fifo/$queue" && mkfifo "$work/template-fifo/$queue" || exit 2
expect template-fifo "$work/template-fifo/$queue: invalid template: not a regular file"

copy template-folder
rm "$work/template-folder/$queue" && mkdir "$work/template-folder/$queue" || exit 2
expect template-folder "$work/template-folder/$queue: invalid template: not a regular file"

copy template-large
truncate -s 17M "$work/template-large/$queue" || exit 2
expect template-large "$work/template-large/$queue: invalid template: too large (limit is 16777216 bytes)"

# manifest NAME: a copy of the compiled folder whose manifest.json is the
# text on standard input.
manifest() {
  copy "$1"
  cat > "$work/$1/manifest.json" || exit 2
}

manifest duplicate-type <<JSON
{"types": [
  {"typeName": "AWS::SNS::Topic", "template": "templates/aws-sns-topic.json", "templateSha256": "$sns_sha"},
  {"typeName": "AWS::SQS::Queue", "template": "templates/aws-sqs-queue.json", "templateSha256": "$sqs_sha"},
  {"typeName": "AWS::SQS::Queue", "template": "templates/aws-sqs-queue.json", "templateSha256": "$sqs_sha"}
], "denied": []}
JSON
expect duplicate-type "$work/duplicate-type/manifest.json: invalid manifest: line 4, column 16: entry 3 of 'types' lists the type \"AWS::SQS::Queue\" again, after entry 2 of 'types' at line 3: list each type once"

# A loose copy listed before the type's own template does not win: its path
# is not the type's template path.
manifest duplicate-first-loose <<JSON
{"types": [
  {"typeName": "AWS::SQS::Queue", "template": "templates/loose.json", "templateSha256": "$sqs_sha"},
  {"typeName": "AWS::SQS::Queue", "template": "templates/aws-sqs-queue.json", "templateSha256": "$sqs_sha"}
], "denied": []}
JSON
expect duplicate-first-loose "$work/duplicate-first-loose/manifest.json: invalid manifest: line 2, column 47: entry 1 of 'types' (AWS::SQS::Queue) has the template \"templates/loose.json\", but the template of this type must be \"templates/aws-sqs-queue.json\""

manifest allowed-and-denied <<JSON
{"types": [
  {"typeName": "AWS::SQS::Queue", "template": "templates/aws-sqs-queue.json", "templateSha256": "$sqs_sha"}
], "denied": [
  {"typeName": "AWS::IAM::User"},
  {"typeName": "AWS::SQS::Queue"}
]}
JSON
expect allowed-and-denied "$work/allowed-and-denied/manifest.json: invalid manifest: line 5, column 16: entry 2 of 'denied' lists the type \"AWS::SQS::Queue\" again, after entry 1 of 'types' at line 2: list each type once"

# A repeat spelt with an escape is the same type.
manifest duplicate-escaped <<JSON
{"types": [
  {"typeName": "AWS::SQS::Queue", "template": "templates/aws-sqs-queue.json", "templateSha256": "$sqs_sha"}
], "denied": [{"typeName": "AWS::SQS::Queu\u0065"}]}
JSON
expect duplicate-escaped "$work/duplicate-escaped/manifest.json: invalid manifest: line 3, column 28: entry 1 of 'denied' lists the type \"AWS::SQS::Queue\" again, after entry 1 of 'types' at line 2: list each type once"

manifest parent-path <<JSON
{"types": [
  {"typeName": "AWS::SQS::Queue", "template": "../good/templates/aws-sqs-queue.json", "templateSha256": "$sqs_sha"}
], "denied": []}
JSON
expect parent-path "$work/parent-path/manifest.json: invalid manifest: line 2, column 47: entry 1 of 'types' (AWS::SQS::Queue) has the template \"../good/templates/aws-sqs-queue.json\", but the template of this type must be \"templates/aws-sqs-queue.json\""

manifest absolute-path <<JSON
{"types": [
  {"typeName": "AWS::SQS::Queue", "template": "$work/good/templates/aws-sqs-queue.json", "templateSha256": "$sqs_sha"}
], "denied": []}
JSON
expect absolute-path "$work/absolute-path/manifest.json: invalid manifest: line 2, column 47: entry 1 of 'types' (AWS::SQS::Queue) has the template \"$work/good/templates/aws-sqs-queue.json\", but the template of this type must be \"templates/aws-sqs-queue.json\""

manifest inner-parent <<JSON
{"types": [
  {"typeName": "AWS::SQS::Queue", "template": "templates/../templates/aws-sqs-queue.json", "templateSha256": "$sqs_sha"}
], "denied": []}
JSON
expect inner-parent "$work/inner-parent/manifest.json: invalid manifest: line 2, column 47: entry 1 of 'types' (AWS::SQS::Queue) has the template \"templates/../templates/aws-sqs-queue.json\", but the template of this type must be \"templates/aws-sqs-queue.json\""

# A NUL would end the name the loader reads, so it is not a type name.
manifest nul-type-name <<JSON
{"types": [
  {"typeName": "AWS::SQS::Queue", "template": "templates/aws-sqs-queue.json", "templateSha256": "$sqs_sha"},
  {"typeName": "AWS::SQS::Queue\u0000x", "template": "templates/aws-sqs-queue.json", "templateSha256": "$sqs_sha"}
], "denied": []}
JSON
expect nul-type-name "$work/nul-type-name/manifest.json: invalid manifest: line 3, column 16: entry 2 of 'types' has the typeName \"AWS::SQS::Queue\\u0000x\", which is not a type name such as \"AWS::S3::Bucket\" (at most 270 bytes)"

manifest path-type-name <<JSON
{"types": [
  {"typeName": "AWS::SQS::Queue", "template": "templates/aws-sqs-queue.json", "templateSha256": "$sqs_sha"}
], "denied": [{"typeName": "AWS::X::../../y"}]}
JSON
expect path-type-name "$work/path-type-name/manifest.json: invalid manifest: line 3, column 28: entry 1 of 'denied' has the typeName \"AWS::X::../../y\", which is not a type name such as \"AWS::S3::Bucket\" (at most 270 bytes)"

# A type name of 271 bytes is over the 270-byte limit, and the message
# shows its first 120 bytes.
long_part=$(printf '%0263d' 0)
manifest long-type-name <<JSON
{"types": [
  {"typeName": "AWS::SQS::Queue", "template": "templates/aws-sqs-queue.json", "templateSha256": "$sqs_sha"}
], "denied": [{"typeName": "AWS::X::$long_part"}]}
JSON
shown=$(printf '"AWS::X::%s...' "$(printf '%0111d' 0)")
expect long-type-name "$work/long-type-name/manifest.json: invalid manifest: line 3, column 28: entry 1 of 'denied' has the typeName $shown\", which is not a type name such as \"AWS::S3::Bucket\" (at most 270 bytes)"

# Without a templateSha256 an edited template would go unnoticed, so the
# entry is rejected.
manifest no-digest <<'JSON'
{"types": [
  {"typeName": "AWS::SQS::Queue", "template": "templates/aws-sqs-queue.json"}
], "denied": []}
JSON
expect no-digest "$work/no-digest/manifest.json: invalid manifest: line 2, column 3: an entry has no templateSha256 (cfgate compile records one for every template)"

# Escapes in a template path and a typeName are decoded before the
# comparison, so this manifest is valid and the queue is a violation.
manifest escaped-valid <<JSON
{"types": [
  {"typeName": "AWS::SQS::Queu\u0065", "template": "templates\/aws-sqs-queue.json", "templateSha256": "$sqs_sha"}
], "denied": []}
JSON
run_check "$work/escaped-valid"
[ "$code" -eq 1 ] || { echo "escaped-valid: check exit status $code, expected 1"; printf '%s\n' "$output"; status=1; }
run_hook "$work/escaped-valid"
case $output in
  *'"errorCode":"NonCompliant"'*) ;;
  *) echo "escaped-valid: the hook did not answer NonCompliant"; printf '%s\n' "$output"; status=1 ;;
esac
exit $status
