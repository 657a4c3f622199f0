// The in-process handle of a mock on a shared store (issue 25, point 3: "the clock advanced
// on A is advanced on C"): mock.clock.advance / set and mock.faults.add / remove / clear go
// through the shared log, as the control API does, so an SDK suite that drives the mock by
// its handle sees every move on every instance; each answers with a promise to await.
import { startMockServer, type RunningMock } from '../../mock/server';
import { connectRedisStore, type RedisStore } from '../../mock/store/redis';
import { SILENT_LOGGER } from '../../mock/observability/logger';
import { expectFetched } from '../helpers/expect-response';
import { KEYS, SPEC, T0, T0_ISO, bearer } from '../helpers/fixtures';
import { startRedisServer } from '../helpers/redis-server';

jest.setTimeout(60_000);

let redis: Awaited<ReturnType<typeof startRedisServer>>;
const stores: RedisStore[] = [];
const servers: RunningMock[] = [];
let A: RunningMock;
let B: RunningMock;
let C: RunningMock;

async function instance(): Promise<RunningMock> {
  const store = connectRedisStore({ url: redis.url, prefix: 'handle:', timeoutMs: 1000, logger: SILENT_LOGGER });
  stores.push(store);
  const server = await startMockServer({ spec: SPEC, config: { clock: T0_ISO }, store });
  servers.push(server);
  return server;
}

const whoami = (on: RunningMock) => fetch(`${on.url}/v1/whoami`, { headers: bearer(KEYS.read) });
const dateOf = (res: Response) => Date.parse(res.headers.get('date')!);

beforeAll(async () => {
  redis = await startRedisServer();
  [A, B, C] = [await instance(), await instance(), await instance()];
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await Promise.all(stores.map((s) => s.close()));
  await redis?.stop();
});

beforeEach(async () => {
  await A.mock.reset();
});

describe("the handle's clock on a shared store", () => {
  it("advances C's clock when A's handle advances: C's Date and X-RateLimit-Reset follow", async () => {
    const before = await whoami(C);
    await expectFetched(before, 200, 'getWhoami');
    expect(dateOf(before)).toBe(T0);
    await A.mock.clock.advance(90_000);
    expect(A.mock.clock.now()).toBe(T0 + 90_000);
    const after = await whoami(C);
    await expectFetched(after, 200, 'getWhoami');
    expect(dateOf(after)).toBe(T0 + 90_000);
    // The window of the clock moved on 90 s: its reset is at least a minute past the one before.
    expect(Number(after.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Number(before.headers.get('x-ratelimit-reset')));
    expect(C.mock.clock.now()).toBe(T0 + 90_000);
  });

  it("sets B's clock when A's handle sets it", async () => {
    await A.mock.clock.set(T0 + 3_600_000);
    const res = await whoami(B);
    await expectFetched(res, 200, 'getWhoami');
    expect(dateOf(res)).toBe(T0 + 3_600_000);
    expect(B.mock.clock.isFrozen()).toBe(true);
  });

  it("answers an instance's first request at the clock the log holds, not the one it started with", async () => {
    await A.mock.clock.advance(600_000);
    const D = await instance();
    const first = await whoami(D);
    await expectFetched(first, 200, 'getWhoami');
    expect(dateOf(first)).toBe(T0 + 600_000);
  });

  it('refuses at once, sharing nothing, a move past the clock\'s range', async () => {
    expect(() => A.mock.clock.advance(-1)).toThrow(RangeError);
    await expectFetched(await whoami(C), 200, 'getWhoami');
    expect(C.mock.clock.now()).toBe(T0);
  });
});

describe("the handle's fault rules on a shared store", () => {
  it("fires on C a rule added by A's handle, and not once B's handle removed it", async () => {
    const id = await A.mock.shared!.faults.add({ match: { operation: 'getWhoami' }, when: { after: 0 }, fault: { kind: 'status', status: 503 } });
    const shaped = await whoami(C);
    await expectFetched(shaped, 503, 'getWhoami');
    expect(shaped.headers.get('x-mock-fault')).toBe(`${id};kind=status`);
    expect(await B.mock.shared!.faults.remove(id)).toBe(true);
    await expectFetched(await whoami(C), 200, 'getWhoami');
    expect(C.mock.faults.list()).toEqual([]);
  });

  it('refuses the answering add and remove on a shared store, naming mock.shared.faults (their ids and results come from the log)', () => {
    expect(() => A.mock.faults.add({ when: { after: 0 }, fault: { kind: 'status', status: 503 } })).toThrow(/await mock\.shared\.faults\.add/);
    expect(() => A.mock.faults.remove('flt_1')).toThrow(/await mock\.shared\.faults\.remove/);
    expect(A.mock.faults.list()).toEqual([]);
  });

  it("clears every instance's rules when one handle clears them", async () => {
    const added = await fetch(`${B.url}/_mock/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ when: { after: 0 }, fault: { kind: 'status', status: 503 } }) });
    await expectFetched(added, 201, 'addFault');
    await C.mock.faults.clear();
    await expectFetched(await whoami(A), 200, 'getWhoami');
    expect(A.mock.faults.list()).toEqual([]);
  });
});

describe('a handle call nobody awaits while Redis is away', () => {
  it('is no unhandled rejection', async () => {
    const unhandled: unknown[] = [];
    const listen = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', listen);
    redis.pause();
    try {
      void A.mock.clock.advance(1000);
      void A.mock.shared!.faults.add({ when: { after: 0 }, fault: { kind: 'status', status: 503 } });
      void A.mock.faults.clear();
      // Both time out (1 s): awaited, the store's error is seen.
      await expect(A.mock.shared!.clock.set(T0 + 5000)).rejects.toThrow(/no reply within 1000 ms/);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      redis.resume();
      process.off('unhandledRejection', listen);
    }
    expect(unhandled).toEqual([]);
  });
});
