// How many times a request waits for Redis with a shared store (issue 25: "round trips per
// request: aim for one"): every script the store runs is counted, by name. A GET waits for
// one (the limiter's, which fences the shared state); a create waits for two (the limiter's,
// then the append to the log); the journal's push is sent without waiting. While fault rules
// exist, a request with a key waits for the budget's peek at the fault point too, and one a
// rule matches for the rules' shared counts. A request that
// meets a newer state runs again after one sync.
import { startMockServer, type RunningMock } from '../../mock/server';
import { connectRedisStore, type LuaScript, type RedisStore } from '../../mock/store/redis';
import { SILENT_LOGGER } from '../../mock/observability/logger';
import { expectFetched } from '../helpers/expect-response';
import { KEYS, SPEC, T0_ISO, bearer } from '../helpers/fixtures';
import { startRedisServer } from '../helpers/redis-server';

jest.setTimeout(60_000);

let redis: Awaited<ReturnType<typeof startRedisServer>>;
const stores: RedisStore[] = [];
const servers: RunningMock[] = [];
/** The scripts each instance ran, by name, in order. */
const ran = new Map<RunningMock, string[]>();

async function instance(): Promise<RunningMock> {
  const store = connectRedisStore({ url: redis.url, prefix: 'trips:', timeoutMs: 5000, logger: SILENT_LOGGER });
  stores.push(store);
  const names: string[] = [];
  const counted: RedisStore = { ...store, run: <T>(script: LuaScript, keys: string[], args: (string | number)[]) => (names.push(script.name), store.run<T>(script, keys, args)) };
  const server = await startMockServer({ spec: SPEC, config: { clock: T0_ISO }, store: counted });
  servers.push(server);
  ran.set(server, names);
  return server;
}

/** The scripts `on` runs for `send`, the journal's push aside (it is not waited for). */
async function tripsOf(on: RunningMock, send: () => Promise<Response>): Promise<{ res: Response; trips: string[] }> {
  const names = ran.get(on)!;
  const before = names.length;
  const res = await send();
  return { res, trips: names.slice(before).filter((n) => n !== 'cortex-mock-journal-push') };
}

let A: RunningMock;
let B: RunningMock;

beforeAll(async () => {
  redis = await startRedisServer();
  [A, B] = [await instance(), await instance()];
  // Each instance's first request reads the shared state's epoch once.
  for (const on of [A, B]) await fetch(`${on.url}/v1/whoami`, { headers: bearer(KEYS.read) });
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await Promise.all(stores.map((s) => s.close()));
  await redis?.stop();
});

const createScan = (on: RunningMock) =>
  fetch(`${on.url}/v1/scans`, { method: 'POST', headers: { ...bearer(KEYS.readWrite), 'Content-Type': 'application/json' }, body: JSON.stringify({ target: 'ws-0142.corp.example', scan_type: 'quick' }) });

describe('round trips to Redis per request', () => {
  it('waits for one script per GET: the limiter, which also vouches the state is fresh', async () => {
    const { res, trips } = await tripsOf(A, () => fetch(`${A.url}/v1/scans`, { headers: bearer(KEYS.read) }));
    await expectFetched(res, 200, 'listScans');
    expect(trips).toEqual(['cortex_limit_increment']);
  });

  it('waits for two per create: the limiter, then the append to the log', async () => {
    const { res, trips } = await tripsOf(A, () => createScan(A));
    await expectFetched(res, 201, 'createScan');
    expect(trips).toEqual(['cortex_limit_increment', 'cortex-mock-state-log']);
  });

  it('runs a GET again after one sync when another instance wrote first: three scripts, and it sees the write', async () => {
    const created = (await (await createScan(A)).json()) as { id: string };
    const { res, trips } = await tripsOf(B, () => fetch(`${B.url}/v1/scans/${created.id}`, { headers: bearer(KEYS.read) }));
    await expectFetched(res, 200, 'getScan');
    expect(trips).toEqual(['cortex_limit_increment', 'cortex-mock-state-log', 'cortex_limit_increment']);
  });

  it('waits, while fault rules exist, for the budget\'s peek at the fault point, and for the rules\' counts when one matches', async () => {
    const added = await fetch(`${A.url}/_mock/faults`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ match: { operation: 'getScan' }, when: { first: 1 }, fault: { kind: 'latency', ms: 0 } }) });
    await expectFetched(added, 201, 'addFault');
    const { id } = (await added.json()) as { id: string };
    try {
      // B meets the new rule first: it catches up (one sync) before anything is counted.
      await fetch(`${B.url}/v1/scans`, { headers: bearer(KEYS.read) });
      const other = await tripsOf(B, () => fetch(`${B.url}/v1/scans`, { headers: bearer(KEYS.read) }));
      await expectFetched(other.res, 200, 'listScans');
      expect(other.trips).toEqual(['cortex_limit_counts', 'cortex_limit_increment']);
      const matched = await tripsOf(B, () => fetch(`${B.url}/v1/scans/scan_unknown`, { headers: bearer(KEYS.read) }));
      await expectFetched(matched.res, 404, 'getScan');
      expect(matched.trips).toEqual(['cortex_limit_counts', 'cortex_fault_count', 'cortex_limit_increment']);
    } finally {
      await fetch(`${A.url}/_mock/faults/${id}`, { method: 'DELETE' });
      // B catches up with the removal here, not in the next test.
      await fetch(`${B.url}/v1/scans`, { headers: bearer(KEYS.read) });
    }
  });

  it('makes one round trip for a 401 answered before the limiter (the fence of its own)', async () => {
    const { res, trips } = await tripsOf(B, () => fetch(`${B.url}/v1/scans`, { headers: bearer(KEYS.expired) }));
    await expectFetched(res, 401, 'listScans');
    expect(trips).toEqual(['cortex-mock-state-log']);
  });
});
