// A store URL's DB that the Redis server does not have (past its `databases`, 16 by default):
// ioredis reports the failed SELECT and goes on to ready on DB 0, where another mock's state may
// be. The mock never uses that connection: every request gets 503 store_unavailable, and
// nothing is read from or written to DB 0. Against a real redis-server.
import { Redis } from 'ioredis';
import { createClock } from '../../mock/clock';
import { startMockServer, type RunningMock } from '../../mock/server';
import { KEYS, SPEC, T0, bearer, captureLogs } from '../helpers/fixtures';
import { expectFetched } from '../helpers/expect-response';
import { withRedis } from '../helpers/redis-server';

jest.setTimeout(60_000);

const redis = withRedis();

describe('a store URL naming a DB the server does not have', () => {
  let server: RunningMock;
  let logs: ReturnType<typeof captureLogs>;
  const prefix = `db99-${process.pid}:`;
  beforeAll(async () => {
    logs = captureLogs('info');
    const store = redis.current.url.replace(/\/0$/, '/99') as `redis://${string}`;
    server = await startMockServer({ spec: SPEC, clock: createClock({ start: T0 }), logger: logs.logger, config: { store, store_prefix: prefix, store_timeout_ms: 500 } });
  });
  afterAll(() => server.close());

  it('answers 503 store_unavailable and leaves DB 0 untouched, however often it is asked', async () => {
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${server.baseUrl}/scans`, { headers: bearer(KEYS.read) });
      await expectFetched(res, 503, 'listScans');
      expect(((await res.json()) as { error: { details: unknown } }).error.details).toEqual({ retry_after_seconds: 1, reason: 'store_unavailable' });
    }
    const db0 = new Redis(redis.current.url, { lazyConnect: true });
    try {
      await db0.connect();
      expect(await db0.keys(`${prefix}*`)).toEqual([]);
    } finally {
      db0.disconnect();
    }
    const store = logs.lines.map((l) => JSON.parse(l) as { level: number; msg: string; error?: string }).filter((l) => /^store /.test(l.msg));
    expect(store.filter((l) => l.level === 30)).toEqual([]);
    expect(store.filter((l) => l.level === 40).map((l) => l.error)).toEqual(['ERR DB index is out of range']);
  });
});
