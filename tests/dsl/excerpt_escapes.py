"""Checks that the source line printed under a compiler diagnostic shows
control characters, direction overrides and invisible characters as '?',
drops the carriage return of a CRLF line, and keeps the caret under the
span; and that a value quoted in the message writes invisible characters as
JSON escapes, above U+FFFF as a surrogate pair.

usage: excerpt_escapes.py CFGATE SCHEMAS
"""
import os
import subprocess
import sys
import tempfile

cfgate, schemas = sys.argv[1:3]


def main():
    workdir = tempfile.mkdtemp(prefix="cfgate-excerpt-")
    policy = os.path.join(workdir, "rlo.gate")
    with open(policy, "wb") as handle:
        handle.write(b'type AWS::S3::Bucket {\r\n'
                     b'  BucketName pattern "a\xe2\x80\xaeb\x1bZ\xe2\x80\x8bc" unknownkw\r\n'
                     b'}\r\n')
    result = subprocess.run([cfgate, "compile", "--schemas", schemas, "-o",
                             os.path.join(workdir, "out"), policy],
                            capture_output=True, timeout=120)
    assert result.returncode == 2, result
    lines = result.stderr.decode("utf-8").splitlines()
    # The raw ESC in the string is an error of its own, with the same excerpt.
    assert lines[0] == ("%s:2:26: error: raw control character U+001B in string: write the "
                        "escape '\\u001B' instead (strings use JSON escapes) "
                        "[unexpected-character]" % policy), lines
    assert lines[1] == '    BucketName pattern "a?b?Z?c" unknownkw', repr(lines[1])
    assert lines[2] == " " * 27 + "^", repr(lines[2])
    assert lines[3] == "%s:2:32: error: unknown constraint or let name 'unknownkw' [unknown-let]" \
        % policy, lines
    assert lines[4] == '    BucketName pattern "a?b?Z?c" unknownkw', repr(lines[4])
    assert lines[5] == " " * 33 + "^~~~~~~~~", repr(lines[5])
    assert b"\r" not in result.stderr, result.stderr
    assert b"\x1b" not in result.stderr, result.stderr
    print("ok: excerpt escaped, caret at column 32")

    policy = os.path.join(workdir, "ignorable.gate")
    value = "a\u2060b\U0001d173c\u00ad".encode("utf-8")
    with open(policy, "wb") as handle:
        handle.write(b'type AWS::S3::Bucket {\n  BucketName in ["' + value + b'", "' + value
                     + b'"]\n}\n')
    result = subprocess.run([cfgate, "compile", "--schemas", schemas, "-o",
                             os.path.join(workdir, "out2"), policy],
                            capture_output=True, timeout=120)
    lines = result.stderr.decode("utf-8").splitlines()
    assert lines[0] == ('%s:2:28: warning: value "a\\u2060b\\ud834\\udd73c\\u00ad" is already '
                        'given in this \'in\' list at %s:2:18 [-Wduplicate-value]'
                        % (policy, policy)), lines
    assert lines[1] == '    BucketName in ["a?b?c?", "a?b?c?"]', repr(lines[1])
    assert lines[2] == " " * 29 + "^~~~~~~~", repr(lines[2])
    print("ok: quoted value escaped, excerpt shows '?'")


if __name__ == "__main__":
    main()
