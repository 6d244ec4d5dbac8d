#!/usr/bin/env bash
# Install missing build dependencies, build, and check CloudFormation templates
# against the baseline policy in examples/policies/baseline/.
#   scripts/demo.sh [--schemas DIR|ZIP] [TEMPLATE|DIR ...]
# Provider schemas come from --schemas, else from $CFGATE_SCHEMAS, else from
# the corpus folder beside the checkout ($CFGATE_CORPUS overrides its path).
# Without templates it checks the public template corpus of that folder.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${CFGATE_BUILD_DIR:-$root/build}
corpus=${CFGATE_CORPUS:-$root/../shared/corpus}

usage() {
  echo "usage: scripts/demo.sh [--schemas DIR|ZIP] [TEMPLATE|DIR ...]" >&2
  exit 2
}

schemas=${CFGATE_SCHEMAS:-}
case ${1:-} in
  --schemas) [ "$#" -ge 2 ] || usage; schemas=$2; shift 2 ;;
  --schemas=*) schemas=${1#--schemas=}; shift ;;
  -h|--help) usage ;;
esac
[ -n "$schemas" ] || schemas=$corpus/cfn-schemas/us-east-1
if [ ! -e "$schemas" ]; then
  echo "demo: no provider schemas at $schemas: pass --schemas DIR|ZIP or set CFGATE_SCHEMAS to a snapshot folder or CloudformationSchema.zip" >&2
  exit 2
fi

if [ "$#" -eq 0 ]; then
  if [ ! -d "$corpus/templates" ]; then
    echo "demo: no template corpus at $corpus/templates: name templates or folders to check, or set CFGATE_CORPUS" >&2
    exit 2
  fi
  set -- "$corpus/templates"
fi

"$root/scripts/build.sh" || exit 2

"$build/cli/cfgate" check --policy "$root/examples/policies/baseline" --schemas "$schemas" \
  --account-id 123456789012 --region us-east-1 "$@"
