#!/usr/bin/env bash
# Peak resident memory of `cfgate validate --ndjson` on a 10 MiB and a 1 GiB
# NDJSON stream of the same instances. The runtime validates in a fixed
# workspace and the CLI reads fixed-size chunks, so both peaks should match
# within 5%; the script exits 1 when they do not.
#
#   bench/memory.sh [CFGATE]       (default: build/cli/cfgate)
#
# Data is generated under ${TMPDIR:-/tmp} and deleted on exit. Needs
# /usr/bin/time (GNU time, for -v) and about 1.1 GiB of free space.
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
cfgate=${1:-$root/build/cli/cfgate}
max_ratio_percent=105
small_bytes=$((10 * 1024 * 1024))
large_bytes=$((1024 * 1024 * 1024))

if [ ! -x "$cfgate" ]; then
  echo "memory.sh: $cfgate is not an executable; build first (scripts/build.sh) or pass its path" >&2
  exit 2
fi
if [ ! -x /usr/bin/time ]; then
  echo "memory.sh: /usr/bin/time not found; install the Debian package 'time'" >&2
  exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/cfgate-memory.XXXXXX")
trap 'rm -rf "$work"' EXIT

# A schema with the keywords that keep state while validating: nested
# objects, arrays with uniqueItems, patterns, enums and a $ref.
cat > "$work/schema.json" <<'SCHEMA'
{
  "$schema": "http://json-schema.org/draft-07/schema#",
  "type": "object",
  "additionalProperties": false,
  "required": ["BucketName", "Tags"],
  "properties": {
    "BucketName": {"type": "string", "pattern": "^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$"},
    "AccessControl": {"enum": ["Private", "PublicRead", "AuthenticatedRead", "LogDeliveryWrite"]},
    "VersioningConfiguration": {
      "type": "object", "additionalProperties": false, "required": ["Status"],
      "properties": {"Status": {"enum": ["Enabled", "Suspended"]}}
    },
    "LifecycleRules": {
      "type": "array", "maxItems": 1000,
      "items": {
        "type": "object", "additionalProperties": false,
        "properties": {
          "Id": {"type": "string", "maxLength": 255},
          "ExpirationInDays": {"type": "integer", "minimum": 1},
          "Prefix": {"type": "string"}
        }
      }
    },
    "Tags": {"type": "array", "uniqueItems": true, "items": {"$ref": "#/definitions/Tag"}}
  },
  "definitions": {
    "Tag": {
      "type": "object", "additionalProperties": false, "required": ["Key", "Value"],
      "properties": {
        "Key": {"type": "string", "minLength": 1, "maxLength": 128},
        "Value": {"type": "string", "maxLength": 256}
      }
    }
  }
}
SCHEMA

# Writes NDJSON lines until the file reaches the given size; every fifth
# instance is invalid (unknown property, wrong type or bad enum value).
generate() {
  /usr/bin/python3 - "$1" "$2" <<'PY'
import json, random, sys

path, size = sys.argv[1], int(sys.argv[2])
rng = random.Random(7)
written = 0
with open(path, "w") as out:
    i = 0
    while written < size:
        doc = {
            "BucketName": "acme-%06d-logs" % i,
            "AccessControl": rng.choice(["Private", "PublicRead"]),
            "VersioningConfiguration": {"Status": "Enabled"},
            "LifecycleRules": [{"Id": "rule-%d" % k, "ExpirationInDays": k + 1, "Prefix": "p/%d" % k}
                               for k in range(rng.randint(0, 6))],
            "Tags": [{"Key": "k%d" % k, "Value": "v%d" % (i * k)} for k in range(rng.randint(1, 12))],
        }
        if i % 5 == 4:
            kind = i % 3
            if kind == 0:
                doc["Unknown"] = True
            elif kind == 1:
                doc["Tags"] = "not-an-array"
            else:
                doc["AccessControl"] = "Everyone"
        line = json.dumps(doc, separators=(",", ":")) + "\n"
        out.write(line)
        written += len(line)
        i += 1
PY
}

# Sets peak_rss (KiB) and instances for one run: --format json writes one
# line per instance, so lines count verdicts.
measure() {
  local input=$1 rss_file=$work/time.txt status=0
  /usr/bin/time -v -o "$rss_file" "$cfgate" validate --schema "$work/schema.json" --ndjson --format json "$input" \
    > "$work/verdicts.txt" || status=$?
  # Exit status 1 is expected: a fifth of the instances are invalid.
  if [ "$status" -gt 1 ]; then
    echo "memory.sh: cfgate validate failed with exit status $status on $input" >&2
    exit 1
  fi
  peak_rss=$(awk -F': *' '/Maximum resident set size/ {print $2}' "$rss_file")
  instances=$(wc -l < "$work/verdicts.txt")
}

generate "$work/small.ndjson" "$small_bytes"
# The large stream repeats the small file, so both hold the same instances.
repeats=$(( (large_bytes + small_bytes - 1) / small_bytes ))
for _ in $(seq "$repeats"); do cat "$work/small.ndjson"; done > "$work/large.ndjson"

measure "$work/small.ndjson"
small_rss=$peak_rss small_count=$instances
measure "$work/large.ndjson"
large_rss=$peak_rss large_count=$instances

printf '%-8s %14s %12s %16s\n' stream bytes instances "peak RSS (KiB)"
printf '%-8s %14s %12s %16s\n' 10MiB "$(stat -c %s "$work/small.ndjson")" "$small_count" "$small_rss"
printf '%-8s %14s %12s %16s\n' 1GiB "$(stat -c %s "$work/large.ndjson")" "$large_count" "$large_rss"

if [ "$large_count" -ne $((small_count * repeats)) ]; then
  echo "memory.sh: the 1 GiB run reported $large_count verdicts, expected $((small_count * repeats))" >&2
  exit 1
fi
ratio_percent=$(( large_rss * 100 / small_rss ))
echo "peak RSS 1GiB / 10MiB = ${ratio_percent}% (limit ${max_ratio_percent}%)"
if [ "$ratio_percent" -gt "$max_ratio_percent" ] || [ "$ratio_percent" -lt $((200 - max_ratio_percent)) ]; then
  echo "memory.sh: peak memory differs by more than 5% between the two streams" >&2
  exit 1
fi
