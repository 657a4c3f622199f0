// The proof that limits are exact across instances (issue 25, point 2): one real redis-server,
// three mock instances on it with the same prefix, each with its own connection, and 150
// parallel requests spread across them on a 100-per-minute key (the Vibe Coder plan) at a
// frozen clock: exactly 100 pass and 50 get 429, and the 100 passes see 100 distinct
// X-RateLimit-Remaining values. Run three times, each on a fresh prefix. Then: a frozen clock
// never expires a window, and the clock moved past the window opens a new one.
import { createClock } from '../../mock/clock';
import { startMockServer, type RunningMock } from '../../mock/server';
import { KEYS, SPEC, T0, bearer } from '../helpers/fixtures';
import { expectFetched } from '../helpers/expect-response';
import { withRedis } from '../helpers/redis-server';

jest.setTimeout(120_000);

const redis = withRedis();
const INSTANCES = 3;
const REQUESTS = 150;
const LIMIT = SPEC.plans.find((p) => p.id === 'vibe_coder')!.requests_per_window;

/** Three instances on the shared Redis under `prefix`, each on its own frozen clock at T0. */
async function instances(prefix: string): Promise<RunningMock[]> {
  return Promise.all(
    Array.from({ length: INSTANCES }, () =>
      startMockServer({ spec: SPEC, clock: createClock({ start: T0 }), config: { store: redis.current.url as `redis://${string}`, store_prefix: prefix, store_timeout_ms: 5000 } }),
    ),
  );
}

async function whoami(mock: RunningMock) {
  const res = await fetch(`${mock.baseUrl}/whoami`, { headers: bearer(KEYS.vibeCoderAdmin) });
  return res;
}

describe('limits shared by three instances on one Redis', () => {
  it.each([1, 2, 3])('give exactly 100 passes and 50 × 429 to 150 parallel requests on a 100-per-minute key (run %i)', async (run) => {
    const mocks = await instances(`exact-${run}-${process.pid}:`);
    try {
      expect(LIMIT).toBe(100);
      const responses = await Promise.all(Array.from({ length: REQUESTS }, (_, i) => whoami(mocks[i % INSTANCES])));
      const passed = responses.filter((r) => r.status === 200);
      const refused = responses.filter((r) => r.status === 429);
      expect(passed).toHaveLength(LIMIT);
      expect(refused).toHaveLength(REQUESTS - LIMIT);
      // Each instance answered its share (50), every answer a 200 or a 429.
      for (let m = 0; m < INSTANCES; m++) expect(responses.filter((r, i) => i % INSTANCES === m && (r.status === 200 || r.status === 429))).toHaveLength(REQUESTS / INSTANCES);
      const remaining = passed.map((r) => Number(r.headers.get('x-ratelimit-remaining')));
      expect(new Set(remaining).size).toBe(LIMIT);
      expect(Math.min(...remaining)).toBe(0);
      expect(Math.max(...remaining)).toBe(LIMIT - 1);
      for (const r of refused) expect(r.headers.get('x-ratelimit-remaining')).toBe('0');
      await expectFetched(passed[0], 200, 'getWhoami');
      await expectFetched(refused[0], 429, 'getWhoami');
    } finally {
      await Promise.all(mocks.map((m) => m.close()));
    }
  });

  it('never expires a window while the clock is frozen, and opens a new window once the clock passes it', async () => {
    const prefix = `window-${process.pid}:`;
    const mocks = await instances(prefix);
    try {
      for (let i = 0; i < LIMIT; i++) expect((await whoami(mocks[i % INSTANCES])).status).toBe(200);
      await expectFetched(await whoami(mocks[1]), 429, 'getWhoami');
      // The window's key has no expiry: a frozen clock's window is the current one however long the test stands still.
      const keys = await mocks[0].mock.store!.client.keys(`${prefix}limit:*`);
      expect(keys).toHaveLength(1);
      expect(await mocks[0].mock.store!.client.pttl(keys[0])).toBe(-1);
      // Past the window: one instance's handle moves the shared clock of all three.
      await mocks[0].clock.advance(60_000);
      const next = await whoami(mocks[2]);
      await expectFetched(next, 200, 'getWhoami');
      expect(next.headers.get('x-ratelimit-remaining')).toBe(String(LIMIT - 1));
      expect(Number(next.headers.get('x-ratelimit-reset'))).toBe((Math.floor((T0 + 60_000) / 60_000) + 1) * 60);
      expect((await whoami(mocks[0])).headers.get('x-ratelimit-remaining')).toBe(String(LIMIT - 2));
    } finally {
      await Promise.all(mocks.map((m) => m.close()));
    }
  });
});
