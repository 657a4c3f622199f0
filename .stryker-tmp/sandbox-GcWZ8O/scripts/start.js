#!/usr/bin/env node
// @ts-nocheck
// `npm start`: builds only when a source is newer than the last build (dist/.build-stamp,
// written by the build's last step), then runs the mock in this process. After `npm ci`
// (whose `prepare` builds) it starts at once; after an edit it builds first.
// Plain JavaScript: it must run before anything is compiled.
'use strict';
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');
const { spawnSync } = require('node:child_process');

const root = join(__dirname, '..');
const stamp = join(root, 'dist', '.build-stamp');
const SOURCES = ['lib', 'mock', 'contracts', 'bench', 'openapi', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];

/** The newest modification time under `path` (files only). */
function newest(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = 0;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
const changed = SOURCES.some((source) => newest(join(root, source)) > built);
if (!existsSync(join(root, 'dist', 'mock', 'cli.js')) || changed) {
  process.stderr.write('cortex-mock: sources changed since the last build; building first\n');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const build = spawnSync(npm, ['run', '-s', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
require(join(root, 'dist', 'mock', 'cli.js')).run(process.argv.slice(2));
