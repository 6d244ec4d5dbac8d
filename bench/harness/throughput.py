"""Run every validator on every workload several times and keep the medians."""
import json
import os
import statistics

import agreement
from results import count_of
from validators import RunFailed


class Workload:
    """A generated workload folder: schema.json, schema.peers.json,
    instances.ndjson, expected.txt, manifest.json."""

    def __init__(self, directory):
        self.name = os.path.basename(directory.rstrip("/"))
        self.schema = os.path.join(directory, "schema.json")
        self.peers_schema = os.path.join(directory, "schema.peers.json")
        self.data = os.path.join(directory, "instances.ndjson")
        self.expected_file = os.path.join(directory, "expected.txt")
        with open(os.path.join(directory, "manifest.json"), encoding="utf-8") as f:
            self.manifest = json.load(f)
        self.bytes = os.path.getsize(self.data)
        self.lines = self.manifest["lines"]


def median_result(validator, workload, runs):
    """Return the median figures of RUNS runs plus the verdicts of each run."""
    measurements = [validator.run(workload, runs.scratch) for _ in range(runs.count)]
    validate_s = statistics.median(m.validate_s for m in measurements)
    # cfgate-cli's validate time is a difference of two wall times, so it can
    # be zero or negative. Its figures are then None ("not measurable").
    measurable = validate_s > 0
    return {
        "validator": validator.name,
        "language": validator.language,
        "floor": validator.is_floor,
        "runs": len(measurements),
        "compile_ms": statistics.median(m.compile_ms for m in measurements),
        "validate_s": validate_s if measurable else None,
        "mb_per_s": workload.bytes / validate_s / 1e6 if measurable else None,
        "instances_per_s": workload.lines / validate_s if measurable else None,
        "peak_rss_kib": statistics.median(m.peak_rss_kib for m in measurements),
        "peak_rss_kib_max": max(m.peak_rss_kib for m in measurements),
    }, [m.verdicts for m in measurements]


def verdicts_by_run(name, verdict_runs):
    """Return {label: verdicts} for the agreement check: the first run's
    verdicts as NAME and each later run whose verdicts differ from the
    first as "NAME run K". A run that repeats the first is left out
    because its verdicts are already checked."""
    labelled = {name: verdict_runs[0]}
    for number, verdicts in enumerate(verdict_runs[1:], 2):
        if verdicts != verdict_runs[0]:
            labelled["%s run %d" % (name, number)] = verdicts
    return labelled


class Runs:
    def __init__(self, count, scratch):
        self.count = count
        self.scratch = scratch


def measure_workload(workload, validators, runs, log):
    """Return (results, disagreements) for one workload. A validator that
    fails to run is recorded with its error and counts as disagreeing."""
    results, verdicts, errors = [], {}, {}
    for validator in validators:
        log.write("bench: %s on %s (%s)\n" % (validator.name, workload.name, count_of(runs.count, "run")))
        log.flush()
        try:
            result, verdict_runs = median_result(validator, workload, runs)
        except RunFailed as error:
            log.write("bench: FAILED: %s\n" % error)
            errors[validator.name] = str(error)
            continue
        results.append(result)
        if not validator.is_floor:
            verdicts.update(verdicts_by_run(validator.name, verdict_runs))

    expected = agreement.read_expected(workload.expected_file)
    found = agreement.disagreements(expected, verdicts)
    if found:
        agreement.report(workload, expected, found, log)
    add_ratios(results)
    return {"workload": workload.name, "bytes": workload.bytes, "lines": workload.lines,
            "source": workload.manifest.get("source"), "results": results, "errors": errors,
            "disagreements": len(found) + len(errors)}


def add_ratios(results):
    """Give each peer the ratio of cfgate's throughput to its own, from this
    run: cfgate in process when measured, else the command line. The ratio
    is None when either throughput is not measurable."""
    cfgate = next((r for r in results if r["validator"] == "cfgate"), None)
    cfgate = cfgate or next((r for r in results if r["validator"] == "cfgate-cli"), None)
    base = cfgate["mb_per_s"] if cfgate else None
    for result in results:
        measurable = base is not None and result["mb_per_s"] is not None
        result["cfgate_speedup"] = base / result["mb_per_s"] if measurable else None
