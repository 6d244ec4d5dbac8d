#!/usr/bin/env bash
# Install missing build dependencies, build, and check CloudFormation templates
# against the baseline policy in examples/policies/baseline/.
#   scripts/demo.sh [--schemas DIR|ZIP] [TEMPLATE|DIR ...]
# --schemas may come before or after the templates. Provider schemas come
# from --schemas, else from $CFGATE_SCHEMAS, else from the corpus folder
# beside the checkout ($CFGATE_CORPUS overrides its path).
# Without templates it checks the public template corpus of that folder.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${CFGATE_BUILD_DIR:-$root/build}
corpus=${CFGATE_CORPUS:-$root/../shared/corpus}
usage_line="usage: scripts/demo.sh [--schemas DIR|ZIP] [TEMPLATE|DIR ...]"

usage_error() {
  echo "demo: $1" >&2
  echo "$usage_line" >&2
  exit 2
}

schemas=""
schemas_given=0
templates=()
options_end=0
while [ "$#" -gt 0 ]; do
  argument=$1
  shift
  if [ "$options_end" -eq 1 ]; then
    templates+=("$argument")
    continue
  fi
  case $argument in
    --)
      options_end=1
      continue ;;
    -h|--help)
      echo "$usage_line"
      echo "Checks the templates (default: the corpus templates) against the baseline policy."
      echo "--schemas DIR|ZIP  provider schema snapshot (default: \$CFGATE_SCHEMAS, else the corpus)"
      exit 0 ;;
    --schemas|--schemas=*)
      [ "$schemas_given" -eq 0 ] || usage_error "option --schemas is given more than once"
      schemas_given=1
      if [ "$argument" = --schemas ]; then
        [ "$#" -ge 1 ] && [ -n "$1" ] || usage_error "option --schemas needs a value"
        schemas=$1
        shift
      else
        schemas=${argument#--schemas=}
        [ -n "$schemas" ] || usage_error "option --schemas needs a value"
      fi ;;
    -)
      templates+=("$argument") ;;
    -*)
      usage_error "unknown option $argument (a template named so goes after --)" ;;
    *)
      templates+=("$argument") ;;
  esac
done

if [ "$schemas_given" -eq 0 ]; then
  schemas=${CFGATE_SCHEMAS:-$corpus/cfn-schemas/us-east-1}
fi
if [ ! -e "$schemas" ]; then
  echo "demo: no provider schemas at $schemas: pass --schemas DIR|ZIP, set CFGATE_SCHEMAS to a snapshot folder or CloudformationSchema.zip, or set CFGATE_CORPUS to the corpus folder" >&2
  exit 2
fi

if [ "${#templates[@]}" -eq 0 ]; then
  if [ ! -d "$corpus/templates" ]; then
    echo "demo: no template corpus at $corpus/templates: name templates or folders to check, or set CFGATE_CORPUS to the corpus folder" >&2
    exit 2
  fi
  templates=("$corpus/templates")
fi
# After --, cfgate reads every argument as a file name, so "-" is a file.
[ "$options_end" -eq 0 ] || templates=(-- "${templates[@]}")

"$root/scripts/build.sh" || exit 2

"$build/cli/cfgate" check --policy "$root/examples/policies/baseline" --schemas "$schemas" \
  --account-id 123456789012 --region us-east-1 "${templates[@]}"
