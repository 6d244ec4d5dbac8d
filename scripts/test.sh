#!/usr/bin/env bash
# Install missing build dependencies, build, and run the whole test suite.
# The tests read the corpus folder beside the checkout, or the folder that
# $CFGATE_CORPUS names (passed to CMake as the cache variable of that name).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${CFGATE_BUILD_DIR:-$root/build}

corpus_option=()
[ -z "${CFGATE_CORPUS:-}" ] || corpus_option=(-DCFGATE_CORPUS="$CFGATE_CORPUS")
"$root/scripts/build.sh" "${corpus_option[@]}"

corpus=$(sed -n 's/^CFGATE_CORPUS:PATH=//p' "$build/CMakeCache.txt")
for folder in cfn-schemas/us-east-1 templates json-schema-test-suite; do
  if [ ! -d "$corpus/$folder" ]; then
    echo "test: no folder $folder in the corpus at $corpus (the tests need its cfn-schemas/us-east-1," \
      "templates and json-schema-test-suite folders); set CFGATE_CORPUS to the corpus folder" >&2
    exit 2
  fi
done
ctest --test-dir "$build" --output-on-failure -j "$(nproc)"
