#!/bin/sh
# Checks that a provider schema snapshot cannot hide a schema file from one
# reader and show it to another. A zip entry whose local header names
# another file than its central directory record is rejected, also in a
# ZIP64 zip (zip -fz) and behind a local header offset in a ZIP64 extended
# information field. A .json file in a subfolder of a snapshot folder, at
# any depth and in any letter case, is rejected as a zip entry in a folder
# is. A subfolder without .json files is ignored, and a link loop of
# subfolders stops at the depth limit.
# Usage: snapshot_hidden_files.sh CFGATE PYTHON SCHEMAS WORKDIR
set -u
cfgate=$1 python=$2 schemas=$3 work=$4
status=0
rm -rf "$work" && mkdir -p "$work" || exit 2
printf 'type AWS::SQS::Queue { QueueName }\n' > "$work/policy.gate"

# expect NAME SNAPSHOT EXPECTED-TEXT: compiling the policy fails with status
# 2 and prints EXPECTED-TEXT.
expect() {
  name=$1 snapshot=$2 expected=$3
  output=$(timeout 60 "$cfgate" compile "$work/policy.gate" --schemas "$snapshot" \
    -o "$work/out-$name" 2>&1)
  code=$?
  failed=0
  [ "$code" -eq 2 ] || { echo "$name: exit status $code, expected 2"; failed=1; }
  case $output in
    *"$expected"*) ;;
    *) echo "$name: the output lacks: $expected"; failed=1 ;;
  esac
  case $output in
    *"runtime error"*|*"Sanitizer"*) echo "$name: sanitizer report"; failed=1 ;;
  esac
  [ "$failed" -eq 0 ] || { printf '%s\n' "$output"; status=1; }
}

# compiles NAME SNAPSHOT: compiling the policy succeeds.
compiles() {
  if ! output=$("$cfgate" compile "$work/policy.gate" --schemas "$2" -o "$work/out-$1" 2>&1); then
    echo "$1: the snapshot did not compile"; printf '%s\n' "$output"; status=1
  fi
}

# rename_local ZIP CENTRAL LOCAL: rewrites the local header name of the
# entry CENTRAL to LOCAL (of the same length), leaving the central
# directory as it is.
rename_local() {
  "$python" - "$@" <<'PY' || exit 2
import struct, sys
path, central, local = sys.argv[1], sys.argv[2].encode(), sys.argv[3].encode()
assert len(central) == len(local)
blob = bytearray(open(path, "rb").read())
at = blob.index(b"PK\x03\x04")
while True:
    name_length = struct.unpack_from("<H", blob, at + 26)[0]
    if blob[at + 30:at + 30 + name_length] == central:
        blob[at + 30:at + 30 + name_length] = local
        break
    at = blob.index(b"PK\x03\x04", at + 4)
open(path, "wb").write(blob)
PY
}

# offset_in_extra ZIP ENTRY [SHORT]: moves the local header offset of
# central record ENTRY (1-based) into a ZIP64 extended information field.
# The record's own offset becomes 0xFFFFFFFF, as writers set it for offsets
# past 4 GiB. With SHORT, the field has 4 bytes instead of 8.
offset_in_extra() {
  "$python" - "$@" <<'PY' || exit 2
import struct, sys
path, entry, short = sys.argv[1], int(sys.argv[2]), len(sys.argv) > 3
blob = bytearray(open(path, "rb").read())
end = blob.rindex(b"PK\x05\x06")
size, start = struct.unpack_from("<II", blob, end + 12)
at = start
for _ in range(entry - 1):
    at += 46 + sum(struct.unpack_from("<HHH", blob, at + 28))
name_length, extra_length = struct.unpack_from("<HH", blob, at + 28)
offset = struct.unpack_from("<I", blob, at + 42)[0]
field = struct.pack("<HHI", 1, 4, offset) if short else struct.pack("<HHQ", 1, 8, offset)
struct.pack_into("<I", blob, at + 42, 0xFFFFFFFF)
struct.pack_into("<H", blob, at + 30, extra_length + len(field))
insert = at + 46 + name_length + extra_length
blob[insert:insert] = field
struct.pack_into("<I", blob, end + len(field) + 12, size + len(field))
open(path, "wb").write(blob)
PY
}

mkdir -p "$work/zip-source" || exit 2
cp "$schemas/aws-sns-topic.json" "$schemas/aws-sqs-queue.json" "$work/zip-source/" || exit 2

