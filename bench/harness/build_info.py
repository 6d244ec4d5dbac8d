"""Describe the cfgate binary a bench run measured: its build settings, read
from the CMake cache of the build folder above it, and the state of the
source checkout.

The checkout is the one the bench scripts run from. A binary given with
--cfgate may come from another checkout, so the report also keeps
`cfgate --version`, which names the commit the binary was built from.
"""
import glob
import os
import re
import shlex
import subprocess

CACHE_ENTRY = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*):[A-Z]+=(.*)$")
COMPILER_SETTING = re.compile(r'^set\((CMAKE_C_COMPILER_ID|CMAKE_C_COMPILER_VERSION) "(.*)"\)$')
# How many folders above the binary to look for CMakeCache.txt: the binary
# is BUILD/cli/cfgate in this project's layout.
MAX_LEVELS_UP = 3


def find_build_folder(executable):
    """Return the folder with CMakeCache.txt above EXECUTABLE, or None."""
    folder = os.path.dirname(os.path.realpath(executable))
    for _ in range(MAX_LEVELS_UP):
        if os.path.isfile(os.path.join(folder, "CMakeCache.txt")):
            return folder
        folder = os.path.dirname(folder)
    return None


def read_cache(folder):
    entries = {}
    with open(os.path.join(folder, "CMakeCache.txt"), encoding="utf-8", errors="replace") as f:
        for line in f:
            match = CACHE_ENTRY.match(line.rstrip("\n"))
            if match:
                entries[match.group(1)] = match.group(2)
    return entries


def read_compiler(folder):
    """Return "ID VERSION" of the C compiler CMake found for FOLDER, or "unknown"."""
    settings = {}
    for path in glob.glob(os.path.join(folder, "CMakeFiles", "*", "CMakeCCompiler.cmake")):
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                match = COMPILER_SETTING.match(line.strip())
                if match:
                    settings[match.group(1)] = match.group(2)
    if not settings:
        return "unknown"
    return "%s %s" % (settings.get("CMAKE_C_COMPILER_ID", "?"), settings.get("CMAKE_C_COMPILER_VERSION", "?"))


def read_runtime_flags(folder):
    """Return the C compiler flags the runtime was built with, or None.

    The flags show what the cache cannot: CMakeLists.txt picks the build type
    when none is given, and turns link-time optimization on only for
    optimized builds without sanitizers.
    """
    path = os.path.join(folder, "runtime", "CMakeFiles", "cfgate_runtime.dir", "flags.make")
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("C_FLAGS = "):
                    # CMake quotes a flag with a space, such as a profile
                    # folder path with one.
                    try:
                        return shlex.split(line[len("C_FLAGS = "):])
                    except ValueError:
                        return line[len("C_FLAGS = "):].split()
    except OSError:
        return None
    return None


def build_settings(executable):
    """Return the build type, link-time optimization, profile-guided
    optimization and compiler of EXECUTABLE."""
    folder = find_build_folder(executable)
    if folder is None:
        return {"folder": None, "build_type": "unknown", "lto": "unknown", "pgo": "unknown", "compiler": "unknown"}

    cache = read_cache(folder)
    flags = read_runtime_flags(folder)
    build_type = cache.get("CMAKE_BUILD_TYPE") or "none (no CMAKE_BUILD_TYPE)"
    lto = "unknown"
    if flags is not None:
        optimization = [flag for flag in flags if flag.startswith("-O")]
        build_type += " (%s)" % " ".join(optimization or ["no -O flag"])
        # A sanitizer build runs several times slower, so the build type names it.
        sanitizers = [flag for flag in flags if flag.startswith("-fsanitize=")]
        if sanitizers:
            build_type += " with sanitizers (%s)" % " ".join(sanitizers)
        lto = "ON" if any(flag.startswith("-flto") for flag in flags) else "OFF"
    return {"folder": folder, "build_type": build_type, "lto": lto, "pgo": pgo_setting(cache, flags),
            "compiler": read_compiler(folder)}


def pgo_setting(cache, flags):
    """Return the profile-guided optimization of a build: "OFF", "GENERATE
    (...)", "USE (...)" or "unknown". The flags decide when they are known,
    because the cache entry can change without a rebuild."""
    if flags is None:
        return cache.get("CFGATE_PGO", "unknown")
    if any(flag.startswith("-fprofile-use") for flag in flags):
        return "USE (profile of the bench/pgo.sh training workloads)"
    if any(flag.startswith("-fprofile-generate") for flag in flags):
        return "GENERATE (instrumented)"
    return "OFF"


def checkout_state(source):
    """Return the short HEAD commit of the checkout at SOURCE and whether it
    has uncommitted changes ("yes", "no" or "unknown")."""
    try:
        commit = subprocess.run(["git", "-C", source, "rev-parse", "--short", "HEAD"], capture_output=True,
                                text=True, timeout=30)
        status = subprocess.run(["git", "-C", source, "status", "--porcelain"],
                                capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return {"commit": "unavailable", "uncommitted_changes": "unknown"}
    if commit.returncode != 0 or status.returncode != 0:
        return {"commit": "unavailable", "uncommitted_changes": "unknown"}
    return {"commit": commit.stdout.strip(), "uncommitted_changes": "yes" if status.stdout.strip() else "no"}
