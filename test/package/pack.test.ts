// The package as another project gets it: packed with npm pack, installed from the tarball
// into empty projects, then used there. The bins answer, the README's examples compile under
// strict tsc and run, and a matrix of consumers loads it as each toolchain does: Jest with
// ts-jest's default preset (CommonJS), an ES module project on Vitest, plain Node without
// require(esm), and tsc under each moduleResolution. What the consumers' requests got is
// written to a file and checked here against the spec.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectFetched } from '../helpers/expect-response';
import { operation, specProblems } from '../helpers/spec-check';

const root = join(__dirname, '..', '..');
const KEY = 'sk_test_readonly_00000000000000000001';
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string>; engines: { node: string } };
const pin = (name: string) => `${name}@${manifest.devDependencies[name]}`;
// npm installs from the local cache, and Jest and Vitest start in child processes: sized
// for a loaded machine.
jest.setTimeout(600_000);

// The consumers run with the environment of a user's shell, not of this Jest worker.
const { JEST_WORKER_ID: _worker, NODE_OPTIONS: _options, ...userEnv } = process.env;
const env = { ...userEnv, NO_COLOR: '1', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' };

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end without blocking this process (installs run side by side). */
function run(command: string, args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.once('error', reject);
    child.once('close', (status) => resolve({ status, stdout, stderr }));
  });
}

async function npm(args: string[], cwd: string): Promise<Run> {
  const result = await run('npm', args, cwd);
  if (result.status !== 0) throw new Error(`npm ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result;
}

function project(dir: string, pkg: object): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ version: '1.0.0', private: true, ...pkg }, null, 2));
  return dir;
}

/** What a consumer's requests got, as it wrote them down. */
interface Seen {
  operation: string;
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** The statuses a consumer saw, after checking every answer against the spec. */
function checkedStatuses(file: string): number[] {
  const seen = JSON.parse(readFileSync(file, 'utf8')) as Seen[];
  for (const s of seen) expect({ operation: s.operation, problems: specProblems(operation(s.operation), s) }).toEqual({ operation: s.operation, problems: [] });
  return seen.map((s) => s.status);
}

// Records an answer in the consumers' own code (the same lines in each).
const RECORD = `const seen: Array<{ operation: string; status: number; headers: Record<string, string>; body: unknown }> = [];
async function record(operation: string, res: Response, parsed?: unknown): Promise<number> {
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => (headers[name] = value));
  seen.push({ operation, status: res.status, headers, body: parsed ?? (await res.json()) });
  return res.status;
}`;

const JEST_TEST = `import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setupServer } from 'msw/node';
import { startMockServer, type MockConfigInput } from 'cortex-edr-mock';
import { createMswHandlers } from 'cortex-edr-mock/msw';

const KEY = '${KEY}';
${RECORD}
afterAll(() => writeFileSync(join(__dirname, 'results.json'), JSON.stringify(seen)));

it('answers GET /v1/scans from startMockServer, and 429 past a one-request limit', async () => {
  const config: MockConfigInput = { plans: { developer: { requests_per_window: 1 } } };
  const running = await startMockServer({ port: 0, config });
  try {
    const list = () => fetch(running.baseUrl + '/scans', { headers: { Authorization: 'Bearer ' + KEY } });
    expect(await record('listScans', await list())).toBe(200);
    expect(await record('listScans', await list())).toBe(429);
  } finally {
    await running.close();
  }
});

it('answers through the MSW handlers with setupServer', async () => {
  const server = setupServer(...createMswHandlers({ baseUrl: 'https://api.cortex-edr.com/v1' }).handlers);
  server.listen({ onUnhandledRequest: 'error' });
  try {
    expect(await record('getWhoami', await fetch('https://api.cortex-edr.com/v1/whoami', { headers: { Authorization: 'Bearer ' + KEY } }))).toBe(200);
    expect(await record('listScans', await fetch('https://api.cortex-edr.com/v1/scans'))).toBe(401);
  } finally {
    server.close();
  }
});
`;

const VITEST_TEST = `import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { setupServer } from 'msw/node';
import createClient from 'openapi-fetch';
import { createMswHandlers } from 'cortex-edr-mock/msw';
import type { paths } from 'cortex-edr-mock/types';

const BASE = 'https://api.cortex-edr.com/v1';
const KEY = '${KEY}';
${RECORD}
const server = setupServer(...createMswHandlers({ baseUrl: BASE }).handlers);
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => {
  server.close();
  writeFileSync(new URL('./results.json', import.meta.url), JSON.stringify(seen));
});

it('lists scans through the typed client', async () => {
  const client = createClient<paths>({ baseUrl: BASE, headers: { Authorization: 'Bearer ' + KEY } });
  const { data, response } = await client.GET('/scans', { params: { query: { limit: 2 } } });
  expect(await record('listScans', response, data)).toBe(200);
  expect(data?.data).toHaveLength(2);
});

