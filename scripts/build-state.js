// Whether dist/ is older than the sources it is built from: the build's last step writes
// dist/.build-stamp, and any source file newer than it means a build is due. Used by
// `npm start` (scripts/start.js) and `npm run build:changed` (scripts/build-changed.js).
// Plain JavaScript: it must run before anything is compiled.
'use strict';
const { existsSync, readdirSync, statSync } = require('node:fs');
const { join } = require('node:path');

const SOURCES = ['lib', 'mock', 'contracts', 'bench', 'openapi', 'scripts', 'tsconfig.json', 'tsconfig.build.json', 'package.json'];

/** The newest modification time under `path` (files only). */
function newest(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = 0;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

/** True when dist/ is missing or a source changed since the last build finished. */
function buildIsDue(root) {
  const stamp = join(root, 'dist', '.build-stamp');
  if (!existsSync(join(root, 'dist', 'mock', 'cli.js')) || !existsSync(stamp)) return true;
  const built = statSync(stamp).mtimeMs;
  return SOURCES.some((source) => newest(join(root, source)) > built);
}

module.exports = { buildIsDue, newest };
