// `--target prism` from an installed package, where Prism is not this package's own (it is
// only a development dependency here): Prism is looked for in the user's project, then in
// the package, then on PATH; without one the run exits 2 with the command that installs
// it, no stack trace, and its reports written.
import { spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { findPrism, prismInstallCommand } from '../../contracts/lib/prism';

jest.setTimeout(120_000);

const root = join(__dirname, '..', '..');

/** This package as a project would have it installed: its files, and its dependencies without Prism (nor anything else from @stoplight or a .bin). */
function installedCopy(): string {
  const pkg = join(mkdtempSync(join(tmpdir(), 'installed-')), 'cortex-edr-mock');
  for (const part of ['dist', 'openapi', 'package.json']) cpSync(join(root, part), join(pkg, part), { recursive: true });
  mkdirSync(join(pkg, 'node_modules'));
  for (const entry of readdirSync(join(root, 'node_modules'))) {
    if (entry === '.bin' || entry === '@stoplight' || entry.startsWith('.')) continue;
    symlinkSync(join(root, 'node_modules', entry), join(pkg, 'node_modules', entry));
  }
  return pkg;
}

function run(pkg: string, cwd: string, args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CORTEX_')));
    const child = spawn(process.execPath, [join(pkg, 'dist', 'contracts', 'run.js'), ...args], { cwd, env: { ...clean, PATH: dirname(process.execPath) } });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
  });
}

function fakeBin(dir: string): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'prism');
  writeFileSync(file, '#!/bin/sh\n');
  chmodSync(file, 0o755);
  return file;
}

describe('--target prism', () => {
  it('finds Prism in the project above the current folder first, then in the package, then on PATH', () => {
    const base = mkdtempSync(join(tmpdir(), 'prism-find-'));
    const project = join(base, 'project');
    const sub = join(project, 'test', 'contract');
    mkdirSync(sub, { recursive: true });
    const pkg = join(base, 'pkg');
    const onPath = fakeBin(join(base, 'bin'));
    const where = { cwd: sub, packageRoot: pkg, path: ['/nonexistent', join(base, 'bin')].join(delimiter) };
    expect(findPrism(where)).toBe(onPath);
    const ofPackage = fakeBin(join(pkg, 'node_modules', '.bin'));
    expect(findPrism(where)).toBe(ofPackage);
    const ofProject = fakeBin(join(project, 'node_modules', '.bin'));
    expect(findPrism(where)).toBe(ofProject);
    expect(findPrism({ cwd: base, packageRoot: join(base, 'none'), path: '' })).toBeUndefined();
  });

  it('exits 2 without Prism installed, with the install command, no stack trace, and its reports', async () => {
    const pkg = installedCopy();
    const project = mkdtempSync(join(tmpdir(), 'project-'));
    const result = await run(pkg, project, ['--target', 'prism']);
    const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies['@stoplight/prism-cli'];
    expect(prismInstallCommand(pkg)).toBe(`npm install --save-dev @stoplight/prism-cli@${version}`);
    expect(result.code).toBe(2);
    expect(result.output).toContain(`Prism is not installed: install it in your project with \`npm install --save-dev @stoplight/prism-cli@${version}\``);
    expect(result.output).not.toMatch(/ENOENT|\n\s+at /);
    expect(result.output.trimEnd().split('\n').pop()).toMatch(/^contract: FAILED: stopped \(target\): cannot start the target: Prism is not installed/);
    const reports = join(project, 'reports', 'contract');
    for (const f of ['junit.xml', 'results.json', 'coverage.json', 'coverage.md']) expect(existsSync(join(reports, f))).toBe(true);
    expect(readFileSync(join(reports, 'junit.xml'), 'utf8')).toMatch(/<error type="target" message="cannot start the target: Prism is not installed/);
    const results = JSON.parse(readFileSync(join(reports, 'results.json'), 'utf8'));
    expect(results.passed + results.failed).toBe(0);
    expect(results.notRun + results.skipped).toBeGreaterThan(100);
  });

  it("runs the installed package against the Prism of the user's project", async () => {
    const pkg = installedCopy();
    const project = mkdtempSync(join(tmpdir(), 'project-'));
    mkdirSync(join(project, 'node_modules', '.bin'), { recursive: true });
    symlinkSync(join(root, 'node_modules', '@stoplight', 'prism-cli', 'dist', 'index.js'), join(project, 'node_modules', '.bin', 'prism'));
    const result = await run(pkg, project, ['--target', 'prism']);
    expect(result.output).toMatch(/contract: PASSED \(\d+ checks\)\n*$/);
    expect(result.code).toBe(0);
  });
});
