"""Generate the benchmark workloads: for each, a JSON Schema and an NDJSON file
of instances of which about 20% are invalid.

usage: generate.py --snapshot DIR --out DIR [--templates DIR] [--quick | --training] [--seed N]

--templates DIR contains schemas made by `cfgate compile` + `cfgate instantiate`,
named WORKLOAD.json. A workload without one falls back to a stand-in `{ * }`
derivation (star_schema.py), and its manifest records that.

Output per workload, in OUT/WORKLOAD/: schema.json (what cfgate validates
with), schema.peers.json (the same, minus patterns a peer cannot compile),
instances.ndjson, expected.txt (1 valid / 0 invalid per line, from
python-jsonschema), manifest.json.

--training writes the training workloads of the profile-guided build
(bench/pgo.sh) instead: other resource types than the benchmark's, so no
measured schema or instance is among them.
"""
import argparse
import hashlib
import json
import os
import random
import sys

try:
    import jsonschema
except ImportError as error:
    # The generator keeps only instances whose verdict python-jsonschema
    # confirms, so it cannot run without the package.
    sys.exit("generate: python-jsonschema is missing (%s); install the Debian package "
             "python3-jsonschema (bench/setup.sh does)" % error)

import portability
import star_schema
from instance_gen import InstanceGenerator, Skip
from mutate import KINDS, mutate

INVALID_SHARE = 0.2
MAX_REJECTS_PER_INSTANCE = 50
GENERATOR_VERSION = 3

# Realistic values for security group rules, where the schema only gives "string" or "integer".
SECURITY_GROUP_HINTS = {
    "IpProtocol": ["tcp", "udp", "icmp", "-1", "6", "17"],
    "CidrIp": ["10.0.0.0/8", "10.20.0.0/16", "172.16.0.0/12", "192.168.1.0/24", "203.0.113.7/32", "0.0.0.0/0"],
    "CidrIpv6": ["::/0", "2001:db8::/32", "2001:db8:1234::/48"],
    "FromPort": [22, 80, 443, 3306, 5432, 6379, 8080, 0, -1],
    "ToPort": [22, 80, 443, 3306, 5432, 6379, 8080, 65535, -1],
    "SourceSecurityGroupId": ["sg-0123456789abcdef0", "sg-0fedcba9876543210"],
    "DestinationSecurityGroupId": ["sg-0123456789abcdef0", "sg-0fedcba9876543210"],
    "SourcePrefixListId": ["pl-0123456789abcdef0"],
    "DestinationPrefixListId": ["pl-0123456789abcdef0"],
    "VpcId": ["vpc-0123456789abcdef0", "vpc-0abcdef1234567890"],
}

# name, provider schema file, generator settings, (quick, full) target sizes in bytes
WORKLOADS = [
    ("s3-restricted", "aws-s3-bucket", {}, (200_000, 32 << 20)),
    ("quicksight-dashboard", "aws-quicksight-dashboard", {"optional_rate": 0.75, "node_budget": 600}, (400_000, 32 << 20)),
    ("wafv2-webacl", "aws-wafv2-webacl", {"optional_rate": 0.7}, (200_000, 16 << 20)),
    ("ec2-securitygroup", "aws-ec2-securitygroup", {"optional_rate": 0.8, "max_extra_items": 8,
                                                    "hints": SECURITY_GROUP_HINTS}, (100_000, 16 << 20)),
]
LARGE = ("large-webacl", "aws-wafv2-webacl", (1 << 20, 100 << 20))
POOL_SIZE = (60, 600)

# Training workloads of bench/pgo.sh: four restricted templates of the
# baseline policy and three { * } templates, none of a benchmarked type.
TRAINING_SIZE = 2_000_000
TRAINING_SETTINGS = {"optional_rate": 0.7}
TRAINING_WORKLOADS = [
    ("lambda-function-restricted", "aws-lambda-function"),
    ("ec2-instance-restricted", "aws-ec2-instance"),
    ("iam-role-restricted", "aws-iam-role"),
    ("cloudwatch-alarm-restricted", "aws-cloudwatch-alarm"),
    ("dynamodb-table", "aws-dynamodb-table"),
    ("ecs-taskdefinition", "aws-ecs-taskdefinition"),
    ("cloudfront-distribution", "aws-cloudfront-distribution"),
]


