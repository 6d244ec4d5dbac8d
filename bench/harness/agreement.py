"""Compare the verdicts of every validator on every instance of a workload."""
import itertools

MAX_SHOWN = 5
MAX_INSTANCE_CHARS = 1500
# The only verdicts that can agree: 1 valid, 0 invalid. Any other verdict
# (E not JSON, failed, unverified, missing) is a disagreement.
COUNTED_VERDICTS = ("1", "0")


def read_expected(path):
    with open(path, encoding="ascii") as f:
        return f.read().split()


def disagreements(expected, verdicts_by_validator):
    """Return [(line number, {validator: verdict})] for each line where a
    validator's verdict differs from the expected one, is missing, or is
    neither valid nor invalid."""
    found = []
    for index, want in enumerate(expected):
        got = {name: (v[index] if index < len(v) else "missing") for name, v in verdicts_by_validator.items()}
        if any(verdict != want or verdict not in COUNTED_VERDICTS for verdict in got.values()):
            found.append((index + 1, got))
    for name, verdicts in verdicts_by_validator.items():
        if len(verdicts) > len(expected):
            found.append((len(expected) + 1, {name: "%d extra verdicts" % (len(verdicts) - len(expected))}))
    return found


def instance_at(path, line_number):
    with open(path, encoding="utf-8") as f:
        line = next(itertools.islice(f, line_number - 1, None), "")
    line = line.rstrip("\n")
    if len(line) > MAX_INSTANCE_CHARS:
        return line[:MAX_INSTANCE_CHARS] + "... (%d characters in all)" % len(line)
    return line


def report(workload, expected, found, out):
    """Print the first disagreements of WORKLOAD with their instances."""
    out.write("DISAGREEMENT in workload %s: %d of %d instances\n" % (workload.name, len(found), len(expected)))
    out.write("  (verdicts: 1 valid, 0 invalid, E not JSON; failed and unverified are neither)\n")
    for line_number, got in found[:MAX_SHOWN]:
        want = expected[line_number - 1] if line_number <= len(expected) else "none"
        verdicts = ", ".join("%s=%s" % item for item in sorted(got.items()))
        out.write("  line %d: expected %s (python-jsonschema at generation), got %s\n" % (line_number, want, verdicts))
        out.write("  instance: %s\n" % instance_at(workload.data, line_number))
    if len(found) > MAX_SHOWN:
        out.write("  ... and %d more\n" % (len(found) - MAX_SHOWN))
