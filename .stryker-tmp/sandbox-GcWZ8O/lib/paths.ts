// @ts-nocheck
// Where the project's files are, whether the code runs from source (ts-jest, ts-node) or
// from the compiled dist/ folder: the package root is the nearest folder with package.json.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${start}`);
    dir = up;
  }
  return dir;
}

export const PACKAGE_ROOT = findRoot(__dirname);
export const SPEC_DIR = join(PACKAGE_ROOT, 'openapi');
