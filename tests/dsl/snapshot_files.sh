#!/bin/sh
# Checks that provider schema files that are not regular files, or are
# larger than the 16 MiB limit, are rejected with a message naming the
# file. This holds in a folder and for a zip entry. A misspelled type on
# such a snapshot still gets its suggestion without reading the large entry.
# Usage: snapshot_files.sh CFGATE PYTHON WORKDIR
set -u
cfgate=$1 python=$2 work=$3
status=0
rm -rf "$work" && mkdir -p "$work/folder" || exit 2
schemas=$work/folder
printf '{"typeName":"AWS::Good::One::Type","properties":{"A":{"type":"string"}}}\n' \
  > "$schemas/aws-good-one-type.json"
mkfifo "$schemas/aws-pipe-x-y.json"
ln -s /dev/zero "$schemas/aws-zero-x-y.json"
mkdir "$schemas/aws-folder-x-y.json"
truncate -s 17M "$schemas/aws-large-x-y.json"

# expect NAME SCHEMAS TYPE EXPECTED-TEXT
expect() {
  name=$1 snapshot=$2 type=$3 expected=$4
  printf 'type %s { A }\n' "$type" > "$work/$name.gate"
  output=$(timeout 60 "$cfgate" compile "$work/$name.gate" --schemas "$snapshot" \
    -o "$work/out-$name" 2>&1)
  code=$?
  failed=0
  if [ "$code" -ne 2 ]; then
    echo "$name: exit status $code, expected 2"; failed=1
  fi
  case $output in
    *"$name.gate:1:6: error: $expected"*) ;;
    *) echo "$name: the output lacks: $expected"; failed=1 ;;
  esac
  [ "$failed" -eq 0 ] || { printf '%s\n' "$output"; status=1; }
}

expect fifo "$schemas" AWS::Pipe::X::Y \
  "provider schema 'aws-pipe-x-y.json' in '$schemas' is not a regular file"
expect dev-zero "$schemas" AWS::Zero::X::Y \
  "provider schema 'aws-zero-x-y.json' in '$schemas' is not a regular file"
expect folder "$schemas" AWS::Folder::X::Y \
  "provider schema 'aws-folder-x-y.json' in '$schemas' is not a regular file"
expect large "$schemas" AWS::Large::X::Y \
  "provider schema 'aws-large-x-y.json' in '$schemas' is too large (limit is 16777216 bytes)"
expect typo-in-folder "$schemas" AWS::Good::One::Typo \
  "unknown resource type 'AWS::Good::One::Typo' in the provider schemas (did you mean 'AWS::Good::One::Type'?)"

"$python" - "$work/bomb.zip" <<'PY' || exit 2
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as archive:
    archive.writestr("aws-good-one-type.json",
                     '{"typeName":"AWS::Good::One::Type","properties":{"A":{}}}')
    archive.writestr("aws-large-x-y.json", " " * (17 << 20))
PY
expect large-in-zip "$work/bomb.zip" AWS::Large::X::Y \
  "provider schema 'aws-large-x-y.json' in '$work/bomb.zip' is too large (limit is 16777216 bytes)"
expect typo-in-zip "$work/bomb.zip" AWS::Good::One::Typo \
  "unknown resource type 'AWS::Good::One::Typo' in the provider schemas (did you mean 'AWS::Good::One::Type'?)"
exit $status
