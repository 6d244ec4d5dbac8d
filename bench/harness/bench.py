"""Run the cfgate benchmarks on generated workloads and write the results.

Called by bench/run.sh, which installs the peers, builds cfgate, compiles the
workload schemas and generates the workloads first. Exits 1 when any
validator disagrees with the expected verdict on any instance, or fails.
"""
import argparse
import os
import sys

import extras
import results
import throughput
import validators


def parse_args():
    parser = argparse.ArgumentParser(description="run the cfgate benchmarks")
    parser.add_argument("--workloads", required=True, help="folder of generated workloads")
    parser.add_argument("--out", required=True, help="folder for results.json, results.md and scratch files")
    parser.add_argument("--cfgate", required=True, help="path of the cfgate executable")
    parser.add_argument("--driver", help="path of cfgate-bench, cfgate in process (bench/driver)")
    parser.add_argument("--tokenizer", help="path of the tokenizer-only floor program, when built")
    parser.add_argument("--policy-dir", required=True, help="compiled baseline policy, for cfgate hook and check")
    parser.add_argument("--snapshot", required=True, help="provider schema snapshot folder")
    parser.add_argument("--templates", required=True, help="CloudFormation template corpus folder")
    parser.add_argument("--runs", type=int, default=3, help="runs per validator and workload (median)")
    parser.add_argument("--quick", action="store_true", help="agreement only: one run, no timing extras")
    return parser.parse_args()


def load_workloads(folder):
    names = sorted(n for n in os.listdir(folder) if os.path.exists(os.path.join(folder, n, "manifest.json")))
    return [throughput.Workload(os.path.join(folder, n)) for n in names]


def missing_programs(args, log):
    """Return notes on the cfgate rows that this run leaves out, and print them."""
    notes = []
    if not args.driver:
        notes.append("no in-process cfgate row: cfgate-bench was not given (--driver), so the cfgate "
                     "speedups are taken over cfgate-cli, the command line")
    if not args.tokenizer:
        notes.append("no tokenizer floor: cfgate-tokenize was not given (--tokenizer)")
    for note in notes:
        log.write("bench: NOTE: %s\n" % note)
    return notes


def available_validators(args, log):
    """Return (validators that can run here, {skipped validator: reason});
    print why each skipped validator is skipped."""
    candidates = [validators.CfgateValidator(args.cfgate)] + validators.PEERS
    if args.driver:
        candidates.insert(0, validators.CfgateDriver(args.driver))
    if args.tokenizer:
        candidates.append(validators.CfgateTokenizer(args.tokenizer))
    chosen, skipped = [], {}
    for validator in candidates:
        reason = validator.missing_reason()
        if reason:
            log.write("bench: SKIPPED %s: %s\n" % (validator.name, reason))
            skipped[validator.name] = reason
        else:
            chosen.append(validator)
    return chosen, skipped


def measure_extra(name, measure, log):
    """Run MEASURE() and return its result, or {"error": ...} when a tool it
    needs is missing or fails."""
    try:
        result = measure()
    except (extras.MeasurementFailed, validators.RunFailed) as error:
        result = {"error": str(error)}
    extras.log_error(name, result, log)
    return result


def run_extras(args, workloads, scratch, log):
    s3 = next((w for w in workloads if w.name == "s3-restricted"), None)
    if s3 is None:
        error = {"error": "no s3-restricted workload in %s: cold start and memory need it" % args.workloads}
        extras.log_error("cold_start", error, log)
        return {"cold_start": error}

    found = {"cold_start": measure_extra("cold_start", lambda: extras.cold_start(
        args.cfgate, args.policy_dir, s3, scratch, 0 if args.quick else 50, log), log)}
    if not args.quick:
        found["memory"] = measure_extra("memory", lambda: extras.memory_profile(
            args.cfgate, s3, extras.MEMORY_SIZES_MIB, log), log)
        found["check"] = measure_extra("check", lambda: extras.corpus_check(
            args.cfgate, args.policy_dir, args.snapshot, args.templates, 3, scratch), log)
        found["compile_all"] = measure_extra("compile_all", lambda: extras.compile_all(
            args.cfgate, args.snapshot, 3, scratch), log)
    return found


def main():
    args = parse_args()
    log = sys.stderr
    scratch = os.path.join(args.out, "scratch")
    os.makedirs(scratch, exist_ok=True)
    runs = throughput.Runs(1 if args.quick else args.runs, scratch)
    workloads = load_workloads(args.workloads)
    chosen, skipped = available_validators(args, log)
    notes = missing_programs(args, log)

    report = {"mode": "quick" if args.quick else "full", "runs": runs.count,
              "validators": [v.name for v in chosen], "skipped_validators": skipped, "notes": notes,
              "environment": results.environment(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), args.cfgate,
                                                 args.driver, args.tokenizer),
              "workloads": [throughput.measure_workload(w, chosen, runs, log) for w in workloads],
              "extras": {}}
    report["agreement"] = all(w["disagreements"] == 0 for w in report["workloads"])
    # Write the throughput results now, so a failure in the extras below
    # cannot lose them; the second write adds the extras.
    results.write(args.out, report)
    log.write("bench: throughput results written to %s\n" % os.path.join(args.out, "results.md"))

    report["extras"] = run_extras(args, workloads, scratch, log)
    report["environment"]["load_average_end"] = list(os.getloadavg())
    failed_extras = [name for name, value in report["extras"].items() if "error" in value]
    results.write(args.out, report)

    print("bench: results in %s" % os.path.join(args.out, "results.md"))
    if not report["agreement"]:
        print("bench: FAILED: verdicts disagree or a validator failed (see above)")
        return 1
    if failed_extras:
        print("bench: FAILED: %s could not be measured (see above)" % ", ".join(failed_extras))
        return 1
    summary = "bench: every validator that ran (%s) agrees on every instance of %s" % (
        ", ".join(v.name for v in chosen), results.count_of(len(workloads), "workload"))
    if skipped:
        summary += "; skipped, so not compared: %s" % ", ".join(sorted(skipped))
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
