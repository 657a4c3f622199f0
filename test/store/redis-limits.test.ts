// The limiter over Redis, against a real redis-server: the same answers as the memory store
// (every window of a request checked and counted in one step, a refused request counting
// nothing), one EVALSHA per request, the state fence, the clean-up expiry, a 304's refund,
// and the failed-authentication limiter shared by the instances.
import request from 'supertest';
import { createMemoryStore, createRateLimiter, isStale, type RateLimiter } from '../../mock/domain/limits/rate-limit';
import { connectRedisStore, type RedisStore } from '../../mock/store/redis';
import { cleanUpTtl, createRedisRateLimitStore } from '../../mock/store/redis-rate-limit';
import { checkFence } from '../../mock/store/redis-fence';
import { KEYS, T0, UNKNOWN_KEY, bearer, testMock } from '../helpers/fixtures';
import { specStatus } from '../helpers/expect-response';
import { withRedis } from '../helpers/redis-server';
import { SILENT_LOGGER } from '../../mock/observability/logger';

jest.setTimeout(60_000);

const redis = withRedis();
let run = 0;
/** A fresh prefix per test: tests share the server, never a key. */
const freshPrefix = () => `limits-${process.pid}-${++run}:`;

/** `INFO commandstats`'s calls of `cmd`. */
async function calls(store: RedisStore, cmd: string): Promise<number> {
  const stats = await store.client.info('commandstats');
  return Number(new RegExp(`cmdstat_${cmd}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
}

describe('the limiter on Redis', () => {
  let store: RedisStore;
  beforeEach(async () => {
    store = connectRedisStore({ url: redis.current.url, prefix: freshPrefix(), timeoutMs: 2000, logger: SILENT_LOGGER });
    // The store connects on its first script; the tests also read Redis through its client.
    await store.run({ name: 'ping', lua: 'return 1' }, [], []);
  });
  afterEach(() => store.close());

  const limiters = (): Array<[string, RateLimiter]> => [
    ['memory', createRateLimiter(createMemoryStore())],
    ['redis', createRateLimiter(createRedisRateLimitStore(store, { namespace: 'limit:', frozen: () => true }))],
  ];

  it.each(['memory', 'redis'])('checks every window of a request at once on the %s store, and a refusal counts in none', async (which) => {
    const limiter = limiters().find(([name]) => name === which)![1];
    const windows = [{ limit: 2, windowSeconds: 10 }, { limit: 3, windowSeconds: 60 }];
    const at = Date.parse('2026-11-01T09:00:00Z');
    expect(await limiter.consume('acct', windows, at)).toMatchObject({ allowed: true, limit: 2, remaining: 1, windowSeconds: 10 });
    expect(await limiter.consume('acct', windows, at)).toMatchObject({ allowed: true, limit: 2, remaining: 0 });
    // The 10 s window refuses: nothing counted in the minute either.
    for (let i = 0; i < 3; i++) expect(await limiter.consume('acct', windows, at + 1000)).toMatchObject({ allowed: false, limit: 2, remaining: 0, retryAfterSeconds: 9 });
    // The next 10 s window: the minute has one left, and says so.
    expect(await limiter.consume('acct', windows, at + 10_000)).toMatchObject({ allowed: true, limit: 3, remaining: 0, windowSeconds: 60 });
    expect(await limiter.consume('acct', windows, at + 10_001)).toMatchObject({ allowed: false, limit: 3, remaining: 0, retryAfterSeconds: 50 });
    expect(await limiter.peek('acct', windows, at + 10_002)).toMatchObject({ allowed: false, limit: 3, remaining: 0 });
    // A refund gives one back in each window: the minute, with 1 left, is the one to heed.
    expect(await limiter.refund('acct', windows, at + 10_002)).toMatchObject({ allowed: true, limit: 3, remaining: 1 });
    expect(await limiter.peek('acct', windows, at + 10_002)).toMatchObject({ allowed: true, limit: 3, remaining: 1 });
    expect(await limiter.consume('acct', windows, at + 10_003)).toMatchObject({ allowed: true, limit: 3, remaining: 0 });
  });

  it('answers stale to a fence behind the shared state, changing nothing, and counts once the fence holds the version', async () => {
    const limiter = createRateLimiter(createRedisRateLimitStore(store, { namespace: 'limit:', frozen: () => true }));
    const minute = { limit: 5, windowSeconds: 60 };
    await store.client.set(`${store.prefix}state:version`, '7');
    expect(await limiter.consume('acct', minute, T0, 6)).toEqual({ stale: true, version: 7 });
    expect(await limiter.peek('acct', minute, T0, 6)).toEqual({ stale: true, version: 7 });
    expect(await limiter.peek('acct', minute, T0)).toMatchObject({ remaining: 5 });
    const counted = await limiter.consume('acct', minute, T0, 7);
    expect(isStale(counted)).toBe(false);
    expect(counted).toMatchObject({ allowed: true, remaining: 4 });
    // No fence (-1): no check. A missing version is 0.
    expect(await limiter.consume('acct', minute, T0)).toMatchObject({ remaining: 3 });
    await store.client.del(`${store.prefix}state:version`);
    expect(await limiter.consume('acct', minute, T0, 0)).toMatchObject({ remaining: 2 });
    // The memory store is never stale.
    expect(createRateLimiter().consume('acct', minute, T0, 6)).toMatchObject({ allowed: true, remaining: 4 });
  });

  it('checks the fence alone in one round trip, for a request that counts no window', async () => {
    expect(await checkFence(store, 0)).toBeUndefined();
    await store.client.set(`${store.prefix}state:version`, '3');
    expect(await checkFence(store, 2)).toEqual({ stale: true, version: 3 });
    expect(await checkFence(store, 3)).toBeUndefined();
  });

  it('keys windows by floor(now / window) and lets Redis expire them only for clean-up, never while the clock is frozen', async () => {
    let frozen = false;
    const limiter = createRateLimiter(createRedisRateLimitStore(store, { namespace: 'limit:', frozen: () => frozen }));
    const minute = { limit: 5, windowSeconds: 60 };
    const at = Date.parse('2026-11-01T09:00:15Z');
    await limiter.consume('acct', minute, at);
    const key = `${store.prefix}limit:acct:60000:${Math.floor(at / 60_000)}`;
    expect(await store.client.get(key)).toBe('1');
    const ttl = await store.client.pttl(key);
    const expected = cleanUpTtl({ windowMs: 60_000, index: Math.floor(at / 60_000), limit: 5 }, at, false);
    expect(expected).toBe(45_000 + 4 * 60_000);
    expect(ttl).toBeGreaterThan(expected - 5000);
    expect(ttl).toBeLessThanOrEqual(expected);
    frozen = true;
    await limiter.consume('acct', minute, at);
    expect(await store.client.pttl(key)).toBe(-1);
    expect(await store.client.get(key)).toBe('2');
  });

  // With the shared state (mock/store/replication.ts) a request also pushes its journal entry
  // (one script the response does not wait for), and a create appends to the shared log; what
  // a request waits for is counted by script in test/store/round-trips.test.ts (1 per GET, 2 per POST).
  it('runs one limiter script per request: two EVALSHA per GET (limiter, journal push), three per POST (limiter, log append, journal push)', async () => {
    const mock = testMock({ store, config: { plans: { developer: { requests_per_window: 50, window_seconds: 60 } } } });
    // An instance's first request reads the shared state's epoch once.
    await request(mock.handler).get('/v1/scans').set(bearer(KEYS.read)).expect(specStatus(200));
    const before = await calls(store, 'evalsha');
    for (let i = 0; i < 5; i++) await request(mock.handler).get('/v1/scans').set(bearer(KEYS.read)).expect(specStatus(200));
    const afterGets = await calls(store, 'evalsha');
    expect(afterGets - before).toBe(10);
    for (let i = 0; i < 5; i++) await request(mock.handler).post('/v1/scans').set(bearer(KEYS.admin)).send({ target: 'ws-0142.corp.example', scan_type: 'quick' }).expect(specStatus(201));
    expect((await calls(store, 'evalsha')) - afterGets).toBe(15);
  });

  it('gives a 304 its budget back on Redis', async () => {
    const mock = testMock({ store, config: { plans: { developer: { requests_per_window: 5, window_seconds: 60 } } } });
    const first = await request(mock.handler).get('/v1/scans').set(bearer(KEYS.read)).expect(specStatus(200));
    expect(first.headers['x-ratelimit-remaining']).toBe('4');
    for (let i = 0; i < 3; i++) {
      const again = await request(mock.handler).get('/v1/scans').set(bearer(KEYS.read)).set('If-None-Match', first.headers.etag).expect(304);
      expect(again.headers['x-ratelimit-remaining']).toBe('4');
    }
    const counts = await store.client.keys(`${store.prefix}limit:*`);
    expect(await store.client.get(counts[0])).toBe('1');
  });

  it('counts guessed keys from one client across instances, on the same store', async () => {
    const other = connectRedisStore({ url: redis.current.url, prefix: store.prefix, timeoutMs: 2000, logger: SILENT_LOGGER });
    try {
      const config = { auth_failure_limit: { max_failures: 3, window_seconds: 60 } };
      const a = testMock({ store, config });
      const b = testMock({ store: other, config });
      const guess = (mock: typeof a) => request(mock.handler).get('/v1/scans').set(bearer(UNKNOWN_KEY));
      await guess(a).expect(specStatus(401));
      await guess(b).expect(specStatus(401));
      await guess(a).expect(specStatus(401));
      const refused = await guess(b).expect(specStatus(429));
      expect(refused.body.error.details).toEqual({ limit: 3, remaining: 0, reset: expect.any(Number), retry_after_seconds: expect.any(Number) });
      expect(refused.headers['ratelimit-policy']).toBe('"auth_failures";q=3;w=60');
      // A valid key from the same client is never affected.
      await request(b.handler).get('/v1/scans').set(bearer(KEYS.read)).expect(specStatus(200));
    } finally {
      await other.close();
    }
  });

  it('resets its windows on Redis with the mock', async () => {
    const mock = testMock({ store, config: { plans: { developer: { requests_per_window: 2, window_seconds: 60 } } } });
    for (let i = 0; i < 2; i++) await request(mock.handler).get('/v1/whoami').set(bearer(KEYS.read)).expect(specStatus(200));
    await request(mock.handler).get('/v1/whoami').set(bearer(KEYS.read)).expect(specStatus(429));
    await mock.reset();
    expect(await store.client.keys(`${store.prefix}limit:*`)).toEqual([]);
    const res = await request(mock.handler).get('/v1/whoami').set(bearer(KEYS.read)).expect(specStatus(200));
    expect(res.headers['x-ratelimit-remaining']).toBe('1');
  });
});
