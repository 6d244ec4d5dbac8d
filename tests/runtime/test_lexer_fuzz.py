"""Differential fuzzing of the tokenizer against Python's json module.

Generates random JSON documents from a fixed seed, damages some of them
(a byte replaced, inserted or removed), and checks that the tokenizer
accepts exactly the documents Python accepts, with the same events, and
that 1-byte and 7-byte chunks give the same event logs as whole files. Python
accepts two things RFC 8259 and the tokenizer do not, so those documents
must be rejected instead: unpaired surrogate escapes and numbers beyond the
tokenizer's limits (more than 64 significant digits, 256 characters or an
exponent part beyond 999999999).

Usage: test_lexer_fuzz.py TEST_LEXER_DUMP [COUNT]
"""
import decimal
import json
import os
import random
import subprocess
import sys
import tempfile

import test_lexer_python as reference

NOISE = [b'"', b"\\", b"{", b"}", b"[", b"]", b",", b":", b"0", b"-", b"e", b".", b"\x00", b"\n",
         b"\x1f", b"\x7f", b"\x80", b"\xc3", b"\xe2\x82", b"\xed\xa0\x80", b"\xf0\x9f", b"\xf4\x90\x80\x80",
         b"\xff", b" ", b"\\u", b"\\ud83d", b"\\ude00", b"tru", b"nul", b"NaN", b"01"]


def random_string(rng):
    pieces = []
    for _ in range(rng.randrange(0, 6)):
        kind = rng.randrange(8)
        if kind == 0:
            pieces.append(rng.choice(["\\n", "\\t", "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\r"]))
        elif kind == 1:
            pieces.append("\\u%04x" % rng.choice([0, 0x41, 0xe9, 0x20ac, 0xfffd, rng.randrange(0x10000)]))
        elif kind == 2:
            pieces.append(rng.choice(["\u00e9", "\u20ac", "\U0001f600", "\u0800", "\U0010ffff"]))
        elif kind == 3:
            pieces.append("\\ud83d\\ude00")
        else:
            pieces.append("".join(rng.choice("abcXYZ019 -_.:/{}[],") for _ in range(rng.randrange(0, 20))))
    return '"' + "".join(pieces) + '"'


def random_number(rng):
    text = rng.choice(["", "-"])
    text += rng.choice(["0", str(rng.randrange(1, 10**rng.randrange(1, 25)))])
    if rng.random() < 0.4:
        text += "." + "".join(rng.choice("0123456789") for _ in range(rng.randrange(1, 12)))
    if rng.random() < 0.3:
        text += rng.choice("eE") + rng.choice(["", "+", "-"]) + str(rng.randrange(0, 500))
    return text


def random_value(rng, depth):
    kind = rng.randrange(8 if depth < 6 else 5)
    if kind == 0:
        return random_string(rng)
    if kind == 1:
        return random_number(rng)
    if kind in (2, 3, 4):
        return rng.choice(["true", "false", "null", random_string(rng), random_number(rng)])
    space = rng.choice(["", " ", "\n  ", "\t", "\r\n"])
    if kind in (5, 6):
        members = [random_string(rng) + space + ":" + space + random_value(rng, depth + 1)
                   for _ in range(rng.randrange(0, 5))]
        return "{" + space + ("," + space).join(members) + space + "}"
    return "[" + space + ("," + space).join(random_value(rng, depth + 1) for _ in range(rng.randrange(0, 5))) + "]"


def damage(rng, data):
    if not data:
        return data
    at = rng.randrange(len(data))
    choice = rng.randrange(3)
    if choice == 0:
        return data[:at] + rng.choice(NOISE) + data[at + 1:]
    if choice == 1:
        return data[:at] + rng.choice(NOISE) + data[at:]
    return data[:at] + data[at + 1:]


def beyond_tokenizer(document_text):
    """True when Python accepts the text only because it is laxer than RFC
    8259 (unpaired surrogate escapes) or has no number limits."""
    numbers = []
    strings = []
    stack = [json.loads(document_text, parse_int=numbers.append, parse_float=numbers.append,
                        object_pairs_hook=lambda pairs: pairs)]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            strings.append(value)
        elif isinstance(value, (list, tuple)):
            stack.extend(value)

    for text in strings:
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            return True
    for text in numbers:
        if len(text) > 256 or number_beyond_limits(text):
            return True
    return False


def number_beyond_limits(text):
    """True when text has more than 64 significant digits or an exponent
    part (the digits after e or E) beyond 999999999, whatever the
    coefficient."""
    try:
        digits = list(decimal.Decimal(text).as_tuple().digits)
    except decimal.InvalidOperation:
        return True
    written = text.lower().partition("e")[2]
    if written and abs(int(written)) > 999999999:
        return True
    while digits and digits[-1] == 0:
        digits.pop()
    while digits and digits[0] == 0:
        digits.pop(0)
    return len(digits) > 64


def main():
    dump = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
    rng = random.Random(20261204)
    failures = accepted = 0

    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for index in range(count):
            data = random_value(rng, 0).encode("utf-8")
            for _ in range(rng.choice([0, 0, 1, 1, 2])):
                data = damage(rng, data)
            path = os.path.join(folder, "%05d.json" % index)
            with open(path, "wb") as out:
                out.write(data)
            paths.append(path)

        output = subprocess.run([dump] + paths, check=True, capture_output=True).stdout
        for chunk in ("1", "7"):
            chunked = subprocess.run([dump, "--chunk", chunk] + paths, check=True, capture_output=True).stdout
            if chunked != output:
                print("feeding %s-byte chunks changes the event logs" % chunk)
                failures += 1
        logs = reference.split_logs(output.decode("utf-8", errors="surrogateescape"), paths)

        for path in paths:
            data = open(path, "rb").read()
            ours = logs.get(path, [])
            while ours and ours[-1] == "":
                ours = ours[:-1]
            try:
                text = data.decode("utf-8")
                lax = beyond_tokenizer(text)
            except (ValueError, RecursionError):
                lax = False
            if lax:
                problem = None if ours and ours[-1] == "rejected" else "accepted beyond the tokenizer's rules"
            else:
                problem = reference.compare(path, ours)
            if ours and ours[-1] == "ok":
                accepted += 1
            if problem:
                failures += 1
                print("%s: %s\n  input %r" % (path, problem, data[:200]))

    print("%d random documents (%d accepted), %d differ from Python's json module" % (count, accepted, failures))
    return 1 if failures or accepted == 0 or accepted == count else 0


if __name__ == "__main__":
    sys.exit(main())
