#!/bin/sh
# Checks `cfgate compile` on policy folders at the edges. An empty folder
# is an error (and runs clean under UBSan). A folder with more .gate files
# than the limit gets one error that names the folder. A FIFO or a folder
# named *.gate in a policy folder is an error, but a FIFO named on the
# command line is read.
# Usage: policy_folder_limits.sh CFGATE SCHEMAS WORKDIR
set -u
cfgate=$1 schemas=$2 work=$3
status=0
rm -rf "$work" && mkdir -p "$work/empty" "$work/many" "$work/special/sub.gate" || exit 2

output=$("$cfgate" compile "$work/empty" --schemas "$schemas" -o "$work/out-empty" 2>&1)
code=$?
[ "$code" -eq 2 ] || { echo "empty folder: exit status $code, expected 2"; status=1; }
case $output in
  *"cfgate: error: $work/empty holds no .gate file, so the policy would deny everything"*) ;;
  *) echo "empty folder: the output lacks the empty-policy error"; status=1 ;;
esac
case $output in
  *"runtime error"*) echo "empty folder: sanitizer report"; status=1 ;;
esac

i=0
while [ "$i" -lt 1025 ]; do
  printf 'let l%d = 1\n' "$i" > "$work/many/f$i.gate"
  i=$((i + 1))
done
output=$("$cfgate" compile "$work/many" --schemas "$schemas" -o "$work/out-many" 2>&1)
code=$?
[ "$code" -eq 2 ] || { echo "1025 files: exit status $code, expected 2"; status=1; }
expected="cfgate: error: too many .gate files in policy folder '$work/many': 1025 (limit is 1024) [limit]"
lines=$(printf '%s\n' "$output" | grep -c 'too many')
[ "$lines" -eq 1 ] || { echo "1025 files: $lines limit errors, expected 1"; status=1; }
case $output in
  *"$expected"*) ;;
  *) echo "1025 files: the output lacks: $expected"; status=1 ;;
esac
[ "$status" -eq 0 ] || printf '%s\n' "$output"

printf 'type AWS::SQS::Queue {\n  QueueName\n}\n' > "$work/special/queue.gate"
mkfifo "$work/special/pipe.gate" || exit 2
output=$(timeout 60 "$cfgate" compile "$work/special" --schemas "$schemas" -o "$work/out-special" 2>&1)
code=$?
[ "$code" -eq 2 ] || { echo "FIFO in folder: exit status $code, expected 2"; status=1; }
for expected in \
  "cfgate: error: '$work/special/pipe.gate' in policy folder '$work/special' is a FIFO, not a regular file: a FIFO is read only when named on the command line [io]" \
  "cfgate: error: '$work/special/sub.gate' in policy folder '$work/special' is a folder, not a regular file [io]"; do
  case $output in
    *"$expected"*) ;;
    *) echo "FIFO in folder: the output lacks: $expected"; status=1 ;;
  esac
done

cat "$work/special/queue.gate" > "$work/special/pipe.gate" &
writer=$!
output=$(timeout 60 "$cfgate" compile "$work/special/pipe.gate" --schemas "$schemas" -o "$work/out-fifo" 2>&1)
code=$?
# A compile that failed before it opened the FIFO leaves the writer blocked.
kill "$writer" 2>/dev/null
wait
[ "$code" -eq 0 ] || { echo "FIFO named: exit status $code, expected 0: $output"; status=1; }
[ -f "$work/out-fifo/templates/aws-sqs-queue.json" ] || { echo "FIFO named: no template written"; status=1; }
exit $status
