#!/bin/sh
# Checks that `cfgate instantiate` warns about a --context name the template
# does not use, and not about a used one or a built-in one.
# Usage: instantiate_context.sh CFGATE SCHEMAS WORKDIR
set -u
cfgate=$1 schemas=$2 work=$3
status=0
mkdir -p "$work"
cat > "$work/policy.gate" <<'GATE'
context Team
type AWS::SQS::Queue { QueueName pattern "^${Team}-" }
GATE
"$cfgate" compile "$work/policy.gate" --schemas "$schemas" -o "$work/out" || exit 1
template=$work/out/templates/aws-sqs-queue.json

"$cfgate" instantiate "$template" --context Team=ops --context Bogus=1 \
  --context AWS::Region=us-east-1 > "$work/schema.json" 2> "$work/stderr.txt"
code=$?
if [ "$code" -ne 0 ]; then
  echo "exit status $code, expected 0"; status=1
fi
if ! grep -q "warning: the template has no placeholder '\${Bogus}'" "$work/stderr.txt"; then
  echo "no warning naming Bogus"; status=1
fi
if [ "$(grep -c warning "$work/stderr.txt")" -ne 1 ]; then
  echo "expected exactly one warning"; status=1
fi
if ! grep -q '"\^ops-"' "$work/schema.json"; then
  echo "the Team value was not substituted"; status=1
fi
[ "$status" -eq 0 ] || cat "$work/stderr.txt"
exit $status
