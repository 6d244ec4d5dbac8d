// Reads a JSON array of regex sources on stdin and writes the subset that
// ECMA-262 rejects in Unicode mode ('u' flag, as ajv and schemasafe compile
// patterns), as a JSON object mapping each rejected source to the error.
'use strict';
const fs = require('fs');

const sources = JSON.parse(fs.readFileSync(0, 'utf8'));
const rejected = {};
for (const source of sources) {
  try {
    new RegExp(source, 'u');
  } catch (error) {
    rejected[source] = error.message;
  }
}
process.stdout.write(JSON.stringify(rejected));
