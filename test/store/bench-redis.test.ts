// npm run bench's Redis rows end to end, with a tiny duration: the bench starts its own
// redis-server, measures mock-redis (one instance) and mock-redis-2 (two behind the load
// generator) beside the memory store, and counts Redis's round trips per request. No timing
// is asserted: these machines are shared and noisy.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

jest.setTimeout(120_000);

const root = join(__dirname, '..', '..');

it('benches the Redis store beside the memory store, with its ratio and its round trips per request', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bench-'));
  const run = spawnSync(process.execPath, [join(root, 'dist', 'bench', 'run.js'), '--duration', '0.3', '--warmup', '0', '--runs', '1', '--connections', '4', '--servers', 'mock,mock-redis,mock-redis-2', '--no-startup', '--results-dir', dir], { encoding: 'utf8', timeout: 90_000 });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  const result = JSON.parse(readFileSync(join(dir, 'latest.json'), 'utf8')) as { rows: Array<{ server: string; route: string; rps: number; non2xx: number; ratioToMemoryStore?: number; redisCallsPerRequest?: Record<string, number> }> };
  expect(result.rows.map((r) => `${r.server} ${r.route}`)).toEqual(['mock GET /v1/scans', 'mock POST /v1/scans', 'mock-redis GET /v1/scans', 'mock-redis POST /v1/scans', 'mock-redis-2 GET /v1/scans', 'mock-redis-2 POST /v1/scans']);
  for (const row of result.rows) {
    expect(row.rps).toBeGreaterThan(0);
    expect(row.non2xx).toBe(0);
  }
  for (const row of result.rows.filter((r) => r.server !== 'mock')) {
    expect(row.ratioToMemoryStore).toBeGreaterThan(0);
    // A GET waits for one script (the limiter's), a POST for two (limiter, the shared log's
    // append); the journal's pushes, one per turn of the event loop, come on top, and with two
    // instances writing, a request that meets the other's write catches up and runs again.
    const waited = row.route.startsWith('GET') ? 1 : 2;
    expect(row.redisCallsPerRequest!.evalsha).toBeGreaterThanOrEqual(waited);
    expect(row.redisCallsPerRequest!.evalsha).toBeLessThan(waited === 1 ? 2 : 6);
  }
  expect(readFileSync(join(dir, 'latest.md'), 'utf8')).toMatch(/\| mock, Redis store, 2 instances \| GET \/v1\/scans \|.*round trips/);
});
