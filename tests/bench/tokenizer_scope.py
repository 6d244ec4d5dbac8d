"""Tests of cfgate-tokenize, the tokenizer floor of the bench: its clock
covers tokenizing only, so a slow file read does not count, and its counts
of documents and bytes follow --repeat and --document.

usage: tokenizer_scope.py CFGATE_TOKENIZE
"""
import os
import subprocess
import sys
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "support"))
from scratch import scratch_writer  # noqa: E402

TOKENIZE = None
NDJSON = '{"a":1}\n[1,2,3]\n\n"text"\n'
# How long the writer of the named pipe waits between its two halves.
READ_DELAY_S = 1.0


def run_tokenizer(*args):
    """Run cfgate-tokenize and return its output fields as a dict of strings."""
    process = subprocess.run([TOKENIZE, *args], capture_output=True, text=True, timeout=60)
    if process.returncode != 0:
        raise AssertionError("cfgate-tokenize exited %d: %s" % (process.returncode, process.stderr))
    fields = process.stdout.split()
    return dict(zip(fields[0::2], fields[1::2]))


def write_slowly(path, text):
    """Write half of TEXT into the named pipe PATH, wait, then the rest."""
    with open(path, "w", encoding="ascii") as pipe:
        pipe.write(text[: len(text) // 2])
        pipe.flush()
        time.sleep(READ_DELAY_S)
        pipe.write(text[len(text) // 2:])


class TokenizerTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.write = staticmethod(scratch_writer("cfgate-tokenize-"))
        cls.ndjson = cls.write("lines.ndjson", NDJSON)

    def test_slow_read_not_timed(self):
        fifo = os.path.join(self.write.root, "slow.fifo")
        os.mkfifo(fifo)
        writer = threading.Thread(target=write_slowly, args=(fifo, NDJSON))
        writer.start()
        try:
            figures = run_tokenizer(fifo)
        finally:
            writer.join()
        self.assertEqual(figures["documents"], "3")
        self.assertLess(float(figures["seconds"]), READ_DELAY_S / 4)

    def test_ndjson_counts_documents(self):
        figures = run_tokenizer(self.ndjson)
        self.assertEqual(figures["documents"], "3")
        self.assertEqual(figures["malformed"], "0")
        self.assertEqual(figures["bytes"], str(len(NDJSON)))

    def test_repeat_multiplies_counts(self):
        figures = run_tokenizer("--repeat", "3", self.ndjson)
        self.assertEqual(figures["documents"], "9")
        self.assertEqual(figures["bytes"], str(3 * len(NDJSON)))

    def test_document_mode_one_text(self):
        figures = run_tokenizer("--document", self.ndjson)
        self.assertEqual(figures["documents"], "1")
        self.assertEqual(figures["malformed"], "1")

    def test_malformed_line_counted(self):
        path = self.write("bad.ndjson", '{"a":1}\n{"a":\n[]\n')
        figures = run_tokenizer(path)
        self.assertEqual(figures["documents"], "3")
        self.assertEqual(figures["malformed"], "1")


if __name__ == "__main__":
    TOKENIZE = sys.argv[1]
    unittest.main(argv=sys.argv[:1])
