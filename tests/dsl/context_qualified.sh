#!/bin/sh
# Checks that a context name with '::' parts can be declared, bound with
# --context and instantiated, and that the AWS:: namespace stays reserved.
# Usage: context_qualified.sh CFGATE SCHEMAS WORKDIR
set -u
cfgate=$1 schemas=$2 work=$3
status=0
mkdir -p "$work"
cat > "$work/policy.gate" <<'GATE'
context Org::Unit
context Org::cost_center
type AWS::SQS::Queue { QueueName = "${Org::Unit}-${Org::cost_center}" }
GATE
"$cfgate" compile "$work/policy.gate" --schemas "$schemas" -o "$work/out" || exit 1
template=$work/out/templates/aws-sqs-queue.json

echo '{"QueueName": "ops-42"}' > "$work/good.json"
echo '{"QueueName": "ops-43"}' > "$work/bad.json"
if ! "$cfgate" validate --schema "$template" --context Org::Unit=ops \
     --context Org::cost_center=42 "$work/good.json" > /dev/null; then
  echo "a queue named ops-42 was rejected"; status=1
fi
"$cfgate" validate --schema "$template" --context Org::Unit=ops \
  --context Org::cost_center=42 "$work/bad.json" > /dev/null 2>&1
code=$?
if [ "$code" -ne 1 ]; then
  echo "a queue named ops-43: exit status $code, expected 1"; status=1
fi

"$cfgate" instantiate "$template" --context Org::Unit=ops --context Org::cost_center=42 \
  > "$work/schema.json" || status=1
if ! grep -q '"ops-42"' "$work/schema.json"; then
  echo "the Org::Unit and Org::cost_center values were not substituted"; status=1
fi

printf 'context AWS::StackName\ntype AWS::SQS::Queue { QueueName }\n' > "$work/reserved.gate"
"$cfgate" compile "$work/reserved.gate" --schemas "$schemas" -o "$work/reserved" \
  2> "$work/stderr.txt"
code=$?
if [ "$code" -ne 2 ]; then
  echo "context AWS::StackName: exit status $code, expected 2"; status=1
fi
if ! grep -q "reserved.gate:1:9: error: context 'AWS::StackName' is in the AWS:: namespace" \
     "$work/stderr.txt"; then
  echo "no located error for context AWS::StackName"; cat "$work/stderr.txt"; status=1
fi
exit $status
