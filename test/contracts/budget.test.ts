// The harness and the rate-limit budget: a 429 it did not ask for is waited out (a real
// server: Retry-After on its clock) or, against our own mock, skipped by moving the mock's
// clock to the next window; either way no check fails because the budget ran out.
import pino from 'pino';
import { createHarness } from '../../contracts/lib/harness';
import { createTransport } from '../../contracts/lib/http';
import { runCases, type RunOutcome } from '../../contracts/lib/runner';
import { startMockServer } from '../../mock/server';
import { runContracts } from '../helpers/contract-run';

jest.setTimeout(120_000);
const READ = 'sk_test_readonly_00000000000000000001';

it('moves the mock clock past an exhausted window instead of failing (--target mock)', async () => {
  const mock = await startMockServer({ logger: pino({ level: 'silent' }), config: { clock: '2026-11-01T09:00:30Z', plans: { developer: { requests_per_window: 2 } } } });
  const transport = createTransport();
  try {
    const sleeps: number[] = [];
    const harness = createHarness(
      { baseUrl: mock.baseUrl, target: 'mock', keys: { read: READ }, allowWrites: false, allowExhaust: false, allowLive: false, preferCodes: false, timeoutMs: 5_000, deadline: Date.now() + 60_000, maxResponseBytes: 1_000_000, controlUrl: `${mock.url}/_mock`, reportDir: '/tmp' },
      transport,
      async (ms) => void sleeps.push(ms),
    );
    const statuses: number[] = [];
    harness.suite('budget', () => harness.it('calls whoami five times on a limit of two', async () => {
      for (let i = 0; i < 5; i++) statuses.push((await harness.call(harness.operation('getWhoami'), { key: READ, auth: 'valid' })).status);
    }));
    const outcome: RunOutcome = { results: [] };
    await runCases(harness, outcome);
    expect(outcome.results.map((r) => r.status)).toEqual(['passed']);
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect(sleeps).toEqual([]);
    // Two windows used up: moved to 09:01:00, then to 09:02:00.
    expect(mock.clock.now()).toBe(Date.parse('2026-11-01T09:02:00Z'));
  } finally {
    transport.close();
    await mock.close();
  }
});

it('waits for the reset of a server whose clock runs, and passes', async () => {
  // Two-second windows on the real clock: the read-only run meets several 429s and waits.
  // (With one-second windows a full run on a loaded machine failed once, not reproduced
  // alone; the likely cause is two window changes inside one four-request countdown check.)
  const mock = await startMockServer({ logger: pino({ level: 'silent' }), config: { plans: { developer: { requests_per_window: 25, window_seconds: 2 } } } });
  try {
    const run = await runContracts(['--base-url', mock.baseUrl, '--max-time', '60', '--allow-missing-keys'], { CORTEX_API_KEY: READ });
    expect(run.results.failures).toEqual([]);
    expect(run.results.stopped).toBeNull();
    expect(run.code).toBe(0);
    expect(mock.mock.journal.list(10_000).filter((e) => e.status === 429).length).toBeGreaterThan(0);
  } finally {
    await mock.close();
  }
});
