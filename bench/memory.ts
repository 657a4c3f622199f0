#!/usr/bin/env node
// Memory check: 100,000 distinct accounts through the rate limiter, then the clock moves
// two windows on; the limiter's state must fall back near its baseline. Run with
// --expose-gc (npm run bench:memory does).
import { createClock } from '../mock/clock';
import { createRateLimiter } from '../mock/rate-limit/rate-limit';

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
const limiter = createRateLimiter(clock);

const baseline = heapMb();
for (let i = 0; i < ACCOUNTS; i++) limiter.consume(`acct_${i}`, limit);
const loaded = heapMb();
const entriesLoaded = limiter.store.size();
clock.advance(2 * limit.windowSeconds * 1000);
limiter.consume('acct_after', limit); // the first request of a later window sweeps
const after = heapMb();

const result = {
  accounts: ACCOUNTS,
  baselineHeapMb: Number(baseline.toFixed(1)),
  loadedHeapMb: Number(loaded.toFixed(1)),
  afterTwoWindowsHeapMb: Number(after.toFixed(1)),
  entriesLoaded,
  entriesAfter: limiter.store.size(),
  retainedMb: Number((after - baseline).toFixed(2)),
};
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
