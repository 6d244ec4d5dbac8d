#!/usr/bin/env bash
# Builds bench_regex_compile in an optimized build folder and prints the
# compile time of every distinct pattern of the provider schema snapshot,
# with the slowest ones as a Markdown table, for docs/BENCHMARKS.md.
# Usage: bench/regex/compile.sh [BUILD_DIR] [SLOWEST_COUNT]
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$root/build-bench-regex}"
slowest="${2:-10}"
corpus="${CFGATE_CORPUS:-$root/../shared/corpus}"
schemas="${CFGATE_SCHEMAS:-$corpus/cfn-schemas/us-east-1}"

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCFGATE_CORPUS="$corpus" > /dev/null
cmake --build "$build" --target bench_regex_compile -j2 > /dev/null

echo "Machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
"$build/tests/regex/bench_regex_compile" "$schemas" "$slowest"
