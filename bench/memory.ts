#!/usr/bin/env node
// Memory check: 100,000 distinct accounts through the rate limiter, then the clock moves
// past the windows the limiter keeps (KEPT_WINDOWS); the limiter's state must fall back near
// its baseline. Then 100,000 key
// rotations through /v1, whose rotated-out secrets must not pile up. Run with --expose-gc
// (npm run bench:memory does).
import pino from 'pino';
import { createClock } from '../mock/clock';
import { createCore } from '../mock/core';
import { KEPT_WINDOWS, createRateLimiter } from '../mock/domain/limits/rate-limit';
import type { MockRequest } from '../mock/http/exchange';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');
const heapMb = () => {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed / 2 ** 20;
};

const ACCOUNTS = 100_000;
const limit = { limit: 500, windowSeconds: 60 };
const clock = createClock({ start: Date.parse('2026-11-01T09:00:30Z') });
const limiter = createRateLimiter();

const baseline = heapMb();
for (let i = 0; i < ACCOUNTS; i++) limiter.consume(`acct_${i}`, limit, clock.now());
const loaded = heapMb();
const entriesLoaded = limiter.store.size();
clock.advance((KEPT_WINDOWS + 1) * limit.windowSeconds * 1000);
limiter.consume('acct_after', limit, clock.now()); // the first request of a later window sweeps
const after = heapMb();

const result = {
  accounts: ACCOUNTS,
  baselineHeapMb: Number(baseline.toFixed(1)),
  loadedHeapMb: Number(loaded.toFixed(1)),
  afterKeptWindowsHeapMb: Number(after.toFixed(1)),
  entriesLoaded,
  entriesAfter: limiter.store.size(),
  retainedMb: Number((after - baseline).toFixed(2)),
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);

// 100,000 rotations of one key through /v1 (POST /v1/api-keys/{id}/rotate, no grace) with
// the public enterprise fixture, the clock moved a minute on before each window's budget
// runs out. RSS must stay within 20 MB of where it started, and a late rotation must cost
// what an early one did (the time per rotation is printed for each 10,000).
async function rotations(): Promise<boolean> {
  const ADMIN = 'sk_test_enterprise_000000000000000010';
  const ROTATIONS = 100_000;
  const core = createCore({ clock: createClock({ start: Date.parse('2026-11-01T09:00:30Z') }), logger: pino({ level: 'silent' }) });
  const call = async (method: string, url: string, body?: unknown) => {
    const bytes = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req: MockRequest = {
      method,
      url,
      headers: { host: '127.0.0.1', authorization: `Bearer ${ADMIN}`, ...(bytes ? { 'content-type': 'application/json', 'content-length': String(bytes.length) } : {}) },
      headersDistinct: {},
      httpVersion: '1.1',
      body: bytes ? { kind: 'bytes', bytes } : { kind: 'bytes', bytes: new Uint8Array() },
    };
    req.headersDistinct = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, [String(v)]]));
    const res = await core.serve(req);
    if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${res.body}`);
    return res;
  };
  const created = JSON.parse((await call('POST', '/v1/api-keys', { name: 'rotated', permissions: ['read'] })).body!) as { id: string };
  const rssMb = () => {
    gc!();
    gc!();
    return process.memoryUsage().rss / 2 ** 20;
  };
  // The start is a mock that has served 10,000 requests: the first ones of any kind grow RSS
  // by about 30 MB (compiled code, the journal filling to its size, the allocator's arenas)
  // whatever they are, rotations or not.
  for (let i = 0; i < 10_000; i++) {
    if (i % 1_900 === 0) core.clock.advance(60_000);
    await call('GET', '/v1/whoami');
  }
  core.clock.advance(60_000);
  const rssBefore = rssMb();
  const heapBefore = heapMb();
  const msPerRotation: number[] = [];
  const SLICE = 10_000;
  for (let done = 0; done < ROTATIONS; done += SLICE) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < SLICE; i++) {
      if ((done + i) % 1_900 === 0) core.clock.advance(60_000);
      await call('POST', `/v1/api-keys/${created.id}/rotate`, {});
    }
    msPerRotation.push(Number(process.hrtime.bigint() - started) / 1e6 / SLICE);
  }
  const rssEnd = rssMb();
  const heapEnd = heapMb();
  const rotation = {
    rotations: ROTATIONS,
    rssBeforeMb: Number(rssBefore.toFixed(1)),
    rssAfterMb: Number(rssEnd.toFixed(1)),
    heapBeforeMb: Number(heapBefore.toFixed(1)),
    heapAfterMb: Number(heapEnd.toFixed(1)),
    secretsHeld: core.state.keys.secretCount(),
    msPerRotationBy10k: msPerRotation.map((ms) => Number(ms.toFixed(3))),
    underLimit: rssEnd - rssBefore < 20,
  };
  process.stdout.write(`${JSON.stringify({ rotation }, null, 2)}\n`);
  return rotation.underLimit;
}

// The 60 KB-URL flood: 2,000 unauthenticated requests with 60 KB URLs against the mock as
// a separate process (logs on, as by default), sampling its RSS. The journal keeps at most
// its byte budget with URLs cut, so RSS must come back under 150 MB.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../lib/paths';

const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

async function flood(): Promise<void> {
  const child = spawn(process.execPath, [join(PACKAGE_ROOT, 'dist', 'mock', 'cli.js'), '--port', '0', '--log-level', process.env.FLOOD_LOG_LEVEL ?? 'info'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const baseUrl = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /listening on (http:\/\/\S+\/v1)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`the mock exited with ${code}`)));
  });
  child.stdout!.resume();
  try {
    const before = rssMb(child.pid!);
    const url = `${baseUrl}/scans?filler=${'a'.repeat(60_000)}`;
    const REQUESTS = 2_000;
    let sent = 0;
    let peak = before;
    const statuses = new Map<number, number>();
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(child.pid!))), 20);
    const worker = async () => {
      while (sent < REQUESTS) {
        sent++;
        const res = await fetch(url);
        await res.arrayBuffer();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    clearInterval(sampler);
    const journal = await fetch(`${baseUrl.replace(/\/v1$/, '')}/_mock/journal?limit=100000`);
    const journalBytes = (await journal.arrayBuffer()).byteLength;
    // Let the server's allocator settle after the burst, as a quiet minute would.
    await new Promise((r) => setTimeout(r, 2_000));
    const after = rssMb(child.pid!);
    process.stdout.write(`${JSON.stringify({ flood: { requests: REQUESTS, urlBytes: url.length, statuses: Object.fromEntries(statuses), rssBeforeMb: Math.round(before), rssPeakMb: Math.round(peak), rssAfterMb: Math.round(after), journalResponseBytes: journalBytes, underLimit: after < 150 } }, null, 2)}\n`);
    if (after >= 150) process.exitCode = 1;
  } finally {
    child.kill('SIGTERM');
  }
}

void rotations().then((ok) => {
  if (!ok) process.exitCode = 1;
  if (process.env.BENCH_ROTATIONS_ONLY !== '1') return flood();
});
