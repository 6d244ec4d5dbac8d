#!/bin/sh
# Times `cfgate compile` of one `in [...]` list of 2500 and of 10000 values
# (the list limit). SQS QueueName has no provider pattern. Lambda
# CodeSigningConfigArn has one, so every value is also matched against it.
# Both times grow linearly, because the list is built in O(n) and the
# provider pattern is compiled once per list.
# Uses hyperfine when it is installed, else a single timed run.
# usage: bench/in_list.sh [CFGATE] [SCHEMAS]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cfgate=${1:-$root/build/cli/cfgate}
schemas=${2:-${CFGATE_SCHEMAS:-$root/../shared/corpus/cfn-schemas/us-east-1}}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Writes a policy for type $1 whose property $2 lists $3 values made from the
# printf format $4 (the value's index is its only argument).
write_policy() {
  {
    printf 'type %s {\n    %s in [' "$1" "$2"
    i=0
    while [ "$i" -lt "$3" ]; do
      [ "$i" -eq 0 ] || printf ', '
      printf "\"$4\"" "$i"
      i=$((i + 1))
    done
    printf ']\n'
    [ "$1" = AWS::Lambda::Function ] && printf '    Role\n    Code\n'
    printf '}\n'
  }
}

for count in 2500 10000; do
  write_policy AWS::SQS::Queue QueueName "$count" 'queue-%d' > "$work/plain-$count.gate"
  write_policy AWS::Lambda::Function CodeSigningConfigArn "$count" \
    'arn:aws:lambda:us-east-1:123456789012:code-signing-config:csc-%017d' \
    > "$work/pattern-$count.gate"
done

for policy in "$work"/plain-2500.gate "$work"/plain-10000.gate "$work"/pattern-2500.gate \
  "$work"/pattern-10000.gate; do
  name=$(basename "$policy" .gate)
  if command -v hyperfine > /dev/null; then
    hyperfine --warmup 1 --runs 5 --command-name "$name" \
      "$cfgate compile $policy --schemas $schemas -o $work/out-$name"
  else
    echo "$name"
    time "$cfgate" compile "$policy" --schemas "$schemas" -o "$work/out-$name"
  fi
done
