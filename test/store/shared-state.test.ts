// One mock across three instances (issue 25, point 3): A, B and C share one real
// redis-server under one prefix, each with its own replica of the shared log, and behave as
// one mock: keys, revocations, the clock, resets, idempotency records, scans and the journal
// are seen from every instance. A second prefix on the same Redis is another mock.
import { startMockServer, type RunningMock } from '../../mock/server';
import { connectRedisStore, type RedisStore } from '../../mock/store/redis';
import { SILENT_LOGGER } from '../../mock/observability/logger';
import { expectFetched } from '../helpers/expect-response';
import { KEYS, SPEC, T0, T0_ISO, bearer } from '../helpers/fixtures';
import { startRedisServer } from '../helpers/redis-server';

jest.setTimeout(60_000);

type Redis = Awaited<ReturnType<typeof startRedisServer>>;
let redis: Redis;
const stores: RedisStore[] = [];
const servers: RunningMock[] = [];
let A: RunningMock;
let B: RunningMock;
let C: RunningMock;

/** An instance of the mock on the test Redis under `prefix`, its clock frozen at T0. */
async function instance(prefix: string): Promise<RunningMock> {
  const store = connectRedisStore({ url: redis.url, prefix, timeoutMs: 5000, logger: SILENT_LOGGER });
  stores.push(store);
  const server = await startMockServer({ spec: SPEC, config: { clock: T0_ISO }, store });
  servers.push(server);
  return server;
}

