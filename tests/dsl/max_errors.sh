#!/bin/sh
# Checks that `cfgate compile --max-errors` rejects values that are not a
# count from 1 to 10000 with exit status 2 and a message naming the value,
# and accepts a valid one.
# Usage: max_errors.sh CFGATE SCHEMAS POLICY WORKDIR
set -u
cfgate=$1 schemas=$2 policy=$3 work=$4
status=0

for value in abc -5 0 10001 5x; do
  output=$("$cfgate" compile "$policy" --schemas "$schemas" -o "$work" --max-errors "$value" 2>&1)
  code=$?
  if [ "$code" -ne 2 ]; then
    echo "--max-errors '$value': exit status $code, expected 2"; status=1
  fi
  case $output in
    *"invalid --max-errors value '$value'"*) ;;
    *) echo "--max-errors '$value': no message naming the value: $output"; status=1 ;;
  esac
done

# An empty value counts as missing, given after '=' or as the next argument.
empty_value() {
  output=$("$cfgate" compile "$policy" --schemas "$schemas" -o "$work" "$@" 2>&1)
  code=$?
  first=$(printf '%s\n' "$output" | head -n 1)
  if [ "$code" -ne 2 ] || [ "$first" != "cfgate compile: --max-errors needs a value" ]; then
    echo "empty --max-errors: exit status $code, output: $output"; status=1
  fi
}
empty_value --max-errors=
empty_value --max-errors ""

if ! "$cfgate" compile "$policy" --schemas "$schemas" -o "$work" --max-errors 3; then
  echo "--max-errors 3: rejected"; status=1
fi
exit $status
