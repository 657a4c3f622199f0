// The Redis store against a real redis-server (test/helpers/redis-server.ts): scripts run by
// EVALSHA and survive a Redis that lost them, and a Redis that is stopped or too slow gives
// StoreUnavailableError, fast, with one warning per outage in the log, and the same store
// answers again when Redis is back, with no new connection made by the caller.
import { connectRedisStore, StoreUnavailableError, type LuaScript, type RedisStore } from '../../mock/store/redis';
import { captureLogs } from '../helpers/fixtures';
import { withRedis } from '../helpers/redis-server';

jest.setTimeout(60_000);

const redis = withRedis();
const INCR: LuaScript = { name: 'test_incr', lua: "return redis.call('INCR', KEYS[1]) + tonumber(ARGV[1])" };
const TIMEOUT_MS = 200;

/** The lines of `logs` at pino's warn (40) and info (30) levels that speak of the store. */
const storeLines = (lines: string[], level: number) => lines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.level === level && /^store /.test(l.msg));

/** Tries `run` until it answers (Redis reconnecting takes a few backoff steps), at most `tries` times. */
async function untilAnswered<T>(run: () => Promise<T>, tries = 200): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await run();
    } catch (err) {
      if (!(err instanceof StoreUnavailableError) || i >= tries) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

describe('the Redis store', () => {
  let store: RedisStore;
  let logs: ReturnType<typeof captureLogs>;
  beforeEach(() => {
    logs = captureLogs('info');
    store = connectRedisStore({ url: redis.current.url, prefix: 'test:', timeoutMs: TIMEOUT_MS, logger: logs.logger });
  });
  afterEach(async () => {
    await store.close();
  });

  it('runs a Lua script atomically with its keys and arguments', async () => {
    const key = `${store.prefix}runs:${Date.now()}`;
    expect(await store.run(INCR, [key], [10])).toBe(11);
    expect(await store.run(INCR, [key], [10])).toBe(12);
    expect(store.available()).toBe(true);
  });

  it('runs by EVALSHA and loads a script Redis has lost (SCRIPT FLUSH) on NOSCRIPT', async () => {
    const key = `${store.prefix}flush`;
    await store.run(INCR, [key], [0]);
    const before = await store.client.info('commandstats');
    await store.client.script('FLUSH');
    expect(await store.run(INCR, [key], [0])).toBe(2);
    expect(await store.run(INCR, [key], [0])).toBe(3);
    const calls = (stats: string, cmd: string) => Number(new RegExp(`cmdstat_${cmd}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
    const after = await store.client.info('commandstats');
    expect(calls(after, 'evalsha') - calls(before, 'evalsha')).toBe(2);
    expect(calls(after, 'eval') - calls(before, 'eval')).toBe(1);
  });

  it('keeps a script error an ordinary error, not an outage', async () => {
    const broken: LuaScript = { name: 'broken', lua: "return redis.call('NOSUCHCOMMAND')" };
    await expect(store.run(broken, [], [])).rejects.not.toBeInstanceOf(StoreUnavailableError);
    expect(storeLines(logs.lines, 40)).toEqual([]);
  });

  it('rejects with StoreUnavailableError when Redis is stopped, warns once, and answers again once Redis is back', async () => {
    const key = `${store.prefix}outage`;
    await store.run(INCR, [key], [0]);
    await redis.current.stop();
    for (let i = 0; i < 5; i++) await expect(store.run(INCR, [key], [0])).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(store.available()).toBe(false);
    await redis.current.restart();
    // The restarted Redis is empty: the count starts again, through the same store.
    expect(await untilAnswered(() => store.run(INCR, [key], [0]))).toBe(1);
    expect(storeLines(logs.lines, 40)).toHaveLength(1);
    expect(storeLines(logs.lines, 30).map((l) => l.msg)).toEqual(['store available again']);
  });

  it('rejects with StoreUnavailableError when Redis answers later than the timeout, and answers again when it resumes', async () => {
    const key = `${store.prefix}slow`;
    await store.run(INCR, [key], [0]);
    redis.current.pause();
    try {
      // Given up on at the timeout (Redis is still paused when they reject), not when Redis wakes.
      await expect(store.run(INCR, [key], [0])).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.run(INCR, [key], [0])).rejects.toThrow(/no reply within 200 ms/);
    } finally {
      redis.current.resume();
    }
    // The replies Redis owed come late (and are dropped); the next request is answered.
    const count = await untilAnswered(() => store.run<number>(INCR, [key], [0]));
    expect(count).toBeGreaterThanOrEqual(2);
    expect(storeLines(logs.lines, 40)).toHaveLength(1);
  });

  it('names no password in its log lines', async () => {
    const probe = await import('node:net');
    const server = probe.createServer((s) => s.destroy());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    const secretLogs = captureLogs('info');
    const guarded = connectRedisStore({ url: `redis://:hunter2-secret@127.0.0.1:${port}/0`, prefix: 'p:', timeoutMs: TIMEOUT_MS, logger: secretLogs.logger });
    try {
      await expect(guarded.run(INCR, ['k'], [0])).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(secretLogs.lines.length).toBeGreaterThan(0);
      expect(secretLogs.lines.join('\n')).not.toContain('hunter2');
    } finally {
      await guarded.close();
      server.close();
    }
  });
});

describe('a mock with a redis:// store', () => {
  it('connects the store its config names, with its prefix, and closes it on close()', async () => {
    const { createMock } = await import('../../mock/app');
    const mock = createMock({ config: { store: redis.current.url as `redis://${string}`, store_prefix: 'core-test:', store_timeout_ms: 500 } });
    expect(mock.store).toBeDefined();
    expect(mock.store!.prefix).toBe('core-test:');
    expect(await mock.store!.run(INCR, ['core-test:n'], [0])).toBe(1);
    await mock.close();
    await expect(mock.store!.run(INCR, ['core-test:n'], [0])).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('has no store on the memory store, the default', async () => {
    const { createMock } = await import('../../mock/app');
    const mock = createMock();
    expect(mock.store).toBeUndefined();
    await mock.close();
  });
});
