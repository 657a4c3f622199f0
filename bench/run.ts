#!/usr/bin/env node
// npm run bench: the mock against bare Express (the baseline, same run), bare node:http
// (the limit) and Prism 5.14 (static and --dynamic), on loopback, bounded in time. Each
// server starts fresh per run; the load generator (autocannon, in this process) and the
// server are pinned to different cores where taskset exists. Reports medians and ratios
// to bare Express, startup to first 200, and RSS after load. With the Redis store
// (mock-redis: one instance; mock-redis-2: two behind the load generator, which takes both
// URLs) the bench starts a redis-server of its own on a free port, measures them beside the
// memory store (mock) in the same run, and counts Redis's commands per request.
// --pairs A/B (by default the conduct watch on and off, and the mock against itself) puts two
// servers on the one core at once, each loaded with half the connections: what each answers
// is in inverse proportion to its cost, and the machine's swings fall on both (docs/benchmarks.md).
import autocannon from 'autocannon';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { get as httpsGet } from 'node:https';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../lib/paths';
import { decimal, oneOf, readFlags, UsageError, wholeNumber } from '../lib/cli';

const KEY = 'sk_test_admin_000000000000000000000004';
const TLS_DIR = join(tmpdir(), `cortex-bench-tls-${process.pid}`);
const HAS_TASKSET = spawnSync('taskset', ['-V']).status === 0 && cpus().length > 1;

interface ServerSpec {
  name: string;
  /** Command and args; PORT is replaced by the port, STORE by the bench's Redis URL, STORE_PREFIX by a fresh prefix per start. */
  cmd: string[];
  prefix: string;
  /** Served over HTTPS (--tls) with the CA kept in this folder. */
  tlsDir?: string;
  /** How many instances to start, all on the same store and prefix, the load spread across them (1 by default). */
  instances?: number;
  /** Runs on the bench's redis-server (STORE). */
  redis?: boolean;
}

interface Case {
  server: string;
  route: string;
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}

interface Measured {
  rps: number;
  /** The server's own CPU time (user + system) per request answered, in µs: what other load on a shared machine moves least. */
  cpuUs: number;
  p50: number;
  p99: number;
  rssMb: number;
  non2xx: number;
  /** On the Redis store: Redis commands per request answered, by command, over the measured load. */
  redisCalls?: Record<string, number>;
}

const USAGE = `Usage: npm run bench -- [--duration s] [--warmup s] [--runs n] [--startup-runs n]
  [--servers mock,mock-redis,mock-redis-2,mock-tls,mock-faults-empty,mock-faults-miss,mock-conduct-off,mock-baseline,express,http,prism,prism-dynamic]
  [--connections n] [--results-dir dir]
  [--no-startup] [--baseline-dist DIR  (another build's dist/, measured as mock-baseline)]
  [--pairs A/B,...|none] [--pair-starts n] [--pair-rounds n] [--pair-seconds s] [--pair-routes GET,POST]
`;

/** The servers a pair may name: one instance each, over plain HTTP (both load one core at once). */
const PAIRABLE = ['mock', 'mock-redis', 'mock-faults-empty', 'mock-faults-miss', 'mock-conduct-off', 'mock-baseline', 'express', 'http'] as const;
/** A run with no --servers compares the conduct watch on and off, and the mock with itself: the noise such a comparison has here. */
const DEFAULT_PAIRS = 'mock/mock-conduct-off,mock/mock';

const SERVER_NAMES = ['mock', 'mock-redis', 'mock-redis-2', 'mock-tls', 'mock-faults-empty', 'mock-faults-miss', 'mock-conduct-off', 'mock-baseline', 'mock-defaults', 'express', 'http', 'prism', 'prism-dynamic'] as const;
/** The mock's servers, which take the POST case too. */
const MOCKS = new Set(['mock', 'mock-redis', 'mock-redis-2', 'mock-faults-empty', 'mock-faults-miss', 'mock-conduct-off', 'mock-baseline']);
const REDIS_SERVER = '/usr/bin/redis-server';

