#!/bin/sh
# Checks that an included file is named by a normalized path: "." segments
# and "NAME/.." over a plain folder are removed in messages and in the
# manifest's sources, but a ".." after a symbolic link stays, because the
# link's target decides which folder it is.
# Usage: include_paths.sh CFGATE SCHEMAS WORKDIR
set -u
cfgate=$1 schemas=$2 work=$3
status=0
rm -rf "$work" && mkdir -p "$work/inc/sub" && cd "$work" || exit 2

printf 'include "inc/sub/../c.gate"\ntype AWS::SQS::Queue {\n  QueueName\n}\n' > main.gate
printf 'include "./sub/./../d.gate"\ntype AWS::SNS::Topic {\n  TopicName\n}\n' > inc/c.gate
printf 'type AWS::S3::Bucket {\n  BucketName\n}\n' > inc/d.gate
"$cfgate" compile main.gate --schemas "$schemas" -o out > /dev/null 2>&1 ||
  { echo "main.gate: compile failed"; status=1; }
for source in '"inc/c.gate"' '"inc/d.gate"'; do
  grep -q "$source" out/manifest.json ||
    { echo "manifest: no source $source"; grep -o '"sources"[^]]*]' out/manifest.json; status=1; }
done
if grep -q '\.\./\|/\./' out/manifest.json; then
  echo "manifest: a source path keeps '.' or '..'"; status=1
fi

printf 'type AWS::S3::Bucket {\n  BucketNme\n}\n' > inc/d.gate
output=$("$cfgate" compile main.gate --schemas "$schemas" -o out-error 2>&1)
case $output in
  *"inc/d.gate:2:3: error: unknown property 'BucketNme'"*) ;;
  *) echo "error: not at inc/d.gate:2:3"; printf '%s\n' "$output"; status=1 ;;
esac

ln -s inc/sub link || exit 2
printf 'include "link/../d.gate"\n' > linked.gate
output=$("$cfgate" compile linked.gate --schemas "$schemas" -o out-link 2>&1)
case $output in
  *"link/../d.gate:2:3: error: unknown property 'BucketNme'"*) ;;
  *) echo "link: the path was changed"; printf '%s\n' "$output"; status=1 ;;
esac
exit $status
