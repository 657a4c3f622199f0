// The bench runs end to end with a tiny duration and writes its results. No timing is
// asserted: these machines are shared and noisy.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Spawns processes and servers: sized for a machine with both cores busy.
jest.setTimeout(120_000);

const root = join(__dirname, '..', '..');

it('runs the bench end to end and writes JSON and Markdown results', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-'));
  const run = spawnSync(process.execPath, [join(root, 'dist', 'bench', 'run.js'), '--duration', '0.3', '--warmup', '0', '--runs', '1', '--connections', '4', '--servers', 'mock,express', '--no-startup', '--results-dir', dir], { encoding: 'utf8', timeout: 60_000 });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const result = JSON.parse(readFileSync(join(dir, 'latest.json'), 'utf8'));
  expect(result.rows.map((r: { server: string; route: string }) => `${r.server} ${r.route}`)).toEqual(['mock GET /v1/scans', 'mock POST /v1/scans', 'express GET /v1/scans']);
  for (const row of result.rows) {
    expect(row.rps).toBeGreaterThan(0);
    expect(row.non2xx).toBe(0);
  }
  expect(readFileSync(join(dir, 'latest.md'), 'utf8')).toMatch(/\| bare Express 5 \| GET \/v1\/scans \|/);
});

it('benches the mock with no faults key, with faults: [] and with one rule matching none, side by side in one run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-'));
  const run = spawnSync(process.execPath, [join(root, 'dist', 'bench', 'run.js'), '--duration', '0.3', '--warmup', '0', '--runs', '1', '--connections', '4', '--servers', 'mock,mock-faults-empty,mock-faults-miss', '--no-startup', '--results-dir', dir], { encoding: 'utf8', timeout: 60_000 });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const result = JSON.parse(readFileSync(join(dir, 'latest.json'), 'utf8'));
  expect(result.rows.map((r: { server: string; route: string }) => `${r.server} ${r.route}`)).toEqual([
    'mock GET /v1/scans',
    'mock POST /v1/scans',
    'mock-faults-empty GET /v1/scans',
    'mock-faults-empty POST /v1/scans',
    'mock-faults-miss GET /v1/scans',
    'mock-faults-miss POST /v1/scans',
  ]);
  // The rule that matches none shapes nothing: every answer is the normal one.
  for (const row of result.rows) {
    expect(row.rps).toBeGreaterThan(0);
    expect(row.non2xx).toBe(0);
  }
});

it('benches the mock with the conduct watch on and off side by side, with the server CPU time per request', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-'));
  const run = spawnSync(process.execPath, [join(root, 'dist', 'bench', 'run.js'), '--duration', '0.3', '--warmup', '0', '--runs', '1', '--connections', '4', '--servers', 'mock,mock-conduct-off', '--no-startup', '--results-dir', dir], { encoding: 'utf8', timeout: 60_000 });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const result = JSON.parse(readFileSync(join(dir, 'latest.json'), 'utf8'));
  expect(result.rows.map((r: { server: string; route: string }) => `${r.server} ${r.route}`)).toEqual(['mock GET /v1/scans', 'mock POST /v1/scans', 'mock-conduct-off GET /v1/scans', 'mock-conduct-off POST /v1/scans']);
  for (const row of result.rows) {
    expect(row.non2xx).toBe(0);
    // Some CPU time for each request, and far less than a second.
    expect(row.cpuUsPerRequest).toBeGreaterThan(0);
    expect(row.cpuUsPerRequest).toBeLessThan(1e6);
  }
  expect(readFileSync(join(dir, 'latest.md'), 'utf8')).toMatch(/\| mock, conduct: false \| GET \/v1\/scans \| \d+ \| - \| - \| [\d.]+ \|/);
});

it('compares a pair on one core at once, on GET and POST, and writes each with its rounds', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-'));
  const run = spawnSync(process.execPath, [join(root, 'dist', 'bench', 'run.js'), '--duration', '0.3', '--warmup', '0', '--runs', '1', '--connections', '4', '--servers', 'express', '--no-startup', '--results-dir', dir, '--pairs', 'mock/mock-conduct-off', '--pair-starts', '2', '--pair-rounds', '2', '--pair-seconds', '0.3', '--pair-routes', 'GET,POST'], { encoding: 'utf8', timeout: 90_000 });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const result = JSON.parse(readFileSync(join(dir, 'latest.json'), 'utf8'));
  expect(result.pairs.map((p: { a: string; b: string; route: string }) => `${p.a}/${p.b} ${p.route}`)).toEqual(['mock/mock-conduct-off GET /v1/scans', 'mock/mock-conduct-off POST /v1/scans']);
  for (const pair of result.pairs) {
    // Both answered in every round: a ratio, neither 0 nor unbounded, within its rounds' range.
    expect(pair.rounds).toBe(4);
    expect(pair.perStart).toHaveLength(2);
    expect(pair.requestsRatio).toBeGreaterThan(0.05);
    expect(pair.requestsRatio).toBeLessThan(20);
    expect(pair.lowest).toBeLessThanOrEqual(pair.requestsRatio);
    expect(pair.highest).toBeGreaterThanOrEqual(pair.requestsRatio);
  }
  expect(readFileSync(join(dir, 'latest.md'), 'utf8')).toMatch(/\| mock \(full pipeline\) against mock, conduct: false \| GET \/v1\/scans \| [\d.]+ \|/);
});

it('refuses a pair that is not two servers it can load on one core, naming the flag', () => {
  for (const pairs of ['mock', 'mock/prism', 'mock/mock-tls', 'mock/mock/mock']) {
    const run = spawnSync(process.execPath, [join(root, 'dist', 'bench', 'run.js'), '--pairs', pairs], { encoding: 'utf8', timeout: 30_000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^bench: --pairs /);
  }
});

it('measures the fault check in process: no faults key, faults: [] and one rule matching none, each answering 200', () => {
  const run = spawnSync(process.execPath, [join(root, 'dist', 'bench', 'hot-path.js'), '--requests', '200', '--rounds', '2'], { encoding: 'utf8', timeout: 60_000 });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const rows = run.stdout.split('\n').filter((l) => /\(rounds /.test(l));
  expect(rows.map((l) => l.split(/\s{2,}/)[0])).toEqual(['no faults key (conduct on)', 'conduct: false', 'faults: []', '1 rule matching none']);
  for (const row of rows) expect(Number(/\s(\d+\.\d)\s+\(rounds/.exec(row)?.[1])).toBeGreaterThan(0);
});