it('refuses a scan created with a read key, naming the permission', async () => {
  const client = createClient<paths>({ baseUrl: BASE, headers: { Authorization: 'Bearer ' + KEY } });
  const { error, response } = await client.POST('/scans', { body: { target: 'ws-0142.corp.example', scan_type: 'quick' } });
  expect(await record('createScan', response, error)).toBe(403);
  expect(error?.error.details).toMatchObject({ required_permissions: ['write'] });
});
`;

/** Uses every entry point, typed: compiled under each moduleResolution. */
const SURFACE = `import { setupServer } from 'msw/node';
import { createMock, startMockServer, type MockConfigInput } from 'cortex-edr-mock';
import { createMswHandlers } from 'cortex-edr-mock/msw';
import { runContracts } from 'cortex-edr-mock/contract';
import type { paths, components, operations, ControlPaths, ControlComponents, ControlOperations } from 'cortex-edr-mock/types';

const config: MockConfigInput = {
  seed: 7,
  clock: '2026-01-01T00:00:00Z',
  plans: { developer: { requests_per_window: 5, window_seconds: 10 } },
  accounts: [{ id: 'acct_sdk', name: 'SDK', plan: 'enterprise' }],
  keys: [{ id: 'key_sdk', name: 'sdk', secret: 'sk_test_sdk_000000000000000000000001', account_id: 'acct_sdk', permissions: ['read', 'write'] }],
  cors: { origins: ['http://localhost:5173'] },
};
export const started = () => startMockServer({ port: 0, config });
export const made = () => createMock({ config });
export const server = setupServer(...createMswHandlers().handlers);
export const contracts: typeof runContracts = runContracts;
export type Scan = components['schemas']['Scan'];
export type ListScans = operations['listScans'];
export type ScansPath = paths['/scans'];
export type Control = [ControlPaths, ControlComponents, ControlOperations];
// The handle answers at once on the memory store: an id is a string, a removal a boolean.
export const ruleAddedAndRemoved = (m: ReturnType<typeof createMock>): boolean => {
  const id: string = m.faults.add({ when: { first: 1 }, fault: { kind: 'status', status: 503 } });
  m.clock.advance(1000);
  return m.faults.remove(id);
};
`;

/** The typed client on top, where openapi-fetch's own types resolve (not under node10). */
const TYPED_CLIENT = `import createClient from 'openapi-fetch';
import type { paths, ControlPaths } from 'cortex-edr-mock/types';
export const client = createClient<paths>({ baseUrl: 'http://127.0.0.1:4010/v1' });
export const scans = () => client.GET('/scans', { params: { query: { limit: 2 } } });
export const control = createClient<ControlPaths>({ baseUrl: 'http://127.0.0.1:4010/_mock' });
`;

/** Plain Node, CommonJS, with require(esm) switched off: as Node before 20.19 loads it. */
const PLAIN_NODE = `'use strict';
const { writeFileSync } = require('node:fs');
const { startMockServer } = require('cortex-edr-mock');
const { createMswHandlers } = require('cortex-edr-mock/msw');
const { setupServer } = require('msw/node');
const seen = [];
async function record(operation, res) {
  const headers = {};
  res.headers.forEach((value, name) => (headers[name] = value));
  seen.push({ operation, status: res.status, headers, body: await res.json() });
}
async function main() {
  const running = await startMockServer({ port: 0 });
  await record('listScans', await fetch(running.baseUrl + '/scans', { headers: { Authorization: 'Bearer ${KEY}' } }));
  const docs = await fetch(running.url + '/docs/assets/swagger-ui-bundle.js');
  await running.close();
  const server = setupServer(...createMswHandlers().handlers);
  server.listen({ onUnhandledRequest: 'error' });
  await record('listScans', await fetch('https://api.cortex-edr.com/v1/scans', { headers: { Authorization: 'Bearer ${KEY}' } }));
  server.close();
  writeFileSync('plain-results.json', JSON.stringify(seen));
  const specs = ['cortex-edr.yaml', 'control.yaml'].map((f) => require.resolve('cortex-edr-mock/openapi/' + f));
  console.log(specs.map((s) => s.replace(/.*node_modules/, 'node_modules')).join(' '), docs.status);
}
main().catch((err) => { console.error(err); process.exit(1); });
`;

describe('the packed package', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cortex-consumer-'));
  const jestDir = join(dir, 'jest-project');
  const vitestDir = join(dir, 'vitest-project');
  let files: string[] = [];
  let tarball = '';
  let bareInstall: Run;

  beforeAll(async () => {
    // dist/ is fresh: npm test builds before jest runs.
    const packed = await npm(['pack', '--ignore-scripts', '--json', '--pack-destination', dir], root);
    const [info] = JSON.parse(packed.stdout) as Array<{ filename: string; size: number; files: Array<{ path: string }> }>;
    files = info.files.map((f) => f.path);
    tarball = join(dir, info.filename);
    process.stdout.write(`package: ${info.filename}, ${(info.size / 1024).toFixed(0)} KB packed, ${files.length} files\n`);
    project(dir, { name: 'consumer' });
    project(jestDir, { name: 'jest-consumer', jest: { preset: 'ts-jest', testEnvironment: 'node' } });
    project(vitestDir, { name: 'vitest-consumer', type: 'module' });
    // The package alone first, as `npm install cortex-edr-mock` gets it; then what each
    // consumer brings of its own, the three side by side.
    bareInstall = await npm(['install', '--prefer-offline', tarball], dir);
    await Promise.all([
      npm(['install', '--prefer-offline', '--no-save', tarball, pin('typescript'), pin('@types/node'), pin('msw'), pin('openapi-fetch')], dir),
      npm(['install', '--prefer-offline', tarball, pin('jest'), pin('ts-jest'), pin('@types/jest'), pin('typescript'), pin('@types/node'), pin('msw')], jestDir),
      npm(['install', '--prefer-offline', tarball, pin('vitest'), pin('vite'), pin('msw'), pin('openapi-fetch'), pin('typescript'), pin('@types/node')], vitestDir),
    ]);
  });

  it('holds no tests, bench sources, reports or TypeScript sources', () => {
    expect(files.filter((f) => /^(test|bench|reports|dist\/bench|examples)\//.test(f) || (/\.ts$/.test(f) && !/\.d\.ts$/.test(f)))).toEqual([]);
    expect(files).toEqual(expect.arrayContaining(['dist/mock/cli.js', 'dist/contracts/run.js', 'openapi/cortex-edr.yaml', 'openapi/control.yaml', 'mock/config/default-config.yaml', 'docs/prism.md']));
  });

  it('points no shipped file at a source map it does not ship (Vite and Vitest print an error for each)', () => {
    const pointing = files.filter((f) => /\.(c|m)?js$/.test(f)).filter((f) => {
      const m = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(join(root, f), 'utf8'));
      return m !== null && !m[1].startsWith('data:') && !files.includes(join(f, '..', m[1]).replace(/\\/g, '/'));
    });
    expect(pointing).toEqual([]);
  });

  it('installs with no dependency install script, no telemetry, and with the licences of what it bundles', () => {
    // npm 11 lists every install script it did not run, the package's own included: there
    // is none (the build runs at npm pack, as prepack, and at npm start or npm test).
    const output = bareInstall.stdout + bareInstall.stderr;
    expect(output.split('\n').filter((line) => /install-scripts/.test(line))).toEqual([]);
    expect(existsSync(join(dir, 'node_modules', '@scarf'))).toBe(false);
    expect(existsSync(join(dir, 'node_modules', 'swagger-ui-dist'))).toBe(false);
    expect(existsSync(join(dir, 'node_modules', '@faker-js'))).toBe(false);
    expect(files).toEqual(expect.arrayContaining(['dist/vendor/faker.cjs', 'dist/vendor/faker.LICENSE', 'dist/vendor/swagger-ui/LICENSE', 'dist/vendor/swagger-ui/NOTICE']));
    expect(readFileSync(join(dir, 'node_modules', 'cortex-edr-mock', 'dist', 'vendor', 'faker.cjs'), 'utf8')).toMatch(/^\/\*! @faker-js\/faker [\d.]+[^]*Permission is hereby granted/);
  });

  describe('the consumer matrix', () => {
    it('a: runs startMockServer and the MSW handlers under Jest 30 with ts-jest\'s default preset and no transform settings', async () => {
      writeFileSync(join(jestDir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', types: ['jest', 'node'] } }));
      writeFileSync(join(jestDir, 'consumer.test.ts'), JEST_TEST);
      const result = await run(join(jestDir, 'node_modules', '.bin', 'jest'), ['--ci'], jestDir);
      expect(result.stderr).toMatch(/Tests: +2 passed, 2 total/);
      expect(result.status).toBe(0);
      expect(checkedStatuses(join(jestDir, 'results.json'))).toEqual([200, 429, 200, 401]);
    });

    it('b: type-checks and runs the MSW handlers and the typed client (openapi-fetch, cortex-edr-mock/types) in an ES module project on Vitest', async () => {
      writeFileSync(join(vitestDir, 'consumer.test.ts'), VITEST_TEST);
      // Vitest only strips types: tsc checks them, as the project's own typecheck would.
      writeFileSync(join(vitestDir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, target: 'ES2022', module: 'nodenext', moduleResolution: 'nodenext', types: ['node'] }, files: ['consumer.test.ts'] }));
      const tsc = await run(join(vitestDir, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], vitestDir);
      expect(tsc.stdout + tsc.stderr).toBe('');
      expect(tsc.status).toBe(0);
      const result = await run(join(vitestDir, 'node_modules', '.bin', 'vitest'), ['run'], vitestDir);
      expect(result.stdout).toMatch(/Tests +2 passed \(2\)/);
      expect(result.stdout + result.stderr).not.toMatch(/Failed to load source map/);
      expect(result.status).toBe(0);
      expect(checkedStatuses(join(vitestDir, 'results.json'))).toEqual([200, 403]);
    });

    it('runs under node --no-experimental-require-module, as a Node without require(esm) would (engines)', async () => {
      expect(manifest.engines.node).toBe('>=20.12');
      writeFileSync(join(dir, 'plain.cjs'), PLAIN_NODE);
      const result = await run(process.execPath, ['--no-experimental-require-module', 'plain.cjs'], dir);
      expect(result.stderr).toBe('');
      expect(result.stdout.trim()).toBe('node_modules/cortex-edr-mock/openapi/cortex-edr.yaml node_modules/cortex-edr-mock/openapi/control.yaml 200');
      expect(result.status).toBe(0);
      expect(checkedStatuses(join(dir, 'plain-results.json'))).toEqual([200, 200]);
    });

    it.each([
      // [moduleResolution, module, file]: node10 is the default of module commonjs.
      ['node10', 'commonjs', 'surface.ts'],
      ['node16', 'node16', 'surface.ts'],
      ['bundler', 'esnext', 'surface.ts'],
      ['nodenext', 'nodenext', 'surface.mts'],
    ])('c: compiles every entry point under tsc --strict with moduleResolution %s', async (resolution, module, file) => {
      const sources = [file];
      writeFileSync(join(dir, file), SURFACE);
      if (resolution !== 'node10') {
        // openapi-fetch ships no types node10 can find; the rest resolves there too.
        const client = file.replace(/^surface/, 'typed-client');
        writeFileSync(join(dir, client), TYPED_CLIENT);
        sources.push(client);
      }
      const tsconfig = join(dir, `tsconfig.${resolution}.json`);
      writeFileSync(tsconfig, JSON.stringify({ compilerOptions: { strict: true, noEmit: true, target: 'ES2022', module, moduleResolution: resolution, types: ['node'] }, files: sources }));
      const tsc = await run(join(dir, 'node_modules', '.bin', 'tsc'), ['-p', tsconfig], dir);
      expect(tsc.stdout + tsc.stderr).toBe('');
      expect(tsc.status).toBe(0);
    });

    it('c: refuses to compile a misspelt config field (clok)', async () => {
      writeFileSync(join(dir, 'misspelt.ts'), `import { startMockServer } from 'cortex-edr-mock';\nvoid startMockServer({ config: { clok: '2026-01-01T00:00:00Z' } });\n`);
      const tsconfig = join(dir, 'tsconfig.misspelt.json');
      writeFileSync(tsconfig, JSON.stringify({ compilerOptions: { strict: true, noEmit: true, target: 'ES2022', module: 'node16', moduleResolution: 'node16', types: ['node'] }, files: ['misspelt.ts'] }));
      const tsc = await run(join(dir, 'node_modules', '.bin', 'tsc'), ['-p', tsconfig], dir);
      expect(tsc.stdout).toMatch(/misspelt\.ts\(2,34\): error TS2561: Object literal may only specify known properties, but 'clok' does not exist in type 'MockConfigInput'\. Did you mean to write 'clock'\?/);
      expect(tsc.status).not.toBe(0);
    });
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
    const result = spawnSync('npx', ['cortex-contract', '--help'], { cwd: dir, encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: cortex-contract/);
  });

  it('runs npx cortex-contract --target mock from the project, writing its reports there, not into node_modules', () => {
    const result = spawnSync('npx', ['cortex-contract', '--target', 'mock', '--allow-writes', '--prefer-codes'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    expect(result.stdout).toMatch(/\b[1-9]\d* passed, 0 failed/);
    expect(result.status).toBe(0);
    const results = JSON.parse(readFileSync(join(dir, 'reports', 'contract', 'results.json'), 'utf8'));
    expect(results.passed).toBeGreaterThan(0);
    expect(results.failed).toBe(0);
    expect(result.stdout).toContain(`${results.passed} passed`);
    expect(existsSync(join(dir, 'node_modules', 'cortex-edr-mock', 'reports'))).toBe(false);
  });

  it.each([
    ['in-process', '200 499'],
    ['express-mount', '201 200'],
    ['msw', '200 499 401'],
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
    const result = spawnSync(process.execPath, [join(dir, 'out', `${name}.js`)], { cwd: dir, encoding: 'utf8', timeout: 30_000 });
    expect(result.stderr).toBe('');
    expect(result.stdout.trim()).toBe(printed);
  });
});