def load_schema(name, provider_file, args):
    """Return (schema, source description) for one workload."""
    if args.templates:
        path = os.path.join(args.templates, name + ".json")
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                return json.load(f), "cfgate compile + cfgate instantiate"
    path = os.path.join(args.snapshot, provider_file + ".json")
    try:
        with open(path, encoding="utf-8") as f:
            provider = json.load(f)
    except OSError as error:
        sys.exit("generate: cannot read the provider schema %s for the stand-in schema of %s: %s"
                 % (path, name, error.strerror))
    except ValueError as error:
        sys.exit("generate: the provider schema %s is not valid JSON: %s" % (path, error))
    # cfgate compile rejects such a schema too, so the stand-in must not
    # turn it into a schema that admits only {}.
    if not isinstance(provider, dict):
        sys.exit("generate: the provider schema %s is not a JSON object" % path)
    if not isinstance(provider.get("properties"), dict) or not provider["properties"]:
        sys.exit("generate: the provider schema %s has no \"properties\" object with properties" % path)
    # NOTE: the stand-in reads only what star_schema.derive() copies, so a
    # provider schema that cfgate compile rejects for another keyword (such
    # as "required": "A") still gives a workload, marked as a stand-in.
    try:
        schema = star_schema.derive(provider)
        jsonschema.Draft7Validator.check_schema(schema)
    except jsonschema.SchemaError as error:
        sys.exit("generate: the stand-in schema from %s is not a valid draft-07 schema at %s: %s"
                 % (path, "/".join(str(part) for part in error.absolute_path) or "its root", error.message))
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        sys.exit("generate: cannot derive a stand-in schema from %s: %s: %s" % (path, type(error).__name__, error))
    return schema, "stand-in { * } derivation (bench/workloads/star_schema.py)"


def valid_pool(schema, validator, size, rng, settings, avoid):
    generator = InstanceGenerator(schema, rng, avoid, **settings)
    pool, rejects = [], 0
    while len(pool) < size:
        try:
            candidate = generator.instance()
        except Skip:
            candidate = None
        if candidate is not None and validator.is_valid(candidate):
            pool.append(candidate)
            continue
        rejects += 1
        if rejects > MAX_REJECTS_PER_INSTANCE * (len(pool) + 1):
            sys.exit("generate: only %d valid instances after %d rejected candidates" % (len(pool), rejects))
    return pool


def invalid_pool(schema, validator, valid, size, rng, avoid):
    pool, kinds = [], {kind: 0 for kind in KINDS}
    attempts = 0
    while len(pool) < size:
        attempts += 1
        if attempts > 20 * size:
            sys.exit("generate: could only make %d invalid instances" % len(pool))
        kind = KINDS[attempts % len(KINDS)]
        mutated = mutate(schema, rng.choice(valid), kind, rng, avoid)
        if mutated is not None and not validator.is_valid(mutated):
            pool.append(mutated)
            kinds[kind] += 1
    return pool, kinds


def write_lines(directory, valid, invalid, target_bytes, rng):
    """Write instances sampled from the pools until TARGET_BYTES; return the line count."""
    valid_text = [json.dumps(v, separators=(",", ":")) for v in valid]
    invalid_text = [json.dumps(v, separators=(",", ":")) for v in invalid]
    written = count = 0
    with open(os.path.join(directory, "instances.ndjson"), "w", encoding="utf-8") as data, \
         open(os.path.join(directory, "expected.txt"), "w", encoding="utf-8") as expected:
        while written < target_bytes or count < len(valid_text) + len(invalid_text):
            is_valid = rng.random() >= INVALID_SHARE
            line = rng.choice(valid_text if is_valid else invalid_text)
            data.write(line + "\n")
            expected.write("1\n" if is_valid else "0\n")
            written += len(line) + 1
            count += 1
            if count >= len(valid_text) + len(invalid_text) and written >= target_bytes:
                break
    return count


def write_json(path, value):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(value, f, indent=1, sort_keys=True)
        f.write("\n")


def prepare(name, provider_file, args):
    """Write both schemas of a workload; return (schema, peers schema, manifest, avoid)."""
    directory = os.path.join(args.out, name)
    os.makedirs(directory, exist_ok=True)
    schema, source = load_schema(name, provider_file, args)
    rejected = portability.rejected_patterns(schema)
    avoid = portability.avoided_patterns(schema, rejected)
    peers, dropped = portability.peer_schema(schema, rejected)
    write_json(os.path.join(directory, "schema.json"), schema)
    write_json(os.path.join(directory, "schema.peers.json"), peers)
    manifest = {"workload": name, "provider": provider_file, "source": source,
                "patterns_replaced_for_peers": rejected,
                "inapplicable_keywords_dropped_for_peers": dropped, "patterns_never_exercised": sorted(avoid)}
    return schema, peers, manifest, avoid