/** The bench's flags (node:util parseArgs, as every command here): a bad value is a usage error. */
function parseCommandLine(argv: string[]) {
  const v = readFlags(argv, {
    duration: { type: 'string' },
    warmup: { type: 'string' },
    runs: { type: 'string' },
    'startup-runs': { type: 'string' },
    servers: { type: 'string' },
    connections: { type: 'string' },
    'results-dir': { type: 'string' },
    'no-startup': { type: 'boolean' },
    'baseline-dist': { type: 'string' },
    pairs: { type: 'string' },
    'pair-starts': { type: 'string' },
    'pair-rounds': { type: 'string' },
    'pair-seconds': { type: 'string' },
    'pair-routes': { type: 'string' },
  });
  // The Redis store's rows when Debian's redis-server is there (apt-get install redis-server).
  const redis = existsSync(REDIS_SERVER) ? ['mock-redis', 'mock-redis-2'] : [];
  const defaults = ['mock', ...redis, 'mock-tls', ...(v['baseline-dist'] ? ['mock-baseline'] : []), 'express', 'http', 'prism', 'prism-dynamic'];
  const servers = v.servers === undefined ? defaults : v.servers.split(',').map((s) => oneOf('--servers', s.trim(), SERVER_NAMES)!);
  const o = {
    duration: decimal('--duration', v.duration, 5, 0.1, 3600),
    warmup: decimal('--warmup', v.warmup, 1, 0, 3600),
    runs: wholeNumber('--runs', v.runs, 3, 1, 100),
    startupRuns: wholeNumber('--startup-runs', v['startup-runs'], 5, 1, 100),
    servers,
    connections: wholeNumber('--connections', v.connections, 50, 1, 10_000),
    resultsDir: v['results-dir'] ?? join(PACKAGE_ROOT, 'bench', 'results'),
    startup: !v['no-startup'],
    /** Another build's dist/ (an earlier commit's), measured beside this one as mock-baseline. */
    baselineDist: v['baseline-dist'],
    pairs: pairsOf(v.pairs ?? (v.servers === undefined ? DEFAULT_PAIRS : 'none')),
    pairStarts: wholeNumber('--pair-starts', v['pair-starts'], 5, 1, 100),
    pairRounds: wholeNumber('--pair-rounds', v['pair-rounds'], 4, 1, 100),
    pairSeconds: decimal('--pair-seconds', v['pair-seconds'], 2, 0.1, 3600),
    pairRoutes: (v['pair-routes'] ?? 'GET').split(',').map((r) => oneOf('--pair-routes', r.trim(), ['GET', 'POST'] as const)!),
  };
  // Refused before any server starts, as the other flags are.
  if (!o.baselineDist) for (const name of [...o.servers, ...o.pairs.flat()]) if (name === 'mock-baseline') throw new UsageError(`${o.servers.includes(name) ? '--servers' : '--pairs'} mock-baseline needs --baseline-dist DIR`);
  // The bare servers answer GET /v1/scans only: a POST's 404s would be compared with the mock's 201s.
  if (o.pairRoutes.includes('POST')) for (const name of o.pairs.flat()) if (!MOCKS.has(name)) throw new UsageError(`--pair-routes POST: ${name} answers GET /v1/scans only`);
  return o;
}

/** `a/b,c/d` as pairs of servers; `none`, none. */
function pairsOf(text: string): Array<[string, string]> {
  if (text.trim() === 'none') return [];
  return text.split(',').map((pair) => {
    const names = pair.split('/').map((s) => s.trim());
    if (names.length !== 2) throw new UsageError(`--pairs ${pair}: a pair is two servers, A/B`);
    return [oneOf('--pairs', names[0], PAIRABLE)!, oneOf('--pairs', names[1], PAIRABLE)!];
  });
}

const GET_SCANS = { route: 'GET /v1/scans', method: 'GET', path: '/scans' } as const;
const POST_SCANS = { route: 'POST /v1/scans', method: 'POST', path: '/scans', body: JSON.stringify({ target: 'ws-0001.corp.example', scan_type: 'quick' }) } as const;

