// Plan limits: the spec's figures per plan, config overrides, headers on every
// authenticated response, 429 at exactly limit+1, refused requests consuming nothing,
// exact counting under concurrency, and accounts that never affect each other; and the
// limiter's store on its own: the windows it keeps, sweeps and displaces.
import request from 'supertest';
import { startMockServer, type RunningMock } from '../../mock/server';
import { createClock } from '../../mock/clock';
import { KEPT_WINDOWS, createMemoryStore, createRateLimiter } from '../../mock/domain/limits/rate-limit';
import { KEYS, SPEC, T0, bearer, testMock } from '../helpers/fixtures';
import { operation, specProblems } from '../helpers/spec-check';
import { expectResponse, specStatus } from '../helpers/expect-response';

const ADMIN_KEY_OF_PLAN: Record<string, string> = {
  vibe_coder: KEYS.vibeCoderAdmin,
  developer: KEYS.admin,
  enterprise: KEYS.enterpriseAdmin,
};

async function get(base: string, path: string, key: string) {
  const res = await fetch(`${base}${path}`, { headers: bearer(key) });
  const body = (await res.json()) as { error: Record<string, unknown> } & Record<string, unknown>;
  return {
    status: res.status,
    body,
    headers: Object.fromEntries(res.headers.entries()) as Record<string, string>,
  };
}

