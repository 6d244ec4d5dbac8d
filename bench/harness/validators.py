"""The validators the bench runs, and how to run each one on a workload.

Every run returns a Measurement: compile time, validate time (parse
included), peak RSS and the verdict per line (1 valid, 0 invalid, E not JSON).
Any other cfgate verdict (failed, unverified) is kept by its name, so it
never matches an expected verdict and the agreement check reports it.
"""
import json
import math
import os
import shlex
import shutil
import subprocess
import tempfile
import time

BENCH = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PYTHON = "/usr/bin/python3"
NODE = os.environ.get("CFGATE_BENCH_NODE", "node")
TIME = "/usr/bin/time"


# The package each peer needs, to skip a peer whose package is missing.
NODE_MODULES = {"ajv": "ajv", "ajv-standalone": "ajv", "schemasafe": "@exodus/schemasafe"}
PYTHON_MODULES = {"jsonschema": "jsonschema", "fastjsonschema": "fastjsonschema"}

# The "verdict" of a `cfgate validate --format json` record, as a verdict code.
CLI_VERDICT_CODES = {"valid": "1", "invalid": "0", "malformed": "E"}
# The verdict letters of cfgate-bench that are neither valid nor invalid.
DRIVER_VERDICT_NAMES = {"F": "failed", "U": "unverified"}


class Measurement:
    """One run of one validator on one workload."""

    def __init__(self, compile_ms, validate_s, peak_rss_kib, verdicts):
        self.compile_ms = compile_ms
        self.validate_s = validate_s
        self.peak_rss_kib = peak_rss_kib
        self.verdicts = verdicts


class RunFailed(Exception):
    """A validator process failed; the message has its command and stderr."""


