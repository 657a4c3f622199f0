#!/usr/bin/env node
// A build step (`npm run build`, after tsc): gives `cortex-edr-mock/msw` an ES module face,
// msw.mjs and msw.d.mts next to tsc's msw.js and msw.d.ts, which package.json's "import"
// condition points at. Why: msw ships separate types for require and import, and its
// handler class has a private member, so handlers typed by the CommonJS msw.d.ts (msw's
// index.d.ts) do not fit the setupServer an ES module sees (index.d.mts) under nodenext:
// TS2345, "separate declarations of a private property '__kind'". The .d.mts imports msw in
// import mode, so its handlers are the caller's. The code stays the one CommonJS build;
// msw.mjs re-exports its names.
// Plain JavaScript: it runs after tsc, on its output.
'use strict';
const { existsSync, readFileSync, writeFileSync } = require('node:fs');

/** Writes `text` unless the file holds it already: an unchanged file keeps its time, so the steps after this one can tell nothing changed. */
function writeIfChanged(path, text) {
  if (!existsSync(path) || readFileSync(path, 'utf8') !== text) writeFileSync(path, text);
}
const { join } = require('node:path');

const dir = join(__dirname, '..', 'dist', 'mock', 'surfaces');

/** Relative specifiers get the extension that ES module resolution requires. */
function esmSpecifiers(declarations) {
  return declarations.replace(/(from\s+|import\()(['"])(\.\.?\/[^'"]+?)(?<!\.js)\2/g, '$1$2$3.js$2');
}

function main() {
  const cjs = join(dir, 'msw.js');
  const names = Object.keys(require(cjs)).filter((name) => name !== '__esModule');
  if (names.length === 0) throw new Error(`esm-entries: ${cjs} exports nothing`);
  writeIfChanged(join(dir, 'msw.mjs'), `// ES module entry of cortex-edr-mock/msw (scripts/esm-entries.js): the CommonJS build's exports.\nexport { ${names.join(', ')} } from './msw.js';\n`);
  writeIfChanged(join(dir, 'msw.d.mts'), esmSpecifiers(readFileSync(join(dir, 'msw.d.ts'), 'utf8')));
}

main();
