// The bench runs end to end with a tiny duration and writes its results. No timing is
// asserted: these machines are shared and noisy.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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

describe('a pair whose server fails', () => {
  // A stand-in for another build's dist/ (--baseline-dist): a server that answers the bench's
  // start-up probe with a 200, then fails as FAKE_MODE says: it never starts (exit), answers
  // 503 to every request after the probe, or exits on the first request after it (die).
  const fakeDist = () => {
    const dist = mkdtempSync(join(tmpdir(), 'bench-fake-'));
    mkdirSync(join(dist, 'mock'));
    writeFileSync(
      join(dist, 'mock', 'cli.js'),
      `const mode = process.env.FAKE_MODE;
if (mode === 'exit') process.exit(1);
let seen = 0;
require('node:http').createServer((req, res) => {
  if (++seen > 1 && mode === 'die') process.exit(1);
  res.writeHead(seen > 1 && mode === '503' ? 503 : 200, { 'content-type': 'application/json' }).end('{}');
}).listen(Number(process.argv[process.argv.indexOf('--port') + 1]), '127.0.0.1');
`,
    );
    return dist;
  };
  /** The processes still running that the bench run marked `mark` started (its environment says so). */
  const survivors = (mark: string) =>
    readdirSync('/proc')
      .filter((p) => /^\d+$/.test(p))
      .filter((pid) => {
        try {
          return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(`BENCH_SMOKE_MARK=${mark}`);
        } catch {
          return false;
        }
      })
      .map(Number);
  const benchWith = (mode: string) => {
    const mark = `${process.pid}-${mode}-${Date.now()}`;
    const args = ['--duration', '0.1', '--warmup', '0', '--runs', '1', '--connections', '2', '--servers', 'http', '--no-startup', '--results-dir', mkdtempSync(join(tmpdir(), 'bench-')), '--baseline-dist', fakeDist(), '--pairs', 'mock/mock-baseline', '--pair-starts', '1', '--pair-rounds', '1', '--pair-seconds', '0.3'];
    const run = spawnSync(process.execPath, [join(root, 'dist', 'bench', 'run.js'), ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, FAKE_MODE: mode, BENCH_SMOKE_MARK: mark } });
    const left = survivors(mark);
    for (const pid of left) process.kill(pid, 'SIGKILL');
    return { run, left };
  };

  it('stops the server it started when the other never starts, and says which failed', () => {
    const { run, left } = benchWith('exit');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^bench: mock, baseline build \(.*\) exited with 1\n$/);
    expect(left).toEqual([]);
  });

  it('fails naming the server when one answers errors instead of reporting their ratio', () => {
    const { run, left } = benchWith('503');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^bench: --pairs mock\/mock-baseline GET \/v1\/scans: mock, baseline build \(.*\) answered \d+ of \d+ requests with a status other than 2xx\n$/);
    expect(left).toEqual([]);
  });

  it('fails naming the server when one exits during a round, and stops the other', () => {
    const { run, left } = benchWith('die');
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^bench: --pairs mock\/mock-baseline GET \/v1\/scans: mock, baseline build \(.*\) exited during a round\n$/);
    expect(left).toEqual([]);
  });
});

it('refuses, before starting anything, a pair it cannot compare: a baseline with no --baseline-dist, a POST to a server that answers GET only', () => {
  // Bounded if it did start: one tiny server row.
  const short = ['--duration', '0.1', '--warmup', '0', '--runs', '1', '--servers', 'http', '--no-startup', '--results-dir', mkdtempSync(join(tmpdir(), 'bench-')), '--pair-starts', '1', '--pair-rounds', '1', '--pair-seconds', '0.1'];
  for (const [flags, says] of [
    [['--pairs', 'mock/mock-baseline'], /^bench: --pairs mock-baseline needs --baseline-dist DIR\n/],
    [['--pairs', 'mock/express', '--pair-routes', 'GET,POST'], /^bench: --pair-routes POST: express answers GET \/v1\/scans only\n/],
    [['--pairs', 'http/mock', '--pair-routes', 'POST'], /^bench: --pair-routes POST: http answers GET \/v1\/scans only\n/],
  ] as const) {
    const run = spawnSync(process.execPath, [join(root, 'dist', 'bench', 'run.js'), ...short, ...flags], { encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toMatch(says);
    expect(run.status).toBe(2);
  }
});
