// The package as another project gets it: packed with npm pack, installed from the tarball
// into an empty project, then used there. The bins answer, and the README's in-process
// example compiles under strict tsc and runs.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectFetched } from '../helpers/expect-response';

const root = join(__dirname, '..', '..');
const KEY = 'sk_test_readonly_00000000000000000001';
// npm install from the local cache; sized for a loaded machine.
jest.setTimeout(180_000);

function npm(args: string[], cwd: string) {
  const run = spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' } });
  if (run.status !== 0) throw new Error(`npm ${args.join(' ')} failed (${run.status}):\n${run.stdout}\n${run.stderr}`);
  return run.stdout;
}

describe('the packed package', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cortex-consumer-'));
  let files: string[] = [];

  beforeAll(() => {
    // dist/ is fresh: npm test builds before jest runs.
    const [packed] = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', dir], root)) as Array<{ filename: string; size: number; files: Array<{ path: string }> }>;
    files = packed.files.map((f) => f.path);
    process.stdout.write(`package: ${packed.filename}, ${(packed.size / 1024).toFixed(0)} KB packed, ${files.length} files\n`);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }));
    const types = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies as Record<string, string>;
    npm(['install', '--prefer-offline', '--no-save', join(dir, packed.filename), `typescript@${types.typescript}`, `@types/node@${types['@types/node']}`, `msw@${types.msw}`], dir);
  });

  it('holds no tests, bench sources, reports or TypeScript sources', () => {
    expect(files.filter((f) => /^(test|bench|reports|dist\/bench|examples)\//.test(f) || (/\.ts$/.test(f) && !/\.d\.ts$/.test(f)))).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['dist/mock/cli.js', 'dist/contracts/run.js', 'openapi/cortex-edr.yaml', 'openapi/control.yaml', 'mock/config/default-config.yaml']));
  });

  it('runs npx cortex-mock --port 0, which answers GET /v1/scans with a test key', async () => {
    const child = spawn('npx', ['cortex-mock', '--port', '0', '--log-level', 'silent'], { cwd: dir, detached: true });
    try {
      const baseUrl = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
          const m = /listening on (http:\/\/\S+\/v1)/.exec(out);
          if (m) resolve(m[1]);
        });
        child.once('exit', (code) => reject(new Error(`cortex-mock exited with ${code}: ${out}`)));
      });
      const res = await fetch(`${baseUrl}/scans`, { headers: { Authorization: `Bearer ${KEY}` } });
      await expectFetched(res, 200);
      expect(((await res.json()) as { object: string }).object).toBe('list');
    } finally {
      process.kill(-child.pid!, 'SIGTERM');
    }
  });

  it('runs npx cortex-contract --help with exit code 0', () => {
    const run = spawnSync('npx', ['cortex-contract', '--help'], { cwd: dir, encoding: 'utf8' });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: cortex-contract/);
  });

  it('runs npx cortex-contract --target mock from the project, writing its reports there, not into node_modules', () => {
    const run = spawnSync('npx', ['cortex-contract', '--target', 'mock', '--allow-writes', '--prefer-codes'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    expect(run.stdout).toMatch(/\b[1-9]\d* passed, 0 failed/);
    expect(run.status).toBe(0);
    const results = JSON.parse(readFileSync(join(dir, 'reports', 'contract', 'results.json'), 'utf8'));
    expect(results.passed).toBeGreaterThan(0);
    expect(results.failed).toBe(0);
    expect(run.stdout).toContain(`${results.passed} passed`);
    expect(existsSync(join(dir, 'node_modules', 'cortex-edr-mock', 'reports'))).toBe(false);
  });

  it.each([
    ['in-process', '200 499'],
    ['express-mount', '201 200'],
    ['msw', "200 499 401"],
  ])("compiles the README's %s example under strict tsc, and runs it", (name, printed) => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const block = new RegExp(`<!-- example: ${name} -->\\n\\s*\`\`\`ts\\n([\\s\\S]*?)\`\`\``).exec(readme)![1];
    // The README indents examples inside list items.
    const indent = /^ */.exec(block)![0].length;
    const example = block.split('\n').map((line) => line.slice(Math.min(indent, /^ */.exec(line)![0].length))).join('\n');
    const file = `${name}.ts`;
    writeFileSync(join(dir, file), example);
    const tsconfig = join(dir, `tsconfig.${name}.json`);
    writeFileSync(tsconfig, JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'node16', moduleResolution: 'node16', esModuleInterop: true, outDir: 'out', types: ['node'] }, files: [file] }));
    const tsc = spawnSync(join(dir, 'node_modules', '.bin', 'tsc'), ['-p', tsconfig], { cwd: dir, encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
    const run = spawnSync(process.execPath, [join(dir, 'out', `${name}.js`)], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe(printed);
  });
});