const json = { 'Content-Type': 'application/json' };
const get = (on: RunningMock, path: string, key?: string) => fetch(`${on.url}${path}`, { headers: key ? bearer(key) : {} });
const post = (on: RunningMock, path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${on.url}${path}`, { method: 'POST', headers: { ...json, ...headers }, body: JSON.stringify(body) });

beforeAll(async () => {
  redis = await startRedisServer();
  [A, B, C] = [await instance('shared:'), await instance('shared:'), await instance('shared:')];
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await Promise.all(stores.map((s) => s.close()));
  await redis?.stop();
});

beforeEach(async () => {
  expect((await post(A, '/_mock/reset', {})).status).toBe(204);
});

describe('three instances on one Redis store', () => {
  it('lets a key created on A (POST /v1/api-keys) authenticate on B', async () => {
    const created = await post(A, '/v1/api-keys', { name: 'made on A', permissions: ['read'] }, bearer(KEYS.admin));
    await expectFetched(created, 201, 'createApiKey');
    const { secret, id } = (await created.json()) as { secret: string; id: string };
    const whoami = await get(B, '/v1/whoami', secret);
    await expectFetched(whoami, 200, 'getWhoami');
    expect(((await whoami.json()) as { key: { id: string } }).key.id).toBe(id);
  });

  it('lets a key added on A (POST /_mock/keys) authenticate on B, and lists it on C', async () => {
    const added = await post(A, '/_mock/keys', { account_id: 'acct_developer', name: 'control key', permissions: ['read'] });
    await expectFetched(added, 201, 'addMockKey');
    const { key, id } = (await added.json()) as { key: string; id: string };
    await expectFetched(await get(B, '/v1/scans', key), 200, 'listScans');
    const listed = (await (await get(C, '/_mock/keys')).json()) as { data: Array<{ id: string }> };
    expect(listed.data.map((k) => k.id)).toContain(id);
  });

  it('refuses on C, with 401 revoked, a key created on A and revoked on B', async () => {
    const created = (await (await post(A, '/v1/api-keys', { name: 'to revoke', permissions: ['read'] }, bearer(KEYS.admin))).json()) as { secret: string; id: string };
    await expectFetched(await get(C, '/v1/whoami', created.secret), 200, 'getWhoami');
    await expectFetched(await fetch(`${B.url}/v1/api-keys/${created.id}`, { method: 'DELETE', headers: bearer(KEYS.admin) }), 200, 'revokeApiKey');
    const refused = await get(C, '/v1/whoami', created.secret);
    await expectFetched(refused, 401, 'getWhoami');
    expect(((await refused.json()) as { error: { details: { reason: string } } }).error.details.reason).toBe('revoked');
  });

  it('refuses on C a well-known key revoked on B through the control API', async () => {
    await expectFetched(await post(B, '/_mock/keys/key_read/revoke', {}), 200, 'revokeMockKey');
    const refused = await get(C, '/v1/scans', KEYS.read);
    await expectFetched(refused, 401, 'listScans');
    expect(((await refused.json()) as { error: { details: { reason: string } } }).error.details.reason).toBe('revoked');
  });

  it('shows on C the clock advanced on A, in the control API and in the Date of /v1', async () => {
    await expectFetched(await post(A, '/_mock/clock/advance', { seconds: 90 }), 200, 'advanceClock');
    const clock = (await (await get(C, '/_mock/clock')).json()) as { epoch_ms: number };
    expect(clock.epoch_ms).toBe(T0 + 90_000);
    const answered = await get(B, '/v1/whoami', KEYS.read);
    expect(Date.parse(answered.headers.get('date')!)).toBe(Math.floor((T0 + 90_000) / 1000) * 1000);
  });

  it('resets every instance when one is reset: a key made on A is unknown on C after a reset on B, the clock is back', async () => {
    const created = (await (await post(A, '/v1/api-keys', { name: 'gone after reset', permissions: ['read'] }, bearer(KEYS.admin))).json()) as { secret: string };
    await post(A, '/_mock/clock/advance', { seconds: 30 });
    expect((await post(B, '/_mock/reset', {})).status).toBe(204);
    const refused = await get(C, '/v1/whoami', created.secret);
    await expectFetched(refused, 401, 'getWhoami');
    expect(((await refused.json()) as { error: { details: { reason: string } } }).error.details.reason).toBe('unknown');
    expect(((await (await get(A, '/_mock/clock')).json()) as { epoch_ms: number }).epoch_ms).toBe(T0);
    await expectFetched(await get(A, '/v1/whoami', KEYS.read), 200, 'getWhoami');
  });

  it('replays on B an idempotent POST first made on A: the same body, marked as a replay', async () => {
    const body = { target: 'ws-0142.corp.example', scan_type: 'quick' };
    const first = await post(A, '/v1/scans', body, { ...bearer(KEYS.readWrite), 'Idempotency-Key': 'retry-1' });
    await expectFetched(first, 201, 'createScan');
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const again = await post(B, '/v1/scans', body, { ...bearer(KEYS.readWrite), 'Idempotency-Key': 'retry-1' });
    await expectFetched(again, 201, 'createScan');
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(await again.json()).toEqual(await first.json());
  });

  it('lists on C a scan created on A, under the same id', async () => {
    const created = await post(A, '/v1/scans', { target: 'ws-0007.corp.example', scan_type: 'full' }, bearer(KEYS.readWrite));
    await expectFetched(created, 201, 'createScan');
    const { id } = (await created.json()) as { id: string };
    const listed = await get(C, '/v1/scans?limit=100', KEYS.read);
    await expectFetched(listed, 200, 'listScans');
    expect(((await listed.json()) as { data: Array<{ id: string }> }).data.map((s) => s.id)).toContain(id);
    const one = await get(B, `/v1/scans/${id}`, KEYS.read);
    await expectFetched(one, 200, 'getScan');
  });

  it("lists A's request in B's journal, with the instance that answered it", async () => {
    const asked = await get(A, '/v1/whoami', KEYS.read);
    const requestId = asked.headers.get('x-request-id')!;
    expect(requestId).toMatch(/^req_[0-9a-f]{6}_\d{6}$/);
    // The journal is written without delaying the response: read it until A's push has landed.
    let entries: Array<{ id: string; instance?: string }> = [];
    for (let i = 0; i < 50 && !entries.some((e) => e.id === requestId); i++) {
      const journal = await get(B, '/_mock/journal');
      await expectFetched(journal, 200, 'getJournal');
      entries = ((await journal.json()) as { data: typeof entries }).data;
    }
    const entry = entries.find((e) => e.id === requestId);
    expect(entry?.instance).toBe(A.mock.replica?.instanceId);
    expect(A.mock.replica?.instanceId).not.toBe(B.mock.replica?.instanceId);
  });

  it("shows in C's GET /_mock/keys the last use a key had on A", async () => {
    await expectFetched(await post(A, '/_mock/clock/advance', { seconds: 42 }), 200, 'advanceClock');
    await expectFetched(await get(A, '/v1/whoami', KEYS.readWrite), 200, 'getWhoami');
    // The last use travels with the journal's push, which the response does not wait for.
    let seen: string | null = null;
    for (let i = 0; i < 50 && seen === null; i++) {
      const listed = await get(C, '/_mock/keys');
      await expectFetched(listed, 200, 'listMockKeys');
      seen = ((await listed.json()) as { data: Array<{ id: string; last_used_at: string | null }> }).data.find((k) => k.id === 'key_read_write')!.last_used_at;
    }
    expect(seen).toBe(new Date(T0 + 42_000).toISOString());
  });

  it('applies each of 40 creates made at once on A and B exactly once, with 40 distinct ids every instance lists', async () => {
    const before = ((await (await get(C, '/v1/scans?limit=100', KEYS.read)).json()) as { data: unknown[] }).data.length;
    const made = await Promise.all(
      Array.from({ length: 40 }, (_, i) => post(i % 2 ? A : B, '/v1/scans', { target: `ws-${String(i).padStart(4, '0')}.corp.example`, scan_type: 'quick' }, bearer(KEYS.readWrite))),
    );
    expect(made.map((r) => r.status)).toEqual(Array(40).fill(201));
    const ids = await Promise.all(made.map(async (r) => ((await r.json()) as { id: string }).id));
    expect(new Set(ids).size).toBe(40);
    for (const on of [A, B, C]) {
      const listed = ((await (await get(on, '/v1/scans?limit=100', KEYS.read)).json()) as { data: Array<{ id: string }> }).data;
      expect(listed.length).toBe(before + 40);
      expect(listed.map((s) => s.id)).toEqual(expect.arrayContaining(ids));
    }
  });

  it('keeps two mocks on one Redis apart by their prefix', async () => {
    const other = await instance('other:');
    const created = (await (await post(A, '/v1/api-keys', { name: 'only in shared:', permissions: ['read'] }, bearer(KEYS.admin))).json()) as { secret: string };
    const refused = await get(other, '/v1/whoami', created.secret);
    await expectFetched(refused, 401, 'getWhoami');
    await post(other, '/_mock/clock/advance', { seconds: 600 });
    expect(((await (await get(A, '/_mock/clock')).json()) as { epoch_ms: number }).epoch_ms).toBe(T0);
    await expectFetched(await get(B, '/v1/whoami', created.secret), 200, 'getWhoami');
  });

});

describe('Redis away, then back empty', () => {
  it("answers 503 store_unavailable while it is away, then re-seeds every instance from the config: the config's keys work again, keys made before are gone", async () => {
    const created = (await (await post(A, '/v1/api-keys', { name: 'before the restart', permissions: ['read'] }, bearer(KEYS.admin))).json()) as { secret: string };
    await expectFetched(await get(B, '/v1/whoami', created.secret), 200, 'getWhoami');
    await post(A, '/_mock/clock/advance', { seconds: 120 });
    await redis.stop();
    // Away: it fails closed, on /v1 and on the control API alike, in the spec's shape.
    const down = await get(A, '/v1/whoami', KEYS.read);
    await expectFetched(down, 503, 'getWhoami');
    expect(((await down.json()) as { error: { details: { reason: string } } }).error.details.reason).toBe('store_unavailable');
    expect(down.headers.get('retry-after')).toBe('1');
    const refused = await post(B, '/_mock/keys', { account_id: 'acct_developer', name: 'while away', permissions: ['read'] });
    await expectFetched(refused, 503, 'addMockKey');
    await expectFetched(await get(C, '/_mock/clock'), 503, 'getClock');
    await redis.restart();
    // ioredis reconnects on its own; the first requests may meet the outage (a 503) first.
    for (const on of [A, B, C]) {
      let status = 0;
      for (let i = 0; i < 100 && status !== 200; i++) status = (await get(on, '/v1/whoami', KEYS.read)).status;
      expect(status).toBe(200);
      await expectFetched(await get(on, '/v1/whoami', KEYS.read), 200, 'getWhoami');
    }
    // The instance that made the key forgets it too: the log it came from is gone.
    for (const on of [A, B]) await expectFetched(await get(on, '/v1/whoami', created.secret), 401, 'getWhoami');
    expect(((await (await get(C, '/_mock/clock')).json()) as { epoch_ms: number }).epoch_ms).toBe(T0);
  });
});

describe('one configuration per store and prefix', () => {
  it('refuses to start an instance whose config differs from the running ones, naming the fields', async () => {
    const store = connectRedisStore({ url: redis.url, prefix: 'shared:', timeoutMs: 5000, logger: SILENT_LOGGER });
    stores.push(store);
    await expect(startMockServer({ spec: SPEC, config: { clock: T0_ISO, seed: 7, max_users_per_account: 3 }, store })).rejects.toThrow(
      /store_prefix "shared:" is shared with an instance whose configuration differs in max_users_per_account, seed: every instance of one mock needs the same config/,
    );
    // The same config on another prefix starts.
    const elsewhere = connectRedisStore({ url: redis.url, prefix: 'elsewhere:', timeoutMs: 5000, logger: SILENT_LOGGER });
    stores.push(elsewhere);
    const started = await startMockServer({ spec: SPEC, config: { clock: T0_ISO, seed: 7, max_users_per_account: 3 }, store: elsewhere });
    servers.push(started);
  });
});
