// A stop that comes while the generative phase runs (the deadline here) is the run's stop,
// as in every other suite: named once and what is left listed as not run, never one more
// failed check with a shrunk "smallest failing request" that is no fault of the server's.
import { createHarness } from '../../contracts/lib/harness';
import { createTransport } from '../../contracts/lib/http';
import { runCases, type RunOutcome } from '../../contracts/lib/runner';
import { SUITES } from '../../contracts/suites';
import { startMockServer } from '../../mock/server';
import { T0_ISO } from '../helpers/start-time';

jest.setTimeout(120_000);
const KEYS = {
  read: 'sk_test_readonly_00000000000000000001',
  write: 'sk_test_writeonly_0000000000000000002',
  admin: 'sk_test_admin_000000000000000000000004',
};

it('reports a deadline reached inside the generative phase as the run stopping, not as a failed check', async () => {
  const mock = await startMockServer({ config: { clock: T0_ISO } });
  const real = createTransport();
  // The harness's clock moves 100 ms per request it sends, so the deadline comes after 400
  // requests, inside the generative phase (200 examples an operation), whatever the load.
  let sent = 0;
  const transport = { ...real, send: (...args: Parameters<typeof real.send>) => (sent++, real.send(...args)) };
  const start = Date.now();
  try {
    const harness = createHarness(
      { baseUrl: mock.baseUrl, target: 'mock', keys: KEYS, allowWrites: false, allowExhaust: false, allowLive: false, preferCodes: false, timeoutMs: 5_000, deadline: start + 400 * 100, maxResponseBytes: 1_000_000, controlUrl: `${mock.url}/_mock`, reportDir: '/tmp', generate: { seed: 7, examples: 200 } },
      transport as typeof real,
      async () => undefined,
      () => start + sent * 100,
    );
    for (const [name, suite] of SUITES.filter(([name]) => name === 'generative')) harness.suite(name, () => suite.register(harness));
    const outcome: RunOutcome = { results: [] };
    await runCases(harness, outcome);
    expect(outcome.stopped).toMatchObject({ kind: 'deadline' });
    expect(outcome.results.filter((r) => r.status === 'failed')).toEqual([]);
    expect(outcome.results.some((r) => r.status === 'passed')).toBe(true);
    expect(outcome.results.filter((r) => r.status !== 'passed').length).toBeGreaterThan(0);
  } finally {
    real.close();
    await mock.close();
  }
});
