// The SDK pattern against the mock in-process: 429s are retried after Retry-After by
// moving the mock's clock (no sleeping), 401 and 403 are never retried, and a retried
// create with the same Idempotency-Key makes one scan.
import pino from 'pino';
import { startMockServer, type RunningMock } from '../../mock/server';
import { createCortexClient } from './client';
import { expectResponse } from '../../test/helpers/expect-response';

const KEYS = {
  vibeCoder: 'sk_test_vibecoder_0000000000000000009',
  write: 'sk_test_writeonly_0000000000000000002',
  expired: 'sk_test_expired_00000000000000000006',
  read: 'sk_test_readonly_00000000000000000001',
};

describe('a typed client with a retry layer', () => {
  let mock: RunningMock;
  beforeEach(async () => {
    mock = await startMockServer({ logger: pino({ level: 'silent' }), config: { clock: '2026-11-01T09:00:30Z', plans: { vibe_coder: { requests_per_window: 2, window_seconds: 60 } } } });
  });
  // Every scenario is a polite client's: the mock's conduct report must be clean (docs/conduct.md).
  afterEach(async () => {
    try {
      mock.mock.conduct.assertClean();
    } finally {
      await mock.close();
    }
  });

  /** Waiting, for the client, is the mock's clock moving on. */
  const advanceClock = (ms: number) => {
    mock.clock.advance(ms);
    return Promise.resolve();
  };

  it('retries a 429 after Retry-After by advancing the mock clock, not by sleeping', async () => {
    const retries: Array<{ status: number | 'network'; waitMs: number }> = [];
    const client = createCortexClient(mock.baseUrl, KEYS.vibeCoder, { sleep: advanceClock, onRetry: (r) => retries.push(r) });
    for (let i = 0; i < 2; i++) expectResponse(await client.GET('/whoami'), 200, 'getWhoami');
    const before = mock.clock.now();
    const third = await client.GET('/whoami');
    expectResponse(third, 200, 'getWhoami');
    expect(third.data?.rate_limit.remaining).toBe(1);
    // One retry, after exactly the 30 s left in the window (the clock sat at :30).
    expect(retries).toEqual([{ attempt: 1, status: 429, waitMs: 30_000 }]);
    expect(mock.clock.now() - before).toBe(30_000);
    expect(mock.mock.journal.list().map((e) => e.status)).toEqual([200, 200, 429, 200]);
  });

  it('revalidates a list it has read with If-None-Match: the 304 costs no budget and reads as the kept 200', async () => {
    const client = createCortexClient(mock.baseUrl, KEYS.read, { sleep: advanceClock });
    const first = await client.GET('/scans');
    expectResponse(first, 200, 'listScans');
    const again = await client.GET('/scans');
    expectResponse(again, 200, 'listScans');
    expect(again.data).toEqual(first.data);
    // Remaining as the first answer left it: the 304 was refunded.
    expect(again.response.headers.get('x-ratelimit-remaining')).toBe(first.response.headers.get('x-ratelimit-remaining'));
    expect(mock.mock.journal.list().map((e) => e.status)).toEqual([200, 304]);
  });

  it('reads the 429 details with their types, when it gives up', async () => {
    const client = createCortexClient(mock.baseUrl, KEYS.vibeCoder, { sleep: advanceClock, maxRetries: 0 });
    await client.GET('/whoami');
    await client.GET('/whoami');
    const { error, response } = await client.GET('/whoami');
    expectResponse({ error, response }, 429, 'getWhoami');
    // Typed from the spec: details.retry_after_seconds is a number here, no cast.
    const seconds: number | undefined = error?.error.code === 'RATE_LIMIT_EXCEEDED' ? error.error.details.retry_after_seconds : undefined;
    expect(seconds).toBe(30);
  });

  it.each([
    ['401, an expired key', KEYS.expired, 401],
    ['403, a read key creating a scan', KEYS.read, 403],
  ])('never retries a %s', async (_name, key, status) => {
    const retries: unknown[] = [];
    const client = createCortexClient(mock.baseUrl, key, { sleep: advanceClock, onRetry: (r) => retries.push(r) });
    const { response, error } = await client.createScan({ target: 'ws-0001.corp.example', scan_type: 'quick' });
    expectResponse({ response, error }, status, 'createScan');
    expect(retries).toEqual([]);
    expect(mock.mock.journal.list()).toHaveLength(1);
  });

  it('makes one scan when a create is retried after its response was lost, with the same Idempotency-Key', async () => {
    let dropped = 0;
    // The first response is lost on the way back: the server made the scan, the client saw a reset.
    const lossy: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (dropped++ === 0) {
        await res.arrayBuffer();
        throw new TypeError('fetch failed: connection reset');
      }
      return res;
    };
    const client = createCortexClient(mock.baseUrl, KEYS.write, { sleep: advanceClock, fetch: lossy });
    const before = mock.mock.state.scans.listOf('acct_developer').length;
    const { data, response } = await client.createScan({ target: 'ws-0042.corp.example', scan_type: 'quick' });
    expectResponse({ data, response }, 201, 'createScan');
    expect(response.headers.get('idempotent-replayed')).toBe('true');
    expect(mock.mock.state.scans.listOf('acct_developer').length).toBe(before + 1);
    expect(mock.mock.state.scans.listOf('acct_developer')[0].id).toBe(data?.id);
  });
});
