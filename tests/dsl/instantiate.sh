#!/bin/sh
# Compiles the example policy, instantiates the S3 bucket template and checks
# instances against it with python3-jsonschema.
# usage: instantiate.sh CFGATE PYTHON SCHEMAS EXAMPLE_POLICY TESTS_DIR WORK_DIR
set -eu
cfgate=$1 python=$2 schemas=$3 policy=$4 tests=$5 work=$6

rm -rf "$work" && mkdir -p "$work"
"$cfgate" compile "$policy" --schemas "$schemas" -o "$work/out"

template="$work/out/templates/aws-s3-bucket.json"
"$cfgate" instantiate "$template" --context AWS::AccountId=123456789012 \
  --context AWS::Region=us-east-1 --context AWS::Partition=aws > "$work/s3.json"

check() { "$python" "$tests/check_instance.py" "$work/s3.json" "$tests/instances/$1" "$2" ${3:+"$3"}; }
check s3-compliant.json valid
check s3-foreign-topic.json invalid 210987654321
check s3-unknown-property.json invalid AccelerateConfigurationV2
check s3-unlisted-property.json invalid AccelerateConfiguration
check s3-public-acls.json invalid BlockPublicAcls
check s3-no-encryption-rule.json invalid "[] is too short"
check s3-empty-public-access-block.json invalid "'BlockPublicAcls' is a required property"
check s3-no-public-access-block.json invalid "'PublicAccessBlockConfiguration' is a required property"

# A built-in placeholder value of the wrong form is a usage error, as in
# cfgate check (placeholder_paths.py checks literal matching of values).
if "$cfgate" instantiate "$template" --context AWS::AccountId=123456789012 \
    --context AWS::Region=us-east-1 --context 'AWS::Partition=aws.x' > /dev/null 2> "$work/partition.txt"; then
  echo "instantiate with partition aws.x succeeded"; exit 1
fi
grep -F "invalid --context AWS::Partition 'aws.x'" "$work/partition.txt" > /dev/null

# Every missing value is an error line that names its placeholder.
if "$cfgate" instantiate "$template" --context AWS::AccountId=123456789012 > /dev/null 2> "$work/missing.txt"; then
  echo "instantiate without AWS::Partition succeeded"; exit 1
fi
cat > "$work/missing-expected.txt" <<EOF
$template: error: no value for placeholder 'AWS::Partition' (pass --context AWS::Partition=VALUE)
$template: error: no value for placeholder 'AWS::Region' (pass --context AWS::Region=VALUE)
EOF
diff "$work/missing-expected.txt" "$work/missing.txt"
# A region that is not UTF-8 fails the region name check (placeholder_values.py
# checks a custom value that is not UTF-8).
if "$cfgate" instantiate "$template" --context AWS::AccountId=123456789012 --context AWS::Partition=aws \
    --context "$(printf 'AWS::Region=\377')" > /dev/null 2> "$work/utf8.txt"; then
  echo "instantiate with a non-UTF-8 region succeeded"; exit 1
fi
grep -F "invalid --context AWS::Region" "$work/utf8.txt" > /dev/null
echo "instantiate checks passed"
