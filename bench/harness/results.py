"""Write the bench results as results.json and a markdown report."""
import json
import os
import platform
import subprocess

import build_info

MIB_IN_KIB = 1024


def command_output(command):
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return "unavailable"


def package_version(bench, name):
    try:
        with open(os.path.join(bench, "node_modules", name, "package.json"), encoding="utf-8") as f:
            return json.load(f)["version"]
    except (OSError, ValueError, KeyError):
        return "not installed"


def bench_programs(driver, tokenizer):
    """Return (name, path) of cfgate-bench and cfgate-tokenize, each when given."""
    return [(name, program) for name, program in (("cfgate-bench", driver), ("cfgate-tokenize", tokenizer))
            if program]


def other_builds(cfgate, driver, tokenizer):
    """Return the builds of cfgate-bench and cfgate-tokenize, by program
    name, when their settings differ from cfgate's: the in-process row and
    the floor come from those programs. The build folder alone does not
    count as a difference."""
    def settings_of(program):
        settings = build_info.build_settings(program)
        return {key: value for key, value in settings.items() if key != "folder"}, settings

    own, _ = settings_of(cfgate)
    builds = {}
    for name, program in bench_programs(driver, tokenizer):
        compared, settings = settings_of(program)
        if compared != own:
            builds[name] = settings
    return builds


def program_versions(driver, tokenizer):
    """Return the `--version` line of cfgate-bench and cfgate-tokenize, which
    names the source commit each was built from."""
    versions = {}
    for name, program in bench_programs(driver, tokenizer):
        line = command_output([program, "--version"]).split("\n")[0]
        # A program built before --version existed prints its usage.
        versions[name] = line if line.startswith(name + " ") else "%s (commit unknown: no --version)" % name
    return versions


def environment(bench, cfgate, driver=None, tokenizer=None):
    cpu = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    python_versions = command_output(["/usr/bin/python3", "-c",
                                      "import importlib.metadata as m; print(m.version('jsonschema'), m.version('fastjsonschema'))"]).split()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "load_average_start": list(os.getloadavg()),
        "kernel": platform.release(),
        "cfgate": command_output([cfgate, "--version"]).split("\n")[0],
        "checkout": build_info.checkout_state(bench),
        "build": build_info.build_settings(cfgate),
        "other_builds": other_builds(cfgate, driver, tokenizer),
        "program_versions": program_versions(driver, tokenizer),
        "node": command_output([os.environ.get("CFGATE_BENCH_NODE", "node"), "--version"]),
        "ajv": package_version(bench, "ajv"),
        "ajv_formats": package_version(bench, "ajv-formats"),
        "schemasafe": package_version(bench, "@exodus/schemasafe"),
        "python": command_output(["/usr/bin/python3", "--version"]),
        "jsonschema": python_versions[0] if python_versions else "unavailable",
        "fastjsonschema": python_versions[1] if len(python_versions) > 1 else "unavailable",
    }


def format_ratio(value):
    return "-" if value is None else "%.1fx" % value


def count_of(number, noun):
    """Return "1 instance" or "N instances"."""
    return "%d %s%s" % (number, noun, "" if number == 1 else "s")


def format_figure(value, form):
    return "not measurable" if value is None else form % value


def agreement_table(workload):
    """Verdicts only: quick runs are too short for their timings to mean anything."""
    lines = ["### %s" % workload["workload"], "",
             "%s; schema from %s; disagreements or failures: %d." % (
                 count_of(workload["lines"], "instance"), workload["source"], workload["disagreements"]), "",
             "| validator | verdicts checked |", "| --- | --- |"]
    for r in workload["results"]:
        lines.append("| %s | %s |" % (r["validator"], "no (parse only)" if r["floor"] else "yes"))
    for name, error in sorted(workload["errors"].items()):
        lines.append("| %s | failed: %s |" % (name, error.splitlines()[0][:120]))
    lines.append("")
    return lines


