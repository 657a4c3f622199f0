// "The same request" for a POST (docs/conduct.md): the watch tells POSTs to one path apart by
// a fingerprint of the body validation read. A try whose body was never read (refused with a
// 401 or 429, or answered by a fault before validation, as a 503 fault is) has none, and is
// compared by target and Content-Digest alone.
import { withMockServer } from '../helpers/mock-server';
import { expectFetched } from '../helpers/expect-response';
import { bearer, KEYS, T0_ISO } from '../helpers/fixtures';
import type { RunningMock } from '../../mock/server';
import type { MockConfigInput } from '../../mock/config/config-input';

jest.setTimeout(60_000);

const SCAN = { target: 'host-1.example', scan_type: 'quick' };
const OTHER = { target: 'host-2.example', scan_type: 'full' };
const RULE = 'post_retry_without_idempotency_key';

/** The first create gets a 503 from a fault rule, before its body is read. */
const FAULT_503: MockConfigInput = { clock: T0_ISO, faults: [{ match: { operation: 'createScan' }, when: { first: 1 }, fault: { kind: 'status', status: 503 } }] };
/** The first create is made, its answer cut short: the body was read, the client saw a failure. */
const CUT_201: MockConfigInput = { clock: T0_ISO, faults: [{ match: { operation: 'createScan' }, when: { first: 1 }, fault: { kind: 'truncate', fraction: 0.5 } }] };

/** POST /v1/scans with `body` (and an Idempotency-Key when given); the response read whole, or null when its body was cut. */
async function create(server: RunningMock, body: object, idempotencyKey?: string): Promise<Response | null> {
  const headers: Record<string, string> = { ...bearer(KEYS.write), 'Content-Type': 'application/json' };
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
  const res = await fetch(`${server.baseUrl}/scans`, { method: 'POST', headers, body: JSON.stringify(body) });
  try {
    await res.clone().arrayBuffer();
  } catch {
    return null;
  }
  return res;
}

/** A polite client waits out the 503's Retry-After (on the mock's clock) before it retries. */
async function failed503(server: RunningMock, res: Response | null): Promise<void> {
  await expectFetched(res!, 503, 'createScan');
  server.clock.advance(Number(res!.headers.get('retry-after')) * 1000);
}

const rules = (server: RunningMock) => server.mock.conduct().clients.flatMap((c) => c.findings.map((f) => f.rule));

describe('a POST retried without an Idempotency-Key', () => {
  it('is a finding when the same body is repeated after a 503 fault', async () => {
    await withMockServer({ config: FAULT_503 }, async (server) => {
      await failed503(server, await create(server, SCAN));
      const retry = (await create(server, SCAN))!;
      await expectFetched(retry, 201, 'createScan');
      const found = server.mock.conduct().clients.flatMap((c) => c.findings).find((f) => f.rule === RULE);
      expect(found).toMatchObject({ count: 1, request_ids: [retry.headers.get('x-request-id')] });
    });
  });

  it('is a finding when the same body is repeated after an answer cut short', async () => {
    await withMockServer({ config: CUT_201 }, async (server) => {
      expect(await create(server, SCAN)).toBeNull();
      await expectFetched((await create(server, SCAN))!, 201, 'createScan');
      expect(rules(server)).toEqual([RULE]);
    });
  });

  it('is a finding when the same body is retried after a 429, whose body was never read', async () => {
    await withMockServer({ config: { clock: T0_ISO, plans: { developer: { requests_per_window: 1, window_seconds: 60 } } } }, async (server) => {
      await expectFetched((await create(server, OTHER))!, 201, 'createScan');
      const limited = (await create(server, SCAN))!;
      await expectFetched(limited, 429, 'createScan');
      server.clock.advance(Number(limited.headers.get('retry-after')) * 1000);
      await expectFetched((await create(server, SCAN))!, 201, 'createScan');
      expect(rules(server)).toEqual([RULE]);
    });
  });

  it('is none when another body follows a failed one: a new create, not a retry', async () => {
    await withMockServer({ config: CUT_201 }, async (server) => {
      expect(await create(server, SCAN)).toBeNull();
      await expectFetched((await create(server, OTHER))!, 201, 'createScan');
      expect(rules(server)).toEqual([]);
    });
  });
});

describe('a POST retried with an Idempotency-Key', () => {
  it('is none when the retry keeps the key', async () => {
    await withMockServer({ config: FAULT_503 }, async (server) => {
      await failed503(server, await create(server, SCAN, 'scan-1'));
      await expectFetched((await create(server, SCAN, 'scan-1'))!, 201, 'createScan');
      expect(rules(server)).toEqual([]);
    });
  });

  it('is a finding when the retry changed the key', async () => {
    await withMockServer({ config: FAULT_503 }, async (server) => {
      await failed503(server, await create(server, SCAN, 'scan-1'));
      await expectFetched((await create(server, SCAN, 'scan-2'))!, 201, 'createScan');
      expect(server.mock.conduct().clients.flatMap((c) => c.findings.map((f) => [f.rule, f.message]))).toEqual([[RULE, 'POST /v1/scans retried with another Idempotency-Key']]);
    });
  });

  it('is none when a changed key goes with another body after a cut answer', async () => {
    await withMockServer({ config: CUT_201 }, async (server) => {
      expect(await create(server, SCAN, 'scan-1')).toBeNull();
      await expectFetched((await create(server, OTHER, 'scan-2'))!, 201, 'createScan');
      expect(rules(server)).toEqual([]);
    });
  });
});
