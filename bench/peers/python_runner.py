"""Run one Python validator over an NDJSON file: each line is parsed with
json.loads and validated, as an application receiving JSON text would do.

usage: python_runner.py VALIDATOR SCHEMA INPUT VERDICTS
  VALIDATOR  jsonschema | fastjsonschema | json-loads
  VERDICTS   output file, one line per instance: 1 valid, 0 invalid,
             E when the line is not JSON
Prints one JSON object: compile_ms, validate_s (parse + validate of all
lines), lines, bytes. Reading the file and splitting it into lines is not timed.
"""
import json
import sys
import time


def compile_jsonschema(schema):
    import jsonschema

    return jsonschema.Draft7Validator(schema).is_valid


def compile_fastjsonschema(schema):
    import fastjsonschema

    validate = fastjsonschema.compile(schema)

    def is_valid(instance):
        try:
            validate(instance)
        except fastjsonschema.JsonSchemaValueException:
            return False
        return True

    return is_valid


COMPILERS = {
    "jsonschema": compile_jsonschema,
    "fastjsonschema": compile_fastjsonschema,
    "json-loads": lambda schema: lambda instance: True,
}


def validate_lines(lines, is_valid):
    verdicts = []
    for line in lines:
        try:
            instance = json.loads(line)
        except ValueError:
            verdicts.append("E\n")
            continue
        verdicts.append("1\n" if is_valid(instance) else "0\n")
    return verdicts


def main():
    if len(sys.argv) != 5 or sys.argv[1] not in COMPILERS:
        sys.exit("usage: python_runner.py jsonschema|fastjsonschema|json-loads SCHEMA INPUT VERDICTS")
    name, schema_file, input_file, verdicts_file = sys.argv[1:]
    with open(schema_file, encoding="utf-8") as f:
        schema = json.load(f)

    start = time.perf_counter()
    is_valid = COMPILERS[name](schema)
    compile_ms = (time.perf_counter() - start) * 1000

    with open(input_file, "rb") as f:
        data = f.read()
    lines = data.splitlines()

    start = time.perf_counter()
    verdicts = validate_lines(lines, is_valid)
    validate_s = time.perf_counter() - start

    with open(verdicts_file, "w", encoding="ascii") as f:
        f.writelines(verdicts)
    print(json.dumps({"compile_ms": compile_ms, "build_ms": 0, "validate_s": validate_s,
                      "lines": len(lines), "bytes": len(data)}))


if __name__ == "__main__":
    main()