const node = (script: string, ...args: string[]) => [process.execPath, join(PACKAGE_ROOT, 'dist', script), ...args];
const prism = (...args: string[]) => [join(PACKAGE_ROOT, 'node_modules', '.bin', 'prism'), 'mock', '-h', '127.0.0.1', '-p', 'PORT', ...args, join(PACKAGE_ROOT, 'openapi', 'cortex-edr.yaml')];

function servers(bodySize: number, baselineDist?: string): Record<string, ServerSpec> {
  const mockArgs = (config: string) => ['--port', 'PORT', '--config', join(PACKAGE_ROOT, 'bench', config), '--clock', '2026-11-01T09:00:30Z', '--log-level', 'silent'];
  return {
    ...(baselineDist ? { 'mock-baseline': { name: `mock, baseline build (${baselineDist})`, cmd: [process.execPath, join(baselineDist, 'mock', 'cli.js'), ...mockArgs('bench-config.yaml')], prefix: '/v1' } } : {}),
    mock: { name: 'mock (full pipeline)', cmd: node('mock/cli.js', ...mockArgs('bench-config.yaml')), prefix: '/v1' },
    // The same mock on the Redis store (issue 25): one instance, and two sharing the store.
    'mock-redis': { name: 'mock, Redis store', cmd: node('mock/cli.js', ...mockArgs('bench-config.yaml'), '--store', 'STORE', '--store-prefix', 'STORE_PREFIX'), prefix: '/v1', redis: true },
    'mock-redis-2': { name: 'mock, Redis store, 2 instances', cmd: node('mock/cli.js', ...mockArgs('bench-config.yaml'), '--store', 'STORE', '--store-prefix', 'STORE_PREFIX'), prefix: '/v1', redis: true, instances: 2 },
    // The fault check on the hot path (issue 22): an empty `faults:` list, and one rule no
    // benched request matches, against `mock`, which has no `faults:` at all.
    'mock-faults-empty': { name: 'mock, faults: []', cmd: node('mock/cli.js', ...mockArgs('bench-config-faults-empty.yaml')), prefix: '/v1' },
    'mock-faults-miss': { name: 'mock, 1 rule matching none', cmd: node('mock/cli.js', ...mockArgs('bench-config-faults-miss.yaml')), prefix: '/v1' },
    // The conduct watch's cost (issue 24): the same mock with `conduct: false`, against `mock`, which watches.
    'mock-conduct-off': { name: 'mock, conduct: false', cmd: node('mock/cli.js', ...mockArgs('bench-config-conduct-off.yaml')), prefix: '/v1' },
    // The same mock over HTTPS (its local CA in a folder of this run): what TLS costs.
    'mock-tls': { name: 'mock over HTTPS (--tls)', cmd: node('mock/cli.js', ...mockArgs('bench-config.yaml'), '--tls', '--tls-dir', TLS_DIR), prefix: '/v1', tlsDir: TLS_DIR },
    // Start-up only: what `npm start` runs, without a config file, logs off as Prism's.
    'mock-defaults': { name: 'mock (defaults, no config file)', cmd: node('mock/cli.js', '--port', 'PORT', '--log-level', 'silent'), prefix: '/v1' },
    express: { name: 'bare Express 5', cmd: node('bench/servers/bare-express.js', 'PORT', String(bodySize)), prefix: '/v1' },
    http: { name: 'bare node:http', cmd: node('bench/servers/bare-http.js', 'PORT', String(bodySize)), prefix: '/v1' },
    prism: { name: 'Prism 5.14 static (-v silent)', cmd: prism('-v', 'silent'), prefix: '' },
    'prism-dynamic': { name: 'Prism 5.14 --dynamic', cmd: prism('--dynamic', '-v', 'silent'), prefix: '' },
  };
}

async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((res) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => res(port));
    });
  });
}

