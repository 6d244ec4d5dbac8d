"""Checks that runtime/utf8_invisible_table.c is what
runtime/gen_invisible_table.py writes from the Unicode Character Database
of this machine, so the table and its generator cannot drift apart. Exits
77 (skipped) when the database is not installed.

usage: invisible_table_test.py SOURCE_DIR [UCD_DIR]
"""
import os
import subprocess
import sys

source = sys.argv[1]
ucd = sys.argv[2] if len(sys.argv) > 2 else "/usr/share/unicode"

if not os.path.exists(os.path.join(ucd, "DerivedCoreProperties.txt")):
    print("skipped: no Unicode Character Database in %s" % ucd)
    sys.exit(77)

generator = os.path.join(source, "runtime", "gen_invisible_table.py")
generated = subprocess.run([sys.executable, generator, ucd], capture_output=True, text=True,
                           check=True, timeout=120).stdout
with open(os.path.join(source, "runtime", "utf8_invisible_table.c"), encoding="utf-8") as handle:
    committed = handle.read()
assert generated == committed, "runtime/utf8_invisible_table.c differs from the generator's output"
print("ok: utf8_invisible_table.c matches %s" % ucd)
