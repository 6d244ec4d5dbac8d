#!/bin/sh
# Checks that a finding of `cfgate check` names the rule that rejects the
# value and its because: each case is a policy in findings/, a template,
# the expected rule location and the expected because ("" to skip it).
# Usage: findings.sh CFGATE SCHEMAS TESTDIR
set -u
cfgate=$1 schemas=$2 dir=$3/findings
status=0

expect() {
  policy=$1 template=$2 location=$3 because=$4
  output=$("$cfgate" check --policy "$dir/$policy" --schemas "$schemas" "$dir/$template")
  code=$?
  failed=0
  if [ "$code" -ne 1 ]; then
    echo "$policy $template: exit status $code, expected 1 (violation)"; failed=1
  fi
  case $output in
    *"$policy:$location]"*) ;;
    *) echo "$policy $template: the finding does not name $policy:$location"; failed=1 ;;
  esac
  if [ -n "$because" ]; then
    case $output in
      *"because: $because"*) ;;
      *) echo "$policy $template: the finding does not give because '$because'"; failed=1 ;;
    esac
  fi
  [ "$failed" -eq 0 ] || { printf '%s\n' "$output"; status=1; }
}

# A finding on a constraint that only the provider schema sets names the
# provider keyword (cfgate/KEYWORD), not the rule that lists the property,
# and gives no because.
expect_provider() {
  policy=$1 template=$2 keyword=$3
  output=$("$cfgate" check --policy "$dir/$policy" --schemas "$schemas" "$dir/$template")
  case $output in
    *"[cfgate/$keyword]"*) ;;
    *) echo "$policy $template: the finding does not name cfgate/$keyword"; status=1 ;;
  esac
  case $output in
    *"$policy:"*) echo "$policy $template: the finding names a rule of $policy"; status=1 ;;
  esac
  case $output in
    *"because:"*) echo "$policy $template: the finding gives a because"; status=1 ;;
  esac
}

# A finding names the rule at location, but no because: the rule has none
# of its own, even inside a block whose rule has one.
expect_without_because() {
  policy=$1 template=$2 location=$3
  output=$("$cfgate" check --policy "$dir/$policy" --schemas "$schemas" "$dir/$template")
  case $output in
    *"$policy:$location]"*) ;;
    *) echo "$policy $template: the finding does not name $policy:$location"; status=1 ;;
  esac
  case $output in
    *"because:"*) echo "$policy $template: the finding gives a because"; status=1 ;;
  esac
}

expect two-rules.gate wrong-prefix.yaml 3:5 "starts with a"
expect two-rules.gate too-long.yaml 4:5 "short"
expect deny.gate accelerated.yaml 4:10 ""
expect deny-required.gate accelerated.yaml 4:10 ""
expect required.gate unencrypted.yaml 4:5 "buckets are encrypted"
expect provider-required.gate tag-without-key.yaml 4:9 "every tag has a key"
expect_provider provider-required.gate empty-tag-key.yaml minLength
expect_without_because block-because.gate public-acls-missing.yaml 4:9
expect_without_because block-because.gate public-acls-false.yaml 4:9
expect block-because.gate public-policy-missing.yaml 5:9 "bucket policies stay private"
expect block-because.gate public-block-unknown.yaml 3:5 "all four settings are on"
# A type that a `type` line without a block denies names that line.
output=$("$cfgate" check --policy "$dir/denied-type.gate" --schemas "$schemas" "$dir/instance.yaml")
case $output in
  *"AWS::EC2::Instance is denied by 'type AWS::EC2::Instance' at $dir/denied-type.gate:2:6 [cfgate/denied-type]"*) ;;
  *) echo "denied-type.gate instance.yaml: the finding does not name the type line"
     printf '%s\n' "$output"; status=1 ;;
esac
exit $status
