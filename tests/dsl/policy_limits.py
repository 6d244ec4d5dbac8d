"""Compiles policies at and past each limit of compiler/dsl_limits.h that a
policy author can reach: path segments, nested blocks, nested includes,
reported errors and file size. At the limit a policy compiles without a
limit error. Past it, one "too many X (limit is N)" error names the place.
The 'in' list limit is checked by in_list_limits.py.

usage: policy_limits.py CFGATE SCHEMAS WORKDIR
"""
import os
import shutil
import subprocess
import sys

cfgate, schemas, workdir = sys.argv[1:4]

shutil.rmtree(workdir, ignore_errors=True)
os.makedirs(workdir)


def write(name, text):
    path = os.path.join(workdir, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    return path


def compile_policy(path):
    out = os.path.join(workdir, "out", os.path.basename(path))
    command = [cfgate, "compile", path, "--schemas", schemas, "-o", out]
    return subprocess.run(command, capture_output=True, text=True, timeout=120)


def error_lines(result):
    return [line for line in result.stderr.splitlines() if "error: " in line]


def limit_errors(result):
    return [line for line in result.stderr.splitlines() if line.endswith("[limit]")]


def test_path_segments():
    for count in (64, 65):
        path = write(f"path-{count}.gate", "type AWS::SQS::Queue {\n    " + ".".join(["A"] * count) + "\n}\n")
        result = compile_policy(path)
        assert result.returncode == 2, (count, result.returncode)
        expected = [] if count == 64 else [f"{path}:2:5: error: too many path segments (limit is 64) [limit]"]
        assert limit_errors(result) == expected, (count, result.stderr[-500:])


def nested_blocks_policy(count):
    """Returns a policy of count nested blocks, the type's block included:
    AWS::WAFv2::WebACL's Statement contains itself through AndStatement."""
    inner = count - 2
    return ("type AWS::WAFv2::WebACL {\n    Rules[].Statement {\n"
            + "        AndStatement.Statements[] {\n" * inner + "        ByteMatchStatement\n"
            + "        }\n" * inner + "    }\n}\n")


def test_nested_blocks():
    for count in (64, 65):
        path = write(f"blocks-{count}.gate", nested_blocks_policy(count))
        result = compile_policy(path)
        # The error points at the '{' of the 65th block, on line 65.
        column = len("        AndStatement.Statements[] {")
        expected = [] if count == 64 else [
            f"{path}:{count}:{column}: error: too many nested blocks (limit is 64) [limit]"]
        assert error_lines(result) == expected, (count, result.stderr[-500:])
        assert result.returncode == (0 if count == 64 else 2), (count, result.returncode)


def test_deep_nesting():
    """Thousands of nested blocks, valid or not, give one limit error at
    the 65th '{' and never reach the parser's own stack limit."""
    depth = 20000
    cases = {
        # name: (policy, line and column of the 65th '{', other errors)
        "rules": ("type AWS::SQS::Queue {\n" + "A {\n" * depth + "}\n" * depth + "}\n",
                  "65:3", ["2:1: error: unknown property 'A' in AWS::SQS::Queue (did you mean 'Arn'?) [unknown-property]"]),
        "properties": ("type AWS::SQS::Queue {\n" + "QueueName {\n" * depth + "}\n" * depth + "}\n",
                       "65:11", ["3:1: error: a block needs an object with properties, but this value is a string [not-an-object]"]),
        "bare-braces": ("type AWS::SQS::Queue {\n" + "{" * depth + "}" * depth + "\n}\n",
                        "2:64", ["2:1: error: syntax error, unexpected '{'; a line break or ';' ends a statement, so a block's '{' goes at the end of its type or rule line [syntax]"]),
        "after-errors": ("type AWS::SQS::Queue {\n" + "= {\n" * depth + "}\n" * depth + "}\n",
                         "65:3", ["2:1: error: syntax error, unexpected '=' [syntax]"]),
        "top-level": ("{" * depth + "}" * depth + "\n", "1:65",
                      ["1:1: error: syntax error, unexpected '{'; a line break or ';' ends a statement, so a block's '{' goes at the end of its type or rule line [syntax]"]),
        "unclosed": ("type AWS::SQS::Queue {\n" + "A {\n" * depth, "65:3",
                     [f"{depth + 2}:1: error: syntax error, unexpected end of file; the '{{' at 64:3 is not closed: add '}}' at the end of its block [syntax]"]),
    }
    for name, (text, place, others) in cases.items():
        path = write(f"deep-{name}.gate", text)
        result = compile_policy(path)
        assert "memory exhausted" not in result.stderr, (name, result.stderr[-500:])
        expected = sorted([f"{path}:{place}: error: too many nested blocks (limit is 64) [limit]"]
                          + [f"{path}:{other}" for other in others])
        assert sorted(error_lines(result)) == expected, (name, result.stderr[-1000:])
        assert result.returncode == 2, (name, result.returncode)


def test_deep_lists_and_lets():
    """Other constructs that repeat: nested '[', a long chain of lets and
    a long path get a syntax or limit error, never the parser's own."""
    depth = 20000
    lets = "".join(f"let a{i} = a{i + 1}\n" for i in range(depth)) + f"let a{depth} = required\n"
    cases = {
        "lists": ("type AWS::SQS::Queue {\n    QueueName in " + "[" * depth + "\"a\"" + "]" * depth + "\n}\n",
                  "2:19: error: syntax error, unexpected '[' [syntax]"),
        "lets": (lets + "type AWS::SQS::Queue { QueueName a0 }\n",
                 "64:11: error: too many nested let references (limit is 64) [limit]"),
        "path": ("type AWS::SQS::Queue {\n    " + ".".join(["A"] * depth) + "\n}\n",
                 "2:5: error: too many path segments (limit is 64) [limit]"),
    }
    for name, (text, error) in cases.items():
        path = write(f"deep-{name}.gate", text)
        result = compile_policy(path)
        assert "memory exhausted" not in result.stderr, (name, result.stderr[-500:])
        assert error_lines(result) == [f"{path}:{error}"], (name, result.stderr[-1000:])
        assert result.returncode == 2, (name, result.returncode)


def test_nested_includes():
    for count in (32, 33):
        folder = f"includes-{count}"
        for i in range(count - 1):
            write(f"{folder}/f{i}.gate", f'include "f{i + 1}.gate"\n')
        write(f"{folder}/f{count - 1}.gate", "type AWS::SQS::Queue { * }\n")
        result = compile_policy(os.path.join(workdir, folder, "f0.gate"))
        last = os.path.join(workdir, folder, "f31.gate")
        expected = [] if count == 32 else [
            f"{last}:1:9: error: too many nested includes or files (limit is 32 deep, 1024 files) [limit]"]
        assert error_lines(result) == expected, (count, result.stderr[-500:])
        assert result.returncode == (0 if count == 32 else 2), (count, result.returncode)


def test_reported_errors():
    rules = "".join(f"    Bad{i}\n" for i in range(25))
    result = compile_policy(write("errors.gate", f"type AWS::SQS::Queue {{\n{rules}}}\n"))
    assert result.returncode == 2, result.returncode
    errors = error_lines(result)
    assert len(errors) == 21, errors
    assert errors[19].endswith(":21:5: error: unknown property 'Bad19' in AWS::SQS::Queue [unknown-property]"), errors[19]
    assert errors[20] == "cfgate: error: too many errors (limit is 20), 25 errors in total", errors[20]


def test_file_size():
    limit = 16 << 20
    head = "type AWS::SQS::Queue { * }\n#"
    for size in (limit, limit + 1):
        path = write(f"size-{size}.gate", head + "x" * (size - len(head) - 1) + "\n")
        assert os.path.getsize(path) == size, os.path.getsize(path)
        result = compile_policy(path)
        expected = [] if size == limit else [
            f"cfgate: error: policy file '{path}' is too large (limit is {limit} bytes) [limit]"]
        assert error_lines(result) == expected, (size, result.stderr[-500:])
        assert result.returncode == (0 if size == limit else 2), (size, result.returncode)
        os.remove(path)


TESTS = [value for name, value in sorted(globals().items()) if name.startswith("test_")]
for test in TESTS:
    test()
    print("ok", test.__name__)
