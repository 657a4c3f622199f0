// Where `--target prism` finds Prism: the user's project (node_modules/.bin in the current
// folder or any folder above it), this package's own dependencies (a checkout of this
// repository), then PATH. An installed cortex-edr-mock has no Prism of its own, since
// Prism is only a development dependency here, so a user's is the one that counts.
import { accessSync, constants, readFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

const BIN = process.platform === 'win32' ? ['prism.cmd', 'prism.exe', 'prism'] : ['prism'];

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The folders searched, in order. */
export function prismSearchPath(where: { cwd: string; packageRoot: string; path: string | undefined }): string[] {
  const dirs: string[] = [];
  for (let dir = where.cwd; ; dir = dirname(dir)) {
    dirs.push(join(dir, 'node_modules', '.bin'));
    if (dirname(dir) === dir) break;
  }
  dirs.push(join(where.packageRoot, 'node_modules', '.bin'));
  for (const dir of (where.path ?? '').split(delimiter)) if (dir) dirs.push(dir);
  return [...new Set(dirs)];
}

/** Prism's executable, or undefined when none of the folders has one. */
export function findPrism(where: { cwd: string; packageRoot: string; path: string | undefined }): string | undefined {
  for (const dir of prismSearchPath(where)) {
    for (const name of BIN) if (executable(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** The command that installs the Prism this package is tested with. */
export function prismInstallCommand(packageRoot: string): string {
  let version = '';
  try {
    const pkg = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { devDependencies?: Record<string, string> };
    version = pkg.devDependencies?.['@stoplight/prism-cli'] ?? '';
  } catch {
    // the command without a version
  }
  return `npm install --save-dev @stoplight/prism-cli${version ? `@${version}` : ''}`;
}
