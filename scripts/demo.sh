#!/usr/bin/env bash
# Install missing build dependencies, build, and check CloudFormation templates
# against the baseline policy in examples/policies/baseline/.
#   scripts/demo.sh [TEMPLATE|DIR ...]
# Without arguments it checks the public template corpus beside the checkout.
# Provider schemas come from $CFGATE_SCHEMAS, else from the corpus snapshot.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${CFGATE_BUILD_DIR:-$root/build}
corpus=$root/../shared/corpus

"$root/scripts/build.sh" || exit 2

schemas=${CFGATE_SCHEMAS:-$corpus/cfn-schemas/us-east-1}
if [ ! -e "$schemas" ]; then
  echo "demo: no provider schemas at $schemas; set CFGATE_SCHEMAS to a snapshot folder or CloudformationSchema.zip" >&2
  exit 2
fi

if [ "$#" -eq 0 ]; then
  set -- "$corpus/templates"
fi

"$build/cli/cfgate" check --policy "$root/examples/policies/baseline" --schemas "$schemas" \
  --account-id 123456789012 --region us-east-1 "$@"
