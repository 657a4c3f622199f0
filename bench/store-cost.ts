#!/usr/bin/env node
// Where a request's time goes on the Redis store (issue 25), in process: CPU time per
// GET /v1/scans and per POST /v1/scans answered by core.serve(), on the memory store and on
// a redis-server this script starts on a free port, with `--in-flight` requests at a time,
// plus Redis's own CPU (INFO cpu) and its commands (INFO commandstats) per request. CPU time
// (process.cpuUsage) rather than wall time, and the stores in alternating rounds, so a shared
// machine's other load weighs on each alike. No socket to the client: what is left is the
// core's work and the store's round trip.
//
//   node dist/bench/store-cost.js [--requests 5000] [--rounds 5] [--in-flight 50]
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { createCore, type MockCore } from '../mock/core';
import type { MockConfigInput } from '../mock/config/config-input';
import type { MockRequest } from '../mock/http/exchange';
import { readFlags, UsageError, wholeNumber } from '../lib/cli';

const KEY = 'sk_test_admin_000000000000000000000004';
const BASE: MockConfigInput = { clock: '2026-11-01T09:00:30Z', conduct: false, plans: { developer: { requests_per_window: 1_000_000_000, window_seconds: 60 } } };
const BODY = new TextEncoder().encode(JSON.stringify({ target: 'ws-0001.corp.example', scan_type: 'quick' }));

const request = (method: 'GET' | 'POST'): MockRequest => ({
  method,
  url: '/v1/scans',
  headers: { host: '127.0.0.1:4010', authorization: `Bearer ${KEY}`, ...(method === 'POST' ? { 'content-type': 'application/json', 'content-length': String(BODY.length) } : {}) },
  headersDistinct: { host: ['127.0.0.1:4010'], authorization: [`Bearer ${KEY}`], ...(method === 'POST' ? { 'content-type': ['application/json'], 'content-length': [String(BODY.length)] } : {}) },
  httpVersion: '1.1',
  body: { kind: 'bytes', bytes: method === 'POST' ? BODY : new Uint8Array(0) },
});

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1];

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

const info = (port: number, section: string) => spawnSync('redis-cli', ['-p', String(port), 'INFO', section], { encoding: 'utf8' }).stdout ?? '';
const redisCpuMs = (port: number) => {
  const text = info(port, 'cpu');
  const field = (name: string) => Number(new RegExp(`${name}:([\\d.]+)`).exec(text)?.[1] ?? 0);
  return (field('used_cpu_user') + field('used_cpu_sys')) * 1000;
};
const evalshaCalls = (port: number) => Number(/cmdstat_evalsha:calls=(\d+)/.exec(info(port, 'commandstats'))?.[1] ?? 0);

/** `count` requests through `core`, `inFlight` at a time; the CPU µs per request of this process. */
async function drive(core: Pick<MockCore, 'serve'>, method: 'GET' | 'POST', count: number, inFlight: number): Promise<number> {
  const start = process.cpuUsage();
  let sent = 0;
  const worker = async () => {
    while (sent < count) {
      sent++;
      const res = await core.serve(request(method));
      if (res.status !== 200 && res.status !== 201) throw new Error(`${method} /v1/scans answered ${res.status}`);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  const used = process.cpuUsage(start);
  return (used.user + used.system) / count;
}

async function main(): Promise<void> {
  let flags;
  try {
    const v = readFlags(process.argv.slice(2), { requests: { type: 'string' }, rounds: { type: 'string' }, 'in-flight': { type: 'string' } });
    flags = { requests: wholeNumber('--requests', v.requests, 5000, 1, 10_000_000), rounds: wholeNumber('--rounds', v.rounds, 5, 1, 1000), inFlight: wholeNumber('--in-flight', v['in-flight'], 50, 1, 10_000) };
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`store-cost: ${err.message}\nUsage: node dist/bench/store-cost.js [--requests n] [--rounds n] [--in-flight n]\n`);
    process.exit(2);
  }
  const port = await freePort();
  const redis = spawn('/usr/bin/redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--loglevel', 'warning'], { stdio: 'ignore' });
  process.once('exit', () => redis.kill('SIGKILL'));
  while (spawnSync('redis-cli', ['-p', String(port), 'PING'], { encoding: 'utf8' }).stdout?.trim() !== 'PONG') await new Promise((r) => setTimeout(r, 20));
  const memory = createCore({ config: BASE });
  const shared = createCore({ config: { ...BASE, store: `redis://127.0.0.1:${port}/0`, store_prefix: `cost-${process.pid}:` } });
  const rows: Array<{ store: string; method: string; cpuUs: number[]; redisCpuUs: number[]; trips: number[] }> = [];
  for (const method of ['GET', 'POST'] as const) {
    for (const [store, core] of [['memory', memory], ['redis', shared]] as const) {
      await drive(core, method, 2000, flags.inFlight); // warm-up: the JIT, the connection, the scripts
      rows.push({ store, method, cpuUs: [], redisCpuUs: [], trips: [] });
    }
  }
  for (let round = 0; round < flags.rounds; round++) {
    for (const row of rows) {
      const core = row.store === 'memory' ? memory : shared;
      const cpuBefore = redisCpuMs(port);
      const tripsBefore = evalshaCalls(port);
      row.cpuUs.push(await drive(core, row.method as 'GET' | 'POST', flags.requests, flags.inFlight));
      if (row.store === 'redis') {
        row.redisCpuUs.push(((redisCpuMs(port) - cpuBefore) * 1000) / flags.requests);
        row.trips.push((evalshaCalls(port) - tripsBefore) / flags.requests);
      }
    }
  }
  const lines = rows.map((r) => {
    const mock = median(r.cpuUs);
    const base = median(rows.find((m) => m.store === 'memory' && m.method === r.method)!.cpuUs);
    const extra = r.store === 'redis' ? `, redis-server ${median(r.redisCpuUs).toFixed(1)} us, ${median(r.trips).toFixed(2)} round trips (EVALSHA) per request` : '';
    return `${r.method} /v1/scans, ${r.store} store: mock ${mock.toFixed(1)} us of CPU per request (x${(mock / base).toFixed(2)} the memory store)${extra}`;
  });
  process.stdout.write(`${lines.join('\n')}\n(${flags.requests} requests x ${flags.rounds} rounds, ${flags.inFlight} in flight, medians)\n`);
  await shared.close();
  redis.kill('SIGKILL');
}

main().catch((err) => {
  process.stderr.write(`store-cost: ${(err as Error).message}\n`);
  process.exit(1);
});