(cd "$work/zip-source" && zip -q "$work/plain.zip" aws-sns-topic.json aws-sqs-queue.json) || exit 2
compiles plain "$work/plain.zip"
cp "$work/plain.zip" "$work/local-name.zip" || exit 2
rename_local "$work/local-name.zip" aws-sqs-queue.json aws-sns-topic.json
expect local-name "$work/local-name.zip" \
  "cfgate: error: provider schema zip '$work/local-name.zip' names entry 2 'aws-sqs-queue.json' in its central directory but 'aws-sns-topic.json' in its local header; tools that read the local header would see another file [snapshot]"

# ZIP64: the end record points to a ZIP64 end record, and sizes move to
# extra fields.
(cd "$work/zip-source" && zip -q -fz "$work/zip64.zip" aws-sns-topic.json aws-sqs-queue.json) ||
  exit 2
compiles zip64 "$work/zip64.zip"
cp "$work/zip64.zip" "$work/zip64-local-name.zip" || exit 2
rename_local "$work/zip64-local-name.zip" aws-sqs-queue.json aws-sns-topic.json
expect zip64-local-name "$work/zip64-local-name.zip" \
  "cfgate: error: provider schema zip '$work/zip64-local-name.zip' names entry 2 'aws-sqs-queue.json' in its central directory but 'aws-sns-topic.json' in its local header; tools that read the local header would see another file [snapshot]"

# A local header offset in a ZIP64 extended information field is read from
# there: the zip compiles, and a renamed local header behind it is found.
cp "$work/plain.zip" "$work/offset-extra.zip" || exit 2
offset_in_extra "$work/offset-extra.zip" 2
compiles offset-extra "$work/offset-extra.zip"
cp "$work/offset-extra.zip" "$work/offset-extra-local-name.zip" || exit 2
rename_local "$work/offset-extra-local-name.zip" aws-sqs-queue.json aws-sns-topic.json
expect offset-extra-local-name "$work/offset-extra-local-name.zip" \
  "names entry 2 'aws-sqs-queue.json' in its central directory but 'aws-sns-topic.json' in its local header"
cp "$work/plain.zip" "$work/offset-extra-short.zip" || exit 2
offset_in_extra "$work/offset-extra-short.zip" 2 short
# libzip rejects a field too short for the offset.
expect offset-extra-short "$work/offset-extra-short.zip" \
  "cfgate: error: cannot open provider schema zip '$work/offset-extra-short.zip': "

# A name that differs in a byte outside printable ASCII is shown escaped.
cp "$work/plain.zip" "$work/control-name.zip" || exit 2
rename_local "$work/control-name.zip" aws-sqs-queue.json "$(printf 'aws-sqs-queue.jso\t')"
expect control-name "$work/control-name.zip" \
  "names entry 2 'aws-sqs-queue.json' in its central directory but 'aws-sqs-queue.jso\\x09' in its local header"

# Folders: a subfolder without .json files is ignored.
mkdir -p "$work/folder/docs/old" || exit 2
cp "$schemas/aws-sqs-queue.json" "$work/folder/" || exit 2
printf 'notes\n' > "$work/folder/docs/old/README.txt"
compiles folder-docs "$work/folder"

cp "$schemas/aws-sns-topic.json" "$work/folder/docs/old/" || exit 2
expect folder-json "$work/folder" \
  "cfgate: error: provider schema folder '$work/folder' has the file 'docs/old/aws-sns-topic.json' in a subfolder; provider schema files must sit at the top level of the folder [snapshot]"
rm "$work/folder/docs/old/aws-sns-topic.json"

printf '{}\n' > "$work/folder/docs/Notes.JSON"
expect folder-upper-case "$work/folder" \
  "cfgate: error: provider schema folder '$work/folder' has the file 'docs/Notes.JSON' in a subfolder; provider schema files must sit at the top level of the folder [snapshot]"
rm "$work/folder/docs/Notes.JSON"

# A link to a folder is followed: here to a folder of schemas beside the
# snapshot.
ln -s "$work/zip-source" "$work/folder/docs/linked"
expect folder-linked "$work/folder" "has the file 'docs/linked/aws-s"
rm "$work/folder/docs/linked"

ln -s .. "$work/folder/docs/old/loop"
expect folder-loop "$work/folder" \
  "cfgate: error: too many nested subfolders in provider schema folder '$work/folder' at 'docs/old/loop/old/loop/old/loop/old/loop/old/loop/old/loop/old/loop/old/loop' (limit is 16) [snapshot]"
rm "$work/folder/docs/old/loop"
compiles folder-cleaned "$work/folder"
exit $status