def timed_process(command, stdout=None):
    """Run COMMAND under /usr/bin/time; return (exit status, wall seconds,
    peak RSS in KiB, stderr text, stdout text or None when redirected).
    Raise RunFailed when /usr/bin/time cannot run."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as rss_file:
        start = time.perf_counter()
        try:
            process = subprocess.run([TIME, "-f", "%M", "-o", rss_file.name] + command,
                                     stdout=stdout or subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        except OSError as error:
            raise RunFailed("cannot run %s: %s (install the Debian package 'time')" % (TIME, error))
        wall = time.perf_counter() - start
        rss_lines = [line for line in rss_file.read().splitlines() if line.strip().isdigit()]
    rss = int(rss_lines[-1]) if rss_lines else 0
    return process.returncode, wall, rss, process.stderr, process.stdout


def read_verdicts(path):
    with open(path, encoding="ascii") as f:
        return f.read().split()


class PeerValidator:
    """A peer run by bench/peers/node_runner.js or python_runner.py."""

    def __init__(self, name, language, is_floor=False):
        self.name = name
        self.language = language
        self.is_floor = is_floor

    def missing_reason(self):
        """Return why this peer cannot run here, or None when it can."""
        if self.language == "node" and shutil.which(NODE) is None:
            return "%s is not installed (Debian package nodejs; bench/setup.sh installs it)" % NODE
        module = NODE_MODULES.get(self.name) if self.language == "node" else PYTHON_MODULES.get(self.name)
        if module is None:
            return None
        if self.language == "node":
            check = [NODE, "-e", "require.resolve(%s)" % json.dumps(module)]
        else:
            # -I keeps the working folder off sys.path: bench/regex/ would
            # otherwise shadow the regex module that jsonschema imports.
            check = [PYTHON, "-I", "-c", "import " + module]
        try:
            if subprocess.run(check, cwd=BENCH, capture_output=True).returncode == 0:
                return None
        except OSError as error:
            return "%s cannot run: %s (bench/setup.sh installs it)" % (check[0], error)
        if self.language == "node":
            return "%s is not installed (npm package %s, pinned in bench/package-lock.json; bench/setup.sh " \
                   "installs it)" % (module, module)
        return "%s is not installed (Debian package python3-%s; bench/setup.sh installs it)" % (module, module)

    def command(self, schema, data, verdicts):
        if self.language == "node":
            return [NODE, os.path.join(BENCH, "peers", "node_runner.js"), self.name, schema, data, verdicts]
        return [PYTHON, os.path.join(BENCH, "peers", "python_runner.py"), self.name, schema, data, verdicts]

    def run(self, workload, scratch):
        verdicts = os.path.join(scratch, "%s-%s.verdicts" % (self.name, workload.name))
        command = self.command(workload.peers_schema, workload.data, verdicts)
        status, wall, rss, stderr, stdout = timed_process(command)
        if status != 0:
            raise RunFailed("%s failed with status %d: %s\n%s" % (shlex.join(command), status, stdout, stderr[-2000:]))
        timing = json.loads(stdout.strip().splitlines()[-1])
        return Measurement(timing["compile_ms"], timing["validate_s"], rss, read_verdicts(verdicts))


class CfgateDriver(PeerValidator):
    """cfgate in process (bench/driver/cfgate-bench), timed the way the peer
    runners time their validators."""

    def __init__(self, executable):
        super().__init__("cfgate", "c")
        self.executable = executable

    def missing_reason(self):
        return None

    def command(self, schema, data, verdicts):
        return [self.executable, schema, data, verdicts]

    def run(self, workload, scratch):
        verdicts = os.path.join(scratch, "cfgate-%s.verdicts" % workload.name)
        command = self.command(workload.schema, workload.data, verdicts)
        status, _wall, rss, stderr, stdout = timed_process(command)
        if status != 0:
            raise RunFailed("%s failed with status %d: %s" % (shlex.join(command), status, stderr[-2000:]))
        timing = json.loads(stdout.strip().splitlines()[-1])
        named = [DRIVER_VERDICT_NAMES.get(v, v) for v in read_verdicts(verdicts)]
        return Measurement(timing["compile_ms"], timing["validate_s"], rss, named)


class CfgateValidator:
    """`cfgate validate --ndjson --format json --schema S FILE`, the command line.

    The command reports no timings of its own, so compile time is the median
    wall time of a run on a one-line input ("{}"), and validate time is a run's wall
    time minus that. Both include process start. When compilation takes
    much longer than validation, run-to-run noise swamps the difference."""

    name = "cfgate-cli"
    language = "c"
    is_floor = False

    def __init__(self, executable):
        self.executable = executable
        self.baseline_run_s = {}

    def missing_reason(self):
        return None

    def command(self, schema, data):
        return [self.executable, "validate", "--ndjson", "--format", "json", "--schema", schema, data]

    def startup(self, workload, scratch, runs):
        # An empty NDJSON stream is an input error (nothing was checked), so the
        # baseline run validates one small instance; valid or invalid both count.
        baseline = os.path.join(scratch, "baseline.ndjson")
        with open(baseline, "w") as f:
            f.write("{}\n")
        walls = []
        for _ in range(max(3, runs)):
            status, wall, _rss, stderr, _out = timed_process(self.command(workload.schema, baseline))
            if status not in (0, 1):
                raise RunFailed("cfgate validate on a one-line input failed with status %d: %s" % (status, stderr[-2000:]))
            walls.append(wall)
        walls.sort()
        self.baseline_run_s[workload.name] = walls[len(walls) // 2]

    def run(self, workload, scratch):
        if workload.name not in self.baseline_run_s:
            self.startup(workload, scratch, 3)
        output = os.path.join(scratch, "cfgate-cli-%s.jsonl" % workload.name)
        command = self.command(workload.schema, workload.data)
        with open(output, "w", encoding="utf-8") as out:
            status, wall, rss, stderr, _ = timed_process(command, stdout=out)
        if status not in (0, 1):
            raise RunFailed("%s failed with status %d: %s" % (shlex.join(command), status, stderr[-2000:]))
        startup = self.baseline_run_s[workload.name]
        # The difference is zero or less when the run was no slower than the
        # one-line run. The validate time is then lost in run-to-run noise,
        # and median_result reports it as not measurable.
        return Measurement(startup * 1000, wall - startup, rss, self.verdicts(output, stderr))

    def verdicts(self, output, stderr):
        verdicts = []
        with open(output, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                try:
                    record = json.loads(line)
                except ValueError:
                    raise RunFailed("cfgate validate wrote a line that is not JSON (line %d): %r" % (number, line[:200]))
                verdict = record.get("verdict")
                if not isinstance(verdict, str):
                    raise RunFailed("cfgate validate wrote a record without a verdict (line %d): %r"
                                    % (number, line[:200]))
                if record.get("valid") is not (verdict == "valid"):
                    raise RunFailed("cfgate validate wrote a record whose valid and verdict fields disagree "
                                    "(line %d): %r" % (number, line[:200]))
                verdicts.append(CLI_VERDICT_CODES.get(verdict, verdict))
        return verdicts


class CfgateTokenizer:
    """The tokenizer-only floor from bench/tokenizer: `cfgate-tokenize FILE`
    tokenizes every line, validates nothing and prints its own timing
    ("documents N malformed N bytes N seconds S ..."). Like cfgate-bench, it
    reads the file before its clock starts and splits lines inside it."""

    name = "cfgate-tokenizer"
    language = "c"
    is_floor = True

    def __init__(self, executable):
        self.executable = executable

    def missing_reason(self):
        return None

    def run(self, workload, scratch):
        command = [self.executable, workload.data]
        status, _, rss, stderr, stdout = timed_process(command)
        if status != 0:
            raise RunFailed("%s failed with status %d: %s" % (shlex.join(command), status, stderr[-2000:]))
        fields = stdout.split()
        figures = dict(zip(fields[0::2], fields[1::2]))
        if figures.get("malformed") != "0" or "seconds" not in figures:
            raise RunFailed("%s printed %r, expected 0 malformed documents and the seconds" % (shlex.join(command), stdout))
        # The floor divides the workload's size by this time, so the program
        # must have read the whole workload: every line and every byte.
        expected = {"documents": str(workload.lines), "bytes": str(workload.bytes)}
        for name, value in expected.items():
            if figures.get(name) != value:
                raise RunFailed("%s printed %s %s, expected %s (the workload's %s)"
                                % (shlex.join(command), name, figures.get(name, "nothing"), value,
                                   "lines" if name == "documents" else "size in bytes"))
        # A time of 0 (a tiny input) is kept, and the results call it not
        # measurable. A time that is not a number or below 0 is a failure.
        try:
            seconds = float(figures["seconds"])
        except ValueError:
            seconds = math.nan
        if not math.isfinite(seconds) or seconds < 0:
            raise RunFailed("%s printed seconds %s, expected a finite time of 0 or more"
                            % (shlex.join(command), figures["seconds"]))
        return Measurement(0.0, seconds, rss, None)


PEERS = [
    PeerValidator("ajv", "node"),
    PeerValidator("ajv-standalone", "node"),
    PeerValidator("schemasafe", "node"),
    PeerValidator("fastjsonschema", "python"),
    PeerValidator("jsonschema", "python"),
    PeerValidator("json-parse", "node", is_floor=True),
    PeerValidator("json-loads", "python", is_floor=True),
]