interface Started {
  child: ChildProcess;
  url: string;
  startupMs: number;
}

/** The bench's own redis-server (on the servers' core), started for the first server that needs it. */
let benchRedis: { child: ChildProcess; port: number; url: string } | undefined;
let prefixes = 0;

async function redisServer(): Promise<{ child: ChildProcess; port: number; url: string }> {
  if (benchRedis) return benchRedis;
  const port = await freePort();
  const argv = [...(HAS_TASKSET ? ['taskset', '-c', '0'] : []), REDIS_SERVER, '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'];
  const child = spawn(argv[0], argv.slice(1), { stdio: 'ignore' });
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error('redis-server did not answer within 10 s');
    if (spawnSync('redis-cli', ['-p', String(port), 'PING'], { encoding: 'utf8' }).stdout?.trim() === 'PONG') break;
    await new Promise((r) => setTimeout(r, 20));
  }
  // Never left behind, whatever ends the bench.
  process.once('exit', () => child.kill('SIGKILL'));
  return (benchRedis = { child, port, url: `redis://127.0.0.1:${port}/0` });
}

/** Redis's `INFO commandstats` calls, by command (redis-cli, so the bench loads no client). */
function redisCommandCalls(port: number): Record<string, number> {
  const out = spawnSync('redis-cli', ['-p', String(port), 'INFO', 'commandstats'], { encoding: 'utf8' }).stdout ?? '';
  return Object.fromEntries([...out.matchAll(/^cmdstat_([a-z|]+):calls=(\d+)/gm)].map((m) => [m[1], Number(m[2])]));
}

async function start(spec: ServerSpec, path: string): Promise<Started> {
  const port = await freePort();
  const redis = spec.redis ? await redisServer() : undefined;
  const storePrefix = `bench-${process.pid}-${++prefixes}:`;
  const cmd = spec.cmd.map((a) => (a === 'PORT' ? String(port) : a === 'STORE' ? redis!.url : a === 'STORE_PREFIX' ? storePrefix : a));
  const t0 = process.hrtime.bigint();
  const argv = HAS_TASKSET ? ['taskset', '-c', '0', ...cmd] : cmd;
  const child = spawn(argv[0], argv.slice(1), { stdio: 'ignore' });
  const url = `${spec.tlsDir ? 'https' : 'http'}://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${spec.name} exited with ${child.exitCode}`);
    if (Date.now() > deadline) {
      await stop(child);
      throw new Error(`${spec.name} gave no 200 within 30 s`);
    }
    try {
      if (spec.tlsDir) {
        if (existsSync(join(spec.tlsDir, 'ca.pem')) && (await statusOverTls(`${url}${spec.prefix}${path}`, readFileSync(join(spec.tlsDir, 'ca.pem'), 'utf8'))) === 200) break;
      } else {
        const r = await fetch(`${url}${spec.prefix}${path}`, { headers: { Authorization: `Bearer ${KEY}` }, signal: AbortSignal.timeout(1000) });
        await r.arrayBuffer();
        if (r.status === 200) break;
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  return { child, url, startupMs: Number(process.hrtime.bigint() - t0) / 1e6 };
}

/** `spec`'s instances, each started as `start` does (the same store prefix for all). */
async function startAll(spec: ServerSpec, path: string): Promise<Started[]> {
  const first = await start(spec, path);
  const prefix = first.child.spawnargs[first.child.spawnargs.indexOf('--store-prefix') + 1];
  const rest: Started[] = [];
  for (let i = 1; i < (spec.instances ?? 1); i++) rest.push(await start({ ...spec, cmd: spec.cmd.map((a) => (a === 'STORE_PREFIX' ? prefix : a)) }, path));
  return [first, ...rest];
}

/** One GET over HTTPS trusting `ca` (fetch takes no CA): its status. */
function statusOverTls(url: string, ca: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpsGet(url, { ca, headers: { Authorization: `Bearer ${KEY}` }, timeout: 1000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null) return done();
    child.once('exit', () => done());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 2000).unref();
  });
}

