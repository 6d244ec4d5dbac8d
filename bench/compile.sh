#!/bin/sh
# Times `cfgate compile` of `type T { * }` for every provider schema of a
# snapshot (1692 types in the us-east-1 corpus). Uses hyperfine when it is
# installed, else a single timed run.
# usage: bench/compile.sh [CFGATE] [SCHEMAS]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cfgate=${1:-$root/build/cli/cfgate}
schemas=${2:-${CFGATE_SCHEMAS:-$root/../shared/corpus/cfn-schemas/us-east-1}}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for file in "$schemas"/*.json; do
  sed -n 's/^ *"typeName" *: *"\([^"]*\)".*/type \1 { * }/p' "$file" | head -n 1
done > "$work/all.gate"
echo "$(wc -l < "$work/all.gate") types from $schemas"

if command -v hyperfine > /dev/null; then
  hyperfine --warmup 1 --runs 5 \
    "$cfgate compile $work/all.gate --schemas $schemas -o $work/out"
else
  time "$cfgate" compile "$work/all.gate" --schemas "$schemas" -o "$work/out"
fi
