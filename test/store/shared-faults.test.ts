// Fault rules' counts shared across instances (issue 25, point 1: "fault rules and their
// counts"): A, B and C on one real redis-server count every request against a rule in one
// script, so a rule's schedule and cap hold for the mock as a whole, not per instance, and
// its draws follow the shared index (sharedDraws): the same seed gives the same pattern.
import { startMockServer, type RunningMock } from '../../mock/server';
import { connectRedisStore, StoreUnavailableError, type RedisStore } from '../../mock/store/redis';
import { SILENT_LOGGER } from '../../mock/observability/logger';
import { sharedDraws } from '../../mock/domain/faults';
import { expectFetched } from '../helpers/expect-response';
import { KEYS, SPEC, T0_ISO, bearer } from '../helpers/fixtures';
import { startRedisServer } from '../helpers/redis-server';

jest.setTimeout(60_000);

let redis: Awaited<ReturnType<typeof startRedisServer>>;
const stores: RedisStore[] = [];
const servers: RunningMock[] = [];
let instances: RunningMock[];

async function instance(): Promise<RunningMock> {
  const store = connectRedisStore({ url: redis.url, prefix: 'faults:', timeoutMs: 5000, logger: SILENT_LOGGER });
  stores.push(store);
  const server = await startMockServer({ spec: SPEC, config: { clock: T0_ISO }, store });
  servers.push(server);
  return server;
}

const post = (on: RunningMock, path: string, body: unknown) => fetch(`${on.url}${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

/** Adds `when` as a 503 on listScans through A's control API; its id. */
async function addRule(when: Record<string, unknown>): Promise<string> {
  const added = await post(instances[0], '/_mock/faults', { match: { operation: 'listScans' }, when, fault: { kind: 'status', status: 503 } });
  await expectFetched(added, 201, 'addFault');
  return ((await added.json()) as { id: string }).id;
}

/** `n` listScans one after another, spread over A, B and C in turn: which of them a fault shaped, by shared index (1-based). */
async function spread(n: number): Promise<boolean[]> {
  const shaped: boolean[] = [];
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${instances[i % 3].url}/v1/scans`, { headers: bearer(KEYS.admin) });
    const fault = res.headers.get('x-mock-fault');
    await expectFetched(res, fault ? 503 : 200, 'listScans');
    shaped.push(fault !== null);
  }
  return shaped;
}

/** The rule as GET /_mock/faults lists it on `on`. */
async function listed(on: RunningMock, id: string): Promise<{ seen: number; fired: number }> {
  const res = await fetch(`${on.url}/_mock/faults`);
  await expectFetched(res, 200, 'listFaults');
  return ((await res.json()) as { data: Array<{ id: string; seen: number; fired: number }> }).data.find((r) => r.id === id)!;
}

beforeAll(async () => {
  redis = await startRedisServer();
  instances = [await instance(), await instance(), await instance()];
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await Promise.all(stores.map((s) => s.close()));
  await redis?.stop();
});

beforeEach(async () => {
  expect((await post(instances[0], '/_mock/reset', {})).status).toBe(204);
});

describe('fault counts shared by three instances', () => {
  it('fires a first: 1 rule added on A exactly once across 30 requests spread over A, B and C, and every instance lists 30 seen, 1 fired', async () => {
    const id = await addRule({ first: 1 });
    const shaped = await spread(30);
    expect(shaped.filter(Boolean)).toHaveLength(1);
    expect(shaped[0]).toBe(true);
    for (const on of instances) expect(await listed(on, id)).toMatchObject({ seen: 30, fired: 1 });
  });

  it('fires an every: 1 rule capped at times: 3 exactly three times across the instances', async () => {
    const id = await addRule({ every: 1, times: 3 });
    const shaped = await spread(30);
    expect(shaped).toEqual([true, true, true, ...Array(27).fill(false)]);
    expect(await listed(instances[2], id)).toMatchObject({ seen: 30, fired: 3 });
  });

  it('draws a seeded probability by the shared index: the pattern is the seed\'s, the same in a second run after a reset', async () => {
    const seed = 1436036232;
    await addRule({ probability: 0.5, seed });
    const first = await spread(30);
    // What one instance alone would draw for indexes 1..30 (the script draws in Lua; this in JS).
    const expected = Array.from({ length: 30 }, (_, i) => sharedDraws(seed, i + 1)() < 0.5);
    expect(first).toEqual(expected);
    expect(first.filter(Boolean).length).toBeGreaterThan(0);
    expect(first.filter(Boolean).length).toBeLessThan(30);
    expect((await post(instances[1], '/_mock/reset', {})).status).toBe(204);
    await addRule({ probability: 0.5, seed });
    expect(await spread(30)).toEqual(first);
  });

  it('clears the counts with a reset', async () => {
    const id = await addRule({ first: 2 });
    await spread(3);
    expect((await post(instances[2], '/_mock/reset', {})).status).toBe(204);
    const again = await addRule({ first: 2 });
    expect(again).toBe(id);
    expect(await listed(instances[1], again)).toMatchObject({ seen: 0, fired: 0 });
    expect(await spread(3)).toEqual([true, true, false]);
  });
});

describe('fault counts while Redis is away', () => {
  it('answers 503 store_unavailable when the counting script meets the store away', async () => {
    const store = connectRedisStore({ url: redis.url, prefix: 'faults:', timeoutMs: 5000, logger: SILENT_LOGGER });
    stores.push(store);
    // Only the counting script fails, as a store gone at that moment makes it fail.
    const failing: RedisStore = { ...store, run: (script, keys, args) => (script.name === 'cortex_fault_count' ? Promise.reject(new StoreUnavailableError(`${script.name}: connection closed`)) : store.run(script, keys, args)) };
    const D = await startMockServer({ spec: SPEC, config: { clock: T0_ISO }, store: failing });
    servers.push(D);
    await addRule({ first: 1 });
    const res = await fetch(`${D.url}/v1/scans`, { headers: bearer(KEYS.admin) });
    await expectFetched(res, 503, 'listScans');
    expect(((await res.json()) as { error: { details: { reason: string } } }).error.details.reason).toBe('store_unavailable');
    expect(res.headers.get('retry-after')).toBe('1');
    expect(await listed(instances[0], 'flt_1')).toMatchObject({ seen: 0, fired: 0 });
  });
});
