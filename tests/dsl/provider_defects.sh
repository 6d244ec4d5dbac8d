#!/bin/sh
# Checks that `cfgate compile` rejects provider schemas with malformed
# subschemas, dangling $refs or numbers a double rounds, naming the policy
# location, the provider file and the JSON pointer or position of the
# defect, with exit status 2.
# Usage: provider_defects.sh CFGATE WORKDIR
set -u
cfgate=$1 work=$2
status=0
rm -rf "$work" && mkdir -p "$work" || exit 2
printf 'type AWS::X::Y::Z { A }\n' > "$work/policy.gate"

# expect NAME PROPERTY-SCHEMA POINTER PROBLEM [DEFINITIONS]
expect() {
  name=$1 property=$2 pointer=$3 problem=$4 definitions=${5:-"{}"}
  mkdir -p "$work/$name"
  printf '{"typeName":"AWS::X::Y::Z","definitions":%s,"properties":{"A":%s}}\n' \
    "$definitions" "$property" > "$work/$name/aws-x-y-z.json"
  output=$("$cfgate" compile "$work/policy.gate" --schemas "$work/$name" -o "$work/out-$name" 2>&1)
  code=$?
  failed=0
  if [ "$code" -ne 2 ]; then
    echo "$name: exit status $code, expected 2"; failed=1
  fi
  expected="policy.gate:1:6: error: invalid provider schema 'aws-x-y-z.json' in '$work/$name': $pointer: $problem"
  case $output in
    *"$expected"*) ;;
    *) echo "$name: the output lacks: $expected"; failed=1 ;;
  esac
  [ "$failed" -eq 0 ] || { printf '%s\n' "$output"; status=1; }
}

expect null 'null' /properties/A "a schema must be an object or a boolean"
expect string '"string"' /properties/A "a schema must be an object or a boolean"
expect number '5' /properties/A "a schema must be an object or a boolean"
expect empty-array '[]' /properties/A "a schema must be an object or a boolean"
expect schema-array '[{"type":"string"}]' /properties/A "a schema must be an object or a boolean"
expect ref-number '{"$ref":5}' '/properties/A/$ref' '$ref must be a string'
expect item-null '{"type":"array","items":null}' /properties/A/items \
  "a schema must be an object or a boolean"
expect branch-string '{"oneOf":[{"type":"string"},"x"]}' /properties/A/oneOf/1 \
  "a schema must be an object or a boolean"
expect dangling-ref '{"$ref":"#/definitions/Missing"}' '/properties/A/$ref' \
  '$ref "#/definitions/Missing" names no node in this schema' '{"B":{"type":"string"}}'
expect dangling-ref-in-definition '{"$ref":"#/definitions/B"}' '/definitions/B/items/$ref' \
  '$ref "#/definitions/Gone" names no node in this schema' \
  '{"B":{"type":"array","items":{"$ref":"#/definitions/Gone"}}}'
expect ref-cycle '{"$ref":"#/definitions/X"}' '/properties/A/$ref' \
  '$ref chain does not reach a schema (a cycle, or more than 64 hops)' \
  '{"X":{"$ref":"#/definitions/Y"},"Y":{"$ref":"#/definitions/X"}}'
expect remote-ref '{"$ref":"https://example.com/schema.json#/definitions/A"}' '/properties/A/$ref' \
  '$ref "https://example.com/schema.json#/definitions/A" names no node in this schema'
expect misspelled-type '{"type":"strin"}' /properties/A/type \
  "unknown type 'strin' (expected string, number, integer, boolean, object, array or null)"
expect type-list-number '{"type":["string",5]}' /properties/A/type \
  "unknown type that is not a string (expected string, number, integer, boolean, object, array or null)"

# A number that a double rounds would move a bound in the restricted template.
mkdir -p "$work/rounded"
printf '{"typeName":"AWS::X::Y::Z","definitions":{},\n"properties":{"A":{"type":"number","maximum":3599.99999999999999999}}}\n' \
  > "$work/rounded/aws-x-y-z.json"
output=$("$cfgate" compile "$work/policy.gate" --schemas "$work/rounded" -o "$work/out-rounded" 2>&1)
case $output in
  *"policy.gate:1:6: error: invalid provider schema 'aws-x-y-z.json' in '$work/rounded' at line 2, column 46: number 3599.99999999999999999 cannot be held exactly (a double reads it as 3600) [snapshot]"*) ;;
  *) echo "rounded: the output lacks the rounding error"; printf '%s\n' "$output"; status=1 ;;
esac

# nested_schema LEVELS: writes a provider schema whose property A contains LEVELS
# nested object schemas and prints the compile output.
nested_schema() {
  levels=$1 property='{"type":"string"}' i=0
  while [ "$i" -lt "$levels" ]; do
    property="{\"type\":\"object\",\"properties\":{\"B\":$property}}"
    i=$((i + 1))
  done
  mkdir -p "$work/nested-$levels"
  printf '{"typeName":"AWS::X::Y::Z","definitions":{},"properties":{"A":%s}}\n' "$property" \
    > "$work/nested-$levels/aws-x-y-z.json"
  "$cfgate" compile "$work/policy.gate" --schemas "$work/nested-$levels" -o "$work/out-nested-$levels" 2>&1
}

# A with 254 nested schemas is 256 levels with the root: the limit compiles,
# one more level is an error.
output=$(nested_schema 254) || { echo "254 nested schemas: compile failed"; printf '%s\n' "$output"; status=1; }
output=$(nested_schema 255)
case $output in
  *"policy.gate:1:6: error: invalid provider schema 'aws-x-y-z.json' in '$work/nested-255': /properties/A/properties/B/"*": too many nested schemas (limit is 256) [snapshot]"*) ;;
  *) echo "255 nested schemas: the output lacks the nesting limit error"; printf '%s\n' "$output"; status=1 ;;
esac
exit $status
