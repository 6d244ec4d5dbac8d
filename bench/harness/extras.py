"""Measurements beyond throughput: hook cold start, memory over stream
size, `cfgate check` over the template corpus, `cfgate compile` of `{ * }`."""
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess

from results import count_of
import validators

ACCOUNT_ID = "123456789012"
REGION = "us-east-1"
MIB = 1 << 20
MEMORY_SIZES_MIB = (10, 100, 1024)
MEMORY_RUNS = 5
HYPERFINE = "hyperfine"


class MeasurementFailed(Exception):
    """A measurement could not be made; the message names the tool and the fix."""


def hyperfine(commands, runs, scratch, label, ignore_failure=False):
    """Return hyperfine's median and mean per command, in seconds. COMMANDS
    are argument lists; each is quoted for hyperfine, which splits a
    command string like a shell when run with -N."""
    export = os.path.join(scratch, label + ".hyperfine.json")
    command = [HYPERFINE, "--runs", str(runs), "--warmup", "3" if runs >= 10 else "0",
               "--export-json", export, "--style", "none", "-N"]
    if ignore_failure:
        command.append("--ignore-failure")
    try:
        process = subprocess.run(command + [shlex.join(c) for c in commands],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    except OSError as error:
        raise MeasurementFailed("cannot run %s: %s (install the Debian package 'hyperfine', "
                                "or run bench/setup.sh)" % (HYPERFINE, error))
    if process.returncode != 0:
        raise MeasurementFailed("hyperfine exited %d while timing %s: %s"
                                % (process.returncode, label, process.stderr.strip()[-1000:]))
    with open(export, encoding="utf-8") as f:
        results = json.load(f)["results"]
    return [{"command": r["command"], "median_s": r["median"], "mean_s": r["mean"],
             "min_s": r["min"], "max_s": r["max"], "runs": len(r["times"])} for r in results]


def stringify_primitives(value):
    """Make every primitive a string, as CloudFormation Hooks deliver them."""
    if isinstance(value, dict):
        return {k: stringify_primitives(v) for k, v in value.items()}
    if isinstance(value, list):
        return [stringify_primitives(v) for v in value]
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def write_hook_event(workload, path):
    """Write a CREATE_PRE_PROVISION event for the first valid instance of WORKLOAD."""
    with open(workload.expected_file, encoding="ascii") as f:
        expected = f.read().split()
    with open(workload.data, encoding="utf-8") as f:
        lines = f.read().splitlines()
    properties = json.loads(lines[expected.index("1")])
    event = {
        "awsAccountId": ACCOUNT_ID,
        "stackId": "arn:aws:cloudformation:%s:%s:stack/bench/00000000-0000-0000-0000-000000000000" % (REGION, ACCOUNT_ID),
        "changeSetId": None,
        "hookTypeName": "Cfgate::Bench::Hook",
        "hookTypeVersion": "00000001",
        "hookModel": {},
        "actionInvocationPoint": "CREATE_PRE_PROVISION",
        "requestData": {"targetName": "AWS::S3::Bucket", "targetType": "RESOURCE",
                        "targetLogicalId": "BenchBucket",
                        "targetModel": {"resourceProperties": stringify_primitives(properties)}},
        "clientRequestToken": "bench-token",
    }
    with open(path, "w", encoding="utf-8") as f:
        json.dump(event, f)


def hook_status(command):
    process = subprocess.run(command, capture_output=True, text=True)
    try:
        return json.loads(process.stdout).get("hookStatus"), process
    except ValueError:
        return None, process


def missing_policy(policy_dir):
    """Return why POLICY_DIR is not a compiled policy, or None when it is."""
    if os.path.exists(os.path.join(policy_dir, "manifest.json")):
        return None
    return "no compiled policy in %s (cfgate compile failed)" % policy_dir


def policy_mismatch(policy_dir, workload):
    """Return why WORKLOAD's schema is not the compiled policy's schema of
    AWS::S3::Bucket, or None when it is. generate.py names a stand-in
    schema's source "stand-in ...", and then the workload's valid instances
    need not comply with the policy."""
    if missing_policy(policy_dir):
        return missing_policy(policy_dir)
    source = workload.manifest.get("source", "")
    if source.startswith("stand-in"):
        return "the %s schema is the %s, not the compiled policy" % (workload.name, source)
    return None


def cold_start(cfgate, policy_dir, workload, scratch, runs, log):
    """Time one hook event from process start to response: `cfgate hook`
    against the Python handler. Both must respond SUCCESS first. Skipped
    when the workload's schema is not the policy's, because its first valid
    instance then need not comply with the policy."""
    mismatch = policy_mismatch(policy_dir, workload)
    if mismatch:
        return {"skipped": mismatch}
    event = os.path.join(scratch, "hook-event.json")
    write_hook_event(workload, event)
    commands = [
        [cfgate, "hook", "--policy", policy_dir, "--event", event],
        [validators.PYTHON, os.path.join(validators.BENCH, "peers", "python_hook.py"),
         "--schema", workload.peers_schema, "--event", event],
    ]
    for command in commands:
        status, process = hook_status(command)
        if status != "SUCCESS":
            log.write("bench: hook returned hookStatus %r, expected SUCCESS: %s\nstdout: %s\nstderr: %s\n"
                      % (status, shlex.join(command), process.stdout[:2000], process.stderr[-2000:]))
            return {"error": "%s returned hookStatus %r for a compliant event" % (shlex.join(command), status)}
    if runs == 0:
        return {"checked": "both hooks answered SUCCESS", "timings": []}
    timings = hyperfine(commands, runs, scratch, "cold-start")
    for timing, name in zip(timings, ("cfgate hook", "python-jsonschema hook")):
        timing["name"] = name
    return {"timings": timings}


def stream_lines(lines, total_bytes, pipe):
    """Write LINES over and over to PIPE, whole lines only, up to
    TOTAL_BYTES: the stream ends less than one line short of it."""
    block = ("\n".join(lines) + "\n").encode()
    written = 0
    while written < total_bytes:
        piece = block[: total_bytes - written]
        if not piece.endswith(b"\n"):
            piece = piece[: piece.rfind(b"\n") + 1]
        if not piece:
            break
        pipe.write(piece)
        written += len(piece)
    pipe.close()
    return written


def memory_profile(cfgate, workload, sizes_mib, log, runs=MEMORY_RUNS):
    """Return cfgate validate's peak RSS for NDJSON streams of each size,
    fed on standard input so the stream never exists as a file. Each size
    runs RUNS times: the peak moved by up to 14% between runs of the same
    size when measured, so the median is compared. Most of that spread comes
    from address space layout randomization, so each size also runs RUNS
    times with it off (setarch -R) when setarch is installed."""
    with open(workload.data, encoding="utf-8") as f:
        lines = [line for line in f.read().splitlines()[:2000] if line]
    fixed_layout = shutil.which("setarch") is not None
    results = []
    for size in sizes_mib:
        log.write("bench: memory, %d MiB stream into cfgate validate (%s)\n" % (size, count_of(runs, "run")))
        log.flush()
        peaks, fixed_peaks = [], []
        variants = [(False, peaks)]
        if fixed_layout:
            variants.append((True, fixed_peaks))
        for _ in range(runs):
            for fixed, into in variants:
                peak = memory_run(cfgate, workload, lines, size, fixed)
                if "error" in peak:
                    return peak
                into.append(peak["peak_rss_kib"])
                written = peak["bytes"]
        result = {"stream_mib": size, "bytes": written, "peak_rss_kib": statistics.median(peaks),
                  "peak_rss_kib_min": min(peaks), "peak_rss_kib_max": max(peaks), "runs": runs}
        if fixed_peaks:
            result["fixed_layout_peak_rss_kib"] = statistics.median(fixed_peaks)
        results.append(result)
    return {"results": results}


def close_quietly(pipe):
    """Close PIPE whose reader has exited, dropping the bytes it still buffers."""
    try:
        pipe.close()
    except BrokenPipeError:
        pass


def memory_run(cfgate, workload, lines, size, fixed_layout):
    """Stream SIZE MiB of LINES into one cfgate validate, with address space
    layout randomization off when FIXED_LAYOUT. Return its peak RSS, or
    {"error": ...} when cfgate validate fails or stops reading early."""
    rss_file = os.path.join(os.path.dirname(workload.data), "..", "memory.time")
    prefix = ["setarch", platform.machine(), "-R"] if fixed_layout else []
    command = prefix + [validators.TIME, "-f", "%M", "-o", rss_file, cfgate, "validate", "--ndjson",
                        "--schema", workload.schema, "-"]
    try:
        process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    except OSError as error:
        raise MeasurementFailed("cannot run %s: %s (install the Debian package 'time' for %s)"
                                % (command[0], error, validators.TIME))

    try:
        written = stream_lines(lines, size * MIB, process.stdin)
    except BrokenPipeError:
        written = None
        close_quietly(process.stdin)
    stderr = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    status = process.wait()

    if written is None or status not in (0, 1):
        return {"error": "cfgate validate exited %d %s the %d MiB stream: %s"
                % (status, "before reading all of" if written is None else "on", size, stderr[-1000:].strip())}
    with open(rss_file, encoding="ascii") as f:
        peaks = [line for line in f.read().split() if line.isdigit()]
    if not peaks:
        return {"error": "%s wrote no peak RSS for the %d MiB stream" % (validators.TIME, size)}
    return {"bytes": written, "peak_rss_kib": int(peaks[-1])}


def corpus_check(cfgate, policy_dir, snapshot, templates, runs, scratch):
    """Time `cfgate check` over the template corpus. Exit status 1 or 2 is
    expected: corpus templates violate the baseline policy, and a few corpus
    files are not parseable templates. The run counts when it prints its
    summary line. Skipped when the policy was not compiled (a stand-in run)."""
    if missing_policy(policy_dir):
        return {"skipped": missing_policy(policy_dir)}
    command = [cfgate, "check", "--policy", policy_dir, "--schemas", snapshot, "--account-id", ACCOUNT_ID,
               "--region", REGION, templates]
    process = subprocess.run(command, capture_output=True, text=True)
    summary = [line for line in (process.stdout + process.stderr).splitlines() if line.strip()][-3:]
    result = {"exit_status": process.returncode, "summary": summary}
    if process.returncode not in (0, 1, 2) or not any(line.startswith("summary:") for line in summary):
        result["error"] = "cfgate check exited %d without a summary line" % process.returncode
        return result
    if runs:
        result["timing"] = hyperfine([command], runs, scratch, "check", ignore_failure=True)[0]
    return result


def write_all_types_policy(snapshot, path):
    names = []
    for entry in sorted(os.listdir(snapshot)):
        if entry.endswith(".json"):
            with open(os.path.join(snapshot, entry), encoding="utf-8") as f:
                names.append(json.load(f)["typeName"])
    with open(path, "w", encoding="utf-8") as f:
        f.write("# Every type of the snapshot, all writable properties allowed.\n")
        f.writelines("type %s { * }\n" % name for name in names)
    return len(names)


def compile_all(cfgate, snapshot, runs, scratch):
    """Time `cfgate compile` of `type T { * }` for every snapshot type."""
    policy = os.path.join(scratch, "all-types.gate")
    count = write_all_types_policy(snapshot, policy)
    command = [cfgate, "compile", policy, "--schemas", snapshot, "-o", os.path.join(scratch, "compiled-all")]
    process = subprocess.run(command, capture_output=True, text=True)
    result = {"types": count, "exit_status": process.returncode}
    if process.returncode != 0:
        result["error"] = "cfgate compile exited %d: %s" % (process.returncode, process.stderr[-1000:])
        return result
    if runs:
        result["timing"] = hyperfine([command], runs, scratch, "compile-all")[0]
    return result


def log_error(name, result, log):
    if "error" in result:
        log.write("bench: %s: %s\n" % (name, result["error"]))
    if "skipped" in result:
        log.write("bench: %s: skipped: %s\n" % (name, result["skipped"]))
