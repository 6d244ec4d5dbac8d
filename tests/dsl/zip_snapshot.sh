#!/bin/sh
# Reads provider schemas from a zip (the CloudformationSchema.zip layout) and
# checks that templates and digests match those compiled from the folder.
# usage: zip_snapshot.sh CFGATE SCHEMAS WORK_DIR
set -eu
cfgate=$1 schemas=$2 work=$3

rm -rf "$work" && mkdir -p "$work"
(cd "$schemas" && zip -q "$work/CloudformationSchema.zip" aws-s3-bucket.json aws-sqs-queue.json aws-sns-topic.json)
printf 'type AWS::S3::Bucket { BucketName }\ntype AWS::SQS::Queue { * }\n' > "$work/policy.gate"

"$cfgate" compile "$work/policy.gate" --schemas "$work/CloudformationSchema.zip" -o "$work/zip"
CFGATE_SCHEMAS="$schemas" "$cfgate" compile "$work/policy.gate" -o "$work/dir"
cmp "$work/zip/templates/aws-s3-bucket.json" "$work/dir/templates/aws-s3-bucket.json"
cmp "$work/zip/templates/aws-sqs-queue.json" "$work/dir/templates/aws-sqs-queue.json"
sha=$(sha256sum "$schemas/aws-s3-bucket.json" | cut -d' ' -f1)
grep -F "\"providerSchemaSha256\": \"$sha\"" "$work/zip/manifest.json" > /dev/null

# A type missing from the zip is an unknown type with a suggestion.
printf 'type AWS::SNS::Topics { * }\n' > "$work/typo.gate"
if "$cfgate" compile "$work/typo.gate" --schemas "$work/CloudformationSchema.zip" -o "$work/typo" 2> "$work/typo.txt"; then
  echo "unknown type compiled"; exit 1
fi
grep -F "did you mean 'AWS::SNS::Topic'?" "$work/typo.txt" > /dev/null
# A FIFO in place of the zip is named as not a regular file, without blocking.
rm -f "$work/fifo.zip" && mkfifo "$work/fifo.zip"
if "$cfgate" compile "$work/policy.gate" --schemas "$work/fifo.zip" -o "$work/fifo" 2> "$work/fifo.txt"; then
  echo "a FIFO compiled as a zip"; exit 1
fi
grep -F "cannot open provider schema zip '$work/fifo.zip': not a regular file [snapshot]" \
  "$work/fifo.txt" > /dev/null || { cat "$work/fifo.txt"; exit 1; }
# A 0-byte schema entry is named as an empty file, not at a column 0.
: > "$work/aws-sqs-queue.json"
(cd "$work" && zip -q "$work/empty-entry.zip" aws-sqs-queue.json)
printf 'type AWS::SQS::Queue { * }\n' > "$work/queue.gate"
if "$cfgate" compile "$work/queue.gate" --schemas "$work/empty-entry.zip" -o "$work/empty" 2> "$work/empty.txt"; then
  echo "an empty schema entry compiled"; exit 1
fi
grep -F "invalid provider schema 'aws-sqs-queue.json' in '$work/empty-entry.zip': empty file" \
  "$work/empty.txt" > /dev/null || { cat "$work/empty.txt"; exit 1; }
# A schema entry that stops at the start of a line has a 1-based column.
printf '{\n' > "$work/aws-sqs-queue.json"
(cd "$work" && zip -q "$work/cut-entry.zip" aws-sqs-queue.json)
if "$cfgate" compile "$work/queue.gate" --schemas "$work/cut-entry.zip" -o "$work/cut" 2> "$work/cut.txt"; then
  echo "a cut schema entry compiled"; exit 1
fi
if grep -F "column 0" "$work/cut.txt" > /dev/null; then cat "$work/cut.txt"; exit 1; fi
echo "zip snapshot checks passed"
