#!/usr/bin/env node
// `npm start`: builds only when a source is newer than the last build (dist/.build-stamp,
// written by the build's last step; scripts/build-state.js), then runs the mock in this
// process. The first `npm start` after `npm ci` builds (the package has no install-time
// script: npm lists each one to every user who installs it), and so does the first after an
// edit.
// Plain JavaScript: it must run before anything is compiled.
'use strict';
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');
const { buildIsDue } = require('./build-state');

const root = join(__dirname, '..');
if (buildIsDue(root)) {
  process.stderr.write('cortex-mock: sources changed since the last build; building first\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const build = spawnSync(npm, ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
require(join(root, 'dist', 'mock', 'cli.js')).run(process.argv.slice(2));