/** A process's CPU time so far (user + system), in clock ticks (/proc/PID/stat fields 14 and 15). */
function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The name (field 2) is in parentheses and may hold spaces: count from after it.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

/** Clock ticks per second (getconf CLK_TCK; 100 on Linux). */
const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;

function rssMb(pid: number): number {
  // The server may be a wrapper (taskset execs, npx does not): read the process itself.
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
}

async function load(url: string | string[], c: Case, seconds: number, connections: number): Promise<autocannon.Result> {
  return autocannon({
    // Several URLs: autocannon spreads its connections across them.
    url: url as string,
    method: c.method,
    duration: seconds,
    connections,
    headers: { Authorization: `Bearer ${KEY}`, ...(c.body ? { 'Content-Type': 'application/json' } : {}) },
    body: c.body,
  });
}

async function measure(spec: ServerSpec, c: Case, o: ReturnType<typeof parseCommandLine>): Promise<Measured> {
  const all = await startAll(spec, c.method === 'GET' ? c.path : '/whoami');
  try {
    const urls = all.map((s) => `${s.url}${spec.prefix}${c.path}`);
    const url = urls.length === 1 ? urls[0] : urls;
    if (o.warmup > 0) await load(url, c, o.warmup, o.connections);
    const ticks = () => all.reduce((sum, s) => sum + cpuTicks(s.child.pid!), 0);
    const before = spec.redis ? redisCommandCalls(benchRedis!.port) : undefined;
    const beforeTicks = ticks();
    const r = await load(url, c, o.duration, o.connections);
    const answered = r.requests.total;
    // Server CPU per request: every instance's, summed.
    const cpuUs = ((ticks() - beforeTicks) / CLK_TCK / Math.max(1, answered)) * 1e6;
    const redisCalls = before && answered > 0 ? perRequest(before, redisCommandCalls(benchRedis!.port), answered) : undefined;
    // RSS of the largest instance: each instance is a process of its own.
    return { rps: r.requests.average, cpuUs, p50: r.latency.p50, p99: r.latency.p99, rssMb: Math.max(...all.map((s) => rssMb(s.child.pid!))), non2xx: r.non2xx, ...(redisCalls ? { redisCalls } : {}) };
  } finally {
    await Promise.all(all.map((s) => stop(s.child)));
  }
}

/** What a paired comparison measured: A's requests answered over B's in each round, and A's server CPU per request over B's. */
interface Paired {
  ratios: number[];
  cpuRatios: number[];
  /** The median ratio of each fresh start's rounds. */
  perStart: number[];
}

/**
 * A and B on the same core at once, each loaded by its own autocannon with half the
 * connections: the kernel shares the core between two busy processes evenly, so what each
 * answers in a round is in inverse proportion to its cost per request. Whatever else slows
 * the machine in a round (a shared host's neighbours move one server's req/s 2x between runs
 * here) slows both alike, which alternate runs of one at a time cannot say. Fresh starts,
 * since a process's JIT and heap layout move it a few percent for its life. `pair` is how
 * --pairs named it, for a failure's message: a server that exits, or answers other than 2xx.
 */
