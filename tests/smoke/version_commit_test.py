"""Tests of the source commit that `cfgate --version` prints.

    version_commit_test.py CFGATE HEADER SCRIPT

HEADER is the build_commit.h the build generated and SCRIPT is
cmake/BuildCommit.cmake. The script is run on scratch git checkouts: a clean
one, one with an uncommitted change and a folder that is no checkout.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

CFGATE = HEADER = SCRIPT = None
VERSION_LINE = re.compile(r"^cfgate (\d+\.\d+\.\d+) \(commit ([0-9a-f]{12}|unknown)(, with uncommitted changes)?\)$")
DEFINE = re.compile(r'^#define (CFGATE_BUILD_COMMIT|CFGATE_BUILD_TREE) "([^"]*)"$', re.M)


def read_header(path):
    with open(path, encoding="utf-8") as handle:
        return dict(DEFINE.findall(handle.read()))


def run_script(source, output):
    git = shutil.which("git") or ""
    result = subprocess.run(["cmake", "-DSOURCE_DIR=" + source, "-DOUTPUT=" + output,
                             "-DGIT_EXECUTABLE=" + git, "-P", SCRIPT], capture_output=True, text=True)
    if result.returncode != 0:
        raise AssertionError("BuildCommit.cmake failed: " + result.stderr)
    return read_header(output)


def git(folder, *args):
    result = subprocess.run(["git", "-C", folder, "-c", "user.name=cfgate", "-c", "user.email=cfgate@example.com"]
                            + list(args), capture_output=True, text=True)
    if result.returncode != 0:
        raise AssertionError("git %s failed: %s" % (" ".join(args), result.stderr))
    return result.stdout.strip()


class VersionOutput(unittest.TestCase):
    def test_prints_generated_commit(self):
        result = subprocess.run([CFGATE, "--version"], capture_output=True, text=True)
        self.assertEqual(result.returncode, 0)
        self.assertEqual(result.stderr, "")
        match = VERSION_LINE.match(result.stdout.rstrip("\n"))
        self.assertIsNotNone(match, "unexpected --version output: %r" % result.stdout)

        header = read_header(HEADER)
        self.assertEqual(match.group(2), header["CFGATE_BUILD_COMMIT"])
        self.assertEqual(match.group(3) is not None, header["CFGATE_BUILD_TREE"] == "modified")


@unittest.skipIf(shutil.which("git") is None, "git is not installed")
class BuildCommitScript(unittest.TestCase):
    def setUp(self):
        self.scratch = tempfile.mkdtemp(prefix="cfgate-version-")
        self.checkout = os.path.join(self.scratch, "src")
        self.output = os.path.join(self.scratch, "build_commit.h")
        os.mkdir(self.checkout)
        git(self.checkout, "init", "-q")
        with open(os.path.join(self.checkout, "a.txt"), "w", encoding="utf-8") as handle:
            handle.write("one\n")
        git(self.checkout, "add", "a.txt")
        git(self.checkout, "commit", "-q", "-m", "first")

    def tearDown(self):
        shutil.rmtree(self.scratch)

    def test_clean_checkout(self):
        header = run_script(self.checkout, self.output)
        self.assertEqual(header["CFGATE_BUILD_COMMIT"], git(self.checkout, "rev-parse", "--short=12", "HEAD"))
        self.assertEqual(header["CFGATE_BUILD_TREE"], "clean")

    def test_uncommitted_change(self):
        with open(os.path.join(self.checkout, "a.txt"), "a", encoding="utf-8") as handle:
            handle.write("two\n")
        header = run_script(self.checkout, self.output)
        self.assertEqual(header["CFGATE_BUILD_TREE"], "modified")

    def test_untracked_file_is_not_a_change(self):
        with open(os.path.join(self.checkout, "notes.txt"), "w", encoding="utf-8") as handle:
            handle.write("scratch\n")
        header = run_script(self.checkout, self.output)
        self.assertEqual(header["CFGATE_BUILD_TREE"], "clean")

    def test_new_commit_rewrites_header(self):
        first = run_script(self.checkout, self.output)["CFGATE_BUILD_COMMIT"]
        with open(os.path.join(self.checkout, "a.txt"), "a", encoding="utf-8") as handle:
            handle.write("two\n")
        git(self.checkout, "commit", "-q", "-am", "second")
        second = run_script(self.checkout, self.output)["CFGATE_BUILD_COMMIT"]
        self.assertNotEqual(first, second)
        self.assertEqual(second, git(self.checkout, "rev-parse", "--short=12", "HEAD"))

    def test_unchanged_header_is_not_rewritten(self):
        run_script(self.checkout, self.output)
        os.utime(self.output, (1000000000, 1000000000))
        run_script(self.checkout, self.output)
        self.assertEqual(os.stat(self.output).st_mtime, 1000000000)

    def test_folder_without_checkout(self):
        plain = os.path.join(self.scratch, "plain")
        os.mkdir(plain)
        header = run_script(plain, self.output)
        self.assertEqual(header, {"CFGATE_BUILD_COMMIT": "unknown", "CFGATE_BUILD_TREE": "unknown"})


if __name__ == "__main__":
    CFGATE, HEADER, SCRIPT = sys.argv[1], sys.argv[2], sys.argv[3]
    unittest.main(argv=sys.argv[:1])
