// Faults in the store (issue 25, point 4), against a real redis-server: stopped, or paused
// past store_timeout_ms, every /v1 request that needs the store gets 503 SERVICE_UNAVAILABLE
// with details.reason store_unavailable and Retry-After, in the spec's shape, never a pass
// (the mock fails closed) and never a 500; the log gets one warning per outage, not one per
// request; and when Redis is back the same mock serves again, without a restart.
import { once } from 'node:events';
import { createClock } from '../../mock/clock';
import { startMockServer, type RunningMock } from '../../mock/server';
import { KEYS, SPEC, T0, UNKNOWN_KEY, bearer, captureLogs } from '../helpers/fixtures';
import { expectFetched } from '../helpers/expect-response';
import { withRedis } from '../helpers/redis-server';
import { LOG_SCRIPT } from '../../mock/store/replication';
import type { LuaScript } from '../../mock/store/redis';

jest.setTimeout(60_000);

const redis = withRedis();
const TIMEOUT_MS = 200;

type Logged = { level: number; msg: string; store?: string };
const storeLines = (lines: string[], level: number) => lines.map((l) => JSON.parse(l) as Logged).filter((l) => l.level === level && /^store /.test(l.msg));

describe('a mock whose Redis goes away', () => {
  let server: RunningMock;
  let logs: ReturnType<typeof captureLogs>;
  beforeAll(async () => {
    logs = captureLogs('info');
    server = await startMockServer({
      spec: SPEC,
      clock: createClock({ start: T0 }),
      logger: logs.logger,
      config: { store: redis.current.url as `redis://${string}`, store_prefix: `outage-${process.pid}:`, store_timeout_ms: TIMEOUT_MS, auth_failure_limit: { max_failures: 100, window_seconds: 60 } },
    });
  });
  afterAll(() => server.close());

  const get = (key: string = KEYS.read) => fetch(`${server.baseUrl}/scans`, { headers: bearer(key) });
  const post = () => fetch(`${server.baseUrl}/scans`, { method: 'POST', headers: { ...bearer(KEYS.admin), 'Content-Type': 'application/json' }, body: JSON.stringify({ target: 'ws-0142.corp.example', scan_type: 'quick' }) });

  /** Resolves once the mock's store is connected again (its client's `ready`), with no polling. */
  async function reconnected(): Promise<void> {
    const store = server.mock.store!;
    if (!store.available()) await once(store.client, 'ready');
  }

  async function expectUnavailable(res: Response, operationId: string) {
    await expectFetched(res, 503, operationId);
    expect(res.headers.get('retry-after')).toBe('1');
    const body = (await res.json()) as { error: { code: string; details: Record<string, unknown> } };
    expect(body.error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', details: { reason: 'store_unavailable', retry_after_seconds: 1 } });
    expect(JSON.stringify(body)).not.toContain(String(redis.current.port));
  }

  it('answers 503 store_unavailable to every request that needs the store while Redis is stopped, warns once, and serves again once it is back', async () => {
    await expectFetched(await get(), 200);
    await redis.current.stop();
    for (let i = 0; i < 10; i++) await expectUnavailable(await get(), 'listScans');
    await expectUnavailable(await post(), 'createScan');
    // A guessed key is counted in the store too: never a 401 the limiter did not count.
    await expectUnavailable(await get(UNKNOWN_KEY), 'listScans');
    // A reset cannot delete the shared windows: 503 too, and a reset nobody awaits crashes nothing.
    const reset = await fetch(`${server.url}/_mock/reset`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
    expect(reset.status).toBe(503);
    void server.mock.reset();
    // The control API's usage reads the limiter: the same 503, not a 500.
    const usage = await fetch(`${server.url}/_mock/usage`);
    expect(usage.status).toBe(503);
    expect(((await usage.json()) as { error: { details: unknown } }).error.details).toEqual({ retry_after_seconds: 1, reason: 'store_unavailable' });
    expect(storeLines(logs.lines, 40)).toHaveLength(1);
    expect(storeLines(logs.lines, 40)[0].store).toBe(redis.current.url.replace(/\/0$/, '/0'));
    // No 500 was logged as a bug of the mock.
    expect(logs.lines.filter((l) => /unhandled error/.test(l))).toEqual([]);

    const restarted = performance.now();
    await redis.current.restart();
    const restartDone = performance.now();
    await reconnected();
    const res = await get();
    const firstOk = performance.now();
    await expectFetched(res, 200);
    // The figure the issue asks for: from redis-server restarting to the first 200.
    console.log(`recovery: ${Math.round(firstOk - restarted)} ms from restart() (redis-server up after ${Math.round(restartDone - restarted)} ms) to the first 200`);
    expect(storeLines(logs.lines, 30).map((l) => l.msg)).toEqual(['store available again']);
    expect(storeLines(logs.lines, 40)).toHaveLength(1);
  });

  it('answers 503 store_unavailable when Redis is slower than store_timeout_ms, one warning for the outage, and serves again when it answers', async () => {
    await reconnected();
    await expectFetched(await get(), 200);
    const warnedBefore = storeLines(logs.lines, 40).length;
    redis.current.pause();
    try {
      for (let i = 0; i < 3; i++) await expectUnavailable(await get(), 'listScans');
    } finally {
      redis.current.resume();
    }
    expect(storeLines(logs.lines, 40)).toHaveLength(warnedBefore + 1);
    // The connection stayed open: the next request is answered, and the outage is over.
    await expectFetched(await get(), 200);
    expect(storeLines(logs.lines, 30).map((l) => l.msg)).toEqual(['store available again', 'store available again']);
    // So the next outage is warned of again.
    redis.current.pause();
    try {
      await expectUnavailable(await get(), 'listScans');
    } finally {
      redis.current.resume();
    }
    expect(storeLines(logs.lines, 40)).toHaveLength(warnedBefore + 2);
  });

  it('starts with Redis away: 503 until Redis comes, then serves, with no restart of the mock', async () => {
    await redis.current.stop();
    const late = captureLogs('info');
    const mock = await startMockServer({ spec: SPEC, clock: createClock({ start: T0 }), logger: late.logger, config: { store: redis.current.url as `redis://${string}`, store_prefix: `late-${process.pid}:`, store_timeout_ms: TIMEOUT_MS } });
    try {
      for (let i = 0; i < 3; i++) await expectUnavailable(await fetch(`${mock.baseUrl}/scans`, { headers: bearer(KEYS.read) }), 'listScans');
      expect(storeLines(late.lines, 40)).toHaveLength(1);
      await redis.current.restart();
      if (!mock.mock.store!.available()) await once(mock.mock.store!.client, 'ready');
      await expectFetched(await fetch(`${mock.baseUrl}/scans`, { headers: bearer(KEYS.read) }), 200);
    } finally {
      await mock.close();
    }
  });

  it('a reply that comes after its timeout does not end the outage: the next reply in time does, so one outage is one warning', async () => {
    await reconnected();
    await expectFetched(await get(), 200);
    const before = { warned: storeLines(logs.lines, 40).length, back: storeLines(logs.lines, 30).length };
    redis.current.pause();
    try {
      await expectUnavailable(await get(), 'listScans');
    } finally {
      redis.current.resume();
    }
    // Redis answers in order: once this PING is answered, the stalled script's late reply has come.
    await server.mock.store!.client.ping();
    expect(storeLines(logs.lines, 30)).toHaveLength(before.back);
    await expectFetched(await get(), 200);
    expect(storeLines(logs.lines, 30)).toHaveLength(before.back + 1);
    expect(storeLines(logs.lines, 40)).toHaveLength(before.warned + 1);
  });

  it('waits for the store once per request while Redis is paused: the 503 its limiter script met is answered, with no catching-up script after it (one timeout, not two)', async () => {
    await reconnected();
    await expectFetched(await get(), 200);
    const store = server.mock.store!;
    const run = store.run;
    const scripts: string[] = [];
    Object.assign(store, { run: (script: LuaScript, keys: string[], args: (string | number)[]) => (scripts.push(script.name), run(script, keys, args)) });
    redis.current.pause();
    try {
      for (let i = 0; i < 3; i++) await expectUnavailable(await get(), 'listScans');
      await expectUnavailable(await post(), 'createScan');
    } finally {
      redis.current.resume();
      Object.assign(store, { run });
    }
    // The journal's pushes are not waited for; a sync of the log after the 503 was (before: one per request).
    expect(scripts.filter((name) => name === LOG_SCRIPT.name)).toEqual([]);
    expect(scripts.filter((name) => name !== LOG_SCRIPT.name && !/journal/.test(name)).length).toBe(4);
  });

  it('closes while Redis is paused: QUIT is not waited for past store_timeout_ms (a SIGTERM used to hang until Redis answered)', async () => {
    const other = await startMockServer({ spec: SPEC, clock: createClock({ start: T0 }), logger: captureLogs('info').logger, config: { store: redis.current.url as `redis://${string}`, store_prefix: `outage-close-${process.pid}:`, store_timeout_ms: TIMEOUT_MS } });
    await expectFetched(await fetch(`${other.baseUrl}/whoami`, { headers: bearer(KEYS.read) }), 200, 'getWhoami');
    redis.current.pause();
    let closed = false;
    try {
      const closing = other.close().then(() => (closed = true));
      // Resumed only after the close settled, or after 25 timeouts (then the close waited for Redis: before, until it answered).
      await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, 25 * TIMEOUT_MS))]);
      expect(closed).toBe(true);
    } finally {
      redis.current.resume();
    }
  });
});
