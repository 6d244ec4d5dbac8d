#!/usr/bin/env bash
# Build cfgate, cfgate-bench and cfgate-tokenize with profile-guided
# optimization (GCC) in BUILD_DIR:
#
#   bench/pgo.sh BUILD_DIR
#
# 1. an instrumented build (CFGATE_PGO=GENERATE);
# 2. training: the instrumented programs compile policies and validate the
#    training workloads, which bench/workloads/generate.py --training makes
#    from the provider schema snapshot for types that no benchmark workload
#    uses, so no measured schema or instance is trained on;
# 3. the build again with the recorded profile (CFGATE_PGO=USE).
#
# Each run starts from an empty profile in BUILD_DIR/pgo-profile. Needs the
# corpus (CFGATE_CORPUS, default shared/corpus beside the checkout) and
# python3-jsonschema. After a source change, run it again: GCC refuses a
# profile that no longer matches the code. Exits 2 when a step fails.
set -euo pipefail
bench=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$bench")
corpus=${CFGATE_CORPUS:-$root/../shared/corpus}
snapshot=$corpus/cfn-schemas/us-east-1
python=/usr/bin/python3
targets=(cfgate cfgate-bench cfgate-tokenize)

configured=0

# Reports a failed step and exits 2. Once the folder was configured for a
# profile, it is set back to a plain build, so that it keeps building.
fail() {
  echo "pgo: $1" >&2
  if [ "$configured" -eq 1 ]; then
    cmake -S "$root" -B "$build" -DCFGATE_PGO=OFF >/dev/null 2>&1 &&
      echo "pgo: $build is set back to a build without a profile (CFGATE_PGO=OFF)" >&2
  fi
  exit 2
}

case "${1:-}" in
  -h|--help) sed -n '2,/^[^#]/{/^#/s/^# \{0,1\}//p}' "$0"; exit 0 ;;
  ""|-*) fail "usage: bench/pgo.sh BUILD_DIR" ;;
esac
[ "$#" -eq 1 ] || fail "usage: bench/pgo.sh BUILD_DIR"
build=$1
[ -d "$snapshot" ] || fail "no provider schema snapshot at $snapshot; set CFGATE_CORPUS to the corpus folder"
[ ! -e "$build" ] || [ -d "$build" ] || fail "$build exists and is not a folder; pass a build folder"
if [ -d "$build" ] && [ "$(cd "$build" && pwd -P)" = "$(cd "$root" && pwd -P)" ]; then
  fail "$build is the source folder; pass a build folder such as build-pgo"
fi
profile=$build/pgo-profile
training=$build/pgo-training

build_stage() {
  configured=1
  cmake -S "$root" -B "$build" -DCFGATE_PGO="$1" -DCFGATE_PGO_DIR="$profile" >/dev/null ||
    fail "cmake could not configure $build with CFGATE_PGO=$1"
  cmake --build "$build" --target "${targets[@]}" -j 2 >/dev/null ||
    fail "the build with CFGATE_PGO=$1 failed; rerun it to see why: cmake --build $build --target ${targets[*]}"
}

# Restricted templates of the baseline policy and { * } templates, made as a
# deployment would make them: compiled, then instantiated for one account.
# Only the policy files without a benchmarked type are compiled
# (storage.gate has AWS::S3::Bucket, ec2-network.gate AWS::EC2::SecurityGroup).
training_templates() {
  local cfgate=$build/cli/cfgate compiled=$training/compiled star=$training/compiled/star.gate
  local baseline=$root/examples/policies/baseline
  rm -rf "$compiled" "$training/templates"
  mkdir -p "$compiled" "$training/templates"
  printf 'type %s { * }\n' AWS::DynamoDB::Table AWS::ECS::TaskDefinition AWS::CloudFront::Distribution >"$star"
  # Called after ||, where set -e does not apply, so every step returns
  # its own failure.
  "$cfgate" compile "$baseline/compute.gate" "$baseline/iam.gate" "$baseline/operations.gate" \
    --schemas "$snapshot" -o "$compiled/baseline" >/dev/null || return 1
  "$cfgate" compile "$star" --schemas "$snapshot" -o "$compiled/star" >/dev/null || return 1
  local pair source name contexts
  for pair in baseline/aws-lambda-function:lambda-function-restricted \
              baseline/aws-ec2-instance:ec2-instance-restricted \
              baseline/aws-iam-role:iam-role-restricted \
              baseline/aws-cloudwatch-alarm:cloudwatch-alarm-restricted \
              star/aws-dynamodb-table:dynamodb-table \
              star/aws-ecs-taskdefinition:ecs-taskdefinition \
              star/aws-cloudfront-distribution:cloudfront-distribution; do
    name=${pair##*:}
    source=${pair%:*}
    source=$compiled/${source%%/*}/templates/${source#*/}.json
    contexts=$("$python" "$bench/harness/context_args.py" "$source") || return 1
    # shellcheck disable=SC2086  # contexts holds one --context NAME=VALUE per word
    "$cfgate" instantiate "$source" $contexts >"$training/templates/$name.json" || return 1
  done
}

# Runs the instrumented programs on every training workload. A verdict that
# differs from the generator's is an error, as in the benchmark.
train() {
  local workload status
  for workload in "$training"/workloads/*/; do
    "$build/bench/driver/cfgate-bench" "$workload/schema.json" "$workload/instances.ndjson" \
      "$training/verdicts.txt" >/dev/null
    cmp -s "$training/verdicts.txt" "$workload/expected.txt" ||
      fail "cfgate-bench disagrees with the expected verdicts of $workload"
    "$build/bench/tokenizer/cfgate-tokenize" "$workload/instances.ndjson" >/dev/null
    status=0
    "$build/cli/cfgate" validate --ndjson --schema "$workload/schema.json" "$workload/instances.ndjson" \
      >/dev/null || status=$?
    # Status 1 means that some instances are invalid, as a fifth of them are.
    [ "$status" -le 1 ] || fail "cfgate validate failed with status $status on $workload"
  done
}

echo "pgo: instrumented build in $build"
rm -rf "$profile"
mkdir -p "$profile" "$training" 2>/dev/null || fail "cannot create folders in $build; pass a writable build folder"
build_stage GENERATE

echo "pgo: training"
training_templates || fail "compiling or instantiating the training templates failed (above)"
"$python" "$bench/workloads/generate.py" --training --snapshot "$snapshot" --out "$training/workloads" \
  --templates "$training/templates" >/dev/null || fail "generating the training workloads failed (above)"
train

echo "pgo: optimized build in $build"
build_stage USE
