#!/usr/bin/env node
// The fault check's cost on the hot path (issue 22), in process: CPU time per GET /v1/scans
// answered by core.respond(), with no `faults:` key, with `faults: []`, and with one rule no
// request matches (it names deleteUser), with `conduct: false` (issue 24: the conduct watch's
// cost is the first line's against it), and beside them another build's core
// (--baseline-dist, e.g. the commit before the faults were wired). CPU time
// (process.cpuUsage) rather than wall time, and the configurations in alternating rounds,
// so a shared machine's other load weighs on each alike. No socket: what is left is the
// core's own work, where a per-request check would show.
//
//   node dist/bench/hot-path.js [--requests 20000] [--rounds 9] [--baseline-dist DIR]
import { join } from 'node:path';
import { createCore, type MockCore } from '../mock/core';
import type { MockConfigInput } from '../mock/config/config-input';
import type { MockRequest } from '../mock/http/exchange';
import { readFlags, UsageError, wholeNumber } from '../lib/cli';

const KEY = 'sk_test_admin_000000000000000000000004';
const BASE: MockConfigInput = { clock: '2026-11-01T09:00:30Z', plans: { developer: { requests_per_window: 1_000_000_000, window_seconds: 60 } } };
const MISS: MockConfigInput['faults'] = [{ match: { operation: 'deleteUser' }, when: { first: 1 }, fault: { kind: 'close' } }];

const request = (): MockRequest => ({
  method: 'GET',
  url: '/v1/scans',
  headers: { host: '127.0.0.1:4010', authorization: `Bearer ${KEY}` },
  headersDistinct: { host: ['127.0.0.1:4010'], authorization: [`Bearer ${KEY}`] },
  httpVersion: '1.1',
  body: { kind: 'bytes', bytes: new Uint8Array(0) },
});

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[(xs.length - 1) >> 1];

function main(): void {
  let flags;
  try {
    const v = readFlags(process.argv.slice(2), { requests: { type: 'string' }, rounds: { type: 'string' }, 'baseline-dist': { type: 'string' } });
    flags = { requests: wholeNumber('--requests', v.requests, 20_000, 1, 10_000_000), rounds: wholeNumber('--rounds', v.rounds, 9, 1, 1000), baselineDist: v['baseline-dist'] };
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`hot-path: ${err.message}\nUsage: node dist/bench/hot-path.js [--requests n] [--rounds n] [--baseline-dist DIR]\n`);
    process.exit(2);
  }
  const cores: Array<{ name: string; core: Pick<MockCore, 'respond' | 'journal'> }> = [];
  if (flags.baselineDist) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const baseline = require(join(flags.baselineDist, 'mock', 'core.js')) as { createCore: typeof createCore };
    cores.push({ name: `baseline build, no faults key (${flags.baselineDist})`, core: baseline.createCore({ config: BASE }) });
  }
  cores.push(
    { name: 'no faults key (conduct on)', core: createCore({ config: BASE }) },
    { name: 'conduct: false', core: createCore({ config: { ...BASE, conduct: false } }) },
    { name: 'faults: []', core: createCore({ config: { ...BASE, faults: [] } }) },
    { name: '1 rule matching none', core: createCore({ config: { ...BASE, faults: MISS } }) },
  );
  // Warm up every core (the JIT, the seeded views), and check each answers 200.
  for (const { name, core } of cores) {
    for (let i = 0; i < 5000; i++) {
      const res = core.respond(request());
      if (res instanceof Promise || res.status !== 200) throw new Error(`${name}: GET /v1/scans did not answer 200 at once`);
    }
  }
  const perRequest = cores.map(() => [] as number[]);
  for (let round = 0; round < flags.rounds; round++) {
    for (const [n, { core }] of cores.entries()) {
      core.journal.clear();
      const start = process.cpuUsage();
      for (let i = 0; i < flags.requests; i++) core.respond(request());
      const used = process.cpuUsage(start);
      perRequest[n].push((used.user + used.system) / flags.requests);
    }
  }
  process.stdout.write(`CPU us per GET /v1/scans (core.respond), median of ${flags.rounds} rounds of ${flags.requests}, ${new Date().toISOString().slice(0, 10)}:\n`);
  for (const [n, { name }] of cores.entries()) {
    process.stdout.write(`${name.padEnd(40)} ${median(perRequest[n]).toFixed(1).padStart(6)}  (rounds ${perRequest[n].map((x) => x.toFixed(1)).join(', ')})\n`);
  }
}

main();
