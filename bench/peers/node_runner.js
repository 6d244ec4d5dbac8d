// Runs one Node.js validator over an NDJSON file: each line is parsed with
// JSON.parse and validated, as an application receiving JSON text would do.
//
// usage: node node_runner.js VALIDATOR SCHEMA INPUT VERDICTS
//   VALIDATOR  ajv | ajv-standalone | schemasafe | json-parse
//   VERDICTS   output file, one line per instance: 1 valid, 0 invalid,
//              E when the line is not JSON
// Prints one JSON object: compile_ms (schema compilation, for ajv-standalone
// the load of the generated module), build_ms (ajv-standalone code
// generation), validate_s (parse + validate of all lines), lines, bytes.
// Reading the file and splitting it into lines is not timed.
'use strict';
const fs = require('fs');
const path = require('path');

function compileAjv(schema) {
  const Ajv = require('ajv');
  const addFormats = require('ajv-formats');
  const ajv = new Ajv({ strict: false, validateFormats: false, code: { source: true } });
  addFormats(ajv);
  return { ajv, validate: ajv.compile(schema) };
}

// Writes the standalone module. Its require() calls of ajv's runtime helpers
// become absolute paths, so the module loads from any folder.
function buildStandalone(schema, outputFile) {
  const standaloneCode = require('ajv/dist/standalone').default;
  const { ajv, validate } = compileAjv(schema);
  const code = standaloneCode(ajv, validate).replace(
    /require\("(ajv\/[^"]+)"\)/g, (_, name) => `require(${JSON.stringify(require.resolve(name))})`);
  fs.writeFileSync(outputFile, code);
}

function compileSchemasafe(schema) {
  const { validator } = require('@exodus/schemasafe');
  return validator(schema, { mode: 'spec', isJSON: true, formatAssertion: false });
}

function timeMs(fn) {
  const start = process.hrtime.bigint();
  const result = fn();
  return [result, Number(process.hrtime.bigint() - start) / 1e6];
}

function compile(name, schema, verdictsFile) {
  if (name === 'ajv')
    return { ...timeMs(() => compileAjv(schema).validate), build: 0 };
  if (name === 'schemasafe')
    return { ...timeMs(() => compileSchemasafe(schema)), build: 0 };
  if (name === 'json-parse')
    return { 0: () => true, 1: 0, build: 0 };
  if (name === 'ajv-standalone') {
    const moduleFile = path.resolve(verdictsFile + '.standalone.js');
    const [, build] = timeMs(() => buildStandalone(schema, moduleFile));
    return { ...timeMs(() => require(moduleFile)), build };
  }
  throw new Error(`unknown validator '${name}' (expected ajv, ajv-standalone, schemasafe or json-parse)`);
}

function validateLines(lines, validate) {
  const verdicts = Buffer.alloc(lines.length * 2);
  for (let i = 0; i < lines.length; i++) {
    let verdict;
    try {
      verdict = validate(JSON.parse(lines[i])) ? 49 : 48;
    } catch (error) {
      verdict = 69;
    }
    verdicts[2 * i] = verdict;
    verdicts[2 * i + 1] = 10;
  }
  return verdicts;
}

function main() {
  const [name, schemaFile, inputFile, verdictsFile] = process.argv.slice(2);
  if (!verdictsFile) {
    process.stderr.write('usage: node node_runner.js VALIDATOR SCHEMA INPUT VERDICTS\n');
    process.exit(2);
  }
  const schema = JSON.parse(fs.readFileSync(schemaFile, 'utf8'));
  const compiled = compile(name, schema, verdictsFile);
  const validate = compiled[0];

  const text = fs.readFileSync(inputFile, 'utf8');
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();

  const [verdicts, validateMs] = timeMs(() => validateLines(lines, validate));
  fs.writeFileSync(verdictsFile, verdicts);
  process.stdout.write(JSON.stringify({
    compile_ms: compiled[1], build_ms: compiled.build, validate_s: validateMs / 1000,
    lines: lines.length, bytes: Buffer.byteLength(text),
  }) + '\n');
}

main();