def cache_key(name, schema, args, extra):
    text = json.dumps([GENERATOR_VERSION, name, schema, args.seed, args.quick, extra], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


# The files of a workload folder besides manifest.json.
WORKLOAD_FILES = ("schema.json", "schema.peers.json", "instances.ndjson", "expected.txt")


def is_cached(directory, key):
    """Return whether DIRECTORY has a complete workload for KEY: the
    manifest's key matches, every file exists, instances.ndjson has the
    manifest's size and expected.txt one verdict per manifest line."""
    try:
        with open(os.path.join(directory, "manifest.json"), encoding="utf-8") as f:
            manifest = json.load(f)
        if manifest.get("cache_key") != key:
            return False
        if not all(os.path.isfile(os.path.join(directory, name)) for name in WORKLOAD_FILES):
            return False
        if os.path.getsize(os.path.join(directory, "instances.ndjson")) != manifest.get("bytes"):
            return False
        with open(os.path.join(directory, "expected.txt"), encoding="ascii") as f:
            return len(f.read().split()) == manifest.get("lines")
    except (OSError, ValueError):
        return False


def generate_workload(name, provider_file, settings, sizes, args):
    directory = os.path.join(args.out, name)
    schema, peers, manifest, avoid = prepare(name, provider_file, args)
    key = cache_key(name, schema, args, [settings, sizes])
    if is_cached(directory, key):
        print("generate: %s is up to date" % name)
        return
    rng = random.Random("%s/%d" % (name, args.seed))
    validator = jsonschema.Draft7Validator(peers)
    size = POOL_SIZE[0 if args.quick else 1]

    valid = valid_pool(peers, validator, size, rng, settings, avoid)
    invalid, kinds = invalid_pool(peers, validator, valid, max(1, int(size * INVALID_SHARE)), rng, avoid)
    lines = write_lines(directory, valid, invalid, sizes[0 if args.quick else 1], rng)

    manifest.update({"cache_key": key, "lines": lines, "distinct_valid": len(valid),
                     "distinct_invalid": len(invalid), "mutation_kinds": kinds,
                     "bytes": os.path.getsize(os.path.join(directory, "instances.ndjson"))})
    write_json(os.path.join(directory, "manifest.json"), manifest)
    print("generate: %s: %d lines, %d bytes" % (name, lines, manifest["bytes"]))


def generate_large(args):
    """Write one WebACL document whose Rules list fills the target size. Its
    rules come from valid generated WebACLs, and Rules has neither maxItems
    nor uniqueItems, so the whole document stays valid."""
    name, provider_file, sizes = LARGE
    directory = os.path.join(args.out, name)
    schema, peers, manifest, avoid = prepare(name, provider_file, args)
    key = cache_key(name, schema, args, sizes)
    if is_cached(directory, key):
        print("generate: %s is up to date" % name)
        return
    rng = random.Random("%s/%d" % (name, args.seed))
    validator = jsonschema.Draft7Validator(peers)
    pool = valid_pool(peers, validator, POOL_SIZE[0], rng, {"optional_rate": 0.7}, avoid)
    rules = [json.dumps(rule, separators=(",", ":")) for acl in pool for rule in acl.get("Rules", [])]
    if not rules:
        sys.exit("generate: no generated WebACL has Rules")

    base = dict(pool[0])
    base["Rules"] = "RULES-GO-HERE"
    head, tail = json.dumps(base, separators=(",", ":")).split('"RULES-GO-HERE"')
    target = sizes[0 if args.quick else 1]
    with open(os.path.join(directory, "instances.ndjson"), "w", encoding="utf-8") as data:
        data.write(head + "[")
        written = len(head) + 1
        while written < target:
            rule = rng.choice(rules)
            data.write(("," if written > len(head) + 1 else "") + rule)
            written += len(rule) + 1
        data.write("]" + tail + "\n")
    with open(os.path.join(directory, "expected.txt"), "w", encoding="utf-8") as expected:
        expected.write("1\n")
    manifest.update({"cache_key": key, "lines": 1, "distinct_rules": len(rules),
                     "bytes": os.path.getsize(os.path.join(directory, "instances.ndjson"))})
    write_json(os.path.join(directory, "manifest.json"), manifest)
    print("generate: %s: 1 document, %d bytes" % (name, manifest["bytes"]))


def generate_checked(name, generate):
    """Run GENERATE for workload NAME. A schema the instance generator
    cannot read (a reference to a missing definition, a property schema
    that is not an object) stops the run with one line, not a traceback."""
    try:
        generate()
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        sys.exit("generate: cannot generate instances for %s from its schema: %s: %s"
                 % (name, type(error).__name__, error))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--snapshot", required=True, help="folder of provider schema files")
    parser.add_argument("--out", required=True, help="output folder, one subfolder per workload")
    parser.add_argument("--templates", help="folder of instantiated cfgate schemas, WORKLOAD.json")
    parser.add_argument("--quick", action="store_true", help="small workloads for CI")
    parser.add_argument("--training", action="store_true",
                        help="the training workloads of the profile-guided build instead")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--only", action="append", help="generate only this workload (repeatable)")
    args = parser.parse_args()
    if args.training and args.quick:
        parser.error("--training and --quick cannot be used together")

    if args.training:
        # Small pools: the training run needs the common paths, not variety.
        args.quick = True
        for name, provider_file in TRAINING_WORKLOADS:
            if not args.only or name in args.only:
                generate_checked(name, lambda: generate_workload(name, provider_file, TRAINING_SETTINGS,
                                                                 (TRAINING_SIZE, TRAINING_SIZE), args))
        return

    for name, provider_file, settings, sizes in WORKLOADS:
        if not args.only or name in args.only:
            generate_checked(name, lambda: generate_workload(name, provider_file, settings, sizes, args))
    if not args.only or LARGE[0] in args.only:
        generate_checked(LARGE[0], lambda: generate_large(args))


if __name__ == "__main__":
    main()
