#!/bin/sh
# Checks that each rule on a property reports its own location and because:
# `cfgate check` on two templates against rule-branches/policy.gate.
# Usage: rule_branches.sh CFGATE SCHEMAS TESTDIR
set -u
cfgate=$1 schemas=$2 dir=$3/rule-branches
status=0

expect() {
  template=$1 location=$2 because=$3
  output=$("$cfgate" check --policy "$dir/policy.gate" --schemas "$schemas" "$dir/$template")
  code=$?
  if [ "$code" -ne 1 ]; then
    echo "$template: exit status $code, expected 1 (violation)"; status=1
  fi
  case $output in
    *"policy.gate:$location]"*) ;;
    *) echo "$template: the finding does not name policy.gate:$location"; status=1 ;;
  esac
  case $output in
    *"because: $because"*) ;;
    *) echo "$template: the finding does not give because '$because'"; status=1 ;;
  esac
  [ "$status" -eq 0 ] || printf '%s\n' "$output"
}

expect wrong-prefix.yaml 3:5 "starts with a"
expect too-long.yaml 4:5 "short"
exit $status
