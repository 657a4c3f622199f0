// The same typed client, tested with no server and no port: MSW answers its fetch through
// cortex-edr-mock's handlers, which enforce the keys, permissions and plan limits, and the
// retry layer waits by moving the mock's clock. Fault rules reach it through MSW too.
import pino from 'pino';
import { setupServer, type SetupServerApi } from 'msw/node';
import { createMswHandlers, type MswMock } from '../../mock/surfaces/msw';
import { createCortexClient } from './client';
import { expectResponse } from '../../test/helpers/expect-response';

const BASE_URL = 'https://api.cortex-edr.com/v1';
const KEYS = {
  vibeCoder: 'sk_test_vibecoder_0000000000000000009',
  write: 'sk_test_writeonly_0000000000000000002',
  read: 'sk_test_readonly_00000000000000000001',
  expired: 'sk_test_expired_00000000000000000006',
};

describe('a typed client against MSW handlers', () => {
  let msw: MswMock;
  let server: SetupServerApi;
  beforeEach(() => {
    msw = createMswHandlers({ baseUrl: BASE_URL, logger: pino({ level: 'silent' }), config: { clock: '2026-11-01T09:00:30Z', plans: { vibe_coder: { requests_per_window: 2, window_seconds: 60 } } } });
    server = setupServer(...msw.handlers);
    server.listen({ onUnhandledRequest: 'error' });
  });
  // Every scenario is a polite client's: the mock's conduct report must be clean (docs/conduct.md).
  afterEach(() => {
    try {
      msw.mock.conduct.assertClean();
    } finally {
      server.close();
    }
  });

  const advanceClock = (ms: number) => {
    msw.mock.clock.advance(ms);
    return Promise.resolve();
  };

  it('retries a 429 after Retry-After on the mock clock', async () => {
    const retries: Array<{ status: number | 'network'; waitMs: number }> = [];
    const client = createCortexClient(BASE_URL, KEYS.vibeCoder, { sleep: advanceClock, onRetry: (r) => retries.push(r) });
    for (let i = 0; i < 2; i++) expectResponse(await client.GET('/whoami'), 200, 'getWhoami');
    const third = await client.GET('/whoami');
    expectResponse(third, 200, 'getWhoami');
    expect(retries).toEqual([{ attempt: 1, status: 429, waitMs: 30_000 }]);
    expect(msw.mock.journal.list().map((e) => e.status)).toEqual([200, 200, 429, 200]);
  });

  it.each([
    ['reset once', { kind: 'reset' }],
    ['hang once', { kind: 'hang', ms: 60_000 }],
    ['truncate once', { kind: 'truncate' }],
  ] as const)('gets the list after "%s" through MSW: a network error, retried after a backoff on the mock clock', async (_name, fault) => {
    const retries: Array<{ status: number | 'network'; waitMs: number }> = [];
    msw.mock.faults.add({ match: { operation: 'listScans' }, when: { first: 1 }, fault });
    // The hang's only real wait is this timeout.
    const client = createCortexClient(BASE_URL, KEYS.read, { sleep: advanceClock, timeoutMs: 200, onRetry: (r) => retries.push(r) });
    const res = await client.GET('/scans');
    expectResponse(res, 200, 'listScans');
    expect(retries).toEqual([{ attempt: 1, status: 'network', waitMs: 100 }]);
    expect(msw.mock.faults.list()).toMatchObject([{ fired: 1, seen: 2 }]);
  });

  it('gets the typed 401 and 403, never retried, and state that persists', async () => {
    const expired = await createCortexClient(BASE_URL, KEYS.expired).GET('/scans');
    expectResponse(expired, 401, 'listScans');
    expect(expired.error?.error.code).toBe('UNAUTHORIZED');
    const forbidden = await createCortexClient(BASE_URL, KEYS.read).createScan({ target: 'ws-0001.corp.example', scan_type: 'quick' });
    expectResponse(forbidden, 403, 'createScan');
    const created = await createCortexClient(BASE_URL, KEYS.write).createScan({ target: 'ws-0001.corp.example', scan_type: 'quick' });
    expectResponse(created, 201, 'createScan');
    const read = await createCortexClient(BASE_URL, KEYS.read).GET('/scans/{scan_id}', { params: { path: { scan_id: created.data!.id } } });
    expect(read.data?.target).toBe('ws-0001.corp.example');
  });
});