describe('plan limits from the spec, over HTTP', () => {
  let server: RunningMock;
  beforeAll(async () => {
    server = await startMockServer({ spec: SPEC, clock: createClock({ start: T0 }) });
  });
  afterAll(() => server.close());
  beforeEach(() => server.reset());

  it.each(SPEC.plans.map((p) => [p.name, p] as const))(
    'should refuse request limit+1 on the %s plan with a consistent 429, and restore service after the reset',
    async (_name, plan) => {
      const key = ADMIN_KEY_OF_PLAN[plan.id];
      const whoami = operation('getWhoami');
      let last = await get(server.baseUrl, '/whoami', key);
      expect(last.headers['x-ratelimit-limit']).toBe(String(plan.requests_per_window));
      const reset = Number(last.headers['x-ratelimit-reset']);
      for (let i = 2; i <= plan.requests_per_window; i++) {
        last = await get(server.baseUrl, '/whoami', key);
        expectResponse(last, 200, 'getWhoami');
        expect(Number(last.headers['x-ratelimit-remaining'])).toBe(plan.requests_per_window - i);
        expect(Number(last.headers['x-ratelimit-reset'])).toBe(reset);
      }
      const refused = await get(server.baseUrl, '/whoami', key);
      expectResponse(refused, 429, 'getWhoami');
      expect(specProblems(whoami, refused)).toEqual([]);
      const nowSeconds = Math.floor(server.clock.now() / 1000);
      expect(refused.headers['x-ratelimit-remaining']).toBe('0');
      expect(Number(refused.headers['x-ratelimit-reset'])).toBe(reset);
      expect(Number(refused.headers['retry-after'])).toBe(reset - nowSeconds);
      expect(refused.body.error).toEqual({
        code: 'RATE_LIMIT_EXCEEDED',
        message: expect.any(String),
        details: { limit: plan.requests_per_window, remaining: 0, reset, retry_after_seconds: reset - nowSeconds, plan: plan.id },
      });
      // The window is aligned to the plan's length on the clock.
      expect((reset * 1000) % (plan.window_seconds * 1000)).toBe(0);

      server.clock.advance(reset * 1000 - server.clock.now() - 1);
      expectResponse(await get(server.baseUrl, '/whoami', key), 429, 'getWhoami');
      server.clock.advance(1);
      const restored = await get(server.baseUrl, '/whoami', key);
      expectResponse(restored, 200, 'getWhoami');
      expect(Number(restored.headers['x-ratelimit-remaining'])).toBe(plan.requests_per_window - 1);
      expect(Number(restored.headers['x-ratelimit-reset'])).toBe(reset + plan.window_seconds);
    },
  );

  it('should let exactly N of N+5 concurrent requests through on a limit of N', async () => {
    const limit = SPEC.plans.find((p) => p.id === 'vibe_coder')!.requests_per_window;
    const results = await Promise.all(
      Array.from({ length: limit + 5 }, () => get(server.baseUrl, '/whoami', KEYS.vibeCoderAdmin)),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(limit);
    expect(statuses.filter((s) => s === 429)).toHaveLength(5);
    const remaining = results.map((r) => Number(r.headers['x-ratelimit-remaining']));
    expect(Math.min(...remaining)).toBe(0);
    expect(new Set(remaining.filter((_r, i) => statuses[i] === 200)).size).toBe(limit);
  });
});

describe('rate limiting in-process', () => {
  const tiny = { plans: { developer: { requests_per_window: 3, window_seconds: 10 } } };

  it('should take plan overrides from the config', async () => {
    const mock = testMock({ config: tiny });
    const res = await request(mock.app).get('/v1/whoami').set(bearer(KEYS.read)).expect(specStatus(200));
    expect(res.headers['x-ratelimit-limit']).toBe('3');
    expect(res.body.account.plan).toEqual({ id: 'developer', name: 'Developer', requests_per_window: 3, window_seconds: 10 });
    expect(res.body.rate_limit).toEqual({ limit: 3, remaining: 2, reset: Number(res.headers['x-ratelimit-reset']) });
  });

  it('should count the budget per account, shared by its keys', async () => {
    const mock = testMock({ config: tiny });
    await request(mock.app).get('/v1/whoami').set(bearer(KEYS.read)).expect(specStatus(200));
    await request(mock.app).get('/v1/whoami').set(bearer(KEYS.write)).expect(specStatus(200));
    const third = await request(mock.app).get('/v1/whoami').set(bearer(KEYS.admin)).expect(specStatus(200));
    expect(third.headers['x-ratelimit-remaining']).toBe('0');
    await request(mock.app).get('/v1/whoami').set(bearer(KEYS.noPerms)).expect(specStatus(429));
  });

  it('should not let one account exhaust another', async () => {
    const mock = testMock({ config: tiny });
    for (let i = 0; i < 5; i++) await request(mock.app).get('/v1/whoami').set(bearer(KEYS.read));
    const other = await request(mock.app).get('/v1/whoami').set(bearer(KEYS.vibeCoderAdmin)).expect(specStatus(200));
    expect(other.headers['x-ratelimit-remaining']).toBe('99');
  });

  it('should not consume budget with refused requests, and never report a negative Remaining', async () => {
    const mock = testMock({ config: tiny });
    for (let i = 0; i < 3; i++) await request(mock.app).get('/v1/whoami').set(bearer(KEYS.read)).expect(specStatus(200));
    for (let i = 0; i < 10; i++) {
      const res = await request(mock.app).get('/v1/whoami').set(bearer(KEYS.read)).expect(specStatus(429));
      expect(res.headers['x-ratelimit-remaining']).toBe('0');
    }
    mock.clock.advance(10_000);
    const res = await request(mock.app).get('/v1/whoami').set(bearer(KEYS.read)).expect(specStatus(200));
    expect(res.headers['x-ratelimit-remaining']).toBe('2');
  });

  it('should put rate-limit headers on 403, 404 and 400 responses of an authenticated key', async () => {
    const mock = testMock({ config: tiny });
    const forbidden = await request(mock.app).post('/v1/scans').set(bearer(KEYS.read)).send({ target: 'h', scan_type: 'quick' }).expect(specStatus(403));
    expect(forbidden.headers['x-ratelimit-remaining']).toBe('2');
    const missing = await request(mock.app).get('/v1/scans/scan_doesnotexist').set(bearer(KEYS.read)).expect(specStatus(404));
    expect(missing.headers['x-ratelimit-remaining']).toBe('1');
    const invalid = await request(mock.app).get('/v1/scans?limit=101').set(bearer(KEYS.read)).expect(specStatus(400));
    expect(invalid.headers['x-ratelimit-remaining']).toBe('0');
  });

  it('should check the rate limit before the permission (429 beats 403)', async () => {
    const mock = testMock({ config: tiny });
    for (let i = 0; i < 3; i++) await request(mock.app).get('/v1/whoami').set(bearer(KEYS.read));
    await request(mock.app).post('/v1/scans').set(bearer(KEYS.read)).send({}).expect(specStatus(429));
  });

  it('should check credentials before the rate limit (401 while the account is exhausted)', async () => {
    const mock = testMock({ config: tiny });
    for (let i = 0; i < 3; i++) await request(mock.app).get('/v1/whoami').set(bearer(KEYS.read));
    await request(mock.app).get('/v1/whoami').set(bearer(KEYS.expired)).expect(specStatus(401));
  });

  it('should start a new window exactly at the boundary, to the millisecond', async () => {
    const mock = testMock({ config: tiny, clock: createClock({ start: Date.parse('2026-11-01T09:00:09.999Z') }) });
    for (let i = 0; i < 3; i++) await request(mock.app).get('/v1/whoami').set(bearer(KEYS.read)).expect(specStatus(200));
    const last = await request(mock.app).get('/v1/whoami').set(bearer(KEYS.read)).expect(specStatus(429));
    expect(last.headers['x-ratelimit-reset']).toBe(String(Date.parse('2026-11-01T09:00:10.000Z') / 1000));
    expect(last.headers['retry-after']).toBe('1');
    mock.clock.advance(1);
    const next = await request(mock.app).get('/v1/whoami').set(bearer(KEYS.read)).expect(specStatus(200));
    expect(next.headers['x-ratelimit-reset']).toBe(String(Date.parse('2026-11-01T09:00:20.000Z') / 1000));
  });

  it('should keep each window\'s count when the clock moves back into the previous window and forward again', async () => {
    const mock = testMock({ config: tiny });
    const passed = async () => {
      let ok = 0;
      for (let i = 0; i < 5; i++) {
        const res = await request(mock.app).get('/v1/whoami').set(bearer(KEYS.read));
        if (res.status === 200) ok++;
        else expect(specProblems(operation('getWhoami'), res)).toEqual([]);
      }
      return ok;
    };
    expect(await passed()).toBe(3); // the window of 09:00:30
    mock.clock.advance(10_000);
    expect(await passed()).toBe(3); // 09:00:40
    for (let round = 0; round < 3; round++) {
      mock.clock.set(mock.clock.now() - 10_000);
      expect(await passed()).toBe(0);
      mock.clock.set(mock.clock.now() + 10_000);
      expect(await passed()).toBe(0);
    }
    // Two windows on, the next one has its own budget.
    mock.clock.advance(10_000);
    expect(await passed()).toBe(3);
  });

  it('should keep a window\'s count when the clock moves two windows on and back again', async () => {
    const mock = testMock({ config: { plans: { developer: { requests_per_window: 5, window_seconds: 60 } } } });
    const whoami = () => request(mock.app).get('/v1/whoami').set(bearer(KEYS.read));
    for (let i = 0; i < 5; i++) await whoami().expect(specStatus(200));
    await whoami().expect(specStatus(429)); // the window of 09:00
    mock.clock.advance(120_000);
    for (let i = 0; i < 5; i++) await whoami().expect(specStatus(200)); // 09:02, its own budget
    mock.clock.set(T0);
    const back = await whoami().expect(specStatus(429)); // 09:00 again: its 5 still count
    expect(back.headers['x-ratelimit-remaining']).toBe('0');
    expect(back.headers['x-ratelimit-reset']).toBe(String(Date.parse('2026-11-01T09:01:00Z') / 1000));
  });

  it('should keep a window\'s count when the clock moves on and back with no request between, within the windows the limiter keeps', async () => {
    const mock = testMock({ config: { plans: { developer: { requests_per_window: 5, window_seconds: 60 } } } });
    const whoami = () => request(mock.app).get('/v1/whoami').set(bearer(KEYS.read));
    for (let i = 0; i < 5; i++) await whoami().expect(specStatus(200));
    mock.clock.advance(KEPT_WINDOWS * 60_000);
    // Another account's request there sweeps what the limiter no longer keeps.
    await request(mock.app).get('/v1/whoami').set(bearer(KEYS.vibeCoderAdmin)).expect(specStatus(200));
    mock.clock.set(T0);
    await whoami().expect(specStatus(429));
  });
});

describe('the rate limiter and its store', () => {
  const SECOND = 1000;

  it('drops windows farther than it keeps, once per shortest window, and peeks without counting', () => {
    const clock = createClock({ start: T0 });
    const store = createMemoryStore();
    const limiter = createRateLimiter(store);
    const minute = { limit: 2, windowSeconds: 60 };
    limiter.consume('a', minute, clock.now());
    const aEnd = Math.ceil((T0 + 1) / 60_000) * 60_000;
    limiter.consume('b', { limit: 2, windowSeconds: 3600 }, clock.now());
    expect(store.size()).toBe(2);
    expect(limiter.peek('a', minute, clock.now())).toMatchObject({ allowed: true, remaining: 1 });
    expect(limiter.peek('a', minute, clock.now()).remaining).toBe(1);
    limiter.consume('a', minute, clock.now());
    expect(limiter.peek('a', minute, clock.now())).toMatchObject({ allowed: false, remaining: 0 });
    clock.advance((KEPT_WINDOWS + 1) * 60 * SECOND);
    limiter.consume('c', minute, clock.now());
    // a's minute window is more than KEPT_WINDOWS minutes back and was swept; b's hour is not.
    expect(store.size()).toBe(2);
    expect(store.get('a', aEnd)).toBe(0);
    expect(store.get('b', Math.ceil((T0 + 1) / 3_600_000) * 3_600_000)).toBe(1);
    // Within the same shortest window, no second sweep: a window a sweep would drop stays.
    store.set('z', aEnd, 1, 60_000);
    clock.advance(2);
    limiter.consume('c', minute, clock.now());
    expect(store.size()).toBe(3);
  });

  it('sweeps a window once it is more than KEPT_WINDOWS windows from the clock, either way', () => {
    const store = createMemoryStore();
    store.set('a', 1000, 1, 1000); // the window [0, 1000)
    store.sweep((KEPT_WINDOWS + 1) * 1000 - 1);
    expect(store.size()).toBe(1);
    store.sweep((KEPT_WINDOWS + 1) * 1000);
    expect(store.size()).toBe(0);
    store.set('b', (KEPT_WINDOWS + 2) * 1000, 1, 1000); // the window KEPT_WINDOWS + 1 on
    store.sweep(1000);
    expect(store.size()).toBe(1);
    store.sweep(999);
    expect(store.size()).toBe(0);
    // A far window between two near ones goes, and the near ones keep their counts.
    for (const [end, count] of [[1000, 1], [100_000, 2], [3000, 3]]) store.set('c', end, count, 1000);
    store.sweep(2000);
    expect(store.size()).toBe(2);
    expect([1000, 100_000, 3000].map((end) => store.get('c', end))).toEqual([1, 0, 3]);
    store.set('c', 4000, 4, 1000);
    expect(store.size()).toBe(3);
    expect(store.get('c', 4000)).toBe(4);
  });

  it('keeps KEPT_WINDOWS windows of a key, displacing the one farthest from the new one', () => {
    const store = createMemoryStore();
    for (let i = 1; i <= KEPT_WINDOWS; i++) store.set('a', i * 1000, i, 1000);
    store.set('a', 2000, 20, 1000); // an existing window changes in place
    expect(store.size()).toBe(KEPT_WINDOWS);
    store.set('a', 0, 9, 1000); // one before the first: the last one goes
    expect(store.size()).toBe(KEPT_WINDOWS);
    expect(store.get('a', KEPT_WINDOWS * 1000)).toBe(0);
    expect([0, 1000, 2000, 3000].map((end) => store.get('a', end))).toEqual([9, 1, 20, 3]);
    store.set('a', 100_000, 7, 1000); // far on: the first goes
    expect(store.get('a', 0)).toBe(0);
    expect(store.get('a', 100_000)).toBe(7);
    expect(store.size()).toBe(KEPT_WINDOWS);
    store.set('b', 1000, 1, 1000);
    expect(store.size()).toBe(KEPT_WINDOWS + 1);
    store.reset();
    expect(store.size()).toBe(0);
    expect(store.get('b', 1000)).toBe(0);
  });
});