async function measurePair(pair: string, a: ServerSpec, b: ServerSpec, c: Case, o: ReturnType<typeof parseCommandLine>): Promise<Paired> {
  const out: Paired = { ratios: [], cpuRatios: [], perStart: [] };
  const half = Math.max(1, Math.floor(o.connections / 2));
  for (let k = 0; k < o.pairStarts; k++) {
    // Each stopped in the end, whatever fails: B's start, a round.
    const servers: Started[] = [];
    try {
      servers.push(await start(a, c.path));
      servers.push(await start(b, c.path));
      const round = async (seconds: number) => {
        const before = servers.map((s) => cpuTicks(s.child.pid!));
        const results = await Promise.all(servers.map((s, i) => load(`${s.url}${[a, b][i].prefix}${c.path}`, c, seconds, half)));
        // A ratio of answers is one only when both answered what was asked, all along.
        servers.forEach((s, i) => {
          const which = `--pairs ${pair} ${c.route}: ${[a, b][i].name}`;
          if (s.child.exitCode !== null || s.child.signalCode !== null) throw new Error(`${which} exited during a round`);
          const answered = results[i].requests.total;
          if (answered === 0) throw new Error(`${which} answered no request`);
          if (results[i].non2xx > 0) throw new Error(`${which} answered ${results[i].non2xx} of ${answered} requests with a status other than 2xx`);
        });
        const cpu = servers.map((s, i) => (cpuTicks(s.child.pid!) - before[i]) / Math.max(1, results[i].requests.total));
        return { ratio: results[0].requests.total / Math.max(1, results[1].requests.total), cpuRatio: cpu[0] / cpu[1] };
      };
      // Warmed as long as a round at least: the first seconds of a fresh process are the JIT's.
      await round(Math.max(o.warmup, o.pairSeconds));
      const ratios: number[] = [];
      for (let i = 0; i < o.pairRounds; i++) {
        const r = await round(o.pairSeconds);
        ratios.push(r.ratio);
        out.cpuRatios.push(r.cpuRatio);
      }
      out.ratios.push(...ratios);
      out.perStart.push(median(ratios));
    } finally {
      await Promise.all(servers.map((s) => stop(s.child)));
    }
  }
  return out;
}

/**
 * Each command's calls between two INFO commandstats, per request answered (INFO's own call
 * left out). Redis counts a script's own calls too: the round trips are the scripts (evalsha,
 * eval); get, incr, persist and the like ran inside them.
 */
/** `1.00 round trips (evalsha 1.00); inside: get 1.00, incr 1.00, ...` */
function describeCalls(calls: Record<string, number>): string {
  const trips = Object.entries(calls).filter(([cmd]) => cmd === 'evalsha' || cmd === 'eval' || cmd.startsWith('script'));
  const inside = Object.entries(calls).filter(([cmd]) => !trips.some(([t]) => t === cmd));
  const total = trips.reduce((sum, [, n]) => sum + n, 0);
  const list = (xs: Array<[string, number]>) => xs.map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ');
  return `${total.toFixed(2)} round trips (${list(trips)})${inside.length ? `; inside the script: ${list(inside)}` : ''}`;
}

function perRequest(before: Record<string, number>, after: Record<string, number>, requests: number): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [cmd, calls] of Object.entries(after)) {
    const delta = calls - (before[cmd] ?? 0) - (cmd === 'info' ? 1 : 0);
    if (delta > 0) out[cmd] = Number((delta / requests).toFixed(3));
  }
  return out;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Each pair of --pairs measured on each of --pair-routes (measurePair), and printed as it ends. */
async function comparePairs(specs: Record<string, ServerSpec>, o: ReturnType<typeof parseCommandLine>) {
  const pairs = [];
  for (const [a, b] of o.pairs) {
    for (const method of o.pairRoutes) {
      const c: Case = { server: a, ...(method === 'GET' ? GET_SCANS : POST_SCANS) };
      const m = await measurePair(`${a}/${b}`, specs[a], specs[b], c, o);
      const ratio = median(m.ratios);
      pairs.push({ a, b, route: c.route, label: a === b ? `${specs[a].name}, against itself (the noise)` : `${specs[a].name} against ${specs[b].name}`, ratio, low: Math.min(...m.ratios), high: Math.max(...m.ratios), perStart: m.perStart, cpuRatio: median(m.cpuRatios), rounds: m.ratios.length });
      process.stdout.write(`pair ${a}/${b} ${c.route}: ${ratio.toFixed(3)}x the requests (rounds ${Math.min(...m.ratios).toFixed(3)} to ${Math.max(...m.ratios).toFixed(3)}; fresh starts ${m.perStart.map((r) => r.toFixed(3)).join(', ')})\n`);
    }
  }
  return pairs;
}

