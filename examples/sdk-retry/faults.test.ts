// The SDK pattern against the faults a real network brings, set with the mock's handle
// (mock.faults.add): two 503s, a reset, a hang and a body cut short. Each ends in the normal
// answer after the retry layer's retries, and nothing waits for real but the client's own
// 200 ms timeout on the hang: the backoff waits by moving the mock's clock.
import pino from 'pino';
import { startMockServer, type RunningMock } from '../../mock/server';
import { createCortexClient } from './client';
import { expectResponse } from '../../test/helpers/expect-response';

const KEYS = {
  read: 'sk_test_readonly_00000000000000000001',
  write: 'sk_test_writeonly_0000000000000000002',
};

describe('a typed client with a retry layer, against fault rules', () => {
  let mock: RunningMock;
  beforeEach(async () => {
    mock = await startMockServer({ logger: pino({ level: 'silent' }), config: { clock: '2026-11-01T09:00:30Z' } });
  });
  // Every scenario is a polite client's: the mock's conduct report must be clean (docs/conduct.md).
  afterEach(async () => {
    try {
      mock.mock.conduct.assertClean();
    } finally {
      await mock.close();
    }
  });

  const retries: Array<{ status: number | 'network'; waitMs: number }> = [];
  beforeEach(() => retries.splice(0));
  /** Waiting, for the client, is the mock's clock moving on. */
  const advanceClock = (ms: number) => {
    mock.clock.advance(ms);
    return Promise.resolve();
  };
  // A small deadline per attempt: the one real wait, and only a hang meets it.
  const client = (key = KEYS.read) => createCortexClient(mock.baseUrl, key, { sleep: advanceClock, timeoutMs: 200, onRetry: (r) => retries.push(r) });
  const journal = () => mock.mock.journal.list().map((e) => ({ status: e.status, fault: (e as unknown as { fault: { kind: string } | null }).fault?.kind ?? null }));

  it('gets the list after "fail the first 2 with 503", waiting out each Retry-After on the mock clock', async () => {
    mock.mock.faults.add({ match: { operation: 'listScans' }, when: { first: 2 }, fault: { kind: 'status', status: 503, retry_after: 2 } });
    const before = mock.clock.now();
    const res = await client().GET('/scans');
    expectResponse(res, 200, 'listScans');
    expect(retries).toEqual([
      { attempt: 1, status: 503, waitMs: 2_000 },
      { attempt: 2, status: 503, waitMs: 2_000 },
    ]);
    expect(mock.clock.now() - before).toBe(4_000);
    expect(journal()).toEqual([
      { status: 503, fault: 'status' },
      { status: 503, fault: 'status' },
      { status: 200, fault: null },
    ]);
  });

  it('gets the list after "reset once": the reset is a network error, retried after a backoff', async () => {
    const id = mock.mock.faults.add({ match: { operation: 'listScans' }, when: { first: 1 }, fault: { kind: 'reset' } });
    const res = await client().GET('/scans');
    expectResponse(res, 200, 'listScans');
    expect(retries).toEqual([{ attempt: 1, status: 'network', waitMs: 100 }]);
    expect(mock.mock.faults.list()).toMatchObject([{ id, fired: 1, seen: 2 }]);
    expect(journal().map((e) => e.fault)).toEqual(['reset', null]);
  });

  it('gets the list after "hang once": its own 200 ms timeout fires, then it retries', async () => {
    // The hang would hold the request a minute; the client gives up long before.
    mock.mock.faults.add({ match: { operation: 'listScans' }, when: { first: 1 }, fault: { kind: 'hang', ms: 60_000 } });
    const res = await client().GET('/scans');
    expectResponse(res, 200, 'listScans');
    expect(retries).toEqual([{ attempt: 1, status: 'network', waitMs: 100 }]);
    expect(journal().map((e) => e.fault)).toEqual(['hang', null]);
  });

  it('gets the whole list after "truncate once": a body cut short of its Content-Length is retried', async () => {
    mock.mock.faults.add({ match: { operation: 'listScans' }, when: { first: 1 }, fault: { kind: 'truncate', fraction: 0.5 } });
    const res = await client().GET('/scans');
    expectResponse(res, 200, 'listScans');
    expect(res.data?.data.length).toBeGreaterThan(0);
    expect(retries).toEqual([{ attempt: 1, status: 'network', waitMs: 100 }]);
    expect(journal().map((e) => e.fault)).toEqual(['truncate', null]);
  });

  it('makes one scan when a create is reset once: the retry carries the same Idempotency-Key', async () => {
    mock.mock.faults.add({ match: { operation: 'createScan' }, when: { first: 1 }, fault: { kind: 'reset' } });
    const before = mock.mock.state.scans.listOf('acct_developer').length;
    const res = await client(KEYS.write).createScan({ target: 'ws-0042.corp.example', scan_type: 'quick' });
    expectResponse(res, 201, 'createScan');
    expect(retries).toEqual([{ attempt: 1, status: 'network', waitMs: 100 }]);
    expect(mock.mock.state.scans.listOf('acct_developer').length).toBe(before + 1);
  });

  it('gives up on a reset past maxRetries, with the network error', async () => {
    mock.mock.faults.add({ match: { operation: 'listScans' }, when: { after: 0 }, fault: { kind: 'reset' } });
    const giving = createCortexClient(mock.baseUrl, KEYS.read, { sleep: advanceClock, timeoutMs: 200, maxRetries: 2, onRetry: (r) => retries.push(r) });
    // undici's TypeError, from another realm than the test's: matched by name.
    await expect(giving.GET('/scans')).rejects.toMatchObject({ name: 'TypeError', message: 'fetch failed' });
    expect(retries.map((r) => r.waitMs)).toEqual([100, 200]);
  });
});
