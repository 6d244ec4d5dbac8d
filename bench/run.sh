#!/usr/bin/env bash
# Benchmark cfgate against ajv, ajv standalone, @exodus/schemasafe,
# fastjsonschema and python-jsonschema on the same generated workloads, and
# check that every validator gives the same verdict on every instance.
#
#   bench/run.sh [--quick | --runs N]
#                [[--build-dir DIR] [--no-pgo] | --cfgate PATH [--driver PATH] [--tokenizer PATH]]
#                [--out DIR] [--allow-stand-in] [--no-setup]
#
#   --quick           small workloads, one run, agreement only (for CI)
#   --runs N          runs per validator and workload, median reported (default 3)
#   --build-dir DIR   cfgate build folder (default build-pgo/, or with --no-pgo
#                     $CFGATE_BUILD_DIR, else build/)
#   --no-pgo          build without profile-guided optimization (by default the
#                     build is made by bench/pgo.sh, which needs GCC)
#   --cfgate PATH     use this cfgate executable instead of building one
#   --driver PATH     with --cfgate: also run this cfgate-bench (cfgate in process)
#   --tokenizer PATH  with --cfgate: also run this cfgate-tokenize (tokenizer floor)
#   --out DIR         output folder (default bench/out/full or bench/out/quick)
#   --allow-stand-in  when `cfgate compile` or `cfgate instantiate` fails, use
#                     the generator's stand-in { * } schemas instead of stopping
#   --no-setup        do not install packages (bench/setup.sh)
#
# Options that take a value accept --option VALUE and --option=VALUE.
# Writes OUT/results.md and OUT/results.json. Exits 1 on any disagreement or
# failed measurement, 2 on bad usage or a failed build. A failed setup is
# reported and the bench goes on: peers that are not installed are skipped.
set -euo pipefail
bench=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$bench")
corpus=${CFGATE_CORPUS:-$root/../shared/corpus}
python=/usr/bin/python3

usage_error() {
  echo "bench: $1 (see bench/run.sh --help)" >&2
  exit 2
}

quick=0 runs="" build="" build_given=0 out="" stand_in=0 setup=1 pgo=1
cfgate="" driver="" tokenizer="" seen=""
while [ "$#" -gt 0 ]; do
  option=$1 value="" has_value=0
  case "$option" in
    --*=*) value=${option#*=}; option=${option%%=*}; has_value=1 ;;
  esac
  case "$option" in
    --runs|--build-dir|--cfgate|--driver|--tokenizer|--out)
      # A next argument that starts with -- is the next option, not a value
      # (write --out=--name for a folder named so).
      if [ "$has_value" -eq 0 ]; then
        [ "$#" -ge 2 ] && [[ "$2" != --* ]] || usage_error "$option needs a value"
        value=$2
        shift
      fi
      [ -n "$value" ] || usage_error "$option needs a value"
      ;;
    --quick|--allow-stand-in|--no-setup|--no-pgo|--help)
      [ "$has_value" -eq 0 ] || usage_error "$option takes no value"
      ;;
  esac
  case " $seen " in
    *" $option "*) usage_error "$option is given twice; each option may be given once" ;;
  esac
  seen="$seen $option"
  case "$option" in
    --quick) quick=1 ;;
    --runs) runs=$value ;;
    --build-dir) build=$value build_given=1 ;;
    --cfgate) cfgate=$value ;;
    --driver) driver=$value ;;
    --tokenizer) tokenizer=$value ;;
    --out) out=$value ;;
    --allow-stand-in) stand_in=1 ;;
    --no-setup) setup=0 ;;
    --no-pgo) pgo=0 ;;
    -h|--help) sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
    *) usage_error "unknown option '$option'" ;;
  esac
  shift
done

# A profile-guided build gets a folder of its own, so the tests' build in
# build/ never carries a profile that later source changes make stale.
if [ -z "$build" ]; then
  if [ "$pgo" -eq 1 ]; then build=$root/build-pgo; else build=${CFGATE_BUILD_DIR:-$root/build}; fi
fi
if [ -n "$runs" ]; then
  [[ "$runs" =~ ^[1-9][0-9]*$ ]] || usage_error "--runs must be a positive integer, not '$runs'"
  [ "$quick" -eq 0 ] || usage_error "--quick makes one run; leave out --runs $runs"
else
  runs=3
fi
if [ -z "$cfgate" ]; then
  [ -z "$driver" ] || usage_error "--driver needs --cfgate (a build supplies its own cfgate-bench)"
  [ -z "$tokenizer" ] || usage_error "--tokenizer needs --cfgate (a build supplies its own cfgate-tokenize)"
elif [ "$build_given" -eq 1 ]; then
  usage_error "--build-dir and --cfgate cannot be used together"
elif [ "$pgo" -eq 0 ]; then
  usage_error "--no-pgo applies to a build; with --cfgate nothing is built"
fi
for program in "$cfgate" "$driver" "$tokenizer"; do
  if [ -n "$program" ] && { [ ! -f "$program" ] || [ ! -x "$program" ]; }; then
    echo "bench: $program is not an executable file" >&2
    exit 2
  fi