async function main(): Promise<void> {
  let o: ReturnType<typeof parseCommandLine>;
  try {
    o = parseCommandLine(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`bench: ${err.message}\n${USAGE}`);
    process.exit(2);
  }
  if (!existsSync(join(PACKAGE_ROOT, 'dist', 'mock', 'cli.js'))) throw new Error('run npm run build first');
  // The load generator on core 1, servers on core 0.
  if (HAS_TASKSET) spawnSync('taskset', ['-p', '-c', '1', String(process.pid)], { stdio: 'ignore' });

  // The baselines answer a body as large as the mock's GET /v1/scans.
  const probe = await start(servers(1000).mock, '/scans');
  const sample = await (await fetch(`${probe.url}/v1/scans`, { headers: { Authorization: `Bearer ${KEY}` } })).text();
  await stop(probe.child);
  const specs = servers(Buffer.byteLength(sample), o.baselineDist);

  const cases: Case[] = [];
  for (const name of o.servers) {
    cases.push({ server: name, ...GET_SCANS });
    if (MOCKS.has(name) || name === 'prism') {
      cases.push({ server: name, ...POST_SCANS });
    }
  }

  // Round-robin: run i of every case before run i + 1 of any, so a machine whose load drifts
  // during the bench (a shared one) weighs on every server alike, and servers measured side
  // by side (mock, mock-faults-empty) are compared under the same conditions.
  const measured: Measured[][] = cases.map(() => []);
  for (let i = 0; i < o.runs; i++) {
    for (const [n, c] of cases.entries()) measured[n].push(await measure(specs[c.server], c, o));
  }
  const rows: Array<Case & Measured & { name: string; runs: number }> = [];
  for (const [n, c] of cases.entries()) {
    const runs = measured[n];
    const row = { ...c, name: specs[c.server].name, runs: o.runs, rps: median(runs.map((r) => r.rps)), cpuUs: median(runs.map((r) => r.cpuUs)), p50: median(runs.map((r) => r.p50)), p99: median(runs.map((r) => r.p99)), rssMb: median(runs.map((r) => r.rssMb)), non2xx: Math.max(...runs.map((r) => r.non2xx)), redisCalls: runs[runs.length - 1].redisCalls };
    rows.push(row);
    const calls = row.redisCalls ? `  Redis per request: ${describeCalls(row.redisCalls)}` : '';
    process.stdout.write(`${row.name.padEnd(32)} ${c.route.padEnd(15)} ${row.rps.toFixed(0).padStart(7)} req/s  ${row.cpuUs.toFixed(0).padStart(4)} CPU us/req  p50 ${row.p50} ms  p99 ${row.p99} ms  RSS ${row.rssMb.toFixed(0)} MB${row.non2xx ? `  non-2xx ${row.non2xx}` : ''}${calls}\n`);
  }

  const pairs = await comparePairs(specs, o);

  const startup: Array<{ server: string; name: string; medianMs: number; runsMs: number[] }> = [];
  if (o.startup) {
    const startupServers = o.servers.flatMap((s) => (s === 'mock' ? ['mock', 'mock-defaults'] : s === 'prism-dynamic' || s === 'mock-redis-2' ? [] : [s]));
    for (const name of startupServers) {
      const times: number[] = [];
      for (let i = 0; i < o.startupRuns; i++) {
        const s = await start(specs[name], '/scans');
        times.push(s.startupMs);
        await stop(s.child);
      }
      startup.push({ server: name, name: specs[name].name, medianMs: median(times), runsMs: times.map((t) => Math.round(t)) });
      process.stdout.write(`startup ${specs[name].name}: median ${median(times).toFixed(0)} ms over ${times.length} runs\n`);
    }
  }

  rmSync(TLS_DIR, { recursive: true, force: true });
  if (benchRedis) await stop(benchRedis.child);
  const baseline = rows.find((r) => r.server === 'express' && r.method === 'GET');
  // The Redis rows against the memory store's, route by route.
  const memory = (route: string) => rows.find((r) => r.server === 'mock' && r.route === route);
  const machine = `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}${HAS_TASKSET ? ', server on core 0, load on core 1' : ', no taskset'}`;
  const result = {
    date: new Date().toISOString(),
    machine,
    settings: { connections: o.connections, durationSeconds: o.duration, warmupSeconds: o.warmup, runs: o.runs },
    rows: rows.map((r) => ({
      server: r.server,
      name: r.name,
      route: r.route,
      rps: Math.round(r.rps),
      cpuUsPerRequest: Number(r.cpuUs.toFixed(1)),
      p50Ms: r.p50,
      p99Ms: r.p99,
      rssMb: Math.round(r.rssMb),
      non2xx: r.non2xx,
      ratioToExpress: baseline ? Number((r.rps / baseline.rps).toFixed(2)) : null,
      ...(specs[r.server].redis && memory(r.route) ? { ratioToMemoryStore: Number((r.rps / memory(r.route)!.rps).toFixed(2)) } : {}),
      ...(r.redisCalls ? { redisCallsPerRequest: r.redisCalls } : {}),
    })),
    pairs: pairs.map((p) => ({ a: p.a, b: p.b, route: p.route, requestsRatio: Number(p.ratio.toFixed(3)), lowest: Number(p.low.toFixed(3)), highest: Number(p.high.toFixed(3)), perStart: p.perStart.map((r) => Number(r.toFixed(3))), cpuPerRequestRatio: Number(p.cpuRatio.toFixed(3)), rounds: p.rounds })),
    startup,
  };
  mkdirSync(o.resultsDir, { recursive: true });
  writeFileSync(join(o.resultsDir, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  const md = [
    `Machine: ${machine}. autocannon -c ${o.connections}, ${o.duration} s after ${o.warmup} s warm-up, median of ${o.runs} fresh starts. ${result.date.slice(0, 10)}.`,
    '',
    '| server | route | req/s | x bare Express | x memory store | server CPU µs per request | Redis per request | p50 ms | p99 ms | RSS after load MB |',
    '| --- | --- | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |',
    ...result.rows.map((r) => `| ${r.name} | ${r.route} | ${r.rps} | ${r.ratioToExpress ?? '-'} | ${'ratioToMemoryStore' in r ? r.ratioToMemoryStore : '-'} | ${r.cpuUsPerRequest} | ${'redisCallsPerRequest' in r && r.redisCallsPerRequest ? describeCalls(r.redisCallsPerRequest) : '-'} | ${r.p50Ms} | ${r.p99Ms} | ${r.rssMb} |`),
    '',
    ...(pairs.length
      ? [
          `Pairs, both servers on one core at once, each loaded with ${Math.max(1, Math.floor(o.connections / 2))} connections: ${o.pairStarts} fresh starts of ${o.pairRounds} rounds of ${o.pairSeconds} s. A's requests answered over B's (below 1: A costs more per request), the median of the rounds.`,
          '',
          '| pair (A against B) | route | A/B requests | rounds, lowest to highest | each fresh start | A/B server CPU per request |',
          '| --- | --- | ---: | --- | --- | ---: |',
          ...pairs.map((p) => `| ${p.label} | ${p.route} | ${p.ratio.toFixed(3)} | ${p.low.toFixed(3)} to ${p.high.toFixed(3)} | ${p.perStart.map((r) => r.toFixed(3)).join(', ')} | ${p.cpuRatio.toFixed(3)} |`),
          '',
        ]
      : []),
    ...(startup.length ? ['| server | startup to first 200 (median ms) | runs |', '| --- | ---: | --- |', ...startup.map((s) => `| ${s.name} | ${Math.round(s.medianMs)} | ${s.runsMs.join(', ')} |`), ''] : []),
  ].join('\n');
  writeFileSync(join(o.resultsDir, 'latest.md'), `${md}\n`);
  process.stdout.write(`\n${md}\nwritten to ${join(o.resultsDir, 'latest.json')} and latest.md\n`);
}

main().catch((err) => {
  process.stderr.write(`bench: ${(err as Error).message}\n`);
  process.exit(1);
});
