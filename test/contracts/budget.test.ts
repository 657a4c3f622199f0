// The harness and the rate-limit budget: a 429 it did not ask for is waited out (a real
// server: Retry-After on its clock) or, against our own mock, skipped by moving the mock's
// clock to the next window; either way no check fails because the budget ran out. Both run
// on the mock's clock, never the real one: no window changes behind the test's back.
import { createHarness } from '../../contracts/lib/harness';
import { createTransport } from '../../contracts/lib/http';
import { runCases, type RunOutcome } from '../../contracts/lib/runner';
import { startMockServer } from '../../mock/server';
import { SUITES } from '../../contracts/suites';
import { T0_ISO } from '../helpers/start-time';

jest.setTimeout(120_000);
const READ = 'sk_test_readonly_00000000000000000001';

it('moves the mock clock past an exhausted window instead of failing (--target mock)', async () => {
  const mock = await startMockServer({ config: { clock: T0_ISO, plans: { developer: { requests_per_window: 2 } } } });
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

it('waits for the reset of a server, on the server\'s clock, and passes', async () => {
  // The read-only suites against the mock as if it were any server (no control URL): each
  // 429 is waited out for Retry-After, and the wait moves the mock's frozen clock instead of
  // the real one, so the windows change exactly where the run waits and nowhere else.
  const mock = await startMockServer({ config: { clock: T0_ISO, plans: { developer: { requests_per_window: 8, window_seconds: 2 } } } });
  const transport = createTransport();
  try {
    const waits: number[] = [];
    const harness = createHarness(
      { baseUrl: mock.baseUrl, target: 'server', keys: { read: READ }, allowWrites: false, allowExhaust: false, allowLive: false, preferCodes: false, timeoutMs: 5_000, deadline: Date.now() + 100_000, maxResponseBytes: 1_000_000, reportDir: '/tmp' },
      transport,
      async (ms) => {
        waits.push(ms);
        mock.clock.advance(ms);
      },
    );
    for (const [name, suite] of SUITES) harness.suite(name, () => suite.register(harness));
    const outcome: RunOutcome = { results: [] };
    await runCases(harness, outcome);
    expect(outcome.stopped).toBeUndefined();
    expect(outcome.results.filter((r) => r.status === 'failed')).toEqual([]);
    expect(outcome.results.filter((r) => r.status === 'passed').length).toBeGreaterThan(10);
    const refused = mock.mock.journal.list(10_000).filter((e) => e.status === 429).length;
    expect(refused).toBeGreaterThan(1);
    // Every 429 was waited out for its Retry-After (whole seconds, plus one), on the mock's clock.
    expect(waits.length).toBeGreaterThanOrEqual(refused);
    for (const ms of waits) expect(ms % 1000).toBe(0);
    expect(mock.clock.isFrozen()).toBe(true);
  } finally {
    transport.close();
    await mock.close();
  }
});
