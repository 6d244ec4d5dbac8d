#!/bin/sh
# Checks `cfgate compile` on policy folders at the edges: an empty folder
# is an error (and runs clean under UBSan), and a folder with more .gate
# files than the limit gets one error that names the folder.
# Usage: policy_folder_limits.sh CFGATE SCHEMAS WORKDIR
set -u
cfgate=$1 schemas=$2 work=$3
status=0
rm -rf "$work" && mkdir -p "$work/empty" "$work/many" || exit 2

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
exit $status
