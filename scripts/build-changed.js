#!/usr/bin/env node
// `npm run build:changed` (and `npm run contract` before it runs): builds only what changed.
// Nothing newer than the last build: nothing to do. Otherwise tsc compiles incrementally
// (tsconfig.build.json keeps dist/.tsbuildinfo), and the steps after it (ES module entries,
// vendored code, start-up caches) run on its output; vendor.js skips what is current.
// `npm run build` deletes dist/ first, then runs this: a clean build.
// Plain JavaScript: it must run before anything is compiled.
'use strict';
const { spawnSync } = require('node:child_process');
const { statSync } = require('node:fs');
const { join } = require('node:path');
const { buildIsDue, newest } = require('./build-state');

const root = join(__dirname, '..');
const STEPS = [
  [require.resolve('typescript/bin/tsc', { paths: [root] }), '-p', 'tsconfig.build.json'],
  ['scripts/esm-entries.js'],
  ['scripts/vendor.js'],
  // After vendor.js: the browser bundle takes Faker from dist/vendor. Skipped when nothing it
  // is made of (the compiled mock and lib, the documents it embeds, Faker) is newer than it:
  // tsc rewrites only the files whose output changed.
  { skipUnlessNewer: { output: 'dist/browser/msw.mjs', inputs: ['dist/mock', 'dist/lib', 'dist/vendor/faker.cjs', 'openapi', 'mock/config/default-config.yaml', 'scripts/build-browser.mjs'] }, step: ['scripts/build-browser.mjs'] },
  // Last: it writes dist/.build-stamp.
  ['dist/mock/build/precompile.js'],
];

if (buildIsDue(root)) {
  for (const entry of STEPS) {
    const [script, ...args] = Array.isArray(entry) ? entry : entry.step;
    if (!Array.isArray(entry)) {
      const built = statSync(join(root, entry.skipUnlessNewer.output), { throwIfNoEntry: false });
      if (built && entry.skipUnlessNewer.inputs.every((input) => newest(join(root, input)) <= built.mtimeMs)) continue;
    }
    const step = spawnSync(process.execPath, [script, ...args], { cwd: root, stdio: 'inherit' });
    if (step.status !== 0) process.exit(step.status ?? 1);
  }
}
