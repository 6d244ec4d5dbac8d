#!/bin/sh
# Checks that "${!" means the same before and after `cfgate instantiate`.
# The policy's "${!!x}" is the literal text "${!x}", and a --context value
# "${!y" is inserted as it is. `cfgate check` of the template, `cfgate
# validate` of the template with the context, and `cfgate validate` of the
# instantiated schema (a plain draft-07 schema) must give each instance the
# same verdict.
# Usage: instantiate_escape.sh CFGATE SCHEMAS WORKDIR
set -u
cfgate=$1 schemas=$2 work=$3
status=0
rm -rf "$work" && mkdir -p "$work" || exit 2
cat > "$work/policy.gate" <<'GATE'
context Team
type AWS::SQS::Queue {
    QueueName in ["${!!x}", "${Team}"]
}
GATE
"$cfgate" compile "$work/policy.gate" --schemas "$schemas" -o "$work/out" || exit 2
template=$work/out/templates/aws-sqs-queue.json
"$cfgate" instantiate "$template" --context 'Team=${!y' > "$work/plain.json" || exit 2

# verdicts NAME EXPECTED: the three commands on QueueName NAME must all
# give EXPECTED (valid or invalid).
verdicts() {
  printf '{"QueueName": "%s"}\n' "$1" > "$work/instance.json"
  printf 'Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      QueueName: "%s"\n' \
    "$1" > "$work/template.yaml"
  "$cfgate" check --policy "$work/policy.gate" --schemas "$schemas" --context 'Team=${!y' \
    "$work/template.yaml" > /dev/null 2>&1
  check=$?
  "$cfgate" validate --schema "$template" --context 'Team=${!y' "$work/instance.json" \
    > /dev/null 2>&1
  template_code=$?
  "$cfgate" validate --schema "$work/plain.json" "$work/instance.json" > /dev/null 2>&1
  plain=$?
  expected_code=0
  [ "$2" = valid ] || expected_code=1
  for pair in "check:$check" "validate-template:$template_code" "validate-instantiated:$plain"; do
    if [ "${pair#*:}" -ne "$expected_code" ]; then
      echo "QueueName '$1': ${pair%%:*} exit status ${pair#*:}, expected $expected_code ($2)"
      status=1
    fi
  done
}

verdicts '${!x}' valid
verdicts '${x}' invalid
verdicts '${!y' valid
verdicts '${y' invalid
exit $status
