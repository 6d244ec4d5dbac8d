#!/usr/bin/env bash
# Cold start of `cfgate hook` for one create event per resource type. The
# policy is `type T { * }` for each type, compiled once, and each event is
# the example S3 create event with its target replaced. The validator of
# the event's type is built on every call, patterns included, so types
# whose schemas have large patterns show the cost of compiling them.
#
#   bench/cold_start.sh [CFGATE] [SCHEMAS]
#
# Needs hyperfine and Debian's /usr/bin/python3 (for the event JSON).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cfgate=${1:-$root/build/cli/cfgate}
schemas=${2:-${CFGATE_SCHEMAS:-$root/../shared/corpus/cfn-schemas/us-east-1}}
example=$root/examples/hook-events/create-compliant-bucket.event.json

if ! command -v hyperfine > /dev/null; then
  echo "cold_start.sh: hyperfine not found; install the Debian package 'hyperfine'" >&2
  exit 2
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/cfgate-cold.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Each type with properties that satisfy its provider schema.
declare -A properties=(
  ["AWS::S3::Bucket"]='{"BucketName":"acme-logs"}'
  ["AWS::Amplify::Branch"]='{"AppId":"d123","BranchName":"main","Tags":[{"Key":"a","Value":"b"}]}'
  ["AWS::WAFv2::WebACL"]='{"DefaultAction":{"Allow":{}},"Scope":"REGIONAL","VisibilityConfig":{"CloudWatchMetricsEnabled":true,"MetricName":"m","SampledRequestsEnabled":true}}'
)

for type in "${!properties[@]}"; do
  echo "type $type { * }"
done > "$work/all.gate"
"$cfgate" compile "$work/all.gate" --schemas "$schemas" -o "$work/policy" > /dev/null

commands=()
for type in "${!properties[@]}"; do
  event=$work/$(echo "$type" | tr ':' '_').json
  /usr/bin/python3 - "$example" "$type" "${properties[$type]}" "$event" << 'PY'
import json, sys
example, target, props, out = sys.argv[1:]
event = json.load(open(example))
event["requestData"]["targetName"] = target
event["requestData"]["targetType"] = target
event["requestData"]["targetModel"] = {"resourceProperties": json.loads(props)}
json.dump(event, open(out, "w"))
PY
  response=$("$cfgate" hook --policy "$work/policy" --event "$event") || true
  case $response in
    *'"SUCCESS"'*) ;;
    *) echo "cold_start.sh: $type: the hook did not return SUCCESS: $response" >&2; exit 1 ;;
  esac
  commands+=(--command-name "$type" "$cfgate hook --policy $work/policy --event $event")
done

hyperfine -N --warmup 3 --runs 50 "${commands[@]}"