def workload_table(workload):
    lines = ["### %s" % workload["workload"], "",
             "%.1f MB, %s; schema from %s." % (workload["bytes"] / 1e6, count_of(workload["lines"], "instance"),
                                               workload["source"]),
             "",
             "| validator | MB/s | instances/s | compile ms | peak RSS MiB | cfgate speedup |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    footnote = False
    for r in sorted(workload["results"], key=lambda r: -(r["mb_per_s"] or 0)):
        name = r["validator"] + (" (parse only)" if r["floor"] else "")
        if r["validator"] == "cfgate-cli" and (r["validate_s"] is None or r["compile_ms"] / 1000 > r["validate_s"]):
            name += " \\*"
            footnote = True
        lines.append("| %s | %s | %s | %.1f | %.1f | %s |" % (
            name, format_figure(r["mb_per_s"], "%.1f"), format_figure(r["instances_per_s"], "%.0f"),
            r["compile_ms"], r["peak_rss_kib"] / MIB_IN_KIB, format_ratio(r.get("cfgate_speedup"))))
    for name, error in sorted(workload["errors"].items()):
        lines.append("| %s | failed: %s | | | | |" % (name, error.splitlines()[0][:120]))
    lines.append("")
    if footnote:
        lines += ["\\* Schema compilation takes longer than validation here, so the command line's",
                  "figure (wall time minus a one-line run) is mostly run-to-run noise. It is not",
                  "measurable when the run took no longer than the one-line run.", ""]
    return lines


def timing_lines(title, entries):
    lines = ["### %s" % title, "", "| command | median ms | mean ms | min ms | max ms | runs |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for t in entries:
        lines.append("| %s | %.2f | %.2f | %.2f | %.2f | %d |" % (
            t.get("name", t["command"]), t["median_s"] * 1000, t["mean_s"] * 1000,
            t["min_s"] * 1000, t["max_s"] * 1000, t["runs"]))
    lines.append("")
    return lines


def extras_lines(extras):
    lines = []
    cold = extras.get("cold_start", {})
    if cold.get("timings"):
        lines += timing_lines("Cold start: one hook event, process start to response", cold["timings"])
    memory = extras.get("memory", {})
    if memory.get("results"):
        rows = memory["results"]
        fixed = all("fixed_layout_peak_rss_kib" in m for m in rows)
        lines += ["### Peak RSS of cfgate validate by stream size", "",
                  "| stream | median peak RSS KiB | min | max | runs | median, layout randomization off |",
                  "| ---: | ---: | ---: | ---: | ---: | ---: |"]
        lines += ["| %d MiB | %d | %d | %d | %d | %s |" % (
            m["stream_mib"], m["peak_rss_kib"], m["peak_rss_kib_min"], m["peak_rss_kib_max"], m["runs"],
            "%d" % m["fixed_layout_peak_rss_kib"] if fixed else "not measured") for m in rows]
        lines.append("")
        for key, label in (("peak_rss_kib", "medians"), ("fixed_layout_peak_rss_kib", "medians with layout randomization off")):
            if key == "peak_rss_kib" or fixed:
                values = [m[key] for m in rows]
                lines.append("Largest over smallest of the %s: %.1f%% more." % (label, 100.0 * (max(values) / min(values) - 1)))
        lines.append("")
    for key, title in (("check", "cfgate check over the template corpus"),
                       ("compile_all", "cfgate compile of { * } for every snapshot type")):
        if extras.get(key, {}).get("timing"):
            lines += timing_lines(title, [extras[key]["timing"]])
    for key, value in sorted(extras.items()):
        if isinstance(value, dict) and "error" in value:
            lines += ["- %s: not measured: %s" % (key, value["error"].splitlines()[0][:200]), ""]
        if isinstance(value, dict) and "skipped" in value:
            lines += ["- %s: skipped: %s" % (key, value["skipped"]), ""]
    return lines


def agreement_text(report):
    """Return "yes" or "NO", naming the skipped validators, which were not compared."""
    if not report["agreement"]:
        return "NO"
    skipped = sorted(report.get("skipped_validators", {}))
    if skipped:
        return "yes, among the validators that ran (not compared: %s)" % ", ".join(skipped)
    return "yes"


def write(out_dir, report):
    with open(os.path.join(out_dir, "results.json"), "w", encoding="utf-8") as f:
        json.dump(report, f, indent=1, sort_keys=True)
        f.write("\n")

    env = report["environment"]
    lines = ["# cfgate benchmark results", "",
             "Mode: %s, %s per validator and workload (median). Machine: %s, %d cores, Linux %s." % (
                 report["mode"], count_of(report["runs"], "run"), env["cpu"], env["cores"], env["kernel"]),
             "Versions: %s, node %s, ajv %s, ajv-formats %s, @exodus/schemasafe %s, %s, jsonschema %s, "
             "fastjsonschema %s." % (
                 env["cfgate"], env["node"], env["ajv"], env.get("ajv_formats", "unknown"), env["schemasafe"],
                 env["python"], env["jsonschema"], env["fastjsonschema"]),
             "cfgate build: %s, link-time optimization %s, profile-guided optimization %s, compiler %s. "
             "The bench's source checkout is "
             "at commit %s, uncommitted changes: %s; the binary's own commit is in its version above." % (
                 env["build"]["build_type"], env["build"]["lto"], env["build"]["pgo"], env["build"]["compiler"],
                 env["checkout"]["commit"], env["checkout"]["uncommitted_changes"]),
             "MB is 10^6 bytes. Verdicts agree on every instance: %s." % agreement_text(report),
             ""]
    versions = env.get("program_versions", {})
    if versions:
        lines[-1:-1] = ["Bench programs: %s." % ", ".join(versions[name] for name in sorted(versions))]
    for name, build in sorted(env.get("other_builds", {}).items()):
        if build["folder"] is None:
            lines[-1:-1] = ["%s is outside a build folder, so its build settings are unknown." % name]
            continue
        lines[-1:-1] = ["%s is from another build: %s, link-time optimization %s, profile-guided optimization "
                        "%s, compiler %s, folder %s." % (name, build["build_type"], build["lto"], build["pgo"],
                                                         build["compiler"], build["folder"])]
    if "load_average_end" in env:
        lines[-1:-1] = ["Load average (1, 5, 15 min) at the start: %s; at the end: %s." % (
            ", ".join("%.2f" % x for x in env["load_average_start"]),
            ", ".join("%.2f" % x for x in env["load_average_end"]))]
    lines += ["Note: %s." % note for note in report.get("notes", [])]
    lines += ["Skipped %s: %s." % item for item in sorted(report.get("skipped_validators", {}).items())]
    if report.get("notes") or report.get("skipped_validators"):
        lines.append("")
    for workload in report["workloads"]:
        lines += agreement_table(workload) if report["mode"] == "quick" else workload_table(workload)
    lines += extras_lines(report.get("extras", {}))
    with open(os.path.join(out_dir, "results.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
