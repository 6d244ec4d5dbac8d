#!/usr/bin/env bash
# Builds bench_regex in an optimized build folder and prints the pattern
# throughput table (Markdown) for docs/BENCHMARKS.md.
# Usage: bench/regex/run.sh [BUILD_DIR] [PATTERN_COUNT]
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${1:-$root/build-bench-regex}"
count="${2:-20}"
corpus="${CFGATE_CORPUS:-$root/../shared/corpus}"

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DCFGATE_CORPUS="$corpus" > /dev/null
cmake --build "$build" --target bench_regex -j2 > /dev/null

echo "Machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "PCRE2: $(pkg-config --modversion libpcre2-8)"
echo
"$build/tests/regex/bench_regex" "$corpus/cfn-schemas/us-east-1" "$count"
