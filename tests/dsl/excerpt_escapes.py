"""Checks that the source line printed under a compiler diagnostic shows
control characters, direction overrides and invisible characters as '?',
drops the carriage return of a CRLF line, and keeps the caret under the
span.

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
    assert lines[0] == "%s:2:32: error: unknown constraint or let name 'unknownkw' [unknown-let]" \
        % policy, lines
    assert lines[1] == '    BucketName pattern "a?b?Z?c" unknownkw', repr(lines[1])
    assert lines[2] == " " * 33 + "^~~~~~~~~", repr(lines[2])
    assert b"\r" not in result.stderr, result.stderr
    assert b"\x1b" not in result.stderr, result.stderr
    print("ok: excerpt escaped, caret at column 32")


if __name__ == "__main__":
    main()