done
[ -n "$out" ] || out=$bench/out/$([ "$quick" -eq 1 ] && echo quick || echo full)
snapshot=$corpus/cfn-schemas/us-east-1
templates=$corpus/templates
if [ ! -d "$snapshot" ]; then
  echo "bench: no provider schema snapshot at $snapshot; set CFGATE_CORPUS to the corpus folder" >&2
  exit 2
fi
# Only the full run checks the template corpus (cfgate check).
if [ "$quick" -eq 0 ] && [ ! -d "$templates" ]; then
  echo "bench: no template corpus at $templates; set CFGATE_CORPUS to the corpus folder" >&2
  exit 2
fi
if ! mkdir -p -- "$out/compiled" "$out/templates" 2>/dev/null || [ ! -w "$out" ]; then
  echo "bench: cannot create or write the output folder $out; pass a writable folder with --out" >&2
  exit 2
fi

if [ "$setup" -eq 1 ]; then
  "$bench/setup.sh" || { echo "bench: setup failed; peers that are not installed are skipped" >&2; }
fi

if [ -z "$cfgate" ] && [ "$pgo" -eq 1 ]; then
  echo "bench: building cfgate with profile-guided optimization in $build (bench/pgo.sh)"
  "$bench/pgo.sh" "$build" || { echo "bench: bench/pgo.sh failed (above); rerun with --no-pgo for a plain build" >&2; exit 2; }
elif [ -z "$cfgate" ]; then
  echo "bench: building cfgate in $build"
  cmake -S "$root" -B "$build" -DCFGATE_PGO=OFF >/dev/null || { echo "bench: cmake could not configure $build" >&2; exit 2; }
  cmake --build "$build" --target cfgate -j 2 >/dev/null || { echo "bench: build of cfgate failed" >&2; exit 2; }
fi
if [ -z "$cfgate" ]; then
  cfgate=$build/cli/cfgate
  if cmake --build "$build" --target cfgate-tokenize cfgate-bench -j 2 >/dev/null; then
    tokenizer=$build/bench/tokenizer/cfgate-tokenize
    driver=$build/bench/driver/cfgate-bench
  else
    echo "bench: WARNING: build of cfgate-bench or cfgate-tokenize failed; the in-process cfgate row" \
      "and the tokenizer floor are left out, and speedups are taken over cfgate-cli" >&2
  fi
  if [ ! -x "$cfgate" ]; then
    echo "bench: the build of $build made no executable $cfgate" >&2
    exit 2
  fi
fi

# Compile the baseline policy and { * } for the workload types, then fill in
# the placeholders the way a deployment would.
compile_templates() {
  local star=$out/compiled/star.gate
  printf 'type %s { * }\n' AWS::QuickSight::Dashboard AWS::WAFv2::WebACL AWS::EC2::SecurityGroup >"$star"
  rm -rf "$out/compiled/baseline" "$out/compiled/star"
  "$cfgate" compile "$root"/examples/policies/baseline/*.gate --schemas "$snapshot" -o "$out/compiled/baseline" &&
    "$cfgate" compile "$star" --schemas "$snapshot" -o "$out/compiled/star" &&
    instantiate baseline/templates/aws-s3-bucket.json s3-restricted &&
    instantiate star/templates/aws-quicksight-dashboard.json quicksight-dashboard &&
    instantiate star/templates/aws-wafv2-webacl.json wafv2-webacl &&
    instantiate star/templates/aws-wafv2-webacl.json large-webacl &&
    instantiate star/templates/aws-ec2-securitygroup.json ec2-securitygroup
}

instantiate() {
  local template=$out/compiled/$1
  local contexts
  contexts=$("$python" "$bench/harness/context_args.py" "$template") || return 1
  # shellcheck disable=SC2086  # contexts holds one --context NAME=VALUE per word
  "$cfgate" instantiate "$template" $contexts >"$out/templates/$2.json"
}

rm -f "$out"/templates/*.json
if ! compile_templates; then
  rm -f "$out"/templates/*.json
  if [ "$stand_in" -eq 0 ]; then
    echo "bench: cfgate compile or instantiate failed (above); rerun with --allow-stand-in to use stand-in schemas" >&2
    exit 1
  fi
  echo "bench: WARNING: cfgate compile or instantiate failed; using the generator's stand-in { * } schemas" >&2
fi

generate=("$python" "$bench/workloads/generate.py" --snapshot "$snapshot" --out "$out/workloads" --templates "$out/templates")
[ "$quick" -eq 1 ] && generate+=(--quick)
"${generate[@]}"

harness=("$python" "$bench/harness/bench.py" --workloads "$out/workloads" --out "$out" --cfgate "$cfgate"
         --policy-dir "$out/compiled/baseline" --snapshot "$snapshot" --templates "$templates" --runs "$runs")
[ "$quick" -eq 1 ] && harness+=(--quick)
[ -n "$tokenizer" ] && harness+=(--tokenizer "$tokenizer")
[ -n "$driver" ] && harness+=(--driver "$driver")
exec "${harness[@]}"
