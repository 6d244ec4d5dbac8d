#!/bin/sh
# Checks which entries a provider schema snapshot may hold: top-level files
# named after their type. Two zip entries of one name, a .json entry in a
# folder or under another name and a schema whose typeName names another
# file are each rejected with a message naming the entry. So are a truncated
# schema and an entry with a bad CRC. A README beside the schemas is ignored.
# Usage: snapshot_entries.sh CFGATE PYTHON SCHEMAS WORKDIR
set -u
cfgate=$1 python=$2 schemas=$3 work=$4
status=0
rm -rf "$work" && mkdir -p "$work" || exit 2
printf 'type AWS::SQS::Queue { * }\n' > "$work/policy.gate"

# zip_entries NAME ENTRY=SOURCE... writes $work/NAME.zip. SOURCE is a corpus
# file name or "text:..." for literal text. A "stored:" prefix stores the
# entry uncompressed, with its first data byte flipped after the CRC is
# computed.
zip_entries() {
  "$python" - "$work/$1.zip" "$schemas" "$@" <<'PY' || exit 2
import sys, warnings, zipfile
warnings.simplefilter("ignore")  # zipfile warns about duplicate names
path, schemas, entries = sys.argv[1], sys.argv[2], sys.argv[4:]
flip = []
with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
    for item in entries:
        name, source = item.split("=", 1)
        stored = source.startswith("stored:")
        source = source[len("stored:"):] if stored else source
        data = source[5:].encode() if source.startswith("text:") else \
            open(f"{schemas}/{source}", "rb").read()
        if stored:
            info = zipfile.ZipInfo(name)
            archive.writestr(info, data, zipfile.ZIP_STORED)
            flip.append(data)
        else:
            archive.writestr(name, data)
blob = bytearray(open(path, "rb").read())
for data in flip:
    at = blob.find(data)
    blob[at] ^= 0x01
open(path, "wb").write(blob)
PY
}

# expect NAME SNAPSHOT EXPECTED-TEXT: compiling the policy fails with status
# 2 and prints EXPECTED-TEXT.
expect() {
  name=$1 snapshot=$2 expected=$3
  output=$(timeout 60 "$cfgate" compile "$work/policy.gate" --schemas "$snapshot" \
    -o "$work/out-$name" 2>&1)
  code=$?
  failed=0
  if [ "$code" -ne 2 ]; then
    echo "$name: exit status $code, expected 2"; failed=1
  fi
  case $output in
    *"$expected"*) ;;
    *) echo "$name: the output lacks: $expected"; failed=1 ;;
  esac
  [ "$failed" -eq 0 ] || { printf '%s\n' "$output"; status=1; }
}

zip_entries duplicate aws-s3-bucket.json=aws-s3-bucket.json \
  aws-sqs-queue.json=aws-sqs-queue.json aws-sqs-queue.json=aws-iam-user.json
expect duplicate "$work/duplicate.zip" \
  "cfgate: error: provider schema zip '$work/duplicate.zip' has two entries named 'aws-sqs-queue.json' (entries 2 and 3) [snapshot]"

zip_entries folder aws-sqs-queue.json=aws-sqs-queue.json x/aws-sqs-queue.json=aws-sqs-queue.json
expect folder "$work/folder.zip" \
  "cfgate: error: provider schema zip '$work/folder.zip' has the entry 'x/aws-sqs-queue.json' in a folder; provider schema files must sit at the top level of the zip [snapshot]"

zip_entries parent aws-sqs-queue.json=aws-sqs-queue.json ../aws-iam-user.json=aws-iam-user.json
expect parent "$work/parent.zip" \
  "cfgate: error: provider schema zip '$work/parent.zip' has the entry '../aws-iam-user.json' in a folder; provider schema files must sit at the top level of the zip [snapshot]"

zip_entries other-name aws-sqs-queue.json=aws-sqs-queue.json 'broken-sqs.json=text:{"typeName":'
expect other-name "$work/other-name.zip" \
  "cfgate: error: 'broken-sqs.json' in '$work/other-name.zip' is not a provider schema file name: expected the type name in lowercase with '-' for '::', such as 'aws-s3-bucket.json' [snapshot]"

zip_entries upper-case aws-sqs-queue.json=aws-sqs-queue.json AWS-S3-Bucket.JSON=aws-s3-bucket.json
expect upper-case "$work/upper-case.zip" \
  "cfgate: error: 'AWS-S3-Bucket.JSON' in '$work/upper-case.zip' is not a provider schema file name"

zip_entries truncated 'aws-sqs-queue.json=text:{
  "typeName": "AWS::SQS::Queue",
  "properties": {'
expect truncated "$work/truncated.zip" \
  "policy.gate:1:6: error: invalid provider schema 'aws-sqs-queue.json' in '$work/truncated.zip' at line 3, column 17: string or '}' expected near end of file [snapshot]"

zip_entries bad-crc aws-sqs-queue.json=stored:aws-sqs-queue.json
expect bad-crc "$work/bad-crc.zip" \
  "policy.gate:1:6: error: cannot read provider schema 'aws-sqs-queue.json' in '$work/bad-crc.zip': CRC error [snapshot]"

zip_entries other-type aws-sqs-queue.json=aws-iam-user.json
expect other-type "$work/other-type.zip" \
  "policy.gate:1:6: error: provider schema 'aws-sqs-queue.json' in '$work/other-type.zip' has the typeName 'AWS::IAM::User', whose file name is 'aws-iam-user.json': the file name and the typeName differ [snapshot]"

mkdir -p "$work/schemas" || exit 2
cp "$schemas/aws-sqs-queue.json" "$work/schemas/" || exit 2
printf '{}\n' > "$work/schemas/notes.json"
expect other-name-in-folder "$work/schemas" \
  "cfgate: error: 'notes.json' in '$work/schemas' is not a provider schema file name"

# A README and a folder entry are not schemas and are ignored.
zip_entries readme aws-sqs-queue.json=aws-sqs-queue.json README.txt=text:notes docs/=text:
if ! "$cfgate" compile "$work/policy.gate" --schemas "$work/readme.zip" -o "$work/out-readme"; then
  echo "readme: a zip with a README beside the schema did not compile"; status=1
fi
exit $status
